import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import { defaultKindNames } from "../../src/model/kind.js";
import { DEFAULT_ROLE_SETTING_RULE_BY_ID } from "../../src/kinds/roleSetting.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, startSandbox } from "../helpers/sandbox.js";
import { git, sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { asUser } from "../helpers/actors.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const ASSIGNMENTS = "/policies/roleManagementPolicyAssignments";
const POLICIES = "/policies/roleManagementPolicies";
const SCOPE = "scopeId eq '/' and scopeType eq 'DirectoryRole'";
const SECURITY_ADMIN = "194ae4cb-b126-40b2-bd5b-6091b380977d";
const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
const RULE = "#microsoft.graph.unifiedRoleManagementPolicy";
type Rule = Record<string, unknown> & { id: string };
type List = { value: Record<string, unknown>[] };

/** A role's policy id and its rules by id, as Graph lists them. */
async function policyOf(client: Client, roleId: string): Promise<{ policyId: string; rules: Map<string, Rule> }> {
  const listed = (await client.api(ASSIGNMENTS).filter(`${SCOPE} and roleDefinitionId eq '${roleId}'`).expand("policy($expand=rules)").get()) as List;
  expect(listed.value).toHaveLength(1);
  const assignment = listed.value[0] as { policyId: string; policy: { rules: Rule[] } };
  return { policyId: assignment.policyId, rules: new Map(assignment.policy.rules.map((r) => [r.id, r])) };
}

/** A rule as Graph holds it, without the annotations the answer adds. */
function plain(rule: Rule | undefined): Record<string, unknown> {
  return JSON.parse(JSON.stringify(rule ?? {}, (key, value: unknown) => (key.startsWith("@odata.") && key !== "@odata.type" ? undefined : value))) as Record<string, unknown>;
}

describe("roleSetting: PIM settings of directory roles, only those away from Microsoft's defaults", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let user: { id: string; userPrincipalName: string };
  let context: string;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    user = ((await client.api("/users").top(1).get()) as List).value[0] as typeof user;
    // Someone shortened Security Administrator's activation in the portal before the first export.
    const { policyId } = await policyOf(client, SECURITY_ADMIN);
    await client.api(`${POLICIES}/${policyId}/rules/Expiration_EndUser_Assignment`).patch({ "@odata.type": `${RULE}ExpirationRule`, id: "Expiration_EndUser_Assignment", isExpirationRequired: true, maximumDuration: "PT4H" });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: [...defaultKindNames(), "roleSetting"] });
    context = (readdirSync(join(repo.dir, "tenant-config", "authenticationContextClassReference")).find((f) => f.includes("sensitive")) ?? "").replace(/\.yaml$/, "");
  });
  afterAll(async () => started?.stop());

  it("is opt-in, exports only the role whose settings differ (by role name, only its changed rule), and plans empty", async () => {
    expect(defaultKindNames()).not.toContain("roleSetting");
    expect(readdirSync(join(repo.dir, "tenant-config", "roleSetting"))).toEqual(["security-administrator.yaml"]);
    expect(readDoc(repo, "roleSetting", "security-administrator").spec).toEqual({
      roleDefinitionId: "role:Security Administrator",
      rules: [{ "@odata.type": `${RULE}ExpirationRule`, id: "Expiration_EndUser_Assignment", isExpirationRequired: true, maximumDuration: "PT4H" }],
    });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("edits rules (activation 1 h, MFA + justification + ticket, approval by a named user) → apply → empty plan", async () => {
    editSpec(repo, "roleSetting", "security-administrator", (spec) => {
      spec.rules = [
        { "@odata.type": `${RULE}ExpirationRule`, id: "Expiration_EndUser_Assignment", maximumDuration: "PT1H" },
        { "@odata.type": `${RULE}EnablementRule`, id: "Enablement_EndUser_Assignment", enabledRules: ["MultiFactorAuthentication", "Justification", "Ticketing"] },
        {
          "@odata.type": `${RULE}ApprovalRule`,
          id: "Approval_EndUser_Assignment",
          setting: { isApprovalRequired: true, approvalStages: [{ approvalStageTimeOutInDays: 1, primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: `user:${user.userPrincipalName}` }] }] },
        },
      ];
    });
    commit(repo, "security administrators activate for an hour, with a ticket and approval");
    const plan = await repo.cli("plan");
    expect(plan.stdout).toContain("roleSetting/security-administrator");
    expect(await applyConverges(repo)).toContain("updated roleSetting/security-administrator");
    const { rules } = await policyOf(client, SECURITY_ADMIN);
    expect(rules.get("Expiration_EndUser_Assignment")).toMatchObject({ isExpirationRequired: true, maximumDuration: "PT1H" });
    expect([...(rules.get("Enablement_EndUser_Assignment")?.enabledRules as string[])].sort()).toEqual(["Justification", "MultiFactorAuthentication", "Ticketing"]);
    expect(rules.get("Approval_EndUser_Assignment")).toMatchObject({
      setting: { isApprovalRequired: true, isRequestorJustificationRequired: true, approvalMode: "SingleStage", approvalStages: [{ isApproverJustificationRequired: true, primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: user.id }] }] },
    });
    // Exported again, the approver reads back by name and the rule whole (what it left out at Microsoft's default).
    const exported = await repo.cli("export");
    expect(exported.code, exported.stderr).toBe(0);
    const approval = (readDoc(repo, "roleSetting", "security-administrator").spec.rules as Rule[]).find((r) => r.id === "Approval_EndUser_Assignment");
    expect(approval?.setting).toEqual({
      isApprovalRequired: true,
      isApprovalRequiredForExtension: false,
      isRequestorJustificationRequired: true,
      approvalMode: "SingleStage",
      approvalStages: [{ approvalStageTimeOutInDays: 1, isApproverJustificationRequired: true, escalationTimeInMinutes: 0, isEscalationEnabled: false, primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: `user:${user.userPrincipalName}` }] }],
    });
    commit(repo, "export");
  });

  it("a document for a role at its defaults writes over its policy (authentication context by name, activation without MFA); a rule left out goes back to its default", async () => {
    writeDoc(repo, {
      kind: "roleSetting",
      name: "global-administrator",
      spec: {
        roleDefinitionId: "role:Global Administrator",
        rules: [
          { "@odata.type": `${RULE}AuthenticationContextRule`, id: "AuthenticationContext_EndUser_Assignment", isEnabled: true, claimValue: `authenticationContext:${context}` },
          // Justification only: the authentication context takes MFA's place.
          { "@odata.type": `${RULE}EnablementRule`, id: "Enablement_EndUser_Assignment", enabledRules: ["Justification"] },
          { "@odata.type": `${RULE}EnablementRule`, id: "Enablement_Admin_Assignment" },
        ],
      },
    });
    commit(repo, "global administrators activate through the sensitive data context");
    const plan = await repo.cli("plan");
    expect(plan.stdout).toContain("roleSetting/global-administrator");
    expect(plan.stdout).toContain("nothing is created");
    expect(await applyConverges(repo)).toContain("roleSetting/global-administrator");
    let { rules } = await policyOf(client, GLOBAL_ADMIN);
    expect(rules.get("AuthenticationContext_EndUser_Assignment")).toMatchObject({ isEnabled: true, claimValue: "c1" });
    expect(rules.get("Enablement_EndUser_Assignment")?.enabledRules).toEqual(["Justification"]);
    // Listed without enabledRules: none (documents cannot hold an empty list).
    expect(rules.get("Enablement_Admin_Assignment")?.enabledRules).toEqual([]);

    editSpec(repo, "roleSetting", "global-administrator", (spec) => {
      spec.rules = (spec.rules as Rule[]).filter((r) => r.id !== "Enablement_Admin_Assignment");
    });
    commit(repo, "active assignments need a justification again");
    expect(await applyConverges(repo)).toContain("updated roleSetting/global-administrator");
    ({ rules } = await policyOf(client, GLOBAL_ADMIN));
    expect(plain(rules.get("Enablement_Admin_Assignment"))).toEqual(DEFAULT_ROLE_SETTING_RULE_BY_ID.get("Enablement_Admin_Assignment"));
  });

  it("a removed document is the role back at Microsoft's defaults (with prune and --allow-delete): every rule PATCHed, nothing deleted", async () => {
    removeDoc(repo, "roleSetting", "global-administrator");
    commit(repo, "global administrator back to the defaults");
    const plan = await repo.cli("plan");
    expect(plan.stdout).toContain("roleSetting/global-administrator");
    expect(plan.stdout).toContain("nothing is deleted");
    expect(await applyConverges(repo, "--allow-delete")).toContain("deleted roleSetting/global-administrator");
    const { rules } = await policyOf(client, GLOBAL_ADMIN);
    expect(rules.size).toBe(17);
    for (const [id, rule] of rules) expect(plain(rule), id).toEqual(DEFAULT_ROLE_SETTING_RULE_BY_ID.get(id));
    const exported = await repo.cli("export");
    expect(exported.code, exported.stderr).toBe(0);
    expect(existsSync(join(repo.dir, "tenant-config", "roleSetting", "global-administrator.yaml"))).toBe(false);
  });

  it("validate names file, line and field: a rule without its type or id, a role missing", async () => {
    writeDoc(repo, { kind: "roleSetting", name: "broken", spec: { rules: [{ id: "Expiration_EndUser_Assignment", maximumDuration: "PT1H" }] } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/roleSetting\/broken\.yaml:\d+:\d+/);
    expect(text).toContain("roleDefinitionId");
    expect(text).toContain("@odata.type");
    removeDoc(repo, "roleSetting", "broken");
  });

  it("sandbox: lists need the scope filter; policies are read-only; a rule PATCH needs its own @odata.type, an existing rule id, its type's properties and valid values", async () => {
    await expect(client.api(ASSIGNMENTS).get()).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(POLICIES).get()).rejects.toMatchObject({ statusCode: 400 });
    const { policyId } = await policyOf(client, GLOBAL_ADMIN);
    const rule = `${POLICIES}/${policyId}/rules`;
    await expect(client.api(POLICIES).post({ displayName: "mine" })).rejects.toMatchObject({ statusCode: expect.any(Number) });
    await expect(client.api(`${POLICIES}/${policyId}`).patch({ displayName: "mine" })).rejects.toMatchObject({ statusCode: expect.any(Number) });
    await expect(client.api(`${rule}/Expiration_EndUser_Assignment`).patch({ maximumDuration: "PT2H" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${rule}/Expiration_EndUser_Assignment`).patch({ "@odata.type": `${RULE}EnablementRule`, enabledRules: [] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${rule}/Expiration_Someone_Assignment`).patch({ "@odata.type": `${RULE}ExpirationRule`, maximumDuration: "PT2H" })).rejects.toMatchObject({ statusCode: 404 });
    await expect(client.api(`${rule}/Expiration_EndUser_Assignment`).patch({ "@odata.type": `${RULE}ExpirationRule`, enabledRules: [] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${rule}/Expiration_EndUser_Assignment`).patch({ "@odata.type": `${RULE}ExpirationRule`, maximumDuration: "two hours" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${rule}/Enablement_EndUser_Assignment`).patch({ "@odata.type": `${RULE}EnablementRule`, enabledRules: ["Fingerprint"] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${rule}/Notification_Admin_Admin_Assignment`).patch({ "@odata.type": `${RULE}NotificationRule`, notificationLevel: "Loud" })).rejects.toMatchObject({ statusCode: 400 });
    const nobody = "00000000-0000-0000-0000-0000000000ab";
    await expect(
      client.api(`${rule}/Approval_EndUser_Assignment`).patch({ "@odata.type": `${RULE}ApprovalRule`, setting: { isApprovalRequired: true, approvalStages: [{ primaryApprovers: [{ "@odata.type": "#microsoft.graph.singleUser", userId: nobody }] }] } }),
    ).rejects.toMatchObject({ statusCode: 400 });
    // None of the refused writes changed the role.
    const { rules } = await policyOf(client, GLOBAL_ADMIN);
    for (const [id, current] of rules) expect(plain(current), id).toEqual(DEFAULT_ROLE_SETTING_RULE_BY_ID.get(id));
  });

  it("sync: a rule changed in the tenant becomes a commit of the role's document, attributed through the audit log", async () => {
    const base = git(repo.dir, "rev-parse", "HEAD");
    const { policyId } = await policyOf(client, SECURITY_ADMIN);
    await client.api(`${POLICIES}/${policyId}/rules/Notification_Admin_Admin_Assignment`).patch({ "@odata.type": `${RULE}NotificationRule`, notificationLevel: "Critical", notificationRecipients: ["soc@contoso.com"] });
    catchUpAuditLog(started.sandbox);
    const sync = await repo.cli("sync");
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    const changed = git(repo.dir, "log", "--format=", "--name-only", `${base}..HEAD`, "--", "tenant-config/roleSetting").split("\n").filter(Boolean);
    expect(changed).toEqual(["tenant-config/roleSetting/security-administrator.yaml"]);
    const message = git(repo.dir, "log", "-1", "--format=%B", "--", "tenant-config/roleSetting");
    expect(message).toContain("Update role setting in PIM");
    expect(message).toContain("properties: Notification_Admin_Admin_Assignment");
    expect(message).not.toContain("no audit record");
    const notification = (readDoc(repo, "roleSetting", "security-administrator").spec.rules as Rule[]).find((r) => r.id === "Notification_Admin_Admin_Assignment");
    expect(notification).toMatchObject({ notificationLevel: "Critical", notificationRecipients: ["soc@contoso.com"] });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: a rule update is audited as Update role setting in PIM, naming the role and the policy", async () => {
    const audits = (await client.api("/auditLogs/directoryAudits").filter("activityDisplayName eq 'Update role setting in PIM'").get()) as List;
    const { policyId } = await policyOf(client, SECURITY_ADMIN);
    expect(audits.value.some((a) => JSON.stringify(a["targetResources"]).includes(SECURITY_ADMIN) && JSON.stringify(a["targetResources"]).includes(policyId))).toBe(true);
  });
  it("sandbox: PIM activation follows the role's settings (at most its maximum duration, with the ticket it requires)", async () => {
    // Security Administrator: activation at most PT1H, with MFA, justification and a ticket (the edit above).
    const upn = "alice@contoso.onmicrosoft.com";
    const aliceId = String(((await client.api("/users").filter(`userPrincipalName eq '${upn}'`).get()) as List).value[0]?.id);
    await client.api("/roleManagement/directory/roleEligibilityScheduleRequests").post({ action: "adminAssign", principalId: aliceId, roleDefinitionId: SECURITY_ADMIN, directoryScopeId: "/", scheduleInfo: { expiration: { type: "noExpiration" } } });
    const alice = asUser(started, upn);
    const activations = "/roleManagement/directory/roleAssignmentScheduleRequests";
    const activate = (duration: string, extra: Record<string, unknown> = {}): Promise<unknown> =>
      alice.api(activations).post({ action: "selfActivate", principalId: aliceId, roleDefinitionId: SECURITY_ADMIN, directoryScopeId: "/", justification: "incident 42", scheduleInfo: { expiration: { type: "afterDuration", duration } }, ...extra });
    await expect(activate("PT2H", { ticketInfo: { ticketNumber: "INC-42", ticketSystem: "ServiceNow" } })).rejects.toMatchObject({ statusCode: 400, code: "RoleAssignmentRequestPolicyValidationFailed", message: 'The following policy rules failed: ["ExpirationRule"]' });
    await expect(activate("PT1H")).rejects.toMatchObject({ statusCode: 400, code: "RoleAssignmentRequestPolicyValidationFailed", message: 'The following policy rules failed: ["TicketingRule"]' });
    await expect(activate("PT1H", { justification: " ", ticketInfo: { ticketNumber: "INC-42", ticketSystem: "ServiceNow" } })).rejects.toMatchObject({ statusCode: 400, code: "RoleAssignmentRequestPolicyValidationFailed", message: 'The following policy rules failed: ["JustificationRule"]' });
    expect(await activate("PT1H", { ticketInfo: { ticketNumber: "INC-42", ticketSystem: "ServiceNow" } })).toMatchObject({ status: "Provisioned" });
    await alice.api(activations).post({ action: "selfDeactivate", principalId: aliceId, roleDefinitionId: SECURITY_ADMIN, directoryScopeId: "/" });
  });
});
