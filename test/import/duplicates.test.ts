import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { importExports } from "../../src/engine/import/import.js";
import { ValueMap } from "../../src/engine/import/maps.js";

function exportsFolder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "eg-dup-"));
  for (const [path, body] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), JSON.stringify(body));
  }
  return dir;
}

const group = (id: string, displayName: string) => ({ "@odata.type": "#microsoft.graph.group", id, displayName, mailEnabled: false, mailNickname: id.slice(0, 8), securityEnabled: true });
const policy = (displayName: string) => ({ displayName, state: "disabled", conditions: { users: { includeUsers: ["All"] }, applications: { includeApplications: ["All"] } }, grantControls: { operator: "OR", builtInControls: ["mfa"] } });

describe("import: objects plan could not keep apart", () => {
  test("one id in two files is one object: kept under the name MigrationTable.json gives, the other file refused", async () => {
    const id = "20cd89e3-25e2-4fcd-82c5-de666dfd31a4";
    const from = exportsFolder({
      "Groups/a.json": group(id, "Old name"),
      "Groups/b.json": group(id, "Current name"),
      "MigrationTable.json": { TenantId: "42ba3ed1-ae78-4fd0-8080-5f8bfcc27b29", Objects: [{ DisplayName: "Current name", Id: id, Type: "Group" }] },
    });
    const report = await importExports({ from, to: mkdtempSync(join(tmpdir(), "eg-dup-to-")) });
    expect(report.imported.map((d) => [d.source, d.name])).toEqual([["Groups/b.json", "current-name"]]);
    expect(report.refused).toEqual([
      { source: "Groups/a.json", reasons: [`the same group as Groups/b.json (id ${id}) under another displayName "Old name": imported once, as "Current name", the name MigrationTable.json gives id ${id}`] },
    ]);
  });

  test("without a MigrationTable the first file read is kept", async () => {
    const id = "a8e55fcf-f8ed-43c2-bb4f-0c62edd62963";
    const report = await importExports({ from: exportsFolder({ "a.json": group(id, "First"), "b.json": group(id, "Second") }), to: mkdtempSync(join(tmpdir(), "eg-dup-to-")) });
    expect(report.imported.map((d) => d.source)).toEqual(["a.json"]);
    expect(report.refused[0]?.reasons[0]).toMatch(/, the first file read$/);
  });

  test("twin templates (one displayName after --map, no id): the file named after it is kept, the twin refused", async () => {
    const from = exportsFolder({
      "203 - RING - Block For internal users.json": policy("203 - <RING> - Block"),
      "203 - RING - Block.json": policy("203 - <RING> - Block"),
      "204 - RING - Other.json": policy("204 - <RING> - Other"),
    });
    const report = await importExports({ from, to: mkdtempSync(join(tmpdir(), "eg-dup-to-")), map: new ValueMap({ "<RING>": "Ring0" }) });
    expect(report.imported.map((d) => d.source)).toEqual(["203 - RING - Block.json", "204 - RING - Other.json"]);
    expect(report.refused).toEqual([
      {
        source: "203 - RING - Block For internal users.json",
        reasons: ['same displayName "203 - Ring0 - Block" as 203 - RING - Block.json, and no id: once both exist in a tenant, plan could not tell them apart; give this conditionalAccessPolicy its own displayName'],
      },
    ]);
  });

  test("two objects with one displayName but their own ids are both imported (plan pairs them by id)", async () => {
    const report = await importExports({
      from: exportsFolder({ "a.json": group("11111111-0000-4000-8000-000000000001", "Same"), "b.json": group("11111111-0000-4000-8000-000000000002", "Same") }),
      to: mkdtempSync(join(tmpdir(), "eg-dup-to-")),
    });
    expect(report.imported.map((d) => d.name)).toEqual(["same", "same-2"]);
    expect(report.refused).toEqual([]);
  });

  test("a request next to its response (same displayName, only the response has an id): the response is imported, under the plain name", async () => {
    const response = { ...policy("Require MFA"), id: "11111111-0000-4000-8000-00000000000a", "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies/$entity" };
    const report = await importExports({ from: exportsFolder({ "example1-request.json": policy("Require MFA"), "example1-response.json": response }), to: mkdtempSync(join(tmpdir(), "eg-dup-to-")) });
    expect(report.imported.map((d) => [d.source, d.name])).toEqual([["example1-response.json", "require-mfa"]]);
    expect(report.refused.map((r) => r.reasons[0])).toEqual([
      'same displayName "Require MFA" as example1-response.json, and no id: once both exist in a tenant, plan could not tell them apart; give this conditionalAccessPolicy its own displayName',
    ]);
  });

  test("a twin refused for its own reasons does not take the other with it", async () => {
    const broken = { ...policy("Admins MFA"), conditions: { users: { includeRoles: ["All"] }, applications: { includeApplications: ["All"] } } };
    const report = await importExports({ from: exportsFolder({ "Admins MFA.json": broken, "Temp/copy.json": policy("Admins MFA") }), to: mkdtempSync(join(tmpdir(), "eg-dup-to-")) });
    // Names are given before conversion, the preferred twin first: the survivor keeps its "-2" (a known wart).
    expect(report.imported.map((d) => [d.source, d.name])).toEqual([["Temp/copy.json", "admins-mfa-2"]]);
    expect(report.refused.map((r) => [r.source, r.reasons[0]])).toEqual([
      ["Admins MFA.json", 'conditions.users.includeRoles: "All" is not a built-in role known to entra-gitops (write a custom role as its GUID): add it to the --map file'],
    ]);
  });
});
