import { existsSync } from "node:fs";
import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { importExports } from "../../src/engine/import/import.js";
import type { ImportReport } from "../../src/engine/import/import.js";
import { ValueMap } from "../../src/engine/import/maps.js";
import { validatePaths } from "../../src/engine/validate.js";

const corpus = "../shared/corpus";

async function jsonFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await jsonFiles(path)));
    else if (/\.json$/i.test(entry.name)) out.push(path);
  }
  return out;
}

/** Import one corpus folder; check that every file is accounted for and that what was written validates. */
async function importAll(folder: string, map?: ValueMap): Promise<ImportReport> {
  const from = join(corpus, folder);
  const to = await mkdtemp(join(tmpdir(), "eg-corpus-"));
  const report = await importExports({ from, to, ...(map ? { map } : {}) });
  const files = (await jsonFiles(from)).map((f) => relative(from, f)).sort();
  const accounted = new Set([...report.imported.map((d) => d.source), ...report.refused.map((r) => r.source), ...report.tables].map((s) => s.replace(/\[\d+\]$/, "")));
  expect([...accounted].sort()).toEqual(files);
  for (const refused of report.refused) {
    expect(refused.reasons.length, refused.source).toBeGreaterThan(0);
    for (const reason of refused.reasons) expect(reason.length, refused.source).toBeGreaterThan(20);
  }
  const { documents, diagnostics } = await validatePaths([to]);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  // Warnings only for real duplicates in the sources (a request and its response, twin templates).
  for (const d of diagnostics) expect(d.message).toMatch(/^same displayName as /);
  expect(documents).toHaveLength(report.imported.length);
  return report;
}

const reasonsOf = (report: ImportReport, source: string): string[] => report.refused.find((r) => r.source === source)?.reasons ?? [];

describe.skipIf(!existsSync(corpus))("import of the real-world corpus (requires ../shared/corpus)", () => {
  test("j0eyv (IntuneManagement beta export, UTF-16 LE, MigrationTable): groups, locations and v1.0 policies", async () => {
    const report = await importAll("j0eyv__ConditionalAccessBaseline");
    expect(report.tables).toEqual(["Config/MigrationTable.json"]);
    const kinds = report.imported.reduce<Record<string, number>>((acc, d) => ({ ...acc, [d.kind]: (acc[d.kind] ?? 0) + 1 }), {});
    expect(kinds).toEqual({ conditionalAccessPolicy: 29, group: 34, namedLocation: 2 });
    // Two groups exported twice (a rename left the old file behind): imported once, under the name MigrationTable.json gives.
    expect(reasonsOf(report, "Config/Groups/CA005-Global-DataProtection-Office365-AnyPlatform-Unmanaged-RequireAppProtection - Exclude.json")).toEqual([
      'the same group as Config/Groups/CA005-Global-DataProtection-Office365-iOSenAndroid-ClientApps-Unmanaged-RequireAppProtection - Exclude.json (id 20cd89e3-25e2-4fcd-82c5-de666dfd31a4) under another displayName "CA005-Global-DataProtection-Office365-AnyPlatform-Unmanaged-RequireAppProtection - Exclude": imported once, as "CA005-Global-DataProtection-Office365-iOSenAndroid-ClientApps-Unmanaged-AppEnforcedRestrictions - Exclude", the name MigrationTable.json gives id 20cd89e3-25e2-4fcd-82c5-de666dfd31a4',
    ]);
    expect(reasonsOf(report, "Config/NamedLocations/All Compliant Network locations.json")).toEqual([
      "@odata.type #microsoft.graph.compliantNetworkNamedLocation is not a kind entra-gitops manages",
    ]);
    expect(reasonsOf(report, "Config/ConditionalAccess/CA104-Admins-IdentityProtection-AllApps-AnyPlatform-ContinuousAccessEvaluation.json")).toEqual([
      "spec.sessionControls.continuousAccessEvaluation: a Graph beta property; conditionalAccessPolicy is managed through Graph v1.0, which does not have it. To manage it, set graphVersion: { conditionalAccessPolicy: beta } in entra-gitops.yaml",
    ]);
    expect(reasonsOf(report, "Config/Groups/CA006-Global-DataProtection-Office365-iOSenAndroid-RequireAppProtection - Exclude.json")[0]).toMatch(/^the same group as .* \(id a8e55fcf-f8ed-43c2-bb4f-0c62edd62963\)/);
    expect(report.refused).toHaveLength(10);
  });

  test("AlexFilipin templates: refused for their placeholders, imported with a --map", async () => {
    const without = await importAll("AlexFilipin__ConditionalAccess");
    expect(reasonsOf(without, "PolicyRepository/Admin protection/110 - RING - Admin protection - All apps Require Strong Auth For BreakGlassAccounts.json")).toEqual([
      "conditions.users.includeGroups: placeholder <EmergencyAccessAccountsGroup> has no entry in the --map file",
    ]);
    expect(reasonsOf(without, "PolicyRepository/Base protection/210 - RING - Base protection - All apps Require ToU for external Users.json")).toContain(
      'grantControls.termsOfUse: "ToU" is not a GUID, and no imported agreement has this display name: add it to the --map file',
    );
    const guid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
    const map = new ValueMap({
      "<AADP2Group>": guid(1),
      "<AdministratorGroup>": guid(2),
      "<EmergencyAccessAccountsGroup>": guid(3),
      "<ExclusionPermGroup>": guid(4),
      "<ExclusionTempGroup>": guid(5),
      "<SynchronizationServiceAccountsGroup>": guid(6),
      "<RING>": "Ring0",
      // Terms of use are references to agreements (README "Terms of use"): the template names one "ToU".
      ToU: guid(7),
    });
    const withMap = await importAll("AlexFilipin__ConditionalAccess", map);
    expect(withMap.imported).toHaveLength(56);
    // Twin templates: two files, one displayName, no id. The file named after that displayName is kept.
    expect(reasonsOf(withMap, "PolicyRepository/Base protection/203 - RING - Base protection - All apps Block access For internal users When high sign-in risk is detected.json")).toEqual([
      'same displayName "203 - Ring0 - Base protection - All apps: Block access When high sign-in risk is detected" as PolicyRepository/Base protection/203 - RING - Base protection - All apps Block access When high sign-in risk is detected.json, and no id: once both exist in a tenant, plan could not tell them apart; give this conditionalAccessPolicy its own displayName',
    ]);
    expect(withMap.refused.map((r) => r.source)).toEqual([
      "PolicyRepository/Base protection/203 - RING - Base protection - All apps Block access For internal users When high sign-in risk is detected.json",
      "PolicyRepository/Global Secure Access/801 - RING - Global Secure Access - M365 Traffic Require Strong Auth.json",
      "PolicyRepository/Global Secure Access/802 - RING - Global Secure Access - Specific Websites Block.json",
    ]);
  });

  test("Fortigi (references by display name and UPN, UTF-16 without BOM): refused precisely, imported with a --map", async () => {
    const without = await importAll("Fortigi__ConditionalAccess");
    expect(reasonsOf(without, "Examples/Policy/CA-01- All Apps - All Admins - Require MFA.json")).toContain(
      'conditions.users.excludeGroups: "CA-01 - Exclusion" is not a GUID, and no imported group has this display name: add it to the --map file',
    );
    expect(reasonsOf(without, "Examples/Policy/Convert.Json")[0]).toMatch(/^not a Graph object of a kind entra-gitops manages.*keys: TermsOfUse/);
    const map = new ValueMap({
      "William Overweg": "user:william@fortigi.nl",
      "CA-01 - Inclusion5099": "11111111-0000-4000-8000-000000000001",
      "CA-01 - Inclusion6099": "11111111-0000-4000-8000-000000000002",
      "CA-01 - Exclusion": "11111111-0000-4000-8000-000000000003",
      "Search Editor": "8835291a-918c-4fd7-a9ce-faa49f0cf7d9",
      "Office 365": "Office365",
      "Microsoft Azure Management": "797f4846-ba00-4fd7-ba43-dac1f8f63013",
    });
    const withMap = await importAll("Fortigi__ConditionalAccess", map);
    expect(withMap.imported.map((d) => d.source).sort()).toContain("Examples/Policy/CA-02- All Apps - All Users - Require MFA or Trusted Device.json");
    // CA-01 includes the roles "All", which Graph does not accept: refused, not guessed.
    expect(reasonsOf(withMap, "Examples/Policy/CA-01- All Apps - All Admins - Require MFA.json")).toEqual([
      'conditions.users.includeRoles: "All" is not a built-in role known to entra-gitops (write a custom role as its GUID): add it to the --map file',
    ]);
  });

  test("Graph reference examples: bodies import; the trailing-comma response is refused with its position", async () => {
    const report = await importAll("microsoftgraph__microsoft-graph-docs-contrib");
    expect(reasonsOf(report, "api-reference/v1.0/api/crosstenantaccesspolicyconfigurationdefault-get/example1-response.json")).toEqual([
      "invalid JSON at line 8, column 3: Expected double-quoted property name (trailing comma)",
    ]);
    // A POST request next to its response is one object twice: the response (it has the id) is imported. The
    // partner's request and response share the partner's tenant id, its document id.
    const api = "api-reference/v1.0/api/";
    expect(reasonsOf(report, `${api}conditionalaccessroot-post-policies/example1-request.json`)).toEqual([
      `same displayName "Access to EXO requires MFA" as ${api}conditionalaccessroot-post-policies/example1-response.json, and no id: once both exist in a tenant, plan could not tell them apart; give this conditionalAccessPolicy its own displayName`,
    ]);
    expect(reasonsOf(report, `${api}crosstenantaccesspolicy-post-partners/example1-response.json`)[0]).toMatch(/^the same crossTenantAccessPolicyPartner as .*example1-request\.json \(id 3d0f5dec-5d3d-455c-8016-e2af1ae4d31a\)/);
    expect(report.refused.map((r) => r.source)).toEqual([
      "_provenance.json",
      `${api}authenticationstrengthroot-post-policies/example1-request.json`,
      `${api}conditionalaccessroot-post-namedlocations/example1-request.json`,
      `${api}conditionalaccessroot-post-namedlocations/example2-request.json`,
      `${api}conditionalaccessroot-post-policies/example1-request.json`,
      `${api}conditionalaccessroot-post-policies/example2-request.json`,
      `${api}conditionalaccessroot-post-policies/example3-request.json`,
      `${api}conditionalaccessroot-post-policies/example4-request.json`,
      `${api}crosstenantaccesspolicy-post-partners/example1-response.json`,
      `${api}crosstenantaccesspolicyconfigurationdefault-get/example1-response.json`,
    ]);
    expect(new Set(report.imported.map((d) => d.kind))).toEqual(
      new Set(["application", "authenticationStrengthPolicy", "authorizationPolicy", "conditionalAccessPolicy", "crossTenantAccessPolicyPartner", "namedLocation"]),
    );
  });
});
