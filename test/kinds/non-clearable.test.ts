import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/model/document.js";
import { keepNonClearable, nonClearable } from "../../src/kinds/non-clearable.js";
import { getKind } from "../../src/kinds/registry.js";
import { toGraph } from "../../src/kinds/toGraph.js";
import { normalizeDocument, normalizeLive } from "../../src/kinds/normalize.js";
import { contosoDirectory } from "./directory.js";

const directory = contosoDirectory();
const authz = getKind("authorizationPolicy");
const app = getKind("application");

const liveAuthz = (): JsonObject => ({
  allowInvitesFrom: "adminsAndGuestInviters",
  allowedToUseSSPR: true,
  blockMsolPowerShell: true,
  guestUserRoleId: "role:Restricted Guest User",
  defaultUserRolePermissions: {
    allowedToCreateApps: false,
    allowedToCreateSecurityGroups: false,
    allowedToCreateTenants: true,
    allowedToReadBitlockerKeysForOwnedDevice: true,
    allowedToReadOtherUsers: true,
    permissionGrantPoliciesAssigned: ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"],
  },
});

describe("properties Graph cannot clear", () => {
  it("unions the CSDL's Nullable=\"false\" scalars with the descriptor's keepWhenAbsent", () => {
    const rules = nonClearable(authz);
    expect(rules.paths).toEqual(expect.arrayContaining([
      "allowedToUseSSPR", // CSDL
      "defaultUserRolePermissions.allowedToCreateApps", // CSDL
      "defaultUserRolePermissions.allowedToCreateTenants", // descriptor
      "allowInvitesFrom", // descriptor
    ]));
    expect(rules.containers.has("defaultUserRolePermissions")).toBe(true);
    expect(nonClearable(app).paths).toContain("signInAudience");
    // Paths with a Graph default are clearable (absent means the default): not listed.
    expect(nonClearable(getKind("namedLocation")).paths).not.toContain("isTrusted");
    expect(nonClearable({ kind: "group" }).paths).toEqual([]);
  });

  it("fills a short document's missing non-clearable fields from the tenant and leaves clearable ones out", () => {
    const desired = { defaultUserRolePermissions: { allowedToCreateApps: true } };
    const filled = keepNonClearable(desired, liveAuthz(), nonClearable(authz));
    expect(filled).toEqual({
      allowInvitesFrom: "adminsAndGuestInviters",
      allowedToUseSSPR: true,
      blockMsolPowerShell: true,
      guestUserRoleId: "role:Restricted Guest User",
      defaultUserRolePermissions: {
        allowedToCreateApps: true,
        allowedToCreateSecurityGroups: false,
        allowedToCreateTenants: true,
        allowedToReadBitlockerKeysForOwnedDevice: true,
        allowedToReadOtherUsers: true,
      },
    });
    expect(desired).toEqual({ defaultUserRolePermissions: { allowedToCreateApps: true } });
  });

  it("keeps the leaves of a non-nullable complex property the document leaves out entirely", () => {
    const filled = keepNonClearable({ allowedToUseSSPR: false }, liveAuthz(), nonClearable(authz));
    expect(filled["defaultUserRolePermissions"]).toEqual({
      allowedToCreateApps: false,
      allowedToCreateSecurityGroups: false,
      allowedToCreateTenants: true,
      allowedToReadBitlockerKeysForOwnedDevice: true,
      allowedToReadOtherUsers: true,
    });
  });

  it("does not reach into a nullable complex property the document leaves out (leaving it out clears it)", () => {
    const ca = getKind("conditionalAccessPolicy");
    const live = { displayName: "P", state: "enabled", conditions: { users: { includeUsers: ["All"] }, devices: { deviceFilter: { mode: "exclude", rule: "device.isCompliant -eq True" } } } };
    const desired = { displayName: "P", state: "enabled", conditions: { users: { includeUsers: ["All"] } } };
    expect(keepNonClearable(desired, live, nonClearable(ca))).toBe(desired);
    const withFilter = { ...desired, conditions: { ...desired.conditions, devices: { deviceFilter: { rule: "device.isCompliant -eq True" } } } };
    expect(keepNonClearable(withFilter, live, nonClearable(ca))).toEqual({
      ...desired,
      conditions: { ...desired.conditions, devices: { deviceFilter: { mode: "exclude", rule: "device.isCompliant -eq True" } } },
    });
  });

  it("update bodies never clear them (no null, no false), but still clear what can be cleared", () => {
    const body = toGraph(authz, { defaultUserRolePermissions: { allowedToCreateApps: true } }, directory, "update", { actual: liveAuthz() });
    expect(body).toStrictEqual({ defaultUserRolePermissions: { allowedToCreateApps: true, permissionGrantPoliciesAssigned: [] } });
    const appBody = toGraph(app, { displayName: "Postman" }, directory, "update", { actual: { displayName: "Postman", signInAudience: "AzureADandPersonalMicrosoftAccount", notes: "x" } });
    expect(appBody).toStrictEqual({ displayName: "Postman", notes: null });
  });

  it("a list kept when absent (an access package's role scopes): absent keeps the tenant's items, `[]` survives canonicalization and means none", () => {
    const pkg = getKind("accessPackage");
    const scopes = [{ resource: "group:sales", role: "Member" }];
    const live = { displayName: "Sales", catalog: { id: "accessPackageCatalog:sales" }, resourceRoleScopes: scopes };
    const absent = normalizeDocument(pkg, { displayName: "Sales", catalog: { id: "accessPackageCatalog:sales" } });
    expect(keepNonClearable(absent, live, nonClearable(pkg)).resourceRoleScopes).toEqual(scopes);
    const none = normalizeDocument(pkg, { displayName: "Sales", catalog: { id: "accessPackageCatalog:sales" }, resourceRoleScopes: [] });
    expect(none.resourceRoleScopes).toEqual([]);
    expect(keepNonClearable(none, live, nonClearable(pkg)).resourceRoleScopes).toEqual([]);
    // Graph's expanded empty list exports as `[]`; a package read without it has no list.
    expect(normalizeLive(pkg, { id: "p1", displayName: "Sales", resourceRoleScopes: [] }, directory).spec.resourceRoleScopes).toEqual([]);
    expect(normalizeLive(pkg, { id: "p1", displayName: "Sales" }, directory).spec).not.toHaveProperty("resourceRoleScopes");
    // Other empty lists are still pruned.
    expect(normalizeDocument(getKind("group"), { displayName: "G", members: [] })).not.toHaveProperty("members");
  });

  it("a nullable boolean left out is sent as null (false would stay in the tenant and be planned again)", () => {
    const body = toGraph(app, { displayName: "Postman" }, directory, "update", { actual: { displayName: "Postman", isDeviceOnlyAuthSupported: true, isFallbackPublicClient: true } });
    // isFallbackPublicClient has a Graph default (false) in the descriptor: that is what clears it.
    expect(body).toStrictEqual({ displayName: "Postman", isDeviceOnlyAuthSupported: null, isFallbackPublicClient: false });
  });
});
