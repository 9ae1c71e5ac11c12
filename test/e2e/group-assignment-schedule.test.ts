/**
 * groupAssignmentSchedule: PIM for groups' time-bound active membership and ownership made by an
 * administrator, and the group kind leaving those principals (and activated eligibilities) out of
 * its members while a PIM for groups kind is in scope, so each membership is in exactly one
 * document (README "Time-bound active membership and ownership of groups").
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import { GraphError } from "@microsoft/microsoft-graph-client";
import { defaultKindNames } from "../../src/model/kind.js";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, startSandbox } from "../helpers/sandbox.js";
import { asUser } from "../helpers/actors.js";
import { git, sandboxEnv } from "../helpers/cli.js";
import { BOOTSTRAP_APP_NAME } from "../../src/sandbox/tenant/identity/bootstrap.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, findByName, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const SCHEDULES = "/identityGovernance/privilegedAccess/group/assignmentSchedules";
const REQUESTS = "/identityGovernance/privilegedAccess/group/assignmentScheduleRequests";
const ELIGIBILITY_REQUESTS = "/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests";
const POLICY_ASSIGNMENTS = "/policies/roleManagementPolicyAssignments";
const TIER0 = "rag-conditional-access-admins"; // role-assignable security group of the demo seed
const CREATORS = "sg-m365-group-creators"; // alice and quinn.murphy are members
const BOB = "bob@contoso.onmicrosoft.com";
type List = { value: Record<string, unknown>[] };

/** An instant `days` from now on the sandbox clock's start, as Graph writes one (whole seconds). */
function daysFromNow(days: number): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 + days * 86_400_000).toISOString().replace(/\.000Z$/, "Z");
}

async function refusal(request: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await request;
  } catch (error) {
    if (error instanceof GraphError) return { status: error.statusCode, code: String(error.code) };
    throw error;
  }
  throw new Error("the request was accepted");
}

/** Every document of the repository that names `reference` (a YAML scalar), by kind/name. */
function documentsNaming(repo: ExportedRepo, reference: string, kinds: readonly string[]): string[] {
  const found: string[] = [];
  for (const kind of kinds) {
    const dir = join(repo.dir, "tenant-config", kind);
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith(".yaml"));
    } catch {
      continue;
    }
    for (const file of files) if (readFileSync(join(dir, file), "utf8").includes(reference)) found.push(`${kind}/${file.replace(/\.yaml$/, "")}`);
  }
  return found.sort();
}

describe("groupAssignmentSchedule: time-bound group membership and ownership through PIM for groups", () => {
  let started: StartedSandbox<SandboxTenant>;
  let repo: ExportedRepo;
  let client: Client;
  let bobClient: Client;
  let alice: { id: string; userPrincipalName: string };
  let bob: { id: string };
  let dana: { id: string; userPrincipalName: string };
  let tier0: { id: string };
  let creators: { id: string };
  const aliceEnd = daysFromNow(30);
  const name = `${TIER0}-member-alice`;
  const user = async (prefix: string): Promise<{ id: string; userPrincipalName: string }> =>
    ((await client.api("/users").filter(`startswith(userPrincipalName,'${prefix}@')`).get()) as List).value[0] as { id: string; userPrincipalName: string };
  const schedulesOf = async (groupId: string): Promise<Record<string, unknown>[]> => ((await client.api(SCHEDULES).filter(`groupId eq '${groupId}'`).get()) as List).value;
  const memberIds = async (groupId: string, segment = "members"): Promise<string[]> => ((await client.api(`/groups/${groupId}/${segment}`).get()) as List).value.map((o) => String(o.id));
  const activation = (action: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    action,
    accessId: "member",
    principalId: bob.id,
    groupId: creators.id,
    justification: "creating the project's team",
    scheduleInfo: { expiration: { type: "afterDuration", duration: "PT2H" } },
    ...extra,
  });

  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    bobClient = asUser(started, BOB);
    alice = await user("alice");
    bob = await user("bob");
    dana = await user("dana.kim");
    tier0 = (await findByName(client, "/groups", TIER0)) as typeof tier0;
    creators = (await findByName(client, "/groups", CREATORS)) as typeof creators;
    // A time-bound member (this kind's), a permanent one made through PIM (the group's), an eligibility.
    const made = (await client.api(REQUESTS).post({
      action: "AdminAssign", // Graph takes the action in any case
      accessId: "member",
      principalId: alice.id,
      groupId: tier0.id,
      justification: "quarterly access review",
      scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: aliceEnd } },
    })) as { id: string; status: string; action: string; targetScheduleId: string };
    expect(made).toMatchObject({ status: "Provisioned", action: "adminAssign", targetScheduleId: `${tier0.id}_member_${made.id}` });
    // A group's PIM settings refuse a permanent assignment by default (docs/graph-behaviour.md): an
    // administrator allows permanent active membership of tier 0 first, as in the portal.
    const permanent = { action: "adminAssign", accessId: "member", principalId: dana.id, groupId: tier0.id, scheduleInfo: { expiration: { type: "noExpiration" } } };
    await expect(client.api(REQUESTS).post(permanent)).rejects.toMatchObject({ statusCode: 400, code: "RoleAssignmentRequestPolicyValidationFailed" });
    const membership = ((await client.api(POLICY_ASSIGNMENTS).filter(`scopeId eq '${tier0.id}' and scopeType eq 'Group' and roleDefinitionId eq 'member'`).get()) as List).value[0];
    await client.api(`/policies/roleManagementPolicies/${String(membership?.policyId)}/rules/Expiration_Admin_Assignment`).patch({ "@odata.type": "#microsoft.graph.unifiedRoleManagementPolicyExpirationRule", isExpirationRequired: false, maximumDuration: "P180D" });
    await client.api(REQUESTS).post(permanent);
    await client.api(ELIGIBILITY_REQUESTS).post({ action: "adminAssign", accessId: "member", principalId: bob.id, groupId: creators.id, scheduleInfo: { expiration: { type: "afterDuration", duration: "P180D" } } });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: [...defaultKindNames(), "groupEligibility", "groupAssignmentSchedule"] });
  });
  afterAll(async () => started?.stop());

  it("is opt-in: the default kinds leave it out", () => {
    expect(defaultKindNames()).not.toContain("groupAssignmentSchedule");
  });

  it("Graph lists a time-bound or PIM-made member among the group's members while it lasts", async () => {
    expect(await memberIds(tier0.id)).toEqual(expect.arrayContaining([alice.id, dana.id]));
    const schedules = await schedulesOf(tier0.id);
    expect(schedules.map((s) => [s.principalId, s.assignmentType, (s.scheduleInfo as { expiration: { type: string } }).expiration.type]).sort()).toEqual(
      [
        [alice.id, "assigned", "afterDateTime"],
        [dana.id, "assigned", "noExpiration"],
      ].sort(),
    );
  });

  it("exports the time-bound membership by name, not in the group's members; the permanent one stays the group's; plan is empty", async () => {
    expect(readDoc(repo, "groupAssignmentSchedule", name).spec).toEqual({
      accessId: "member",
      groupId: `group:${TIER0}`,
      principalId: `user:${alice.userPrincipalName}`,
      scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: aliceEnd } },
    });
    const members = readDoc(repo, "group", TIER0).spec.members as string[];
    expect(members).not.toContain(`user:${alice.userPrincipalName}`);
    expect(members).toContain(`user:${dana.userPrincipalName}`);
    // Each membership is in exactly one document.
    expect(documentsNaming(repo, `user:${alice.userPrincipalName}`, ["group", "groupAssignmentSchedule"]).filter((d) => d === `group/${TIER0}` || d.startsWith("groupAssignmentSchedule/"))).toEqual([`groupAssignmentSchedule/${name}`]);
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("an activated eligibility is not a member of the group's document: plan with prune proposes nothing, sync commits nothing", async () => {
    expect(await refusal(client.api(REQUESTS).post(activation("selfActivate")))).toMatchObject({ status: 403 });
    expect(await refusal(bobClient.api(REQUESTS).post(activation("selfActivate", { groupId: tier0.id })))).toMatchObject({ status: 400, code: "RoleAssignmentDoesNotExist" });
    expect(await refusal(bobClient.api(REQUESTS).post(activation("selfActivate", { scheduleInfo: { expiration: { type: "afterDuration", duration: "PT9H" } } })))).toMatchObject({ status: 400, code: "RoleAssignmentRequestPolicyValidationFailed" });
    expect(await refusal(bobClient.api(REQUESTS).post(activation("selfActivate", { justification: undefined })))).toMatchObject({ status: 400, code: "RoleAssignmentRequestPolicyValidationFailed" });
    const made = (await bobClient.api(REQUESTS).post(activation("selfActivate"))) as { status: string };
    expect(made.status).toBe("Provisioned");
    expect(await memberIds(creators.id)).toContain(bob.id);
    expect((await schedulesOf(creators.id)).filter((s) => s.principalId === bob.id)).toMatchObject([{ assignmentType: "activated", accessId: "member" }]);

    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    // A run narrowed to the groups still knows the configured PIM kinds: nothing to prune either.
    const narrowed = await repo.cli("plan", "--kinds", "group", "--detailed-exitcode");
    expect(narrowed.code, narrowed.stdout + narrowed.stderr).toBe(0);
    const drift = await repo.cli("drift");
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
    catchUpAuditLog(started.sandbox);
    const before = git(repo.dir, "rev-parse", "HEAD").trim();
    const sync = await repo.cli("sync");
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    expect(git(repo.dir, "diff", "--name-only", before, "HEAD").split("\n").filter((path) => path.includes("group/") || path.includes("groupAssignmentSchedule/"))).toEqual([]);
    expect(readDoc(repo, "group", CREATORS).spec.members).not.toContain(BOB);

    // Deactivated, bob is no longer a member; the group's document never changed.
    await bobClient.api(REQUESTS).post(activation("selfDeactivate", { justification: undefined, scheduleInfo: undefined }));
    expect(await memberIds(creators.id)).not.toContain(bob.id);
    expect(await refusal(bobClient.api(REQUESTS).post(activation("selfDeactivate", { justification: undefined, scheduleInfo: undefined })))).toMatchObject({ status: 400, code: "RoleAssignmentDoesNotExist" });
  });

  it("updates the end (adminUpdate: a new schedule id), then plans empty", async () => {
    const [before] = (await schedulesOf(tier0.id)).filter((s) => s.principalId === alice.id);
    const end = daysFromNow(90);
    editSpec(repo, "groupAssignmentSchedule", name, (spec) => {
      spec.scheduleInfo = { expiration: { type: "afterDateTime", endDateTime: end } };
    });
    commit(repo, "alice's tier-0 membership runs a quarter");
    expect(await applyConverges(repo)).toContain(`updated groupAssignmentSchedule/${name}`);
    const [after] = (await schedulesOf(tier0.id)).filter((s) => s.principalId === alice.id);
    expect(after).toMatchObject({ assignmentType: "assigned", memberType: "direct", scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: end } } });
    expect(after?.id).not.toBe(before?.id);
    expect(await memberIds(tier0.id)).toContain(alice.id);
  });

  it("creates a time-bound ownership (adminAssign) and deletes it (adminRemove): the owner comes and goes with it", async () => {
    writeDoc(repo, {
      kind: "groupAssignmentSchedule",
      name: "group-creators-owner-dana",
      spec: { accessId: "owner", groupId: `group:${CREATORS}`, principalId: `user:${dana.userPrincipalName}`, scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: daysFromNow(14) } } },
    });
    commit(repo, "dana owns the group creators for two weeks");
    expect(await applyConverges(repo)).toContain("created groupAssignmentSchedule/group-creators-owner-dana");
    expect(await memberIds(creators.id, "owners")).toContain(dana.id);
    const requests = ((await client.api(REQUESTS).filter(`groupId eq '${creators.id}' and action eq 'adminAssign'`).get()) as List).value;
    expect(requests).toMatchObject([{ justification: "entra-gitops apply", accessId: "owner", principalId: dana.id }]);
    expect(readDoc(repo, "group", CREATORS).spec.owners ?? []).not.toContain(`user:${dana.userPrincipalName}`);

    removeDoc(repo, "groupAssignmentSchedule", "group-creators-owner-dana");
    commit(repo, "dana no longer owns the group creators");
    // A live object without a document is named from its group, relationship and principal.
    expect(await applyConverges(repo, "--allow-delete")).toContain(`deleted groupAssignmentSchedule/${CREATORS}-owner-dana-kim`);
    expect(await memberIds(creators.id, "owners")).not.toContain(dana.id);
    expect((await schedulesOf(creators.id)).filter((s) => s.principalId === dana.id)).toEqual([]);
    const removals = ((await client.api(REQUESTS).filter(`groupId eq '${creators.id}' and action eq 'adminRemove'`).get()) as List).value;
    expect(removals).toMatchObject([{ status: "Revoked", accessId: "owner", principalId: dana.id }]);
  });

  it("validate takes only an end date, naming file, line and field", async () => {
    writeDoc(repo, {
      kind: "groupAssignmentSchedule",
      name: "forever",
      spec: { accessId: "member", groupId: `group:${TIER0}`, principalId: `user:${dana.userPrincipalName}`, scheduleInfo: { expiration: { type: "noExpiration" } } },
    });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/groupAssignmentSchedule\/forever\.yaml:\d+:\d+/);
    expect(text).toContain("scheduleInfo");
    removeDoc(repo, "groupAssignmentSchedule", "forever");

    // The same membership in the group's members too: one document only.
    editSpec(repo, "group", TIER0, (spec) => {
      spec.members = [...(spec.members as string[]), `user:${alice.userPrincipalName}`];
    });
    const twice = await repo.cli("validate");
    expect(twice.code).toBe(1);
    expect(twice.stdout + twice.stderr).toMatch(new RegExp(`tenant-config/groupAssignmentSchedule/${name}\\.yaml:\\d+:\\d+.*user:${alice.userPrincipalName.replace(/\./g, "\\.")} is in the members of group/${TIER0} too`));
    git(repo.dir, "checkout", "--", `tenant-config/group/${TIER0}.yaml`);
    expect((await repo.cli("validate")).code).toBe(0);
  });

  it("sync commits a time-bound membership added in the portal as its author's change, without touching the group's document", async () => {
    const pilot = await findByName(client, "/groups", "sg-ca-pilot-users");
    const baseline = git(repo.dir, "rev-parse", "HEAD").trim();
    started.sandbox.tenant.clock.advance(60_000);
    const end = daysFromNow(7);
    await client.api(REQUESTS).post({ action: "adminAssign", accessId: "owner", principalId: alice.id, groupId: String(pilot.id), scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: end } } });
    catchUpAuditLog(started.sandbox);
    const synced = await repo.cli("sync");
    expect(synced.code, synced.stderr + synced.stdout).toBe(0);
    expect(readDoc(repo, "groupAssignmentSchedule", "sg-ca-pilot-users-owner-alice").spec).toEqual({
      accessId: "owner",
      groupId: "group:sg-ca-pilot-users",
      principalId: `user:${alice.userPrincipalName}`,
      scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: end } },
    });
    expect(git(repo.dir, "log", "-1", "--format=%an").trim()).toBe(BOOTSTRAP_APP_NAME);
    expect(git(repo.dir, "log", `${baseline}..HEAD`, "--format=%B")).toContain("Add member to role in PIM completed (timebound)");
    const touched = git(repo.dir, "log", `${baseline}..HEAD`, "--name-only", "--format=").split("\n").filter((f) => f.startsWith("tenant-config/"));
    expect(touched).toEqual(["tenant-config/groupAssignmentSchedule/sg-ca-pilot-users-owner-alice.yaml"]);
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: an unfiltered list is refused; a member is an assignment already; a removed member takes its schedule with it", async () => {
    await expect(client.api(SCHEDULES).get()).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(REQUESTS).get()).rejects.toMatchObject({ statusCode: 400 });
    const quinn = await user("quinn.murphy");
    expect(await refusal(client.api(REQUESTS).post({ action: "adminAssign", accessId: "member", principalId: quinn.id, groupId: creators.id, scheduleInfo: { expiration: { type: "afterDuration", duration: "P1D" } } }))).toMatchObject({
      status: 400,
      code: "RoleAssignmentExists",
    });
    await client.api(`/groups/${tier0.id}/members/${dana.id}/$ref`).delete();
    expect((await schedulesOf(tier0.id)).map((s) => s.principalId)).not.toContain(dana.id);
  });

  it("ends on its own at its end: the member leaves the group, and sync removes the document without adding alice to the group's", async () => {
    const [schedule] = (await schedulesOf(tier0.id)).filter((s) => s.principalId === alice.id);
    const end = Date.parse(String((schedule?.scheduleInfo as { expiration: { endDateTime: string } }).expiration.endDateTime));
    started.sandbox.tenant.clock.advance(end - started.sandbox.tenant.clock.now().getTime() + 60_000);
    client = admin(started); // a fresh token on the moved clock
    expect(await memberIds(tier0.id)).not.toContain(alice.id);
    expect((await schedulesOf(tier0.id)).filter((s) => s.principalId === alice.id)).toEqual([]);
    // (The plan's own "ended" warning is measured at the plan's real time: test/plan/ended.test.ts.)
    catchUpAuditLog(started.sandbox);
    const synced = await repo.cli("sync");
    expect(synced.code, synced.stderr + synced.stdout).toBe(0);
    expect(existsSync(join(repo.dir, "tenant-config", "groupAssignmentSchedule", `${name}.yaml`))).toBe(false);
    expect(readDoc(repo, "group", TIER0).spec.members).not.toContain(`user:${alice.userPrincipalName}`);
  });
});

describe("without a PIM for groups kind in scope, the group kind is as before", () => {
  let started: StartedSandbox<SandboxTenant>;
  afterAll(async () => started?.stop());

  it("a time-bound member is an ordinary member of the group's document, and the group's read asks PIM nothing", async () => {
    started = await startSandbox({ seed: "demo" });
    const client = admin(started);
    const alice = ((await client.api("/users").filter("startswith(userPrincipalName,'alice@')").get()) as List).value[0] as { id: string; userPrincipalName: string };
    const tier0 = await findByName(client, "/groups", TIER0);
    await client.api(REQUESTS).post({ action: "adminAssign", accessId: "member", principalId: alice.id, groupId: String(tier0.id), scheduleInfo: { expiration: { type: "afterDuration", duration: "P30D" } } });
    started.sandbox.clearRequests();
    const repo = await exportedRepo(sandboxEnv(started.sandbox));
    expect(readDoc(repo, "group", TIER0).spec.members).toContain(`user:${alice.userPrincipalName}`);
    expect(started.sandbox.requests().filter((e) => e.path.includes("privilegedAccess"))).toEqual([]);
  });
});
