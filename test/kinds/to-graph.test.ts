import { describe, expect, it } from "vitest";
import { normalizeLive } from "../../src/kinds/normalize.js";
import { UnresolvedReferenceError } from "../../src/kinds/references.js";
import { getKind } from "../../src/kinds/registry.js";
import { createOnlyChanges, relationshipTargets, toGraph, toGraphNestedItem } from "../../src/kinds/toGraph.js";
import type { JsonObject } from "../../src/model/document.js";
import { contosoDirectory, IDS } from "./directory.js";
import { directoryFixtures } from "./fixtures-directory.js";
import { conditionalAccessFixture } from "./fixtures-policies.js";
import { tenantPolicyFixtures } from "./fixtures-tenant.js";

const directory = contosoDirectory();
const fixture = (kind: string) => {
  const found = [...directoryFixtures, ...tenantPolicyFixtures].find((f) => f.kind === kind);
  if (!found) throw new Error(`no fixture for ${kind}`);
  return found;
};

describe("toGraph", () => {
  const ca = getKind("conditionalAccessPolicy");

  it("turns every reference of a CA policy back into the original ids", () => {
    const body = toGraph(ca, conditionalAccessFixture.spec, directory, "create");
    expect(body.conditions).toMatchObject({
      users: {
        includeUsers: [IDS.alice],
        excludeUsers: [IDS.bob, "GuestsOrExternalUsers"],
        includeGroups: [IDS.exchangeUsersGroup],
        excludeGroups: [IDS.breakGlassGroup],
        includeRoles: ["9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "62e90394-69f5-4237-9190-012177145e10"],
      },
      applications: {
        includeApplications: [IDS.exchangeOnlineAppId, IDS.payrollAppId],
        includeAuthenticationContextClassReferences: ["c1"],
      },
      locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted", IDS.corporateNetwork] },
    });
  });

  it("names the path of a reference it cannot resolve", () => {
    const spec = { displayName: "x", conditions: { users: { excludeGroups: ["group:emergency-access", "group:no-such-group"] } } };
    expect(() => toGraph(ca, spec, directory, "create")).toThrow(UnresolvedReferenceError);
    expect(() => toGraph(ca, spec, directory, "create")).toThrow("conditions.users.excludeGroups[1]: group:no-such-group does not name a known object");
    const partner = { tenantId: IDS.partnerTenant, b2bCollaborationOutbound: { usersAndGroups: { accessType: "allowed", targets: [{ target: "group:gone", targetType: "group" }] } } };
    expect(() => toGraph(getKind("crossTenantAccessPolicyPartner"), partner, directory, "create")).toThrow(
      "b2bCollaborationOutbound.usersAndGroups.targets[0].target: group:gone does not name a known object",
    );
    expect(() => relationshipTargets(getKind("group"), { members: ["user:alice@contoso.com", "user:nobody@contoso.com"] }, directory)).toThrow("members[1]: user:nobody@contoso.com");
  });

  it("refuses a reference of the wrong kind for the field", () => {
    const spec = { conditions: { users: { includeRoles: ["group:emergency-access"] } } };
    expect(() => toGraph(ca, spec, directory, "create")).toThrow(/includeRoles\[0\]: group:emergency-access cannot be used here/);
  });

  it("in update mode clears what the document removed (PATCH keeps absent properties)", () => {
    const actual = { displayName: "x", state: "enabled", conditions: { users: { includeUsers: ["All"], excludeGroups: ["group:emergency-access"] } }, sessionControls: { persistentBrowser: { mode: "never", isEnabled: true } } };
    const desired = { displayName: "x", state: "enabled", conditions: { users: { includeUsers: ["All"] } } };
    const body = toGraph(ca, desired, directory, "update", { actual });
    expect(body).toStrictEqual({ displayName: "x", state: "enabled", conditions: { users: { includeUsers: ["All"], excludeGroups: [] } }, sessionControls: null });
  });

  it("uses Graph's default when clearing a property that has one", () => {
    const location = getKind("namedLocation");
    const actual = { "@odata.type": "#microsoft.graph.countryNamedLocation", displayName: "EU", countriesAndRegions: ["FR"], countryLookupMethod: "authenticatorAppGps", includeUnknownCountriesAndRegions: true };
    const desired = { "@odata.type": "#microsoft.graph.countryNamedLocation", displayName: "EU", countriesAndRegions: ["FR"] };
    expect(toGraph(location, desired, directory, "update", { actual })).toStrictEqual({ ...desired, countryLookupMethod: "clientIpAddress", includeUnknownCountriesAndRegions: false });
  });

  it("binds a new group's owners and members and leaves create-only fields out of updates", () => {
    const group = getKind("group");
    const spec = fixture("group").spec;
    const created = toGraph(group, spec, directory, "create");
    expect(created["owners@odata.bind"]).toStrictEqual([`https://graph.microsoft.com/v1.0/directoryObjects/${IDS.alice}`]);
    expect(created["members@odata.bind"]).toStrictEqual([IDS.bob, IDS.alice].map((id) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`));
    expect(created).not.toHaveProperty("members");
    expect(created.isAssignableToRole).toBe(true);
    const updated = toGraph(group, spec, directory, "update");
    expect(updated).not.toHaveProperty("isAssignableToRole");
    expect(updated).not.toHaveProperty("members@odata.bind");
    expect(updated).not.toHaveProperty("owners");
    expect(relationshipTargets(group, spec, directory)).toStrictEqual({ owners: [IDS.alice], members: [IDS.bob, IDS.alice] });
  });

  it("fills what Graph requires to create a group", () => {
    const body = toGraph(getKind("group"), { displayName: "Payroll – Admins", groupTypes: ["Unified"] }, directory, "create");
    expect(body).toMatchObject({ mailNickname: "payroll-admins", mailEnabled: false, securityEnabled: false });
  });

  it("writes a scoped role assignment's scope as /administrativeUnits/{id}", () => {
    const body = toGraph(getKind("roleAssignment"), fixture("roleAssignment").spec, directory, "create");
    expect(body).toStrictEqual({ principalId: IDS.exchangeUsersGroup, roleDefinitionId: "fdd7a751-b60b-444a-984c-02652fe8fa1c", directoryScopeId: `/administrativeUnits/${IDS.financeAu}` });
    const tenantWide = toGraph(getKind("roleAssignment"), { principalId: "user:alice@contoso.com", roleDefinitionId: "role:Global Reader" }, directory, "create");
    expect(tenantWide).toStrictEqual({ principalId: IDS.alice, roleDefinitionId: "f2ef992c-3afb-46b9-b7cf-a126ee74c451" });
  });

  it("never sends application credentials", () => {
    const body = toGraph(getKind("application"), fixture("application").spec, directory, "update");
    expect(body).not.toHaveProperty("passwordCredentials");
    expect(body).not.toHaveProperty("owners");
    expect(body.requiredResourceAccess).toMatchObject([{ resourceAppId: IDS.graphAppId }]);
  });

  it("resolves a service principal's appId through the application it was created from", () => {
    expect(toGraph(getKind("servicePrincipal"), fixture("servicePrincipal").spec, directory, "create").appId).toBe(IDS.payrollAppId);
  });

  it("leaves properties written by their own requests out of the PATCH body", () => {
    const strength = getKind("authenticationStrengthPolicy");
    const spec = { displayName: "x", allowedCombinations: ["fido2"] };
    expect(toGraph(strength, spec, directory, "create")).toStrictEqual(spec);
    expect(toGraph(strength, spec, directory, "update")).toStrictEqual({ displayName: "x" });
    expect(strength.propertyActions?.[0]?.path("abc")).toBe("/policies/authenticationStrengthPolicies/abc/updateAllowedCombinations");

    const methods = getKind("authenticationMethodsPolicy");
    const body = toGraph(methods, fixture("authenticationMethodsPolicy").spec, directory, "update");
    expect(body).not.toHaveProperty("authenticationMethodConfigurations");
    expect(body.registrationEnforcement).toMatchObject({ authenticationMethodsRegistrationCampaign: { excludeTargets: [{ id: IDS.breakGlassGroup }] } });
  });

  it("keeps the live @odata.type a named location update needs", () => {
    const location = getKind("namedLocation");
    const live = { "@odata.type": "#microsoft.graph.ipNamedLocation", id: IDS.corporateNetwork, displayName: "Office", isTrusted: true, ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "10.0.0.0/8" }] };
    const body = toGraph(location, normalizeLive(location, live, directory).spec, directory, "update");
    expect(body["@odata.type"]).toBe("#microsoft.graph.ipNamedLocation");
  });
});

describe("toGraphNestedItem", () => {
  it("resolves the references of one authentication method configuration for its own PATCH", () => {
    const methods = getKind("authenticationMethodsPolicy");
    const configs = fixture("authenticationMethodsPolicy").spec.authenticationMethodConfigurations;
    const authenticator = Array.isArray(configs) ? configs[1] : undefined;
    if (typeof authenticator !== "object" || authenticator === null || Array.isArray(authenticator)) throw new Error("fixture");
    const body = toGraphNestedItem(methods, "authenticationMethodConfigurations", authenticator, directory);
    expect(body["@odata.type"]).toBe("#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration");
    expect(body.includeTargets).toStrictEqual([{ targetType: "group", id: IDS.exchangeUsersGroup, isRegistrationRequired: false, authenticationMode: "any" }]);
    expect(body.featureSettings).toMatchObject({ displayAppInformationRequiredState: { includeTarget: { id: "all_users" } } });
    expect(methods.nestedCollections?.[0]?.itemPath("authenticationMethodsPolicy", "MicrosoftAuthenticator")).toBe(
      "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/MicrosoftAuthenticator",
    );
  });
});

describe("two-step and replacing changes", () => {
  it("disables an app role before removing it", () => {
    const application = getKind("application");
    const actual = fixture("application").spec;
    const desired = { ...actual, appRoles: [] };
    const body = toGraph(application, desired, directory, "update", { actual });
    expect(body.appRoles).toStrictEqual([]);
    const staged = application.stagedUpdate?.(body, actual);
    expect(staged).toStrictEqual({
      appRoles: [{ ...(actual.appRoles as JsonObject[])[0], isEnabled: false }],
    });
    expect(application.stagedUpdate?.(toGraph(application, actual, directory, "update", { actual }), actual)).toBeUndefined();
  });

  it("disables an enabled scope whose value changes, and leaves scopes alone when the update does not write api", () => {
    const application = getKind("application");
    const scope = { id: "5a5a3b2c-1d0e-4f9a-8b7c-6d5e4f3a2b1c", type: "User", value: "Expenses.Read", isEnabled: true };
    const actual = { ...fixture("application").spec, api: { oauth2PermissionScopes: [scope] } };
    expect(application.stagedUpdate?.({ api: { oauth2PermissionScopes: [{ ...scope, value: "Expenses.ReadAll" }] } }, actual)).toStrictEqual({
      api: { oauth2PermissionScopes: [{ ...scope, isEnabled: false }] },
    });
    expect(application.stagedUpdate?.({ description: "changed" }, actual)).toBeUndefined();
    expect(application.stagedUpdateNote?.({ api: { oauth2PermissionScopes: [] } }, actual)).toContain("scope 'Expenses.Read' disabled first");
  });

  it("names the create-only properties a change would need a replacement for", () => {
    const group = getKind("group");
    const actual = fixture("group").spec;
    expect(createOnlyChanges(group, { ...actual, isAssignableToRole: false }, actual)).toStrictEqual(["isAssignableToRole"]);
    expect(createOnlyChanges(group, { ...actual, description: "new" }, actual)).toStrictEqual([]);
    const assignment = getKind("roleAssignment");
    const scoped = fixture("roleAssignment").spec;
    expect(createOnlyChanges(assignment, { ...scoped, directoryScopeId: "/" }, scoped)).toStrictEqual(["directoryScopeId"]);
  });
});
