/**
 * Generating every kind's schema file from the CSDL: the code behind `scripts/generate-schemas.ts`
 * and the test that checks the committed schemas are up to date.
 */
import { readFile } from "node:fs/promises";
import { kindNames } from "../../src/model/kind.js";
import type { Kind } from "../../src/model/kind.js";
import type { JsonObject } from "../../src/model/document.js";
import { betaPropertiesFor, schemaFileName } from "../../src/kinds/beta-properties.js";
import { buildKindSchema } from "./build-schema.js";
import { parseCsdl } from "./csdl.js";
import { withBetaOnlyTypes } from "./beta-only-types.js";
import type { SchemaKindInfo } from "./kind-info.js";

/** Where the CSDL lives relative to the repository root in the team's workspace. */
export const DEFAULT_CSDL_PATH = "../shared/corpus/microsoftgraph__msgraph-metadata/schemas/v1.0-Prod.csdl";
export const CSDL_SOURCE = "Microsoft Graph v1.0 CSDL (microsoftgraph/msgraph-metadata)";

/** The descriptors in `kindNames()` order; every kind needs one. */
function schemaKindInfos(descriptors: readonly SchemaKindInfo[]): SchemaKindInfo[] {
  return kindNames().map((kind: Kind) => {
    const found = descriptors.find((d) => d.kind === kind);
    if (!found) throw new Error(`no descriptor for kind ${kind}`);
    return found;
  });
}

/**
 * `<kind>.schema.json` file contents, by file name, in `kindNames()` order; and for each kind Graph's
 * beta API makes richer, `<kind>.beta.schema.json`: the same schema with the kind's beta properties
 * (what documents of a kind managed through beta, `graphVersion: { <kind>: beta }`, validate against).
 */
export async function generateSchemaFiles(csdlPath: string, descriptors: readonly SchemaKindInfo[]): Promise<Map<string, string>> {
  const model = withBetaOnlyTypes(parseCsdl(await readFile(csdlPath, "utf8")), descriptors);
  const files = new Map<string, string>();
  for (const info of schemaKindInfos(descriptors)) {
    const v1: JsonObject = buildKindSchema(model, { ...info, apiVersion: "v1.0" }, CSDL_SOURCE);
    files.set(schemaFileName(info.kind, "v1.0"), `${JSON.stringify(v1, null, 2)}\n`);
    if (betaPropertiesFor(info.kind).length === 0) continue;
    const beta: JsonObject = buildKindSchema(model, { ...info, apiVersion: "beta" }, CSDL_SOURCE);
    files.set(schemaFileName(info.kind, "beta"), `${JSON.stringify(beta, null, 2)}\n`);
  }
  return files;
}
