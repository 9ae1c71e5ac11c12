import { mkdtemp, mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { importExports } from "../../src/engine/import/import.js";
import { ValueMap } from "../../src/engine/import/maps.js";
import { validatePaths } from "../../src/engine/validate.js";

const BREAK_GLASS = "2eee133e-3427-4860-81b9-057d5b28b022";
const UNKNOWN = "8e75af29-5176-4372-a718-724b8a4620dc";

function utf16le(text: string, bom = true): Buffer {
  const body = Buffer.from(text.replace(/\n/g, "\r\n"), "utf16le");
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, "utf16le");
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1] ?? 0, le[i] ?? 0];
  return le;
}

const policy = {
  "@odata.context": "https://graph.microsoft.com/beta/$metadata#identity/conditionalAccess/policies/$entity",
  "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
  "@odata.id": "identity/conditionalAccess/policies('x')",
  id: "11111111-2222-4333-8444-555555555555",
  displayName: "<RING> Require MFA for guests",
  "createdDateTime@odata.type": "#DateTimeOffset",
  createdDateTime: "2026-02-13T11:37:41Z",
  state: "enabledForReportingButNotEnforced",
  conditions: {
    clientAppTypes: ["All"],
    applications: { includeApplications: ["All"], "includeApplications@odata.type": "#Collection(String)" },
    users: {
      includeUsers: ["alice@contoso.com"],
      excludeGroups: ["<EmergencyAccessAccountsGroup>", UNKNOWN, "Pilot Users"],
      includeGuestsOrExternalUsers: {
        guestOrExternalUserTypes: "serviceProvider, b2bCollaborationGuest",
        externalTenants: { "@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", membershipKind: "all" },
      },
    },
  },
  grantControls: {
    operator: "OR",
    authenticationStrength: { id: "00000000-0000-0000-0000-000000000004", displayName: "Phishing-resistant MFA", createdDateTime: "2021-01-01T00:00:00Z", allowedCombinations: ["windowsHelloForBusiness"] },
  },
  "#microsoft.graph.restore": { title: "microsoft.graph.restore", target: "https://graph.microsoft.com/beta/x/restore" },
};

const groupJson = (id: string, displayName: string): string =>
  JSON.stringify({ id, displayName, mailEnabled: false, mailNickname: displayName.replace(/\W/g, ""), securityEnabled: true, groupTypes: [], createdDateTime: "2024-01-01T00:00:00Z", securityIdentifier: "S-1-12-1" }, null, 4);

async function fixture(): Promise<string> {
  const from = await mkdtemp(join(tmpdir(), "eg-import-from-"));
  await mkdir(join(from, "ConditionalAccess"));
  await mkdir(join(from, "Groups"));
  await writeFile(join(from, "ConditionalAccess", "guests.json"), utf16le(JSON.stringify(policy, null, 4)));
  await writeFile(join(from, "Groups", "break-glass.json"), utf16be(groupJson(BREAK_GLASS, "Break Glass")));
  await writeFile(join(from, "Groups", "pilot.json"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(groupJson("33333333-2222-4333-8444-555555555555", "Pilot Users"))]));
  await writeFile(join(from, "MigrationTable.json"), utf16le(JSON.stringify({ TenantId: "t", Objects: [{ DisplayName: "Old admins", Id: UNKNOWN, Type: "Group" }] })));
  await writeFile(join(from, "broken.json"), '{\n  "displayName": "x",\n}\n');
  await writeFile(join(from, "latin1.json"), Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
  await writeFile(join(from, "notes.json"), JSON.stringify({ TermsOfUse: [] }));
  await writeFile(join(from, "deep.json"), `{"displayName":"x","conditions":${"[".repeat(5000)}${"]".repeat(5000)}}`);
  await writeFile(join(from, "polluted.json"), '{"displayName":"x","conditions":{"__proto__":{"isAdmin":true}}}');
  return from;
}

describe("import", () => {
  test("converts every quirk of real exports into documents that validate", async () => {
    const from = await fixture();
    const to = await mkdtemp(join(tmpdir(), "eg-import-to-"));
    const map = new ValueMap({ EmergencyAccessAccountsGroup: "group:break-glass", "<RING>": "Ring0" });
    const report = await importExports({ from, to, map });

    expect(report.tables).toEqual(["MigrationTable.json"]);
    // clientAppTypes ["All"] became "all", Graph's default, which documents leave out.
    expect(report.imported.map((d) => `${d.kind}/${d.name} ${d.outcome}`).sort()).toEqual([
      "conditionalAccessPolicy/ring0-require-mfa-for-guests created",
      "group/break-glass created",
      "group/pilot-users created",
    ]);
    expect(report.refused).toEqual([
      { source: "broken.json", reasons: ["invalid JSON at line 3, column 1: Expected double-quoted property name (trailing comma)"] },
      { source: "deep.json", reasons: ["nesting deeper than 64 levels"] },
      { source: "latin1.json", reasons: ["invalid UTF-8 at byte 2"] },
      { source: "notes.json", reasons: ["not a Graph object of a kind entra-gitops manages: no @odata.type, and neither its shape (keys: TermsOfUse) nor its folder tells the kind"] },
      { source: "polluted.json", reasons: ['forbidden key "__proto__"'] },
    ]);
    expect(report.unusedMapEntries).toBe(0);

    const text = await readFile(join(to, "conditionalAccessPolicy", "ring0-require-mfa-for-guests.yaml"), "utf8");
    expect(text).toBe(`# yaml-language-server: $schema=../../.entra-gitops/schemas/conditionalAccessPolicy.schema.json
kind: conditionalAccessPolicy
name: ring0-require-mfa-for-guests
spec:
  conditions:
    applications:
      includeApplications:
        - All
    users:
      excludeGroups:
        - ${UNKNOWN} # Old admins
        - group:break-glass
        - group:pilot-users
      includeGuestsOrExternalUsers:
        externalTenants:
          "@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants"
          membershipKind: all
        guestOrExternalUserTypes: b2bCollaborationGuest,serviceProvider
      includeUsers:
        - user:alice@contoso.com
  displayName: Ring0 Require MFA for guests
  grantControls:
    authenticationStrength:
      id: authenticationStrength:Phishing-resistant MFA
    operator: OR
  state: enabledForReportingButNotEnforced
`);
    const { diagnostics } = await validatePaths([to]);
    expect(diagnostics).toEqual([]);
  });

  test("refuses unmapped placeholders and display names precisely, writing only what is valid", async () => {
    const from = await fixture();
    const to = await mkdtemp(join(tmpdir(), "eg-import-to-"));
    const report = await importExports({ from, to, map: new ValueMap({ "Not used": "x" }) });
    const refusedPolicy = report.refused.find((r) => r.source.startsWith("ConditionalAccess"));
    expect(refusedPolicy?.reasons).toEqual(["conditions.users.excludeGroups: placeholder <EmergencyAccessAccountsGroup> has no entry in the --map file"]);
    expect(report.unusedMapEntries).toBe(1);
    expect(await readdir(to)).toEqual(["group"]);
  });

  test("is deterministic and never overwrites a different file", async () => {
    const from = await fixture();
    const to = await mkdtemp(join(tmpdir(), "eg-import-to-"));
    const map = new ValueMap({ EmergencyAccessAccountsGroup: "group:break-glass" });
    await importExports({ from, to, map });
    const again = await importExports({ from, to, map });
    expect(again.imported.map((d) => d.outcome)).toEqual(["unchanged", "unchanged", "unchanged"]);
    const path = join(to, "group", "pilot-users.yaml");
    await writeFile(path, (await readFile(path, "utf8")).replace("Pilot Users", "Pilot users (edited)"));
    const third = await importExports({ from, to, map });
    expect(third.refused.find((r) => r.source === join("Groups", "pilot.json"))?.reasons[0]).toMatch(/already exists with other content; import never overwrites/);
    expect(await readFile(path, "utf8")).toContain("Pilot users (edited)");
  });

  test("dry run writes nothing", async () => {
    const from = await fixture();
    const to = join(await mkdtemp(join(tmpdir(), "eg-import-to-")), "tenant-config");
    const report = await importExports({ from, to, dryRun: true, map: new ValueMap({ EmergencyAccessAccountsGroup: BREAK_GLASS }) });
    expect(report.imported.map((d) => d.outcome)).toEqual(["planned", "planned", "planned"]);
    await expect(readdir(to)).rejects.toThrow(/ENOENT/);
  });
});

describe("display names", () => {
  test("a display name shared by two imported groups is refused as ambiguous, not guessed", async () => {
    const from = await mkdtemp(join(tmpdir(), "eg-import-from-"));
    await writeFile(join(from, "a.json"), groupJson("44444444-2222-4333-8444-555555555555", "Pilot"));
    await writeFile(join(from, "b.json"), groupJson("55555555-2222-4333-8444-555555555555", "Pilot"));
    await writeFile(join(from, "policy.json"), JSON.stringify({ displayName: "P", state: "enabled", conditions: { users: { includeGroups: ["Pilot"] }, applications: { includeApplications: ["All"] } }, grantControls: { operator: "OR", builtInControls: ["mfa"] } }));
    const to = await mkdtemp(join(tmpdir(), "eg-import-to-"));
    const report = await importExports({ from, to });
    expect(report.refused).toEqual([{ source: "policy.json", reasons: ['conditions.users.includeGroups: "Pilot" is the display name of 2 imported objects; say which in the --map file'] }]);
    expect(report.imported.map((d) => d.name).sort()).toEqual(["pilot", "pilot-2"]);
  });
});
