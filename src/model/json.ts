/**
 * JSON values, compared and written canonically: one definition for the whole engine (specs,
 * fingerprints, set members, history diffs all use these).
 */
import type { JsonObject, JsonValue } from "./document.js";

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Code-unit order: the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Canonical JSON text: object keys sorted (code-unit order) at every level, no spaces; the same value always gives the same text. */
export function canonicalJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort(compareText);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] ?? null)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Deep equality of JSON values (object key order does not matter, array order does). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
}

/** Deep copy of a JSON value (specs are plain JSON). */
export function cloneJson<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}

/**
 * `top` laid over `base`: objects merged key by key at every level, anything else (arrays,
 * scalars, null) taken from `top` where it has the key. Neither input is modified.
 */
export function overlayJson(base: JsonValue, top: JsonValue): JsonValue {
  if (!isJsonObject(base) || !isJsonObject(top)) return cloneJson(top);
  const out: JsonObject = cloneJson(base);
  for (const [key, value] of Object.entries(top)) out[key] = key in out ? overlayJson(out[key] ?? null, value) : cloneJson(value);
  return out;
}

/**
 * What `value` holds beyond `base`: the keys of objects whose value differs (compared at every
 * object level; arrays and scalars whole), the rest left out; undefined when nothing differs.
 * `overlayJson(base, withoutBase(value, base))` gives `value` back when `value` has every key of `base`.
 */
export function withoutBase(value: JsonValue, base: JsonValue | undefined): JsonValue | undefined {
  if (base === undefined) return value;
  if (!isJsonObject(value) || !isJsonObject(base)) return jsonEqual(value, base) ? undefined : value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const rest = withoutBase(item, base[key]);
    if (rest !== undefined) out[key] = rest;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
