/**
 * The configuration schema's validator as standalone code (CommonJS), written at build time next
 * to schema.js by scripts/build-config-validator.mjs: `configValidator` loads it instead of
 * compiling the schema on every run (a fifth of a small run's CPU). It carries the key of the
 * schema text and kind lists it was compiled from, and is used only when they are the current ones.
 */
import standaloneCodeModule from "ajv/dist/standalone/index.js";
import { configAjv, configSchemaSource } from "./schema.js";

type StandaloneCode = (ajv: ReturnType<typeof configAjv>, validate: (data: unknown) => boolean) => string;
/** ajv's standalone module is CommonJS: under ESM its default import is `module.exports`, with the function as `default`. */
const standaloneCode = (standaloneCodeModule as unknown as { default: StandaloneCode }).default;

export function configValidatorModule(): string {
  const { schema, key } = configSchemaSource();
  const ajv = configAjv(true);
  const code = standaloneCode(ajv, ajv.compile(schema));
  return `${code}\nmodule.exports.schemaKey = ${JSON.stringify(key)};\n`;
}
