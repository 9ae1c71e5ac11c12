/**
 * The text format shared by the per-environment state files (`ids.yaml`, `credentials.yaml`): a
 * comment header, then one top-level key per document address `KIND/NAME`, sorted, so the same
 * state always gives the same bytes and a change is a one-line diff. Parsing is the documents'
 * safe YAML reader (size, alias, duplicate-key and `__proto__` limits) and every problem is a
 * diagnostic naming the file and line.
 */
import { Document } from "yaml";
import type { Diagnostic, JsonValue } from "../model/document.js";
import { FORBIDDEN_KEYS, parseYamlText } from "../documents/yaml-source.js";
import { parseAddress } from "../model/kind.js";
import { lineKeyIs, lineLowerBound } from "./sorted-id-map.js";

export interface AddressMapText<T extends JsonValue> {
  entries: Map<string, T>;
  diagnostics: Diagnostic[];
  /**
   * The text is exactly what `formatAddressMap` writes for these entries under its leading comment
   * lines (plain `KEY: VALUE` lines, sorted, nothing else), so `patchAddressMapText` may edit it.
   */
  canonical?: boolean;
}

/** Reads `KIND/NAME: value` entries; `check` returns a problem with a value, or undefined. */
export function parseAddressMap<T extends JsonValue>(text: string, file: string, check: (value: JsonValue) => string | undefined): AddressMapText<T> {
  const entries = new Map<string, T>();
  if (text.trim() === "" || /^(\s*#.*\n?)*\s*$/.test(text)) return { entries, diagnostics: [] };
  const plain = parsePlainLines<T>(text, file, check);
  if (plain) return plain;
  const parsed = parseYamlText(text, file);
  const diagnostics = [...parsed.diagnostics];
  if (parsed.value === undefined) return { entries, diagnostics };
  for (const [key, value] of Object.entries(parsed.value as Record<string, JsonValue>)) {
    const at = (which: "key" | "value"): { line?: number; column?: number } => parsed.positionOf([key], which) ?? {};
    if (!parseAddress(key)) {
      diagnostics.push({ severity: "error", file, ...at("key"), path: key, message: `"${key}" is not a document address KIND/NAME` });
      continue;
    }
    const problem = check(value);
    if (problem) {
      diagnostics.push({ severity: "error", file, ...at("value"), path: key, message: problem });
      continue;
    }
    entries.set(key, value as T);
  }
  return { entries, diagnostics };
}

const PLAIN = /^[A-Za-z0-9][A-Za-z0-9._/@+-]*$/;

/**
 * The file as `formatAddressMap` writes string maps (comments, then `KEY: VALUE` lines of plain
 * scalars that no YAML reader takes for anything but a string), read line by line: what the YAML
 * reader would give, without building a syntax tree of a hundred thousand nodes. Undefined when any
 * line is outside that form (the YAML reader then reads the file, with its own checks).
 */
function parsePlainLines<T extends JsonValue>(text: string, file: string, check: (value: JsonValue) => string | undefined): AddressMapText<T> | undefined {
  const entries = new Map<string, T>();
  const diagnostics: Diagnostic[] = [];
  // Canonical: comments only before the first entry, entries in sorted order, one final newline.
  let canonical = text.endsWith("\n");
  let previous: string | undefined;
  // Entries so far strictly ascending: a key after the previous one cannot repeat an earlier one.
  let ascending = true;
  // The kind of the previous entry (`user/`): the next entries of that kind need no address parsing.
  let kindPrefix = "";
  let lineNo = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    lineNo += 1;
    const lineStart = start;
    start = end + 1;
    if (end === lineStart || text.charCodeAt(lineStart) === 0x23 /* # */) {
      if (previous !== undefined && !(end === lineStart && end === text.length)) canonical = false;
      continue;
    }
    // `KEY: VALUE`, each a plain scalar (PLAIN_LINE), split at the first ": ".
    const colon = text.indexOf(": ", lineStart);
    if (colon < 0 || colon >= end) return undefined;
    const key = text.slice(lineStart, colon);
    const value = text.slice(colon + 2, end);
    if (!PLAIN.test(key) || !PLAIN.test(value)) return undefined;
    // A key with a `/` is neither ambiguous nor forbidden; one without is no address (reported below).
    const slashed = key.includes("/");
    if ((!slashed && (AMBIGUOUS.test(key) || FORBIDDEN_KEYS.has(key))) || AMBIGUOUS.test(value)) return undefined;
    if (previous !== undefined && !(previous < key)) {
      canonical = false;
      ascending = false;
    }
    if (!ascending && entries.has(key)) return undefined;
    previous = key;
    if (!(kindPrefix !== "" && key.startsWith(kindPrefix) && key.length > kindPrefix.length)) {
      kindPrefix = "";
      const parsed = parseAddress(key);
      if (!parsed) {
        diagnostics.push({ severity: "error", file, line: lineNo, column: 1, path: key, message: `"${key}" is not a document address KIND/NAME` });
        continue;
      }
      kindPrefix = `${parsed.kind}/`;
    }
    const problem = check(value);
    if (problem) {
      diagnostics.push({ severity: "error", file, line: lineNo, column: key.length + 3, path: key, message: problem });
      continue;
    }
    entries.set(key, value as T);
  }
  return { entries, diagnostics, canonical: canonical && previous !== undefined && diagnostics.length === 0 };
}
const AMBIGUOUS = /^(?:[-+]?[\d._]+(?:e[-+]?\d+)?|0x[\da-f]+|0o[0-7]+|true|false|null|yes|no|on|off|y|n|~|\.inf|\.nan)$/i;

/** A string as a YAML scalar: plain when no reader could take it for anything else, else JSON-quoted. */
function scalar(text: string): string {
  return PLAIN.test(text) && !AMBIGUOUS.test(text) ? text : JSON.stringify(text);
}

function commentOf(header: readonly string[]): string {
  return header.map((line) => `# ${line}`.trimEnd()).join("\n");
}

/** The file's text: `header` lines as comments, then the entries sorted by address. */
export function formatAddressMap(entries: ReadonlyMap<string, JsonValue>, header: readonly string[]): string {
  const keys = [...entries.keys()].sort();
  const comment = commentOf(header);
  if (entries.size === 0) return `${comment}\n{}\n`;
  // One line per entry for string values (the id map: tens of thousands of lines at scale).
  if (keys.every((key) => typeof entries.get(key) === "string")) {
    return `${comment}\n${keys.map((key) => `${scalar(key)}: ${scalar(entries.get(key) as string)}`).join("\n")}\n`;
  }
  const sorted: Record<string, JsonValue> = {};
  for (const key of keys) sorted[key] = entries.get(key) as JsonValue;
  const body = new Document(sorted, { version: "1.2" }).toString({ lineWidth: 0, minContentWidth: 0, indent: 2, indentSeq: true });
  return `${comment}\n${body.endsWith("\n") ? body : `${body}\n`}`;
}

/**
 * `formatAddressMap` of a string map that differs from the one `text` holds only at the keys of
 * `edits` (a new value, or `null`: removed), computed by changing only those lines: nothing is
 * sorted or formatted again (an id map of 100,000 lines, at every sync). `text` must be canonical
 * (`AddressMapText.canonical`); undefined when its comment is not `header` (format it whole then).
 */
export function patchAddressMapText(text: string, header: readonly string[], edits: ReadonlyMap<string, string | null>): string | undefined {
  const comment = commentOf(header);
  if (!text.startsWith(`${comment}\n`) || !text.endsWith("\n")) return undefined;
  const bodyStart = comment.length + 1;
  // The body (less its final newline): entry lines only, or `{}` for none.
  if (text.length - 1 <= bodyStart || text.startsWith("#", bodyStart) || text.startsWith("\n", bodyStart)) return undefined;
  const empty = text.length - 1 - bodyStart === 2 && text.startsWith("{}", bodyStart);
  // Lines of the committed text are plain `KEY: VALUE` (canonical), sorted: each edited key is
  // found by a binary search over the text and only its line changes; the rest is copied as is.
  const out: string[] = [text.slice(0, bodyStart)];
  let next = empty ? text.length : bodyStart;
  for (const key of [...edits.keys()].sort()) {
    const at = empty ? next : lineLowerBound(text, next, key);
    out.push(text.slice(next, at));
    next = !empty && lineKeyIs(text, at, key) ? text.indexOf("\n", at) + 1 : at;
    const value = edits.get(key);
    if (typeof value === "string") out.push(`${scalar(key)}: ${scalar(value)}\n`);
  }
  if (!empty) out.push(text.slice(next));
  const patched = out.join("");
  return patched.length === bodyStart ? `${comment}\n{}\n` : patched;
}
