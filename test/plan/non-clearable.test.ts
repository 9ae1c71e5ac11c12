import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import type { JsonObject } from "../../src/model/document.js";
import type { Kind } from "../../src/model/kind.js";
import { allKinds } from "../../src/kinds/registry.js";
import type { PlanChange } from "../../src/model/plan.js";
import { SOURCE, doc, live } from "./fixtures.js";

/** The plan with the real descriptors (their keepWhenAbsent and the CSDL-derived lists). */
function planOne(kind: Kind, desired: JsonObject, actual: JsonObject): PlanChange | undefined {
  const plan = computePlan([doc(kind, "x", desired, "id-x")], [live(kind, "x", "id-x", actual)], { descriptors: allKinds(), source: SOURCE, scope: [kind] });
  return plan.changes[0];
}

const liveAuthz: JsonObject = {
  allowInvitesFrom: "adminsAndGuestInviters",
  allowEmailVerifiedUsersToJoinOrganization: false,
  allowedToUseSSPR: true,
  blockMsolPowerShell: true,
  guestUserRoleId: "role:Restricted Guest User",
  defaultUserRolePermissions: {
    allowedToCreateApps: false,
    allowedToCreateSecurityGroups: false,
    allowedToCreateTenants: false,
    allowedToReadBitlockerKeysForOwnedDevice: true,
    allowedToReadOtherUsers: true,
    permissionGrantPoliciesAssigned: ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"],
  },
};

describe("plan: a document that leaves out a property Graph cannot clear keeps the tenant's value", () => {
  it("a short authorization policy plans only what it states (and array removals, which Graph can clear)", () => {
    const short = { defaultUserRolePermissions: { allowedToCreateApps: true, permissionGrantPoliciesAssigned: ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"] } };
    const change = planOne("authorizationPolicy", short, liveAuthz);
    expect(change?.action).toBe("update");
    if (change?.action !== "update") return;
    expect(change.fields).toEqual([{ op: "update", path: "defaultUserRolePermissions.allowedToCreateApps", before: false, after: true }]);
    // The update writes the tenant's values back for what the document left out.
    expect(change.after).toEqual({ ...liveAuthz, defaultUserRolePermissions: { ...(liveAuthz.defaultUserRolePermissions as JsonObject), allowedToCreateApps: true } });

    const same = { defaultUserRolePermissions: { allowedToCreateApps: false, permissionGrantPoliciesAssigned: ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"] } };
    expect(planOne("authorizationPolicy", same, liveAuthz)?.action).toBe("noop");
    const noGrants = planOne("authorizationPolicy", {}, liveAuthz);
    expect(noGrants?.action === "update" ? noGrants.fields.map((f) => [f.op, f.path]) : []).toEqual([["remove", "defaultUserRolePermissions.permissionGrantPoliciesAssigned"]]);
  });

  it("an application without signInAudience keeps the tenant's; other absent fields are still removed", () => {
    const actual = { displayName: "Postman", signInAudience: "AzureADandPersonalMicrosoftAccount", notes: "from portal" };
    expect(planOne("application", { displayName: "Postman", notes: "from portal" }, actual)?.action).toBe("noop");
    const change = planOne("application", { displayName: "Postman" }, actual);
    expect(change?.action === "update" ? change.fields : []).toEqual([{ op: "remove", path: "notes", before: "from portal" }]);
    expect(change?.action === "update" ? change.after : undefined).toEqual({ displayName: "Postman", signInAudience: "AzureADandPersonalMicrosoftAccount" });
    // Stated explicitly, it is compared as usual.
    const moved = planOne("application", { displayName: "Postman", notes: "from portal", signInAudience: "AzureADMyOrg" }, actual);
    expect(moved?.action === "update" ? moved.fields : []).toEqual([{ op: "update", path: "signInAudience", before: "AzureADandPersonalMicrosoftAccount", after: "AzureADMyOrg" }]);
  });

  it("clearable properties are unaffected: a group's description left out is still removed", () => {
    const change = planOne("group", { displayName: "G", mailEnabled: false, mailNickname: "g", securityEnabled: true }, { displayName: "G", mailEnabled: false, mailNickname: "g", securityEnabled: true, description: "x" });
    expect(change?.action === "update" ? change.fields : []).toEqual([{ op: "remove", path: "description", before: "x" }]);
  });
});
