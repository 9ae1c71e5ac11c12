import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { importExports } from "../../src/engine/import/import.js";
import { camelCase } from "../../src/engine/import/powershell.js";
import { validatePaths } from "../../src/engine/validate.js";

const folders: string[] = [];
function folder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const policy = (id: string, displayName: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  displayName,
  state: "enabled",
  conditions: { users: { includeUsers: ["All"] }, applications: { includeApplications: ["All"] }, ...extra },
  grantControls: { operator: "OR", builtInControls: ["mfa"] },
});

async function run(files: Record<string, unknown>): Promise<{ report: Awaited<ReturnType<typeof importExports>>; to: string; read(path: string): string }> {
  const from = folder("eg-shapes-");
  for (const [name, content] of Object.entries(files)) writeFileSync(join(from, name), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  const to = folder("eg-shapes-to-");
  const report = await importExports({ from, to });
  return { report, to, read: (path) => readFileSync(join(to, path), "utf8") };
}

describe("import: Graph responses, authentication contexts, PowerShell output, embedded strengths", () => {
  test("a list response with any instance annotation (@microsoft.graph.tips, @odata.*) imports its items", async () => {
    const { report } = await run({
      "policies.json": {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies",
        "@microsoft.graph.tips": "Use $select to choose only the properties your app needs.",
        "@odata.nextLink": "https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies?$skiptoken=x",
        value: [{ ...policy("11111111-0000-4000-8000-000000000001", "Listed"), "@microsoft.graph.tips": "per-item annotation" }],
      },
    });
    expect(report.refused).toEqual([]);
    expect(report.imported.map((d) => `${d.kind}/${d.name}`)).toEqual(["conditionalAccessPolicy/listed"]);
  });

  test("authentication context ids c1…c99: a name when the class reference is imported too, else kept as the id", async () => {
    const { report, read, to } = await run({
      "policy.json": policy("11111111-0000-4000-8000-000000000002", "Step up", { applications: { includeAuthenticationContextClassReferences: ["c1", "c25"] } }),
      "c1.json": { "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/authenticationContextClassReferences/$entity", id: "c1", displayName: "Sensitive apps", isAvailable: true },
    });
    expect(report.refused).toEqual([]);
    expect(read("conditionalAccessPolicy/step-up.yaml")).toContain("      includeAuthenticationContextClassReferences:\n        - authenticationContext:sensitive-apps\n        - c25\n");
    expect((await validatePaths([to])).diagnostics).toEqual([]);
  });

  test("a value that is neither c1…c99 nor a GUID is refused saying what is expected", async () => {
    const { report } = await run({ "policy.json": policy("11111111-0000-4000-8000-000000000003", "Bad ctx", { applications: { includeAuthenticationContextClassReferences: ["c100"] } }) });
    expect(report.refused[0]?.reasons.join("\n")).toContain('"c100" is not a GUID');
    expect(report.refused[0]?.reasons.join("\n")).toContain("add it to the --map file");
  });

  test("PowerShell SDK output (PascalCase, AdditionalProperties) is converted to Graph's JSON", async () => {
    const { report, read } = await run({
      "pwsh.json": {
        Id: "21111111-0000-4000-8000-000000000001",
        DisplayName: "From PowerShell",
        State: "enabledForReportingButNotEnforced",
        CreatedDateTime: "2024-01-01T00:00:00Z",
        Conditions: {
          Users: { IncludeUsers: ["All"], ExcludeUsers: [], AdditionalProperties: {} },
          Applications: { IncludeApplications: ["Office365"] },
          Locations: null,
          ClientAppTypes: ["all"],
          AdditionalProperties: {},
        },
        GrantControls: { Operator: "OR", BuiltInControls: ["mfa"], AuthenticationStrength: null },
        SessionControls: null,
        AdditionalProperties: { "@odata.type": "#microsoft.graph.conditionalAccessPolicy" },
      },
    });
    expect(report.refused).toEqual([]);
    expect(report.imported[0]).toMatchObject({ name: "from-powershell", notes: ["PowerShell SDK output: PascalCase properties and AdditionalProperties converted to Graph's camelCase JSON"] });
    expect(read("conditionalAccessPolicy/from-powershell.yaml")).toContain("      includeApplications:\n        - Office365\n");
  });

  test("PowerShell output cut by ConvertTo-Json's -Depth is refused with the fix; mixed casing gets a hint", async () => {
    const { report } = await run({
      "shallow.json": { Id: "21111111-0000-4000-8000-000000000002", DisplayName: "Shallow", State: "enabled", Conditions: { Users: "Microsoft.Graph.PowerShell.Models.MicrosoftGraphConditionalAccessUsers" } },
      "mixed.json": { Foo: 1, bar: 2, baz: 3 },
      "settings.json": { TermsOfUse: [] },
    });
    expect(report.refused).toEqual([
      { source: "mixed.json", reasons: [expect.stringContaining("Graph property names are camelCase, e.g. displayName")] },
      { source: "settings.json", reasons: [expect.stringMatching(/^not a Graph object of a kind entra-gitops manages: .*\(keys: TermsOfUse\)/)] },
      { source: "shallow.json", reasons: ["PowerShell SDK output cut short by ConvertTo-Json's -Depth (conditions.users written as a type name): export again with ConvertTo-Json -Depth 20"] },
    ]);
  });

  test("PascalCase to camelCase keeps acronyms readable", () => {
    expect(["IncludeUsers", "IPRanges", "Id", "ODataType", "isTrusted", "@odata.type"].map(camelCase)).toEqual(["includeUsers", "ipRanges", "id", "oDataType", "isTrusted", "@odata.type"]);
  });

  test("a custom authentication strength embedded in policies becomes its own document, once, referenced by name", async () => {
    const strength = { id: "aaaaaaaa-0000-4000-8000-000000000001", displayName: "Contoso FIDO only", policyType: "custom", requirementsSatisfied: "mfa", allowedCombinations: ["fido2"], createdDateTime: "2024-01-01T00:00:00Z" };
    const withStrength = (id: string, name: string): Record<string, unknown> => ({ ...policy(id, name), grantControls: { operator: "OR", authenticationStrength: strength } });
    const { report, read, to } = await run({ "a.json": withStrength("31111111-0000-4000-8000-000000000001", "Admins FIDO"), "b.json": withStrength("31111111-0000-4000-8000-000000000002", "Finance FIDO") });
    expect(report.refused).toEqual([]);
    expect(report.imported.map((d) => `${d.kind}/${d.name} ${d.source}`).sort()).toEqual([
      "authenticationStrengthPolicy/contoso-fido-only a.json (grantControls.authenticationStrength)",
      "conditionalAccessPolicy/admins-fido a.json",
      "conditionalAccessPolicy/finance-fido b.json",
    ]);
    expect(read("authenticationStrengthPolicy/contoso-fido-only.yaml")).toBe(`# yaml-language-server: $schema=../../.entra-gitops/schemas/authenticationStrengthPolicy.schema.json
kind: authenticationStrengthPolicy
name: contoso-fido-only
spec:
  allowedCombinations:
    - fido2
  displayName: Contoso FIDO only
`);
    expect(read("conditionalAccessPolicy/finance-fido.yaml")).toContain("    authenticationStrength:\n      id: authenticationStrength:contoso-fido-only\n");
    expect((await validatePaths([to])).diagnostics).toEqual([]);
  });

  test("beta-only properties are named as beta with the option to manage them, never 'did you mean' a v1.0 name", async () => {
    const { report } = await run({
      "agents.json": policy("41111111-0000-4000-8000-000000000001", "Agents", { clientApplications: { includeAgentIdServicePrincipals: ["All"], agentIdServicePrincipalFilter: { mode: "include", rule: "x" } } }),
    });
    const reasons = report.refused[0]?.reasons ?? [];
    expect(reasons.join("\n")).not.toContain("did you mean");
    expect(reasons).toEqual([
      "spec.conditions.clientApplications.agentIdServicePrincipalFilter: a Graph beta property; conditionalAccessPolicy is managed through Graph v1.0, which does not have it. To manage it, set graphVersion: { conditionalAccessPolicy: beta } in entra-gitops.yaml",
      "spec.conditions.clientApplications.includeAgentIdServicePrincipals: a Graph beta property; conditionalAccessPolicy is managed through Graph v1.0, which does not have it. To manage it, set graphVersion: { conditionalAccessPolicy: beta } in entra-gitops.yaml",
    ]);
  });
});
