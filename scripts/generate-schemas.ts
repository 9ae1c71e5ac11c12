/**
 * Regenerates schemas/<kind>.schema.json and src/kinds/non-clearable.generated.ts (the properties
 * Graph cannot clear) from Graph's v1.0 CSDL, and the kind lists of schemas/entra-gitops.schema.json
 * from the kind registry.
 *
 *   npm run schemas [-- path/to/v1.0-Prod.csdl]
 *
 * (`npm run schemas` compiles this file with tsc into .cache/ and runs it with node: no TypeScript
 * runner is needed.) The schemas are committed; test/documents/schemas.test.ts fails when they are
 * out of date with the CSDL and the kind registry.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseCsdl } from "./schema/csdl.js";
import { CSDL_SOURCE, DEFAULT_CSDL_PATH, generateSchemaFiles } from "./schema/generate.js";
import { renderNonClearableModule } from "./schema/non-clearable.js";
import { allKinds } from "../src/kinds/registry.js";
import { renderConfigSchema, withKindLists } from "../src/config/schema-kinds.js";
import { kindNames } from "../src/model/kind.js";
import type { JsonObject } from "../src/model/document.js";

async function main(): Promise<void> {
  const configSchemaPath = join("schemas", "entra-gitops.schema.json");
  const configSchema = JSON.parse(await readFile(configSchemaPath, "utf8")) as JsonObject;
  await writeFile(configSchemaPath, renderConfigSchema(withKindLists(configSchema, kindNames())));
  process.stdout.write(`${configSchemaPath}\n`);
  const csdl = process.argv[2] ?? DEFAULT_CSDL_PATH;
  const files = await generateSchemaFiles(csdl, allKinds());
  await mkdir("schemas", { recursive: true });
  for (const [name, content] of files) {
    await writeFile(join("schemas", name), content);
    process.stdout.write(`schemas/${name}\n`);
  }
  const model = parseCsdl(await readFile(csdl, "utf8"));
  await writeFile(join("src", "kinds", "non-clearable.generated.ts"), renderNonClearableModule(model, allKinds(), CSDL_SOURCE));
  process.stdout.write("src/kinds/non-clearable.generated.ts\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`generate-schemas: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
