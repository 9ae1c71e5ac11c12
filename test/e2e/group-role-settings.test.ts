import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import { defaultKindNames } from "../../src/model/kind.js";
import { DEFAULT_GROUP_ROLE_SETTING_RULE_BY_ID } from "../../src/kinds/groupRoleSetting.js";
import { DEFAULT_ROLE_SETTING_RULE_BY_ID } from "../../src/kinds/roleSetting.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, credentialFor, graphClient, startSandbox } from "../helpers/sandbox.js";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import { git, sandboxEnv } from "../helpers/cli.js";
import { asUser } from "../helpers/actors.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, findByName, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const ASSIGNMENTS = "/policies/roleManagementPolicyAssignments";
const POLICIES = "/policies/roleManagementPolicies";
const ELIGIBILITY_REQUESTS = "/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests";
const TIER0 = "rag-conditional-access-admins"; // role-assignable security group of the demo seed
const RULE = "#microsoft.graph.unifiedRoleManagementPolicy";
type Rule = Record<string, unknown> & { id: string };
type List = { value: Record<string, unknown>[] };

const scope = (groupId: string): string => `scopeId eq '${groupId}' and scopeType eq 'Group'`;

/** A rule as Graph holds it, without the annotations the answer adds. */
function plain(rule: Rule | undefined): Record<string, unknown> {
  return JSON.parse(JSON.stringify(rule ?? {}, (key, value: unknown) => (key.startsWith("@odata.") && key !== "@odata.type" ? undefined : value))) as Record<string, unknown>;
}

describe("groupRoleSetting: PIM for groups settings (member, owner), only those away from Microsoft's defaults for groups", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let alice: { id: string; userPrincipalName: string };
  let group: { id: string };
  /** A relationship's policy id and its rules by id, as Graph lists them. */
  const policyOf = async (groupId: string, relationship: "member" | "owner"): Promise<{ policyId: string; rules: Map<string, Rule> }> => {
    const listed = (await client.api(ASSIGNMENTS).filter(`${scope(groupId)} and roleDefinitionId eq '${relationship}'`).expand("policy($expand=rules)").get()) as List;
    expect(listed.value).toHaveLength(1);
    const assignment = listed.value[0] as { policyId: string; policy: { rules: Rule[] } };
    return { policyId: assignment.policyId, rules: new Map(assignment.policy.rules.map((r) => [r.id, r])) };
  };
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    alice = ((await client.api("/users").filter("startswith(userPrincipalName,'alice@')").get()) as List).value[0] as typeof alice;
    group = (await findByName(client, "/groups", TIER0)) as typeof group;
    // PIM governs the group once a membership is made eligible through it.
    await client.api(ELIGIBILITY_REQUESTS).post({ action: "adminAssign", accessId: "member", principalId: alice.id, groupId: group.id, justification: "on call", scheduleInfo: { expiration: { type: "afterDuration", duration: "P90D" } } });
    // Someone shortened the owners' activation in the portal before the first export.
    const { policyId } = await policyOf(group.id, "owner");
    await client.api(`${POLICIES}/${policyId}/rules/Expiration_EndUser_Assignment`).patch({ "@odata.type": `${RULE}ExpirationRule`, id: "Expiration_EndUser_Assignment", isExpirationRequired: true, maximumDuration: "PT4H" });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: [...defaultKindNames(), "groupRoleSetting"] });
  });
  afterAll(async () => started?.stop());

  it("is opt-in, exports only the relationship whose settings differ (group by name, only its changed rule), and plans empty", async () => {
    expect(defaultKindNames()).not.toContain("groupRoleSetting");
    expect(readdirSync(join(repo.dir, "tenant-config", "groupRoleSetting"))).toEqual([`${TIER0}.owner.yaml`]);
    expect(readDoc(repo, "groupRoleSetting", `${TIER0}.owner`).spec).toEqual({
      scopeId: `group:${TIER0}`,
      roleDefinitionId: "owner",
      rules: [{ "@odata.type": `${RULE}ExpirationRule`, id: "Expiration_EndUser_Assignment", isExpirationRequired: true, maximumDuration: "PT4H" }],
    });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: a governed group's two policies hold Microsoft's defaults for groups (not the directory roles'); another group has none; the filter is required", async () => {
    const { rules } = await policyOf(group.id, "member");
    expect(rules.size).toBe(17);
    for (const [id, rule] of rules) expect(plain(rule), id).toEqual(DEFAULT_GROUP_ROLE_SETTING_RULE_BY_ID.get(id));
    // Groups' defaults differ from directory roles': assignments must expire, activation needs no MFA.
    expect(rules.get("Expiration_Admin_Eligibility")).toMatchObject({ isExpirationRequired: true });
    expect(DEFAULT_ROLE_SETTING_RULE_BY_ID.get("Expiration_Admin_Eligibility")).toMatchObject({ isExpirationRequired: false });
    expect(rules.get("Enablement_EndUser_Assignment")?.enabledRules).toEqual(["Justification"]);
    const policies = (await client.api(POLICIES).filter(scope(group.id)).expand("rules").get()) as List;
    expect(policies.value.map((p) => [p["scopeType"], p["displayName"], p["scopeId"]])).toEqual([
      ["Group", "Group", group.id],
      ["Group", "Group", group.id],
    ]);
    // A group PIM has never governed has no policies.
    const groups = ((await client.api("/groups").select("id").top(5).get()) as List).value;
    const otherId = String(groups.find((g) => g["id"] !== group.id)?.["id"]);
    expect(((await client.api(ASSIGNMENTS).filter(scope(otherId)).get()) as List).value).toEqual([]);
    await expect(client.api(ASSIGNMENTS).filter(`scopeId eq '${group.id}'`).get()).rejects.toMatchObject({ statusCode: 400 });
    // Directory roles' lists do not show groups' policies.
    const roles = (await client.api(ASSIGNMENTS).filter("scopeId eq '/' and scopeType eq 'DirectoryRole'").get()) as List;
    expect(roles.value.some((a) => a["scopeType"] === "Group")).toBe(false);
  });

  it("edits the owners' rules (activation 1 h, MFA + justification, approval by a named user) → apply → empty plan", async () => {
    editSpec(repo, "groupRoleSetting", `${TIER0}.owner`, (spec) => {
      spec.rules = [
        { "@odata.type": `${RULE}ExpirationRule`, id: "Expiration_EndUser_Assignment", maximumDuration: "PT1H" },
        { "@odata.type": `${RULE}EnablementRule`, id: "Enablement_EndUser_Assignment", enabledRules: ["MultiFactorAuthentication", "Justification"] },
        {
          "@odata.type": `${RULE}ApprovalRule`,
          id: "Approval_EndUser_Assignment",
          setting: { isApprovalRequired: true, approvalStages: [{ approvalStageTimeOutInDays: 1, primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: `user:${alice.userPrincipalName}` }] }] },
        },
      ];
    });
    commit(repo, "owners activate for an hour, with MFA and approval");
    const plan = await repo.cli("plan");
    expect(plan.stdout).toContain(`groupRoleSetting/${TIER0}.owner`);
    expect(await applyConverges(repo)).toContain(`updated groupRoleSetting/${TIER0}.owner`);
    const { rules } = await policyOf(group.id, "owner");
    expect(rules.get("Expiration_EndUser_Assignment")).toMatchObject({ isExpirationRequired: true, maximumDuration: "PT1H" });
    expect([...(rules.get("Enablement_EndUser_Assignment")?.enabledRules as string[])].sort()).toEqual(["Justification", "MultiFactorAuthentication"]);
    expect(rules.get("Approval_EndUser_Assignment")).toMatchObject({ setting: { isApprovalRequired: true, approvalStages: [{ primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: alice.id }] }] } });
    // The members' policy is untouched.
    for (const [id, rule] of (await policyOf(group.id, "member")).rules) expect(plain(rule), id).toEqual(DEFAULT_GROUP_ROLE_SETTING_RULE_BY_ID.get(id));
    const exported = await repo.cli("export");
    expect(exported.code, exported.stderr).toBe(0);
    const approval = (readDoc(repo, "groupRoleSetting", `${TIER0}.owner`).spec.rules as Rule[]).find((r) => r.id === "Approval_EndUser_Assignment") as unknown as { setting: { approvalStages: { primaryApprovers: unknown[] }[] } };
    expect(approval.setting.approvalStages[0]?.primaryApprovers).toEqual([{ "@odata.type": "#microsoft.graph.singleUser", userId: `user:${alice.userPrincipalName}` }]);
    commit(repo, "export");
  });

  it("a document for the members at their defaults writes over their policy (permanent eligibility allowed); a rule left out goes back to the groups' default", async () => {
    writeDoc(repo, {
      kind: "groupRoleSetting",
      name: `${TIER0}.member`,
      spec: {
        scopeId: `group:${TIER0}`,
        roleDefinitionId: "member",
        rules: [
          { "@odata.type": `${RULE}ExpirationRule`, id: "Expiration_Admin_Eligibility", isExpirationRequired: false },
          { "@odata.type": `${RULE}EnablementRule`, id: "Enablement_Admin_Assignment" },
        ],
      },
    });
    commit(repo, "members may be eligible for good");
    // Until then the group's defaults refuse a permanent eligibility (Expiration_Admin_Eligibility).
    const forever = { action: "adminUpdate", accessId: "member", principalId: alice.id, groupId: group.id, scheduleInfo: { expiration: { type: "noExpiration" } } };
    await expect(client.api(ELIGIBILITY_REQUESTS).post(forever)).rejects.toMatchObject({ statusCode: 400, code: "RoleAssignmentRequestPolicyValidationFailed", message: 'The following policy rules failed: ["ExpirationRule"]' });
    const plan = await repo.cli("plan");
    expect(plan.stdout).toContain(`groupRoleSetting/${TIER0}.member`);
    expect(plan.stdout).toContain("nothing is created");
    expect(await applyConverges(repo)).toContain(`groupRoleSetting/${TIER0}.member`);
    let { rules } = await policyOf(group.id, "member");
    expect(rules.get("Expiration_Admin_Eligibility")).toMatchObject({ isExpirationRequired: false, maximumDuration: "P365D" });
    expect(rules.get("Enablement_Admin_Assignment")?.enabledRules).toEqual([]);
    // The written setting governs the next request: alice's eligibility may now be permanent (then back to a quarter).
    await client.api(ELIGIBILITY_REQUESTS).post(forever);
    await client.api(ELIGIBILITY_REQUESTS).post({ ...forever, scheduleInfo: { expiration: { type: "afterDuration", duration: "P90D" } } });

    editSpec(repo, "groupRoleSetting", `${TIER0}.member`, (spec) => {
      spec.rules = (spec.rules as Rule[]).filter((r) => r.id !== "Enablement_Admin_Assignment");
    });
    commit(repo, "active assignments need a justification again");
    expect(await applyConverges(repo)).toContain(`updated groupRoleSetting/${TIER0}.member`);
    ({ rules } = await policyOf(group.id, "member"));
    expect(plain(rules.get("Enablement_Admin_Assignment"))).toEqual(DEFAULT_GROUP_ROLE_SETTING_RULE_BY_ID.get("Enablement_Admin_Assignment"));
  });

  it("a removed document is the relationship back at Microsoft's defaults for groups (with --allow-delete): every rule PATCHed, nothing deleted", async () => {
    removeDoc(repo, "groupRoleSetting", `${TIER0}.member`);
    commit(repo, "members back to the defaults");
    const plan = await repo.cli("plan");
    expect(plan.stdout).toContain(`groupRoleSetting/${TIER0}.member`);
    expect(plan.stdout).toContain("nothing is deleted");
    expect(await applyConverges(repo, "--allow-delete")).toContain(`deleted groupRoleSetting/${TIER0}.member`);
    const { rules } = await policyOf(group.id, "member");
    expect(rules.size).toBe(17);
    for (const [id, rule] of rules) expect(plain(rule), id).toEqual(DEFAULT_GROUP_ROLE_SETTING_RULE_BY_ID.get(id));
  });

  it("validate names file, line and field: a relationship other than member or owner, a group missing", async () => {
    writeDoc(repo, { kind: "groupRoleSetting", name: "broken", spec: { roleDefinitionId: "admin", rules: [{ "@odata.type": `${RULE}ExpirationRule`, id: "Expiration_EndUser_Assignment", maximumDuration: "PT1H" }] } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/groupRoleSetting\/broken\.yaml:\d+:\d+/);
    expect(text).toContain("roleDefinitionId");
    expect(text).toContain("scopeId");
    removeDoc(repo, "groupRoleSetting", "broken");
  });

  it("sync: a rule changed in the tenant becomes a commit of the relationship's document, attributed through the audit log", async () => {
    const base = git(repo.dir, "rev-parse", "HEAD");
    const { policyId } = await policyOf(group.id, "owner");
    await client.api(`${POLICIES}/${policyId}/rules/Notification_Admin_Admin_Assignment`).patch({ "@odata.type": `${RULE}NotificationRule`, notificationLevel: "Critical", notificationRecipients: ["soc@contoso.com"] });
    catchUpAuditLog(started.sandbox);
    const sync = await repo.cli("sync");
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    const changed = git(repo.dir, "log", "--format=", "--name-only", `${base}..HEAD`, "--", "tenant-config/groupRoleSetting").split("\n").filter(Boolean);
    expect(changed).toEqual([`tenant-config/groupRoleSetting/${TIER0}.owner.yaml`]);
    const message = git(repo.dir, "log", "-1", "--format=%B", "--", "tenant-config/groupRoleSetting");
    expect(message).toContain("Update role setting in PIM");
    expect(message).not.toContain("no audit record");
    const notification = (readDoc(repo, "groupRoleSetting", `${TIER0}.owner`).spec.rules as Rule[]).find((r) => r.id === "Notification_Admin_Admin_Assignment");
    expect(notification).toMatchObject({ notificationLevel: "Critical", notificationRecipients: ["soc@contoso.com"] });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: activating a membership follows the group's member settings (at most its maximum duration, with the ticket it requires)", async () => {
    const { policyId } = await policyOf(group.id, "member");
    const rules = `${POLICIES}/${policyId}/rules`;
    await client.api(`${rules}/Expiration_EndUser_Assignment`).patch({ "@odata.type": `${RULE}ExpirationRule`, isExpirationRequired: true, maximumDuration: "PT2H" });
    await client.api(`${rules}/Enablement_EndUser_Assignment`).patch({ "@odata.type": `${RULE}EnablementRule`, enabledRules: ["Justification", "Ticketing"] });
    const requests = "/identityGovernance/privilegedAccess/group/assignmentScheduleRequests";
    const me = asUser(started, alice.userPrincipalName);
    const activate = (duration: string, extra: Record<string, unknown> = {}): Promise<unknown> =>
      me.api(requests).post({ action: "selfActivate", accessId: "member", principalId: alice.id, groupId: group.id, justification: "incident 42", scheduleInfo: { expiration: { type: "afterDuration", duration } }, ...extra });
    const ticket = { ticketInfo: { ticketNumber: "INC-42", ticketSystem: "ServiceNow" } };
    await expect(activate("PT3H", ticket)).rejects.toMatchObject({ statusCode: 400, code: "RoleAssignmentRequestPolicyValidationFailed", message: 'The following policy rules failed: ["ExpirationRule"]' });
    await expect(activate("PT2H")).rejects.toMatchObject({ statusCode: 400, code: "RoleAssignmentRequestPolicyValidationFailed", message: 'The following policy rules failed: ["TicketingRule"]' });
    expect(await activate("PT2H", ticket)).toMatchObject({ status: "Provisioned" });
    await me.api(requests).post({ action: "selfDeactivate", accessId: "member", principalId: alice.id, groupId: group.id });
  });

  // Last: the apps it makes hold privileged permissions, which apply's guards would then report.
  it("sandbox: a group's policies need RoleManagementPolicy.*.AzureADGroup (read to list, ReadWrite to PATCH); the directory roles' permissions do not reach them", async () => {
    const seed = (started.sandbox.tenant as SandboxTenant).seedApi();
    const appWith = (roles: string[]): Client => {
      const appId = randomUUID();
      const secret = `grs-${randomUUID()}`;
      seed.create("applications", { displayName: `grs-${roles.join("-")}`, appId });
      seed.addClientSecret(appId, secret, "test");
      seed.grantAppRoles(appId, roles);
      return graphClient(started.sandbox, credentialFor(started.sandbox, appId, secret));
    };
    const directoryOnly = appWith(["RoleManagementPolicy.ReadWrite.Directory"]);
    const groupReader = appWith(["RoleManagementPolicy.Read.AzureADGroup"]);
    await expect(directoryOnly.api(ASSIGNMENTS).filter(scope(group.id)).get()).rejects.toMatchObject({ statusCode: 403 });
    expect(((await directoryOnly.api(ASSIGNMENTS).filter("scopeId eq '/' and scopeType eq 'DirectoryRole'").top(1).get()) as List).value).toHaveLength(1);
    const listed = (await groupReader.api(ASSIGNMENTS).filter(scope(group.id)).get()) as List;
    expect(listed.value.map((a) => a["roleDefinitionId"]).sort()).toEqual(["member", "owner"]);
    await expect(groupReader.api(ASSIGNMENTS).filter("scopeId eq '/' and scopeType eq 'DirectoryRole'").get()).rejects.toMatchObject({ statusCode: 403 });
    const { policyId, rules: before } = await policyOf(group.id, "member");
    const body = { "@odata.type": `${RULE}ExpirationRule`, id: "Expiration_EndUser_Assignment", isExpirationRequired: true, maximumDuration: "PT5H" };
    await expect(groupReader.api(`${POLICIES}/${policyId}/rules/Expiration_EndUser_Assignment`).patch(body)).rejects.toMatchObject({ statusCode: 403 });
    await expect(directoryOnly.api(`${POLICIES}/${policyId}/rules/Expiration_EndUser_Assignment`).patch(body)).rejects.toMatchObject({ statusCode: 403 });
    // Neither refused PATCH changed the rule.
    expect(plain((await policyOf(group.id, "member")).rules.get("Expiration_EndUser_Assignment"))).toEqual(plain(before.get("Expiration_EndUser_Assignment")));
  });
});
