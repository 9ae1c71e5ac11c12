/**
 * Regenerates schemas/<kind>.schema.json from Graph's v1.0 CSDL.
 *
 *   npm run schemas [-- path/to/v1.0-Prod.csdl]
 *
 * (`npm run schemas` compiles this file with tsc into .cache/ and runs it with node: no TypeScript
 * runner is needed.) The schemas are committed; test/documents/schemas.test.ts fails when they are
 * out of date with the CSDL and the kind registry.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { DEFAULT_CSDL_PATH, generateSchemaFiles } from "../src/documents/schema/generate.js";
import { registeredKindInfos } from "../src/documents/schema/registry-info.js";

async function main(): Promise<void> {
  const csdl = process.argv[2] ?? DEFAULT_CSDL_PATH;
  const files = await generateSchemaFiles(csdl, registeredKindInfos());
  await mkdir("schemas", { recursive: true });
  for (const [name, content] of files) {
    await writeFile(join("schemas", name), content);
    process.stdout.write(`schemas/${name}\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`generate-schemas: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
