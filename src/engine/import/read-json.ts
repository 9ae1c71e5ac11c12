/**
 * Reading other tools' Graph JSON exports: UTF-8 or UTF-16 LE/BE, with or without BOM, CRLF or LF.
 * Invalid JSON is refused with the line and column where the parser gave up.
 */
import { readFile, stat } from "node:fs/promises";
import { decodeAnyText } from "../../documents/decode.js";
import type { JsonValue } from "../../model/document.js";
import { FORBIDDEN_KEYS, MAX_DEPTH } from "../../documents/yaml-source.js";

/** Largest export file read (10 MiB): a single Graph object is far smaller. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export type JsonReadResult = { ok: true; value: JsonValue; encoding: string } | { ok: false; reason: string };

export function parseJsonText(text: string): JsonReadResult & { encoding?: string } {
  try {
    let forbidden: string | undefined;
    const value = JSON.parse(text, (key: string, v: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) forbidden ??= key;
      return v;
    }) as JsonValue;
    if (forbidden !== undefined) return { ok: false, reason: `forbidden key "${forbidden}"` };
    if (depthOf(value) > MAX_DEPTH) return { ok: false, reason: `nesting deeper than ${MAX_DEPTH} levels` };
    return { ok: true, value, encoding: "" };
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, reason: `nesting deeper than ${MAX_DEPTH} levels` };
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    // Short inputs get no position from V8; a trailing comma is still worth pointing at.
    const trailing = at ? undefined : /,\s*[}\]]/.exec(text);
    if (!at && !trailing) return { ok: false, reason: `invalid JSON: ${message}` };
    const offset = at ? Number(at[1]) : (trailing?.index ?? 0) + (trailing?.[0].length ?? 1) - 1;
    const before = text.slice(0, offset);
    const line = before.split("\n").length;
    const column = offset - before.lastIndexOf("\n");
    const what = message.replace(/ in JSON at position \d+.*$/s, "").replace(/^JSON\.parse: /, "");
    return { ok: false, reason: `invalid JSON at line ${line}, column ${column}: ${what}${hint(text, offset)}` };
  }
}

/** A trailing comma is the most common hand-edit mistake in these exports: say so. */
function hint(text: string, offset: number): string {
  const before = text.slice(0, offset).trimEnd();
  const next = text.slice(offset).trimStart()[0];
  return before.endsWith(",") && (next === "}" || next === "]") ? " (trailing comma)" : "";
}

export async function readJsonFile(path: string): Promise<JsonReadResult> {
  const info = await stat(path);
  if (info.size > MAX_IMPORT_BYTES) return { ok: false, reason: `file is ${info.size} bytes, over the ${MAX_IMPORT_BYTES}-byte import limit` };
  const decoded = decodeAnyText(await readFile(path));
  if (!decoded.ok) return { ok: false, reason: decoded.reason };
  const parsed = parseJsonText(decoded.text);
  if (!parsed.ok) return parsed;
  const encoding = `${decoded.encoding.toUpperCase()}${decoded.bom ? " with BOM" : ""}`;
  return { ok: true, value: parsed.value, encoding };
}

/** Nesting depth of a JSON value, without recursion (a hostile file may be deeper than the stack). */
function depthOf(root: JsonValue): number {
  let max = 0;
  const stack: Array<[JsonValue, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [JsonValue, number];
    if (node === null || typeof node !== "object") continue;
    max = Math.max(max, depth + 1);
    if (max > MAX_DEPTH) return max;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return max;
}
