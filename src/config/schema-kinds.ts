/**
 * The kind lists of the configuration schema (`schemas/entra-gitops.schema.json`): `kinds`,
 * `protected`'s `KIND/NAME` pattern, and the per-kind keys of `ignoreDifferences` and `drift`.
 * They are generated from the kind registry, never kept by hand: `npm run schemas` writes them into
 * the committed file (test/config checks it is current), and the configuration validator lays the
 * registry's lists over the committed schema, so a kind registered at run time is accepted too.
 */
import type { JsonObject, JsonValue } from "../model/document.js";

const DRIFT_POLICIES = ["commit", "pr", "revert"];

function object(value: JsonValue | undefined, where: string): JsonObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`configuration schema: ${where} is not an object`);
  return value;
}

/** `schema` (not modified) with its kind lists set to `kinds`, in that order. */
export function withKindLists(schema: JsonObject, kinds: readonly string[]): JsonObject {
  const copy = structuredClone(schema);
  const properties = object(copy.properties, "properties");
  object(object(properties.kinds, "kinds").items, "kinds.items").enum = [...kinds];
  object(object(properties.protected, "protected").items, "protected.items").pattern = `^(\\*|${kinds.join("|")})/.+$`;
  const ignore = object(properties.ignoreDifferences, "ignoreDifferences");
  const pointerList = object(ignore.properties, "ignoreDifferences.properties")["*"] ?? { $ref: "#/definitions/pointerList" };
  ignore.properties = Object.fromEntries([["*", pointerList], ...kinds.map((k) => [k, structuredClone(pointerList)])]);
  const drift = object(properties.drift, "drift");
  drift.properties = Object.fromEntries(["default", ...kinds].map((k) => [k, { enum: [...DRIFT_POLICIES] }]));
  return copy;
}

/** The schema file's text: two-space JSON and a final newline. */
export function renderConfigSchema(schema: JsonObject): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
