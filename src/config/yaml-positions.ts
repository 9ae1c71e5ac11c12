import { isMap, isPair, isScalar, type Document, type LineCounter, type Node } from "yaml";
import type { SourcePosition } from "../model/document.js";

/** Splits an ajv instancePath (`/environments/prod/tenantId`) into keys and indexes. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/**
 * Position of the node at `path` in a parsed YAML document; with `key`, of that key inside the map
 * at `path` (for "unknown property" errors). Falls back to the nearest ancestor that exists.
 */
export function positionOf(
  doc: Document,
  lines: LineCounter,
  path: readonly string[],
  key?: string,
): SourcePosition | undefined {
  let node: unknown = doc.contents;
  let found: unknown = node;
  for (const segment of path) {
    const next = child(node, segment);
    if (next === undefined) break;
    node = next;
    found = next;
  }
  if (key !== undefined && isMap(found)) {
    const pair = found.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    if (pair && isScalar(pair.key)) found = pair.key;
  }
  const range = (found as Node | undefined)?.range;
  if (!range) return undefined;
  const pos = lines.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}

function child(node: unknown, segment: string): unknown {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
    return pair?.value ?? undefined;
  }
  if (node && typeof node === "object" && "items" in node && Array.isArray(node.items)) {
    const index = Number(segment);
    return Number.isInteger(index) ? (node.items[index] as unknown) : undefined;
  }
  return undefined;
}
