import type { JsonObject, JsonValue } from "../model/document.js";
import { redact } from "./redact.js";

/** A value on one line: strings quoted, arrays of scalars inline, objects as compact JSON. */
export function formatValue(value: JsonValue | undefined): string {
  if (value === undefined) return "(absent)";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v)).join(", ")}]`;
  const entries = displayKeys(value).map((k) => `${k}: ${formatValue(value[k])}`);
  return `{ ${entries.join(", ")} }`;
}

const FIRST = ["@odata.type", "displayName", "state"];

/** Display order of keys: a few identifying ones first, then alphabetical (the same from any JSON key order). */
export function displayKeys(value: JsonObject): string[] {
  const rank = (k: string): number => (FIRST.includes(k) ? FIRST.indexOf(k) : FIRST.length);
  return Object.keys(value).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A spec as `path: value` lines (objects flattened into dotted paths, arrays kept whole), for
 * creates and deletes. Empty values are left out; secrets are redacted first.
 */
export function flattenSpec(spec: JsonObject): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const walk = (value: JsonValue, path: string): void => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const key of displayKeys(value)) walk(value[key] as JsonValue, path ? `${path}.${key}` : key);
      return;
    }
    if (value === null || (Array.isArray(value) && value.length === 0)) return;
    out.push([path, formatValue(value)]);
  };
  walk(redact(spec), "");
  return out;
}
