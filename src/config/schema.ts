import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { JsonObject } from "../model/document.js";
import { kindNames } from "../model/kind.js";
import { withKindLists } from "./schema-kinds.js";
import type { ConfigFile } from "./types.js";

/** Location of `schemas/entra-gitops.schema.json` in the package (same from src/ and dist/). */
export const CONFIG_SCHEMA_URL = new URL("../../schemas/entra-gitops.schema.json", import.meta.url);

type AddFormats = (ajv: Ajv, formats: string[]) => Ajv;
/** ajv-formats is CommonJS: under ESM its default import is `module.exports`, the plugin itself. */
const addFormats = addFormatsModule as unknown as AddFormats;

let compiled: { kinds: string; validate: ValidateFunction<ConfigFile> } | undefined;

/**
 * The compiled ajv validator of the configuration schema, with the kind lists of the registry
 * (compiled again only when a kind is registered at run time).
 */
export function configValidator(): ValidateFunction<ConfigFile> {
  const kinds = kindNames();
  if (compiled?.kinds !== kinds.join(",")) {
    const schema = withKindLists(JSON.parse(readFileSync(CONFIG_SCHEMA_URL, "utf8")) as JsonObject, kinds);
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv, ["uri", "email"]);
    compiled = { kinds: kinds.join(","), validate: ajv.compile<ConfigFile>(schema) };
  }
  return compiled.validate;
}

/** One sentence for an ajv error, naming the offending key or the allowed values. */
export function describeSchemaError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return `unknown property "${String(params.additionalProperty)}"`;
    case "enum":
      return `must be one of: ${(params.allowedValues as unknown[]).map(String).join(", ")}`;
    case "required":
      return `missing required property "${String(params.missingProperty)}"`;
    case "propertyNames":
      return `invalid name "${String(params.propertyName)}"`;
    case "pattern":
      return patternHint(error.instancePath) ?? error.message ?? "has the wrong form";
    default:
      return error.message ?? error.keyword;
  }
}

/** What a pattern error means, by where it happened (ajv only shows the regular expression). */
function patternHint(instancePath: string): string | undefined {
  if (/\/tenantId$/.test(instancePath)) return "must be a tenant id (GUID) or a domain name";
  if (/\/clientId$/.test(instancePath)) return "must be an application (client) id (GUID)";
  if (/\/(graphUrl|authorityHost)$/.test(instancePath)) return "must be an https:// origin without a path";
  if (/\/accounts\/\d+$/.test(instancePath)) return "must be user:<userPrincipalName>";
  if (/\/groups\/\d+$/.test(instancePath)) return "must be group:<name>";
  if (/^\/protected\/\d+$/.test(instancePath)) return "must be KIND/NAME (KIND a kind name or *, NAME may use * and ? globs)";
  if (/^\/ignoreDifferences\//.test(instancePath)) return "must be a spec path, e.g. /conditions/clientAppTypes or conditions.clientAppTypes";
  return undefined;
}
