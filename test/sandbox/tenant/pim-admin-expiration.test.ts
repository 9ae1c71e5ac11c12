/**
 * PIM administrators' requests follow the expiration rules of the PIM settings they fall under
 * (docs/graph-behaviour.md, "PIM role settings govern administrators' requests"): a directory
 * role's `Expiration_Admin_Eligibility` / `Expiration_Admin_Assignment`, and a group
 * relationship's, read from the stored policy, so a rule written through Graph changes what is
 * accepted.
 */
import { describe, expect, it } from "vitest";
import { TestTenant, errorOf, values } from "./helpers.js";

const SECURITY_READER = "5d6b6bb7-de71-4623-b4af-96380a352509";
const HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const ROLE_ELIGIBILITY = "/roleManagement/directory/roleEligibilityScheduleRequests";
const ROLE_ASSIGNMENT = "/roleManagement/directory/roleAssignmentScheduleRequests";
const GROUP_ELIGIBILITY = "/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests";
const GROUP_ASSIGNMENT = "/identityGovernance/privilegedAccess/group/assignmentScheduleRequests";
const POLICIES = "/policies/roleManagementPolicies";
const EXPIRATION_RULE = "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule";
const REFUSAL = { code: "RoleAssignmentRequestPolicyValidationFailed", message: 'The following policy rules failed: ["ExpirationRule"]' };

const permanent = { expiration: { type: "noExpiration" } };
const lasting = (duration: string) => ({ expiration: { type: "afterDuration", duration } });
const until = (endDateTime: string) => ({ startDateTime: "2026-01-01T00:00:00Z", expiration: { type: "afterDateTime", endDateTime } });

async function rolePolicyId(t: TestTenant, roleId: string): Promise<string> {
  const list = values(await t.call(`/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole' and roleDefinitionId eq '${roleId}'`));
  return String(list[0]?.["policyId"]);
}

async function groupPolicyId(t: TestTenant, groupId: string, accessId: string): Promise<string> {
  const list = values(await t.call(`/policies/roleManagementPolicyAssignments?$filter=scopeId eq '${groupId}' and scopeType eq 'Group'`));
  return String(list.find((a) => a["roleDefinitionId"] === accessId)?.["policyId"]);
}

describe("PIM administrators' requests and the expiration rules", () => {
  it("directory roles: permanent allowed by default, no longer than the maximum; a rule requiring an end refuses a permanent one, and an update too", async () => {
    const t = new TestTenant();
    const alice = await t.createUser("Alice");
    const eligible = (scheduleInfo: unknown, action = "adminAssign", roleDefinitionId = SECURITY_READER) => t.post(ROLE_ELIGIBILITY, { action, principalId: alice.id, roleDefinitionId, directoryScopeId: "/", scheduleInfo });
    // Defaults: an eligibility may be permanent, a time-bound one lasts at most P365D.
    const tooLong = await eligible(lasting("P366D"));
    expect(tooLong.status).toBe(400);
    expect(errorOf(tooLong)).toEqual(REFUSAL);
    expect(errorOf(await eligible(until("2027-06-01T00:00:00Z")))).toEqual(REFUSAL);
    expect((await eligible(lasting("P365D"))).status).toBe(201);
    expect((await eligible(permanent, "adminAssign", HELPDESK)).status).toBe(201);
    // Helpdesk's eligibilities must now end within 30 days.
    const policyId = await rolePolicyId(t, HELPDESK);
    expect((await t.patch(`${POLICIES}/${policyId}/rules/Expiration_Admin_Eligibility`, { "@odata.type": EXPIRATION_RULE, isExpirationRequired: true, maximumDuration: "P30D" })).status).toBe(204);
    expect(errorOf(await eligible(permanent, "adminUpdate", HELPDESK))).toEqual(REFUSAL);
    expect(errorOf(await eligible(lasting("P31D"), "adminUpdate", HELPDESK))).toEqual(REFUSAL);
    expect((await eligible(lasting("P30D"), "adminUpdate", HELPDESK)).status).toBe(201);
    // A removal carries no schedule and is never refused by the rule.
    expect((await eligible(undefined, "adminRemove", HELPDESK)).status).toBe(201);
    // Security Reader's own settings are untouched.
    expect((await eligible(permanent, "adminUpdate")).status).toBe(201);
  });

  it("directory roles: active assignments follow Expiration_Admin_Assignment (P180D by default)", async () => {
    const t = new TestTenant();
    const alice = await t.createUser("Alice");
    const assign = (scheduleInfo: unknown, action = "adminAssign") => t.post(ROLE_ASSIGNMENT, { action, principalId: alice.id, roleDefinitionId: SECURITY_READER, directoryScopeId: "/", justification: "audit", scheduleInfo });
    expect(errorOf(await assign(lasting("P181D")))).toEqual(REFUSAL);
    expect((await assign(permanent)).status).toBe(201);
    const policyId = await rolePolicyId(t, SECURITY_READER);
    expect((await t.patch(`${POLICIES}/${policyId}/rules/Expiration_Admin_Assignment`, { "@odata.type": EXPIRATION_RULE, isExpirationRequired: true, maximumDuration: "P15D" })).status).toBe(204);
    expect(errorOf(await assign(permanent, "adminUpdate"))).toEqual(REFUSAL);
    expect((await assign(lasting("P14D"), "adminUpdate")).status).toBe(201);
    // The eligibility rule of the same role is another rule: still permanent allowed.
    expect((await t.post(ROLE_ELIGIBILITY, { action: "adminAssign", principalId: alice.id, roleDefinitionId: SECURITY_READER, directoryScopeId: "/", scheduleInfo: permanent })).status).toBe(201);
  });

  it("groups: Microsoft's defaults require an end (P365D eligible, P180D active); allowing permanent in the relationship's settings lets one through", async () => {
    const t = new TestTenant();
    const alice = await t.createUser("Alice");
    const bob = await t.createUser("Bob");
    const group = await t.createGroup("Tier 0");
    const request = (path: string, principalId: string, accessId: string, scheduleInfo: unknown, action = "adminAssign") => t.post(path, { action, accessId, groupId: group.id, principalId, justification: "on call", scheduleInfo });
    // A group PIM does not govern yet is held to the defaults for groups.
    expect(errorOf(await request(GROUP_ELIGIBILITY, alice.id, "member", permanent))).toEqual(REFUSAL);
    expect(errorOf(await request(GROUP_ELIGIBILITY, alice.id, "member", lasting("P366D")))).toEqual(REFUSAL);
    expect(errorOf(await request(GROUP_ASSIGNMENT, bob.id, "member", permanent))).toEqual(REFUSAL);
    expect(errorOf(await request(GROUP_ASSIGNMENT, bob.id, "member", lasting("P181D")))).toEqual(REFUSAL);
    expect((await request(GROUP_ELIGIBILITY, alice.id, "member", lasting("P365D"))).status).toBe(201);
    expect((await request(GROUP_ASSIGNMENT, bob.id, "member", lasting("P180D"))).status).toBe(201);
    // Nothing refused was written: one schedule each.
    expect(values(await t.call(`/identityGovernance/privilegedAccess/group/eligibilitySchedules?$filter=groupId eq '${group.id}'`))).toHaveLength(1);
    // The members' eligibility may now be permanent; the owners' and the active assignments' rules are unchanged.
    const memberPolicy = await groupPolicyId(t, group.id, "member");
    expect((await t.patch(`${POLICIES}/${memberPolicy}/rules/Expiration_Admin_Eligibility`, { "@odata.type": EXPIRATION_RULE, isExpirationRequired: false, maximumDuration: "P365D" })).status).toBe(204);
    expect((await request(GROUP_ELIGIBILITY, alice.id, "member", permanent, "adminUpdate")).status).toBe(201);
    expect(errorOf(await request(GROUP_ELIGIBILITY, bob.id, "owner", permanent))).toEqual(REFUSAL);
    expect(errorOf(await request(GROUP_ASSIGNMENT, bob.id, "member", permanent, "adminUpdate"))).toEqual(REFUSAL);
    const schedules = values(await t.call(`/identityGovernance/privilegedAccess/group/eligibilitySchedules?$filter=groupId eq '${group.id}'`));
    expect(schedules.map((s) => (s["scheduleInfo"] as { expiration: { type: string } }).expiration.type)).toEqual(["noExpiration"]);
  });

  it("groups: a member added directly is updated through a request only within the rule", async () => {
    const t = new TestTenant();
    const carol = await t.createUser("Carol");
    const group = await t.createGroup("Ops");
    expect((await t.post(`/groups/${group.id}/members/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${carol.id}` })).status).toBe(204);
    const update = (scheduleInfo: unknown) => t.post(GROUP_ASSIGNMENT, { action: "adminUpdate", accessId: "member", groupId: group.id, principalId: carol.id, scheduleInfo });
    expect(errorOf(await update(permanent))).toEqual(REFUSAL);
    expect((await update(lasting("P30D"))).status).toBe(201);
  });
});
