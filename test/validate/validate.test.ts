import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { validatePaths } from "../../src/engine/validate.js";
import { formatDiagnostic } from "../../src/cli/errors.js";

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "eg-validate-"));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

const policy = `kind: conditionalAccessPolicy
name: require-mfa
spec:
  displayName: Require MFA
  state: on
  conditions:
    clientAppTypes: [all]
    users:
      incldueGroups:
        - group:admins
      excludeGroups:
        - group:no-such-group
        - group:emergency-access
    applications:
      includeApplications: [All]
  grantControls:
    operator: OR
    builtInControls: [mfa]
`;
const group = (name: string): string => `kind: group\nname: ${name}\nspec:\n  displayName: ${name}\n  mailEnabled: false\n  mailNickname: ${name}\n  securityEnabled: true\n`;

async function run(files: Record<string, string>): Promise<string[]> {
  const root = await tree(files);
  const { diagnostics } = await validatePaths([root]);
  return diagnostics.map((d) => formatDiagnostic({ ...d, file: d.file ? relative(root, d.file) : undefined }));
}

describe("validate", () => {
  test("reports a typo, a wrong enum and a dangling reference with file, line and column", async () => {
    const out = await run({
      "conditionalAccessPolicy/require-mfa.yaml": policy,
      "group/emergency-access.yaml": group("emergency-access"),
    });
    expect(out).toEqual([
      "conditionalAccessPolicy/require-mfa.yaml:5:10: error: spec.state: must be one of enabled, disabled, enabledForReportingButNotEnforced",
      "conditionalAccessPolicy/require-mfa.yaml:9:7: error: spec.conditions.users.incldueGroups: unknown property (did you mean includeGroups?)",
      "conditionalAccessPolicy/require-mfa.yaml:12:11: error: spec.conditions.users.excludeGroups[0]: group:no-such-group: no document group/no-such-group.yaml",
    ]);
  });

  test("a valid folder gives no diagnostics", async () => {
    const fixed = policy.replace("state: on", "state: enabled").replace("incldueGroups", "includeGroups").replace("group:no-such-group", "group:admins");
    const out = await run({
      "conditionalAccessPolicy/require-mfa.yaml": fixed,
      "group/emergency-access.yaml": group("emergency-access"),
      "group/admins.yaml": group("admins"),
    });
    expect(out).toEqual([]);
  });

  test("explains references, flag enums, types, subtypes and missing fields", async () => {
    const out = await run({
      "conditionalAccessPolicy/p.yaml": `kind: conditionalAccessPolicy
name: p
spec:
  displayName: P
  conditions:
    users:
      includeUsers: [William Overweg]
      includeGuestsOrExternalUsers:
        guestOrExternalUserTypes: internalGuest,robots
    applications:
      includeApplications: All
`,
      "namedLocation/office.yaml": `kind: namedLocation
name: office
spec:
  "@odata.type": "#microsoft.graph.moonNamedLocation"
  displayName: Office
`,
    });
    expect(out).toEqual([
      "conditionalAccessPolicy/p.yaml:4:3: error: spec: missing required property state",
      "conditionalAccessPolicy/p.yaml:4:3: error: spec.grantControls: grantControls is missing and no session control is set: Graph refuses a Conditional Access policy with neither grant controls nor session controls. Set grantControls (e.g. builtInControls: [mfa] with operator: OR, or [block]) or a sessionControls entry",
      "conditionalAccessPolicy/p.yaml:7:22: error: spec.conditions.users.includeUsers[0]: \"William Overweg\" is not a reference: expected user:<userPrincipalName>, a GUID, or one of All, None, GuestsOrExternalUsers",
      "conditionalAccessPolicy/p.yaml:9:35: error: spec.conditions.users.includeGuestsOrExternalUsers.guestOrExternalUserTypes: must be one or more of none, internalGuest, b2bCollaborationGuest, b2bCollaborationMember, b2bDirectConnectUser, otherExternalUser, serviceProvider, comma-separated",
      "conditionalAccessPolicy/p.yaml:11:28: error: spec.conditions.applications.includeApplications: must be array, not a string",
      "namedLocation/office.yaml:4:18: error: spec.@odata.type: @odata.type must be one of #microsoft.graph.countryNamedLocation, #microsoft.graph.ipNamedLocation",
    ]);
  });
});

describe("natural keys", () => {
  test("two documents with the same displayName get a warning", async () => {
    const out = await run({
      "group/a.yaml": group("a").replace("displayName: a", "displayName: Admins"),
      "group/b.yaml": group("b").replace("displayName: b", "displayName: admins"),
    });
    expect(out).toEqual(["group/b.yaml:4:16: warning: spec.displayName: same displayName as group/a: without ids, plan cannot tell which tenant object each document means"]);
  });
});

describe("secrets", () => {
  test("a credential value in a document is named as such", async () => {
    const out = await run({
      "application/app.yaml": "kind: application\nname: app\nspec:\n  displayName: App\n  passwordCredentials:\n    - displayName: ci\n      secretText: hunter2\n",
    });
    expect(out).toEqual(["application/app.yaml:7:7: error: spec.passwordCredentials[0].secretText: a credential value: documents never hold secrets (export keeps credential metadata only)"]);
  });
});

describe("single files", () => {
  test("a file's references resolve against the folder it belongs to", async () => {
    const root = await tree({
      "conditionalAccessPolicy/require-mfa.yaml": policy.replace("state: on", "state: enabled").replace("incldueGroups", "includeGroups").replace("        - group:no-such-group\n", ""),
      "group/emergency-access.yaml": group("emergency-access"),
    });
    const file = join(root, "conditionalAccessPolicy", "require-mfa.yaml");
    const { documents, diagnostics } = await validatePaths([file]);
    expect(documents.map((d) => d.name)).toEqual(["require-mfa"]);
    expect(diagnostics.map((d) => d.message)).toEqual(["group:admins: no document group/admins.yaml"]);
  });
});

describe("validate: role assignments scoped to an administrative unit", () => {
  const assignment = (role: string, scope: string): string =>
    `kind: roleAssignment\nname: a\nspec:\n  directoryScopeId: ${scope}\n  principalId: group:admins\n  roleDefinitionId: ${role}\n`;
  const au = "kind: administrativeUnit\nname: au-sales\nspec:\n  displayName: AU-Sales\n";
  const admins = `${group("admins")}  isAssignableToRole: true\n`;

  test("refuses a role Graph only assigns tenant-wide, naming the file, line and field", async () => {
    const out = await run({ "roleAssignment/a.yaml": assignment("role:Global Administrator", "administrativeUnit:au-sales"), "administrativeUnit/au-sales.yaml": au, "group/admins.yaml": admins });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^roleAssignment\/a\.yaml:6:\d+/);
    expect(out[0]).toContain("spec.roleDefinitionId");
    expect(out[0]).toContain("role:Global Administrator cannot be assigned at administrative unit scope (administrativeUnit:au-sales)");
  });

  test("accepts the roles Microsoft lists for administrative unit scope, and any role tenant-wide", async () => {
    expect(await run({ "roleAssignment/a.yaml": assignment("role:Helpdesk Administrator", "administrativeUnit:au-sales"), "administrativeUnit/au-sales.yaml": au, "group/admins.yaml": admins })).toEqual([]);
    expect(await run({ "roleAssignment/a.yaml": assignment("role:Global Administrator", '"/"'), "group/admins.yaml": admins })).toEqual([]);
  });
});

describe("validate: identifier URIs Graph refuses whatever the tenant's domains", () => {
  const app = (uris: string[]): string => `kind: application\nname: payroll\nspec:\n  displayName: Payroll\n  identifierUris:\n${uris.map((u) => `    - ${u}`).join("\n")}\n`;

  test("names the file, line and index of a URI with no domain name and no app id", async () => {
    const out = await run({ "application/payroll.yaml": app(["api://contoso.com/payroll", "api://payroll", "https://payroll"]) });
    expect(out).toHaveLength(2);
    expect(out[0]).toMatch(/^application\/payroll\.yaml:7:\d+/);
    expect(out[0]).toContain("spec.identifierUris[1]");
    expect(out[0]).toContain("'api://payroll' can never be on a verified domain of the tenant");
    expect(out[1]).toContain("spec.identifierUris[2]");
  });

  test("leaves domain names and the api://{appId} forms to plan, which reads the tenant's verified domains", async () => {
    const uris = ["api://9f3c7d1e-2b4a-4c5d-8e6f-7a8b9c0d1e2f", "api://contoso.com/payroll", "https://payroll.fabrikam.com", "api://payroll/9f3c7d1e-2b4a-4c5d-8e6f-7a8b9c0d1e2f"];
    expect(await run({ "application/payroll.yaml": app(uris) })).toEqual([]);
  });
});
