/**
 * ajv validators of the committed `schemas/<kind>.schema.json`, compiled once per kind.
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import type { ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { GraphVersion } from "../../graph/types.js";
import type { Kind } from "../../kinds/kind-names.js";
import type { JsonObject } from "../types.js";
import { betaPropertiesFor } from "./beta-properties.js";

/** `schemas/` of the package (the same relative path from src/ and from dist/). */
export const SCHEMA_DIR_URL = new URL("../../../schemas/", import.meta.url);

type AddFormats = (ajv: Ajv, formats: string[]) => Ajv;
/** ajv-formats is CommonJS: under ESM its default import is the plugin itself. */
const addFormats = addFormatsModule as unknown as AddFormats;

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, discriminator: true, verbose: true });
    addFormats(ajv, ["date-time", "date"]);
    // Annotations the generator adds for error messages and editors; they assert nothing.
    for (const keyword of ["x-flags", "x-reference", "x-beta", "x-permission"]) ajv.addKeyword({ keyword, schemaType: ["array", "object", "boolean", "string"] });
  }
  return ajv;
}

export function loadKindSchema(kind: Kind, dir: URL = SCHEMA_DIR_URL): object {
  return JSON.parse(readFileSync(new URL(`${kind}.schema.json`, dir), "utf8")) as object;
}

/**
 * The compiled validator of a kind's document schema; for a kind managed through beta, the schema
 * with that kind's beta-only properties added (the committed schemas are v1.0's, from its CSDL).
 */
export function kindValidator(kind: Kind, version: GraphVersion = "v1.0"): ValidateFunction {
  const key = `${kind}@${version}`;
  let fn = compiled.get(key);
  if (!fn) {
    const schema = loadKindSchema(kind) as JsonObject;
    fn = instance().compile(version === "beta" ? withBetaProperties(schema, kind) : schema);
    compiled.set(key, fn);
  }
  return fn;
}

/** The document schema with `kind`'s beta-only properties allowed in its spec (marked `x-beta`). */
export function withBetaProperties(schema: JsonObject, kind: Kind): JsonObject {
  const copy = JSON.parse(JSON.stringify(schema)) as JsonObject;
  const spec = (copy.properties as Record<string, JsonObject>).spec as JsonObject;
  for (const beta of betaPropertiesFor(kind)) {
    const parts = beta.path.split(".");
    let node: JsonObject | undefined = spec;
    for (const part of parts.slice(0, -1)) node = (node?.properties as Record<string, JsonObject> | undefined)?.[part];
    const properties = node?.properties as Record<string, JsonObject> | undefined;
    if (!properties) continue;
    properties[parts[parts.length - 1] as string] = { ...beta.schema, description: `Beta: ${beta.description}`, "x-beta": true };
  }
  return copy;
}
