/**
 * ajv validators of the committed `schemas/<kind>.schema.json`, compiled once per kind.
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import type { ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { GraphVersion } from "../../graph/types.js";
import type { Kind } from "../../model/kind.js";
import { schemaFileName } from "../../kinds/beta-properties.js";
import { PACKAGE_SCHEMAS } from "../../config/package-files.js";

/** `schemas/` of the package (located by src/config/package-files.ts, so the bundled CLI finds it too). */
export const SCHEMA_DIR_URL = PACKAGE_SCHEMAS;

type AddFormats = (ajv: Ajv, formats: string[]) => Ajv;
/** ajv-formats is CommonJS: under ESM its default import is the plugin itself. */
const addFormats = addFormatsModule as unknown as AddFormats;

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();
const ownCompiled = new WeakMap<object, ValidateFunction>();

function instance(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, discriminator: true, verbose: true });
    addFormats(ajv, ["date-time", "date"]);
    // Annotations the generator adds for error messages and editors; they assert nothing.
    for (const keyword of ["x-flags", "x-reference", "x-beta", "x-permission"]) ajv.addKeyword({ keyword, schemaType: ["array", "object", "boolean", "string"] });
  }
  return ajv;
}

export function loadKindSchema(kind: Kind, dir: URL = SCHEMA_DIR_URL, version: GraphVersion = "v1.0"): object {
  return JSON.parse(readFileSync(new URL(schemaFileName(kind, version), dir), "utf8")) as object;
}

/**
 * The compiled validator of a kind's document schema; for a kind managed through beta, its
 * committed beta schema (`<kind>.beta.schema.json`, the v1.0 schema plus the kind's beta properties).
 * `own` is the schema a kind registered at run time carries (`KindDescriptor.documentSchema`).
 */
export function kindValidator(kind: Kind, version: GraphVersion = "v1.0", own?: object): ValidateFunction {
  if (own !== undefined) {
    let fn = ownCompiled.get(own);
    if (!fn) {
      fn = instance().compile(own);
      ownCompiled.set(own, fn);
    }
    return fn;
  }
  const key = `${kind}@${version}`;
  let fn = compiled.get(key);
  if (!fn) {
    fn = instance().compile(loadKindSchema(kind, SCHEMA_DIR_URL, version));
    compiled.set(key, fn);
  }
  return fn;
}
