import { createHash } from "node:crypto";
import type { JsonObject } from "../../model/document.js";
import { canonicalJson } from "../../model/json.js";

/** sha256 (hex) of the canonical JSON of a normalized spec: the fingerprint apply compares. */
export function fingerprint(spec: JsonObject): string {
  return createHash("sha256").update(canonicalJson(spec)).digest("hex");
}
