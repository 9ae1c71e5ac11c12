import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as AjvModule from "ajv";
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import type { JsonObject } from "../model/document.js";
import { kindNames } from "../model/kind.js";
import { withKindLists } from "./schema-kinds.js";
import type { ConfigFile } from "./types.js";

/** Location of `schemas/entra-gitops.schema.json` in the package (same from src/ and dist/). */
export const CONFIG_SCHEMA_URL = new URL("../../schemas/entra-gitops.schema.json", import.meta.url);

type AddFormats = (ajv: Ajv, formats: string[]) => Ajv;
/** ajv and ajv-formats (CommonJS) are loaded only to compile: a built CLI's runs use the precompiled validator. */
const require = createRequire(import.meta.url);

let compiled: { kinds: string; validate: ValidateFunction<ConfigFile> } | undefined;

/**
 * The file `npm run build` writes next to this module (scripts/build-config-validator.mjs): the
 * validator compiled ahead of time as standalone code, so a run does not compile the schema again.
 * Written as `../config/` so that the bundled CLI (`dist/bundle/`, a sibling folder) finds it too.
 */
export const PRECOMPILED_VALIDATOR = "../config/config-validator.cjs";

/** A new ajv for the configuration schema; `source`: keeping the generated code (for standalone code). */
export function configAjv(source = false): Ajv {
  const { Ajv: AjvClass } = require("ajv") as typeof AjvModule;
  // ajv-formats' `module.exports` is the plugin itself.
  const addFormats = require("ajv-formats") as AddFormats;
  const ajv = new AjvClass({ allErrors: true, strict: true, allowUnionTypes: true, ...(source ? { code: { source: true } } : {}) });
  addFormats(ajv, ["uri", "email"]);
  return ajv;
}

/** The schema text and kind lists a validator is compiled from, and the key naming that pair. */
export function configSchemaSource(): { schema: JsonObject; key: string } {
  const { schema, key } = lazySchemaSource();
  return { schema: schema(), key };
}

/** The key, and the schema built only when asked for (a run with the precompiled validator needs the key only). */
function lazySchemaSource(): { schema: () => JsonObject; key: string } {
  const kinds = kindNames();
  const text = readFileSync(CONFIG_SCHEMA_URL, "utf8");
  const key = createHash("sha256").update(kinds.join(",")).update("\0").update(text).digest("hex");
  return { schema: () => withKindLists(JSON.parse(text) as JsonObject, kinds), key };
}

/**
 * The compiled ajv validator of the configuration schema, with the kind lists of the registry
 * (compiled again only when a kind is registered at run time). The build's precompiled validator
 * is used when it was compiled from this very schema file and these kinds; otherwise the schema is
 * compiled here.
 */
export function configValidator(): ValidateFunction<ConfigFile> {
  const kinds = kindNames();
  if (compiled?.kinds !== kinds.join(",")) {
    const { schema, key } = lazySchemaSource();
    compiled = { kinds: kinds.join(","), validate: precompiledValidator(key) ?? configAjv().compile<ConfigFile>(schema()) };
  }
  return compiled.validate;
}

function precompiledValidator(key: string): ValidateFunction<ConfigFile> | undefined {
  let loaded: unknown;
  try {
    loaded = require(PRECOMPILED_VALIDATOR);
  } catch {
    return undefined; // not built (tests run the sources): compiled instead
  }
  const validator = loaded as ValidateFunction<ConfigFile> & { schemaKey?: string };
  return typeof validator === "function" && validator.schemaKey === key ? validator : undefined;
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
