import { describe, expect, it } from "vitest";
import { normalizeDocument, normalizeLive } from "../../src/kinds/normalize.js";
import { referencesIn } from "../../src/kinds/references.js";
import { getKind } from "../../src/kinds/registry.js";
import { toGraph } from "../../src/kinds/toGraph.js";
import { contosoDirectory, IDS } from "./directory.js";

const directory = contosoDirectory();

describe("kind-specific rules", () => {
  it("leaves the computed members of a dynamic group out of its document", () => {
    const group = getKind("group");
    const { spec } = normalizeLive(group, {
      id: "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0",
      displayName: "All employees",
      groupTypes: ["DynamicMembership"],
      membershipRule: '(user.userType -eq "Member")',
      membershipRuleProcessingState: "On",
      securityEnabled: true,
      mailEnabled: false,
      members: [IDS.alice],
    }, directory);
    expect(spec).toStrictEqual({
      displayName: "All employees",
      groupTypes: ["DynamicMembership"],
      membershipRule: '(user.userType -eq "Member")',
      membershipRuleProcessingState: "On",
      securityEnabled: true,
      mailEnabled: false,
    });
  });

  it("leaves the computed members of a dynamic administrative unit out too", () => {
    const au = getKind("administrativeUnit");
    const { spec } = normalizeLive(au, { id: IDS.financeAu, displayName: "Finance", membershipType: "Dynamic", membershipRule: "x", members: [IDS.alice] }, directory);
    expect(spec).not.toHaveProperty("members");
  });

  it("reads an unscoped role assignment as scoped to the whole directory", () => {
    const assignment = getKind("roleAssignment");
    const written = normalizeDocument(assignment, { roleDefinitionId: "role:Security Reader", principalId: "group:exchange-users" });
    const live = normalizeLive(assignment, { id: "x", roleDefinitionId: "5d6b6bb7-de71-4623-b4af-96380a352509", principalId: IDS.exchangeUsersGroup, directoryScopeId: "/" }, directory);
    expect(written).toStrictEqual(live.spec);
    expect(live.spec.directoryScopeId).toBe("/");
    expect(live.name).toBe("security-reader-exchange-users");
  });

  it("keeps a role assignment scoped to something other than an administrative unit as it is", () => {
    const assignment = getKind("roleAssignment");
    const scope = `/${IDS.payrollApp}`;
    const live = normalizeLive(assignment, { id: "x", roleDefinitionId: "158c047a-c907-4556-b7ef-446551a6b5f7", principalId: IDS.alice, directoryScopeId: scope }, directory);
    expect(live.spec.directoryScopeId).toBe(scope);
    expect(toGraph(assignment, live.spec, directory, "create").directoryScopeId).toBe(scope);
  });

  it("turns only the group-id setting of a group setting into a reference", () => {
    const setting = getKind("groupSetting");
    const { spec } = normalizeLive(setting, {
      id: "s",
      templateId: "62375ab9-6b52-47ed-826b-58e47e0e304b",
      values: [
        { name: "GroupCreationAllowedGroupId", value: IDS.breakGlassGroup },
        { name: "ClassificationDescriptions", value: IDS.breakGlassGroup },
      ],
    }, directory);
    expect(spec.values).toStrictEqual([
      { name: "ClassificationDescriptions", value: IDS.breakGlassGroup },
      { name: "GroupCreationAllowedGroupId", value: "group:emergency-access" },
    ]);
  });

  it("lists the references a spec holds, for dependency checks", () => {
    const spec = { conditions: { users: { excludeGroups: ["group:emergency-access", IDS.bob], includeRoles: ["role:Global Reader"] } } };
    expect(referencesIn(spec, getKind("conditionalAccessPolicy").references)).toStrictEqual([
      { path: "conditions.users.excludeGroups", reference: { prefix: "group", name: "emergency-access" } },
      { path: "conditions.users.includeRoles", reference: { prefix: "role", name: "Global Reader" } },
    ]);
  });

  it("keeps the @odata.type of abstract values and drops it elsewhere", () => {
    const ca = getKind("conditionalAccessPolicy");
    const spec = normalizeDocument(ca, {
      "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
      conditions: {
        "@odata.type": "#microsoft.graph.conditionalAccessConditionSet",
        users: { includeGuestsOrExternalUsers: { guestOrExternalUserTypes: "b2bCollaborationGuest", externalTenants: { "@odata.type": "microsoft.graph.conditionalAccessEnumeratedExternalTenants", membershipKind: "enumerated", members: ["b", "a"] } } },
      },
    });
    expect(spec).toStrictEqual({
      conditions: {
        users: { includeGuestsOrExternalUsers: { guestOrExternalUserTypes: "b2bCollaborationGuest", externalTenants: { "@odata.type": "#microsoft.graph.conditionalAccessEnumeratedExternalTenants", membershipKind: "enumerated", members: ["a", "b"] } } },
      },
    });
  });

  it("never exports application secrets or key material", () => {
    const { spec } = normalizeLive(getKind("application"), {
      id: IDS.payrollApp,
      displayName: "Payroll API",
      passwordCredentials: [{ keyId: "k1", hint: "Abc", secretText: "Abc~very-secret", displayName: "ci", endDateTime: "2026-01-01T00:00:00Z" }],
      keyCredentials: [{ keyId: "k2", key: "MIIC…", type: "AsymmetricX509Cert", usage: "Verify", displayName: "CN=payroll" }],
    }, directory);
    const text = JSON.stringify(spec);
    expect(text).not.toContain("very-secret");
    expect(text).not.toContain("Abc");
    expect(text).not.toContain("MIIC");
    expect(spec.keyCredentials).toStrictEqual([{ keyId: "k2", type: "AsymmetricX509Cert", usage: "Verify", displayName: "CN=payroll" }]);
  });
});

describe("keyed sets", () => {
  it("order numeric keys numerically (certificate user bindings by priority)", () => {
    const methods = getKind("authenticationMethodsPolicy");
    const binding = (priority: number) => ({ x509CertificateField: "PrincipalName", userProperty: "userPrincipalName", priority });
    const spec = normalizeDocument(methods, {
      authenticationMethodConfigurations: [
        { "@odata.type": "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration", id: "X509Certificate", state: "enabled", certificateUserBindings: [binding(10), binding(2), binding(1)] },
      ],
    });
    const configs = spec.authenticationMethodConfigurations as { certificateUserBindings: { priority: number }[] }[];
    expect(configs[0]?.certificateUserBindings.map((b) => b.priority)).toStrictEqual([1, 2, 10]);
  });
});
