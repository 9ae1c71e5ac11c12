import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeText, readGraphJsonFile } from "../../../src/sandbox/seeds/graph-json-file.js";
import { folderSeed } from "../../../src/sandbox/seeds/folder-seed.js";

const corpusDir = join(process.cwd(), "..", "shared", "corpus");

describe("Graph JSON files", () => {
  it("decodes UTF-16 LE/BE and UTF-8 with BOM", () => {
    const text = '{"displayName":"Zoë"}';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le.subarray(2));
    be.swap16();
    expect(decodeText(le)).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe(text);
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe(text);
  });

  it("refuses a trailing comma with file:line:column and says why", () => {
    const dir = mkdtempSync(join(tmpdir(), "seed-json-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, '{\r\n  "a": 1,\r\n  "b": 2,\r\n}\r\n');
    expect(() => readGraphJsonFile(file)).toThrow(/bad\.json:3:9: trailing comma is not valid JSON/);
  });

  it("skips unreadable and unknown files in a folder seed and orders kinds by dependency", () => {
    const dir = mkdtempSync(join(tmpdir(), "seed-folder-"));
    writeFileSync(join(dir, "a-policy.json"), JSON.stringify({ displayName: "P", state: "enabled", conditions: {}, grantControls: null, "@odata.context": "x" }));
    writeFileSync(join(dir, "b-group.json"), JSON.stringify({ id: "2802b872-ccfb-4b29-a9a9-459808dfb11b", displayName: "G", securityEnabled: true, organizationId: "%OrganizationId%" }));
    writeFileSync(join(dir, "c-table.json"), JSON.stringify({ TenantId: "x", Objects: [] }));
    writeFileSync(join(dir, "d-broken.json"), '{"a": [1,],}');
    const seed = folderSeed(dir);
    expect(seed.steps.map((s) => s.path)).toEqual(["/groups", "/identity/conditionalAccess/policies"]);
    expect(seed.steps[0]?.body).toEqual({ id: "2802b872-ccfb-4b29-a9a9-459808dfb11b", displayName: "G", securityEnabled: true });
    expect(seed.steps[1]?.body).not.toHaveProperty("@odata.context");
    expect(seed.skipped.map((s) => s.file)).toEqual(["c-table.json", "d-broken.json"]);
    expect(seed.skipped[1]?.reason).toContain("trailing comma");
  });
});

describe.skipIf(!existsSync(corpusDir))("Graph JSON files of the corpus (requires ../shared/corpus)", () => {
  it("reads every j0eyv export (UTF-16 LE with BOM, CRLF)", () => {
    const seed = folderSeed(join(corpusDir, "j0eyv__ConditionalAccessBaseline", "Config"));
    const kinds = seed.steps.map((s) => s.path);
    expect(kinds.filter((p) => p === "/groups")).toHaveLength(36);
    expect(kinds.filter((p) => p.endsWith("/namedLocations"))).toHaveLength(3);
    expect(kinds.filter((p) => p.endsWith("/policies"))).toHaveLength(36);
    expect(seed.skipped.map((s) => s.file)).toEqual(["MigrationTable.json"]);
  });

  it("refuses the docs page's trailing comma with a clear message", () => {
    const file = join(corpusDir, "microsoftgraph__microsoft-graph-docs-contrib", "api-reference", "v1.0", "api", "crosstenantaccesspolicyconfigurationdefault-get", "example1-response.json");
    expect(() => readGraphJsonFile(file)).toThrow(/example1-response\.json:7:\d+: trailing comma/);
  });
});
