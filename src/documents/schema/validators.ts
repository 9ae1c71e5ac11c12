/**
 * ajv validators of the committed `schemas/<kind>.schema.json`, one per kind (and Graph version),
 * made once per run. `npm run build` writes each schema's validator as standalone code
 * (`dist/kind-validators/<kind>.cjs`, scripts/build-kind-validators.mjs, ARCHITECTURE.md "Build"):
 * a run loads the one of each kind it validates instead of compiling the schema (README
 * "Incremental sync"), and compiles only a schema the build did not see (another text, other ajv
 * options, or no build: the sources under test when `dist/` is absent).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type * as AjvModule from "ajv";
import type { Ajv, ValidateFunction } from "ajv";
import type { GraphVersion } from "../../graph/types.js";
import type { Kind } from "../../model/kind.js";
import { schemaFileName } from "../../kinds/beta-properties.js";
import { PACKAGE_KIND_VALIDATORS, PACKAGE_SCHEMAS } from "../../config/package-files.js";

/** `schemas/` of the package (located by src/config/package-files.ts, so the bundled CLI finds it too). */
export const SCHEMA_DIR_URL = PACKAGE_SCHEMAS;

type AddFormats = (ajv: Ajv, formats: string[]) => Ajv;
/** ajv and ajv-formats (CommonJS) are loaded only to compile; the precompiled validators need neither. */
const require = createRequire(import.meta.url);

/** How every kind schema is compiled, at run time and at build time alike (part of the key). */
const AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true, discriminator: true, verbose: true } as const;
const FORMATS = ["date-time", "date"];
/** Annotations the generator adds for error messages and editors; they assert nothing. */
const ANNOTATIONS = ["x-flags", "x-reference", "x-beta", "x-permission"];
const ANNOTATION_TYPES: Array<"array" | "object" | "boolean" | "string"> = ["array", "object", "boolean", "string"];

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();
const ownCompiled = new WeakMap<object, ValidateFunction>();

/** A new ajv for kind schemas; `source`: keeping the generated code (for standalone code). */
export function kindAjv(source = false): Ajv {
  const { Ajv: AjvClass } = require("ajv") as typeof AjvModule;
  // ajv-formats' `module.exports` is the plugin itself.
  const addFormats = require("ajv-formats") as AddFormats;
  const instance = new AjvClass({ ...AJV_OPTIONS, ...(source ? { code: { source: true } } : {}) });
  addFormats(instance, FORMATS);
  for (const keyword of ANNOTATIONS) instance.addKeyword({ keyword, schemaType: ANNOTATION_TYPES });
  return instance;
}

function instance(): Ajv {
  ajv ??= kindAjv();
  return ajv;
}

/** The key of a schema text: names the text and how it is compiled (a precompiled validator carries it). */
export function kindSchemaKey(text: string): string {
  return createHash("sha256").update(JSON.stringify({ AJV_OPTIONS, FORMATS, ANNOTATIONS, ANNOTATION_TYPES })).update("\0").update(text).digest("hex");
}

/** The precompiled validator's file name for a schema file: `user.schema.json` → `user.cjs`. */
export function kindValidatorFileName(schemaFile: string): string {
  return schemaFile.replace(/\.schema\.json$/, ".cjs");
}

/**
 * The validator `npm run build` wrote for a schema file into `dir`, if it was compiled from this
 * very text (`key`, kindSchemaKey) with these options; undefined when absent, unreadable or stale.
 */
export function precompiledKindValidator(dir: URL, schemaFile: string, key: string): ValidateFunction | undefined {
  let loaded: unknown;
  try {
    loaded = require(fileURLToPath(new URL(kindValidatorFileName(schemaFile), dir)));
  } catch {
    return undefined; // not built (the sources under test, before `npm run build`): compiled instead
  }
  const validator = loaded as ValidateFunction & { schemaKey?: string };
  return typeof validator === "function" && validator.schemaKey === key ? validator : undefined;
}

/**
 * The validator of a kind's document schema; for a kind managed through beta, its committed beta
 * schema (`<kind>.beta.schema.json`, the v1.0 schema plus the kind's beta properties): the build's
 * precompiled one when current, else compiled here. `own` is the schema a kind registered at run
 * time carries (`KindDescriptor.documentSchema`), always compiled.
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
  const file = schemaFileName(kind, version);
  let fn = compiled.get(file);
  if (!fn) {
    fn = loadKindValidator(file);
    compiled.set(file, fn);
  }
  return fn;
}

/** A schema file's validator: the one built into `dir` when it is current, else compiled (not cached). */
export function loadKindValidator(schemaFile: string, dir: URL = PACKAGE_KIND_VALIDATORS): ValidateFunction {
  const text = readFileSync(new URL(schemaFile, SCHEMA_DIR_URL), "utf8");
  return precompiledKindValidator(dir, schemaFile, kindSchemaKey(text)) ?? instance().compile(JSON.parse(text) as object);
}
