import type { JsonObject, JsonValue } from "../model/document.js";

export const REDACTED = "<redacted>";

/** Keys whose values are secrets wherever they appear. */
const SECRET_KEYS = new Set(["secrettext", "password", "clientsecret", "secret", "privatekey", "key"]);
/** Metadata of a password credential that may be shown (Graph returns these; the secret is never read back). */
const PASSWORD_METADATA = new Set(["displayName", "keyId", "startDateTime", "endDateTime", "hint", "customKeyIdentifier"]);

const isObject = (v: JsonValue | undefined): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Defence in depth: specs never hold secrets (export writes metadata only), but if one did, no
 * renderer shows it. `key` is redacted only inside `keyCredentials`.
 */
export function redact(value: JsonValue, parentKey?: string): JsonValue {
  if (Array.isArray(value)) {
    if (parentKey === "passwordCredentials") return value.map((item) => (isObject(item) ? passwordMetadata(item) : REDACTED));
    return value.map((item) => redact(item, parentKey));
  }
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (isSecretKey(key, parentKey)) out[key] = REDACTED;
    else out[key] = redact(child, key);
  }
  return out;
}

function isSecretKey(key: string, parentKey: string | undefined): boolean {
  const lower = key.toLowerCase();
  if (lower === "key") return parentKey === "keyCredentials";
  return SECRET_KEYS.has(lower);
}

function passwordMetadata(item: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(item)) out[key] = PASSWORD_METADATA.has(key) ? child : REDACTED;
  return out;
}

/** Redacts a value shown at a field path (`passwordCredentials[keyId=…].secretText`, ...). */
export function redactAt(path: string, value: JsonValue): JsonValue {
  const names = path.split(/[.[\]]/).filter((s) => s.length > 0 && !s.includes("="));
  const last = names[names.length - 1];
  const parent = names[names.length - 2];
  if (names.some((n, i) => isSecretKey(n, names[i - 1]))) return REDACTED;
  if (last === "passwordCredentials") return redact(value, "passwordCredentials");
  if (names.includes("passwordCredentials")) return isObject(value) ? passwordMetadata(value) : value;
  return redact(value, last === undefined ? parent : last);
}
