/**
 * A direct emitter for the common document: the same bytes `formatDocument`'s YAML library path
 * gives (docs/design.md §2), written without building a YAML tree, which is most of export's CPU
 * time at scale (README "export"). It only handles what it can prove is written the same way:
 * keys that are plain identifiers (or `@odata.type`), strings that YAML keeps plain or that are
 * quoted as JSON, booleans, null, safe integers, and block collections. Anything else (a float, a
 * multi-line string, a string with quotes or a backslash, an unusual key) makes it return
 * undefined, and the caller formats the document through the library. A test compares both on
 * every document of the demo tenant, a scale tenant and generated tricky values.
 */
import type { JsonObject, JsonValue } from "../model/document.js";
import { isGuid } from "../kinds/reference-syntax.js";

/** Printable ASCII except quotes and backslash, and letters, marks and digits of any script. */
const SIMPLE = /^[\x20\x21\x23-\x26\x28-\x5b\x5d-\x7e\p{L}\p{M}\p{N}]*$/u;
/** The YAML library's test for a string that cannot be plain (an indicator first, `: `, ` #`, a space or colon last). */
const NOT_PLAIN = /^[\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|:[ \t]|[\t ]#|[\t :]$/;
/** A document marker at the start: the library may write a block scalar. */
const DOCUMENT_MARKER = /^(?:%|---|\.\.\.)/;
/** YAML 1.2 core schema: strings that would read back as null, a boolean or a number are quoted. */
const CORE_SCALAR = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];
/** Strings a YAML 1.1 reader would take for booleans or sexagesimal numbers: always double-quoted. */
export const YAML11_AMBIGUOUS = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?)$/;
const IDENTIFIER_KEY = /^[A-Za-z_@][A-Za-z0-9_.]*$/;

/** A one-line string as the library writes it in block context (plain, or quoted as JSON), or undefined. */
export function stringText(value: string): string | undefined {
  if (!SIMPLE.test(value)) return undefined;
  if (NOT_PLAIN.test(value)) return JSON.stringify(value);
  if (DOCUMENT_MARKER.test(value)) return undefined;
  if (YAML11_AMBIGUOUS.test(value) || CORE_SCALAR.some((test) => test.test(value))) return JSON.stringify(value);
  return value;
}

function keyText(key: string): string | undefined {
  return IDENTIFIER_KEY.test(key) ? stringText(key) : undefined;
}

class Unsupported extends Error {}

function compareKeys(a: string, b: string): number {
  const ra = a === "@odata.type" ? 0 : 1;
  const rb = b === "@odata.type" ? 0 : 1;
  return ra - rb || (a < b ? -1 : a > b ? 1 : 0);
}

/** A scalar with its comment (a GUID with a display name), or undefined for a collection. */
function scalarText(value: JsonValue | undefined, annotations: ReadonlyMap<string, string>): string | undefined {
  if (value === undefined) throw new Unsupported(); // the library leaves the key out
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || Object.is(value, -0)) throw new Unsupported();
    return String(value);
  }
  if (typeof value === "string") {
    const text = stringText(value);
    if (text === undefined) throw new Unsupported();
    if (annotations.size > 0 && isGuid(value)) {
      const label = annotations.get(value.toLowerCase());
      if (label !== undefined) {
        const comment = label.replace(/[\r\n\u2028\u2029]+/g, " ").trim();
        if (comment === "") throw new Unsupported();
        return `${text} # ${comment}`;
      }
    }
    return text;
  }
  if (Array.isArray(value)) return value.length === 0 ? "[]" : undefined;
  return Object.keys(value).length === 0 ? "{}" : undefined;
}

function emitMap(object: JsonObject, indent: string, annotations: ReadonlyMap<string, string>, out: string[]): void {
  for (const key of Object.keys(object).sort(compareKeys)) {
    const k = keyText(key);
    if (k === undefined) throw new Unsupported();
    emitEntry(`${indent}${k}:`, object[key] as JsonValue, indent, annotations, out);
  }
}

function emitEntry(head: string, value: JsonValue, indent: string, annotations: ReadonlyMap<string, string>, out: string[]): void {
  const scalar = scalarText(value, annotations);
  if (scalar !== undefined) out.push(`${head} ${scalar}`);
  else {
    out.push(head);
    if (Array.isArray(value)) emitSeq(value, `${indent}  `, annotations, out);
    else emitMap(value as JsonObject, `${indent}  `, annotations, out);
  }
}

function emitSeq(items: readonly JsonValue[], indent: string, annotations: ReadonlyMap<string, string>, out: string[]): void {
  for (const item of items) {
    const scalar = scalarText(item, annotations);
    if (scalar !== undefined) {
      out.push(`${indent}- ${scalar}`);
      continue;
    }
    // A collection in a sequence starts on the dash's line; its other lines align under it.
    const inner = `${indent}  `;
    const start = out.length;
    if (Array.isArray(item)) emitSeq(item, inner, annotations, out);
    else emitMap(item as JsonObject, inner, annotations, out);
    out[start] = `${indent}- ${(out[start] as string).slice(inner.length)}`;
  }
}

/**
 * The document's YAML body (everything after the modeline), or undefined when it holds something
 * only the YAML library formats correctly. `envelope` is kind, name, environments, id and spec in
 * that order; `annotations` display names by lower-cased id.
 */
export function formatPlainBody(envelope: JsonObject, annotations: ReadonlyMap<string, string>): string | undefined {
  const out: string[] = [];
  try {
    for (const [key, value] of Object.entries(envelope)) {
      const k = keyText(key);
      if (k === undefined) return undefined;
      emitEntry(`${k}:`, value, "", annotations, out);
    }
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  out.push("");
  return out.join("\n");
}
