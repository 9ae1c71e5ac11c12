import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateTables } from "./csdl-extract.js";

const csdlPath = join(process.cwd(), "..", "shared", "corpus", "microsoftgraph__msgraph-metadata", "schemas", "v1.0-Prod.csdl");
const tablePath = join(process.cwd(), "src", "sandbox", "tenant", "resources", "policies", "schema", "csdl-tables.generated.ts");

describe.skipIf(!existsSync(csdlPath))("policy CSDL tables (requires ../shared/corpus)", () => {
  it("match the v1.0 CSDL", () => {
    const generated = generateTables(readFileSync(csdlPath, "utf8"));
    if (process.env["UPDATE_CSDL_TABLES"] === "1") writeFileSync(tablePath, generated);
    expect(readFileSync(tablePath, "utf8")).toBe(generated);
    expect(generated).toContain('"conditionalAccessPolicy": { kind: "entity"');
    expect(generated).toContain('"conditionalAccessGrantControl": { flags: false');
  });
});
