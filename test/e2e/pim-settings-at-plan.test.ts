/**
 * Plan refuses a PIM schedule its settings would make Graph refuse (README "PIM for groups
 * eligibility"; docs/graph-behaviour.md, "PIM settings govern administrators' requests"): a
 * `groupEligibility` against its relationship's `groupRoleSetting` (or Microsoft's defaults for
 * groups), a `roleEligibility` against its role's `roleSetting`, so apply writes nothing rather
 * than failing halfway.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import { defaultKindNames } from "../../src/model/kind.js";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, exportedRepo, findByName, removeDoc, writeDoc } from "./apply-fixture.js";

const GROUP_SCHEDULES = "/identityGovernance/privilegedAccess/group/eligibilitySchedules";
const GROUP_REQUESTS = "/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests";
const TIER0 = "rag-conditional-access-admins"; // role-assignable security group of the demo seed
const EXPIRATION_RULE = "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule";
type List = { value: Record<string, unknown>[] };

describe("plan holds PIM schedules to the settings they will be written under", () => {
  let started: StartedSandbox<SandboxTenant>;
  let repo: ExportedRepo;
  let client: Client;
  let bob: { id: string; userPrincipalName: string };
  let group: { id: string };
  const bobsSchedules = async (): Promise<Record<string, unknown>[]> => ((await client.api(GROUP_SCHEDULES).filter(`groupId eq '${group.id}'`).get()) as List).value.filter((s) => s.principalId === bob.id);
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    const alice = ((await client.api("/users").filter("startswith(userPrincipalName,'alice@')").get()) as List).value[0] as { id: string };
    bob = ((await client.api("/users").filter("startswith(userPrincipalName,'bob@')").get()) as List).value[0] as typeof bob;
    group = (await findByName(client, "/groups", TIER0)) as typeof group;
    // PIM governs the group (and so it has settings) once a first time-bound eligibility is made.
    await client.api(GROUP_REQUESTS).post({ action: "adminAssign", accessId: "member", principalId: alice.id, groupId: group.id, scheduleInfo: { expiration: { type: "afterDuration", duration: "P90D" } } });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: [...defaultKindNames(), "groupEligibility", "groupRoleSetting", "roleEligibility", "roleSetting"] });
  });
  afterAll(async () => started?.stop());

  it("a permanent or too long group eligibility under the groups' defaults is refused by plan, naming the document, field and rule; apply writes nothing", async () => {
    for (const expiration of [{ type: "noExpiration" }, { type: "afterDuration", duration: "P400D" }]) {
      writeDoc(repo, { kind: "groupEligibility", name: "tier0-member-bob", spec: { accessId: "member", groupId: `group:${TIER0}`, principalId: `user:${bob.userPrincipalName}`, scheduleInfo: { expiration } } });
      commit(repo, "bob may be a tier-0 member");
      const planned = await repo.cli("plan");
      const text = planned.stdout + planned.stderr;
      expect(planned.code, text).not.toBe(0);
      expect(text).toContain("groupEligibility/tier0-member-bob");
      expect(text).toContain(expiration.type === "noExpiration" ? "spec.scheduleInfo.expiration: a permanent schedule" : "spec.scheduleInfo.expiration.duration: P400D is longer than P365D");
      expect(text).toContain("Expiration_Admin_Eligibility");
      expect(text).toContain("Microsoft's default settings");
      const applied = await repo.cli("apply", "--auto-approve");
      expect(applied.code).not.toBe(0);
      expect(await bobsSchedules()).toEqual([]);
    }
    removeDoc(repo, "groupEligibility", "tier0-member-bob");
    commit(repo, "not yet");
  });

  it("once the members' settings allow it (groupRoleSetting), the permanent eligibility plans and applies", async () => {
    writeDoc(repo, {
      kind: "groupRoleSetting",
      name: `${TIER0}.member`,
      spec: { scopeId: `group:${TIER0}`, roleDefinitionId: "member", rules: [{ "@odata.type": EXPIRATION_RULE, id: "Expiration_Admin_Eligibility", isExpirationRequired: false }] },
    });
    commit(repo, "tier-0 members may be eligible for good");
    // The setting document alone is enough for plan: it is what the eligibility will be written under.
    writeDoc(repo, { kind: "groupEligibility", name: "tier0-member-bob", spec: { accessId: "member", groupId: `group:${TIER0}`, principalId: `user:${bob.userPrincipalName}`, scheduleInfo: { expiration: { type: "noExpiration" } } } });
    const planned = await repo.cli("plan");
    expect(planned.code, planned.stdout + planned.stderr).toBe(0);
    removeDoc(repo, "groupEligibility", "tier0-member-bob");
    expect(await applyConverges(repo)).toContain(`groupRoleSetting/${TIER0}.member`);
    writeDoc(repo, { kind: "groupEligibility", name: "tier0-member-bob", spec: { accessId: "member", groupId: `group:${TIER0}`, principalId: `user:${bob.userPrincipalName}`, scheduleInfo: { expiration: { type: "noExpiration" } } } });
    commit(repo, "bob is an eligible tier-0 member for good");
    expect(await applyConverges(repo)).toContain("created groupEligibility/tier0-member-bob");
    expect(await bobsSchedules()).toMatchObject([{ accessId: "member", scheduleInfo: { expiration: { type: "noExpiration" } } }]);
  });

  it("a role eligibility longer than its roleSetting allows is refused by plan; within it, it applies", async () => {
    writeDoc(repo, {
      kind: "roleSetting",
      name: "helpdesk-administrator",
      spec: { roleDefinitionId: "role:Helpdesk Administrator", rules: [{ "@odata.type": EXPIRATION_RULE, id: "Expiration_Admin_Eligibility", isExpirationRequired: true, maximumDuration: "P30D" }] },
    });
    writeDoc(repo, { kind: "roleEligibility", name: "helpdesk-administrator-bob", spec: { principalId: `user:${bob.userPrincipalName}`, roleDefinitionId: "role:Helpdesk Administrator", directoryScopeId: "/", scheduleInfo: { expiration: { type: "noExpiration" } } } });
    commit(repo, "helpdesk eligibilities end within a month; bob's does not");
    const refused = await repo.cli("plan");
    const text = refused.stdout + refused.stderr;
    expect(refused.code, text).not.toBe(0);
    expect(text).toContain("roleEligibility/helpdesk-administrator-bob");
    expect(text).toContain("roleSetting of role:Helpdesk Administrator require an end (Expiration_Admin_Eligibility.isExpirationRequired)");
    writeDoc(repo, { kind: "roleEligibility", name: "helpdesk-administrator-bob", spec: { principalId: `user:${bob.userPrincipalName}`, roleDefinitionId: "role:Helpdesk Administrator", directoryScopeId: "/", scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } } } });
    commit(repo, "bob's helpdesk eligibility lasts a month");
    expect(await applyConverges(repo)).toContain("created roleEligibility/helpdesk-administrator-bob");
  });
});
