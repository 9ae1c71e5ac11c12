import { createHash } from "node:crypto";
import type { JsonObject, JsonValue } from "../../model/document.js";
import { stableStringify as canonicalJson } from "../../kinds/paths.js";

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export { canonicalJson };

/** sha256 (hex) of the canonical JSON of a normalized spec: the fingerprint apply compares. */
export function fingerprint(spec: JsonObject): string {
  return createHash("sha256").update(canonicalJson(spec)).digest("hex");
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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
