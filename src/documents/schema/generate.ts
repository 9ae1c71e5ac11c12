/**
 * Generating every kind's schema file from the CSDL: the code behind `scripts/generate-schemas.ts`
 * and the test that checks the committed schemas are up to date.
 */
import { readFile } from "node:fs/promises";
import { KIND_NAMES } from "../../kinds/kind-names.js";
import type { Kind } from "../../kinds/kind-names.js";
import type { JsonObject } from "../types.js";
import { buildKindSchema } from "./build-schema.js";
import { parseCsdl } from "./csdl.js";
import { FALLBACK_KIND_INFO } from "./kind-info.js";
import type { SchemaKindInfo } from "./kind-info.js";

/** Where the CSDL lives relative to the repository root in the team's workspace. */
export const DEFAULT_CSDL_PATH = "../shared/corpus/microsoftgraph__msgraph-metadata/schemas/v1.0-Prod.csdl";
export const CSDL_SOURCE = "Microsoft Graph v1.0 CSDL (microsoftgraph/msgraph-metadata)";

/** Kind info from the registry's descriptors where they exist, else from the fallback table. */
export function schemaKindInfos(descriptors: readonly SchemaKindInfo[] = []): SchemaKindInfo[] {
  return KIND_NAMES.map((kind: Kind) => {
    const found = descriptors.find((d) => d.kind === kind) ?? FALLBACK_KIND_INFO.find((d) => d.kind === kind);
    if (!found) throw new Error(`no kind info for ${kind}`);
    return found;
  });
}

/** `<kind>.schema.json` file contents, by file name, in KIND_NAMES order. */
export async function generateSchemaFiles(csdlPath: string, descriptors: readonly SchemaKindInfo[] = []): Promise<Map<string, string>> {
  const model = parseCsdl(await readFile(csdlPath, "utf8"));
  const files = new Map<string, string>();
  for (const info of schemaKindInfos(descriptors)) {
    const schema: JsonObject = buildKindSchema(model, info, CSDL_SOURCE);
    files.set(`${info.kind}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`);
  }
  return files;
}
