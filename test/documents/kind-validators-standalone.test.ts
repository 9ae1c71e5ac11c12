import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_KIND_VALIDATORS } from "../../src/config/package-files.js";
import { readConfigTree } from "../../src/documents/read-tree.js";
import { kindAjv, kindSchemaKey, kindValidator, kindValidatorFileName, loadKindValidator, precompiledKindValidator, SCHEMA_DIR_URL } from "../../src/documents/schema/validators.js";
import { kindSchemaFiles, kindValidatorModule } from "../../src/documents/schema/validators-standalone.js";
import type { JsonObject, JsonValue } from "../../src/model/document.js";

type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null; schemaKey?: string };

const require = createRequire(import.meta.url);

/** A module the build writes (dist/kind-validators/<kind>.cjs), evaluated as CommonJS. */
function loadModule(code: string): Validator {
  const module = { exports: {} as unknown };
  // Evaluating the generated CommonJS module, with a require that resolves as the built file's does.
  new Function("module", "exports", "require", code)(module, module.exports, require);
  return module.exports as Validator;
}

/** What the build writes for a schema file (kindValidatorModule), generated once per file here. */
const modules = new Map<string, string>();
function moduleOf(schemaFile: string): string {
  let code = modules.get(schemaFile);
  if (code === undefined) {
    code = kindValidatorModule(schemaFile);
    modules.set(schemaFile, code);
  }
  return code;
}

function schemaText(file: string): string {
  return readFileSync(new URL(file, SCHEMA_DIR_URL), "utf8");
}

/**
 * An instance shaped like a schema, every leaf `leaf`: objects get every property (a `const`, such
 * as `@odata.type`, its value when `keepConst`, so that a discriminator picks the variant), arrays
 * one item, a `oneOf` its `variant`-th alternative. It reaches every property's checks.
 */
function fill(schema: JsonValue | undefined, leaf: JsonValue, keepConst: boolean, variant: number): JsonValue {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return leaf;
  if (keepConst && "const" in schema) return schema.const ?? null;
  const oneOf = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(oneOf) && oneOf.length > 0) return fill(oneOf[variant % oneOf.length], leaf, keepConst, variant);
  if (schema.properties && typeof schema.properties === "object" && !Array.isArray(schema.properties)) {
    const out: JsonObject = {};
    for (const [key, sub] of Object.entries(schema.properties)) out[key] = fill(sub, leaf, keepConst, variant);
    return out;
  }
  if (schema.items !== undefined) return [fill(schema.items, leaf, keepConst, variant)];
  return leaf;
}

/** Documents for one schema: the repository's own tenant-config ones of the kind, and filled ones (mostly invalid). */
function samples(file: string, committed: ReadonlyMap<string, unknown[]>): unknown[] {
  const schema = JSON.parse(schemaText(file)) as JsonObject;
  const kind = file.replace(/(\.beta)?\.schema\.json$/, "");
  const spec = (schema.properties as JsonObject).spec;
  const out: unknown[] = [...(committed.get(kind) ?? [])];
  out.push({ kind, name: "empty", spec: {} }, { kind: "nokind", name: "Not A Name", id: "", spec: 1, extra: true }, {});
  const leaves: JsonValue[] = [null, 1, 1.5, -1, "x", "", "2024-01-02T03:04:05Z", "2024-01-02", true, {}, [], { unknown: 1 }];
  leaves.forEach((leaf, i) => {
    for (const keepConst of [true, false]) out.push({ kind, name: `n${i}`, environments: [leaf], spec: fill(spec, leaf, keepConst, i) });
  });
  return out;
}

describe("kind validators compiled at build time (standalone code)", () => {
  const committed = new Map<string, unknown[]>();
  beforeAll(async () => {
    const tree = await readConfigTree(fileURLToPath(new URL("../../tenant-config/", import.meta.url)));
    expect(tree.documents.length).toBeGreaterThan(50);
    for (const doc of tree.documents) {
      const data = { kind: doc.kind, name: doc.name, ...(doc.id !== undefined ? { id: doc.id } : {}), spec: doc.spec };
      committed.set(doc.kind, [...(committed.get(doc.kind) ?? []), data]);
    }
  });

  it("cover every built-in kind's schema files, v1.0 and beta", () => {
    const files = kindSchemaFiles();
    expect(files).toContain("user.schema.json");
    expect(files).toContain("conditionalAccessPolicy.beta.schema.json");
    expect(files.every((file) => existsSync(new URL(file, SCHEMA_DIR_URL)))).toBe(true);
  });

  it.each(kindSchemaFiles())("%s: the module names its schema and gives exactly the compiled schema's verdicts and errors", (file) => {
    const text = schemaText(file);
    const standalone = loadModule(moduleOf(file));
    const compiled = kindAjv().compile(JSON.parse(text) as object);
    expect(standalone.schemaKey).toBe(kindSchemaKey(text));
    let invalid = 0;
    for (const [i, doc] of samples(file, committed).entries()) {
      const verdict = compiled(doc);
      if (!verdict) invalid++;
      expect(standalone(doc), `${file} sample ${i}`).toBe(verdict);
      expect(standalone.errors ?? null, `${file} sample ${i}`).toEqual(compiled.errors ?? null);
    }
    expect(invalid).toBeGreaterThan(20);
  });

  it("the repository's tenant-config documents are valid under their modules (the samples are not all errors)", () => {
    let valid = 0;
    for (const [kind, docs] of committed) {
      const standalone = loadModule(moduleOf(`${kind}.schema.json`));
      for (const doc of docs) if (standalone(doc)) valid++;
    }
    expect(valid).toBeGreaterThan(50);
  });

  it("a module is used only when it was compiled from the current schema text; a stale, broken or missing one is compiled again", () => {
    const dir = pathToFileURL(`${mkdtempSync(join(tmpdir(), "eg-kind-validators-"))}/`);
    const text = schemaText("user.schema.json");
    const key = kindSchemaKey(text);
    const current = moduleOf("user.schema.json");
    writeFileSync(new URL("user.cjs", dir), current);
    const loaded = require(fileURLToPath(new URL("user.cjs", dir))) as Validator;
    expect(precompiledKindValidator(dir, "user.schema.json", key)).toBe(loaded);
    expect(loadKindValidator("user.schema.json", dir)).toBe(loaded);
    // The schema edited after the build (one more space): another key, so the module is not used.
    expect(kindSchemaKey(`${text} `)).not.toBe(key);
    expect(precompiledKindValidator(dir, "user.schema.json", kindSchemaKey(`${text} `))).toBeUndefined();

    // A module built from another schema text (its key is not this text's).
    writeFileSync(new URL("group.cjs", dir), current.replace(/schemaKey = "[0-9a-f]+"/, `schemaKey = "${"0".repeat(64)}"`));
    const stale = require(fileURLToPath(new URL("group.cjs", dir))) as Validator;
    const fallback = loadKindValidator("group.schema.json", dir);
    expect(fallback).not.toBe(stale);
    // A broken file, and none at all.
    writeFileSync(new URL("application.cjs", dir), "module.exports = ;");
    expect(precompiledKindValidator(dir, "application.schema.json", kindSchemaKey(schemaText("application.schema.json")))).toBeUndefined();
    expect(precompiledKindValidator(dir, "domain.schema.json", kindSchemaKey(schemaText("domain.schema.json")))).toBeUndefined();

    // What is compiled instead is the schema's validator: the user module's verdict on a group differs.
    const group = { kind: "group", name: "g", spec: { displayName: "G", mailEnabled: false, mailNickname: "g", securityEnabled: true } };
    expect(fallback(group)).toBe(true);
    expect(stale(group)).toBe(false);
    const application = loadKindValidator("application.schema.json", dir);
    expect(application({ kind: "application", name: "a", spec: { displayName: "A" } })).toBe(true);
    expect(application({ kind: "application", name: "a", spec: { displayNam: "A" } })).toBe(false);
  });

  // `npm run build` writes them; before a build the sources compile every schema (tested above).
  describe.skipIf(!existsSync(PACKAGE_KIND_VALIDATORS))("the build's dist/kind-validators/", () => {
    it("holds exactly the current modules (a stale file fails: run `npm run build`)", () => {
      for (const schemaFile of kindSchemaFiles()) {
        const file = kindValidatorFileName(schemaFile);
        expect(readFileSync(new URL(file, PACKAGE_KIND_VALIDATORS), "utf8"), `dist/kind-validators/${file} is stale: run npm run build`).toBe(moduleOf(schemaFile));
      }
    });

    it("a run validating one kind loads that kind's module only", () => {
      const built = fileURLToPath(PACKAGE_KIND_VALIDATORS);
      const loadedModules = (): string[] => Object.keys(require.cache).filter((path) => path.startsWith(built)).sort();
      const before = loadedModules();
      expect(before.some((path) => path.endsWith("/roleDefinition.cjs"))).toBe(false);
      const validate = kindValidator("roleDefinition");
      expect(loadedModules()).toEqual([...before, join(built, "roleDefinition.cjs")].sort());
      expect(validate).toBe(require(join(built, "roleDefinition.cjs")));
    });
  });
});
