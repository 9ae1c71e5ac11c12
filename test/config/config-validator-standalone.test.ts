import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { configAjv, configSchemaSource } from "../../src/config/schema.js";
import { configValidatorModule } from "../../src/config/schema-standalone.js";
import { defaultConfigText } from "../../src/config/index.js";

type Validator = ((data: unknown) => boolean) & { errors?: unknown[] | null; schemaKey?: string };

/** The module the build writes (dist/config/config-validator.cjs), evaluated as CommonJS. */
function loadModule(code: string): Validator {
  const module = { exports: {} as unknown };
  // Evaluating the generated CommonJS module, with a require that resolves as the built file's does.
  new Function("module", "exports", "require", code)(module, module.exports, createRequire(import.meta.url));
  return module.exports as Validator;
}

const CONFIGS: Record<string, unknown> = {
  "the default text": parse(defaultConfigText()) ?? {},
  "an empty file": {},
  "every kind of error": parse(
    [
      "environments:",
      "  prod:",
      "    tenantId: not a tenant",
      "    clientSecret: hunter2",
      "    graphUrl: http://graph.example.test/v1.0",
      "kinds: [conditionalAccessPolicy, conditionalAccesPolicy]",
      "maxDeletes: -1",
      "drift:",
      "  group: delete",
      "protected: [nokind/x]",
      "breakGlass:",
      "  accounts: [someone]",
      "",
    ].join("\n"),
  ) as unknown,
};

describe("the configuration validator compiled at build time (standalone code)", () => {
  it("gives exactly the compiled schema's verdicts and errors, and names the schema it was compiled from", () => {
    const standalone = loadModule(configValidatorModule());
    const { schema, key } = configSchemaSource();
    const compiled = configAjv().compile(schema);
    expect(standalone.schemaKey).toBe(key);
    for (const [name, config] of Object.entries(CONFIGS)) {
      const verdict = compiled(config);
      expect(standalone(config), name).toBe(verdict);
      expect(standalone.errors ?? null, name).toEqual(compiled.errors ?? null);
    }
    expect(compiled(CONFIGS["every kind of error"])).toBe(false);
    expect((compiled.errors ?? []).length).toBeGreaterThan(5);
  });
});
