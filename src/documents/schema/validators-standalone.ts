/**
 * Every built-in kind schema's validator as standalone code (CommonJS), written at build time to
 * `dist/kind-validators/` by scripts/build-kind-validators.mjs: `kindValidator` loads the one of a
 * kind it validates instead of compiling the schema. Each module carries the key of the schema
 * text and options it was compiled from (kindSchemaKey) and is used only when they are the
 * current ones.
 */
import { readFileSync } from "node:fs";
import standaloneCodeModule from "ajv/dist/standalone/index.js";
import type { Ajv, ValidateFunction } from "ajv";
import { KIND_NAMES } from "../../model/kind.js";
import { schemaFileName } from "../../kinds/beta-properties.js";
import { kindAjv, kindSchemaKey, kindValidatorFileName, SCHEMA_DIR_URL } from "./validators.js";

type StandaloneCode = (ajv: Ajv, validate: ValidateFunction) => string;
/** ajv's standalone module is CommonJS: under ESM its default import is `module.exports`, with the function as `default`. */
const standaloneCode = (standaloneCodeModule as unknown as { default: StandaloneCode }).default;

/** The committed schema files of the built-in kinds, v1.0 and beta (one per kind without beta properties). */
export function kindSchemaFiles(): string[] {
  return [...new Set(KIND_NAMES.flatMap((kind) => [schemaFileName(kind, "v1.0"), schemaFileName(kind, "beta")]))];
}

/** The standalone module of one schema file (`user.schema.json`), with its key. */
export function kindValidatorModule(schemaFile: string): string {
  const text = readFileSync(new URL(schemaFile, SCHEMA_DIR_URL), "utf8");
  // One ajv per schema, so that each module holds only its own schema's code.
  const ajv = kindAjv(true);
  const code = standaloneCode(ajv, ajv.compile(JSON.parse(text) as object));
  return `${code}\nmodule.exports.schemaKey = ${JSON.stringify(kindSchemaKey(text))};\n`;
}

/** Every built-in kind's module: file name in `dist/kind-validators/` → code. */
export function kindValidatorModules(): Map<string, string> {
  return new Map(kindSchemaFiles().map((file) => [kindValidatorFileName(file), kindValidatorModule(file)]));
}
