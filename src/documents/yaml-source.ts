/**
 * Safe YAML parsing with source positions. Refuses what a configuration file never needs and an
 * attacker might send: several documents in one file, duplicate keys, alias expansion bombs,
 * prototype-polluting keys, non-string keys, non-mapping roots.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, visit } from "yaml";
import type { Document, Node } from "yaml";
import type { Diagnostic, SourcePosition } from "../model/document.js";

/** Keys that would reach Object.prototype or a constructor when a careless consumer copies the data. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);
const CORE_TAGS: ReadonlySet<string> = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);
/** Deepest nesting accepted (a Conditional Access policy is about 6 levels deep). */
export const MAX_DEPTH = 64;
/** How many nodes alias expansion may produce in one document (an alias bomb produces millions). */
export const MAX_ALIAS_COUNT = 100;

export type PathSegment = string | number;

export interface ParsedYaml {
  /** The plain data, or undefined when the file was refused. */
  value: unknown;
  diagnostics: Diagnostic[];
  /** Where a field stands: its key (`"key"`) or its value (`"value"`, default). */
  positionOf(path: readonly PathSegment[], which?: "key" | "value"): SourcePosition | undefined;
}

export function parseYamlText(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const at = (offset: number): SourcePosition => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const error = (offset: number, message: string): void => {
    diagnostics.push({ severity: "error", file, ...at(offset), message });
  };
  const refused = (): ParsedYaml => ({ value: undefined, diagnostics, positionOf: () => undefined });

  // Duplicate keys are found below with a set per mapping: the library's own check (`uniqueKeys`)
  // compares each key with every earlier one, quadratic in a mapping's size (an id map of 22,000
  // entries took 45 s to read).
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false, version: "1.2", prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0) {
    error(0, "empty file: expected a mapping with kind, name and spec");
    return refused();
  }
  if (list.length > 1) {
    error(list[1]?.range[0] ?? 0, "more than one YAML document in this file: put one object per file");
    return refused();
  }
  const doc = list[0] as Document.Parsed;
  for (const e of doc.errors) {
    const message = e.message.split("\n")[0] ?? e.message;
    error(e.pos[0], /call stack/i.test(message) ? `refused: nesting deeper than ${MAX_DEPTH} levels` : message);
  }
  for (const w of doc.warnings) diagnostics.push({ severity: "warning", file, ...at(w.pos[0]), message: w.message });
  if (doc.errors.length > 0) return refused();

  let unsafe = false;
  const keysOf = new WeakMap<object, Set<string>>();
  visit(doc, {
    Node(_, node, path) {
      if (path.filter((ancestor) => isMap(ancestor) || isSeq(ancestor)).length > MAX_DEPTH) {
        if (!unsafe) error(node.range?.[0] ?? 0, `refused: nesting deeper than ${MAX_DEPTH} levels`);
        unsafe = true;
        return visit.BREAK;
      }
      // Only the core schema's own tags; anything else (`!!binary`, `!custom`) has no place here.
      if (node.tag && !CORE_TAGS.has(node.tag)) {
        error(node.range?.[0] ?? 0, `unsupported YAML tag ${node.tag.replace("tag:yaml.org,2002:", "!!")}`);
        unsafe = true;
      }
    },
    Pair(_, pair, path) {
      const key = pair.key;
      const map = path[path.length - 1];
      if (!isScalar(key) || typeof key.value !== "string") {
        const offset = (key as Node | null)?.range?.[0] ?? 0;
        error(offset, "mapping keys must be plain strings");
        unsafe = true;
      } else if (FORBIDDEN_KEYS.has(key.value)) {
        error(key.range?.[0] ?? 0, `forbidden key "${key.value}"`);
        unsafe = true;
      } else if (map && typeof map === "object") {
        let seen = keysOf.get(map);
        if (!seen) keysOf.set(map, (seen = new Set()));
        if (seen.has(key.value)) {
          error(key.range?.[0] ?? 0, "Map keys must be unique");
          unsafe = true;
        }
        seen.add(key.value);
      }
    },
  });
  if (unsafe) return refused();

  const root = doc.contents;
  if (!isMap(root)) {
    error(root?.range?.[0] ?? 0, "the document must be a mapping with kind, name and spec");
    return refused();
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    error(0, `refused: ${/alias/i.test(message) ? "alias expansion too large (possible alias bomb)" : message}`);
    return refused();
  }
  return {
    value,
    diagnostics,
    positionOf(path, which = "value") {
      const offset = offsetOf(root, path, which);
      return offset === undefined ? undefined : at(offset);
    },
  };
}

function offsetOf(root: unknown, path: readonly PathSegment[], which: "key" | "value"): number | undefined {
  let node: unknown = root;
  let keyOffset: number | undefined;
  for (const segment of path) {
    if (isAlias(node)) return keyOffset;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === segment);
      if (!pair) return undefined;
      keyOffset = (pair.key as Node).range?.[0];
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
      keyOffset = (node as Node | undefined)?.range?.[0];
    } else {
      return undefined;
    }
  }
  if (which === "key" && keyOffset !== undefined) return keyOffset;
  const range = (node as Node | null | undefined)?.range;
  return range?.[0] ?? keyOffset;
}
