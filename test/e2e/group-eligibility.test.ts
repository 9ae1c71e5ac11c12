import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import { defaultKindNames } from "../../src/model/kind.js";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, startSandbox } from "../helpers/sandbox.js";
import { git, sandboxEnv } from "../helpers/cli.js";
import { BOOTSTRAP_APP_NAME } from "../../src/sandbox/tenant/identity/bootstrap.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, findByName, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const SCHEDULES = "/identityGovernance/privilegedAccess/group/eligibilitySchedules";
const REQUESTS = "/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests";
const TIER0 = "rag-conditional-access-admins"; // role-assignable security group of the demo seed
type List = { value: Record<string, unknown>[] };

/** An instant `days` from now, as Graph writes one (whole seconds). */
function daysFromNow(days: number): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 + days * 86_400_000).toISOString().replace(/\.000Z$/, "Z");
}

describe("groupEligibility: PIM for groups eligible membership and ownership, written through schedule requests", () => {
  let started: StartedSandbox<SandboxTenant>;
  let repo: ExportedRepo;
  let client: Client;
  let alice: { id: string; userPrincipalName: string };
  let group: { id: string };
  const name = `${TIER0}-member-alice`;
  // A group's PIM settings require eligibilities to end, within a year, by default (docs/graph-behaviour.md).
  const aliceEnd = daysFromNow(300);
  const schedulesOf = async (groupId: string): Promise<Record<string, unknown>[]> => ((await client.api(SCHEDULES).filter(`groupId eq '${groupId}'`).get()) as List).value;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    alice = ((await client.api("/users").filter("startswith(userPrincipalName,'alice@')").get()) as List).value[0] as typeof alice;
    group = (await findByName(client, "/groups", TIER0)) as typeof group;
    const made = (await client.api(REQUESTS).post({
      action: "AdminAssign", // Graph takes the action in any case (its own example)
      accessId: "member",
      principalId: alice.id,
      groupId: group.id,
      justification: "on call",
      scheduleInfo: { startDateTime: "2020-01-01T00:00:00Z", expiration: { type: "afterDateTime", endDateTime: aliceEnd } },
    })) as { id: string; status: string; action: string; targetScheduleId: string };
    expect(made).toMatchObject({ status: "Provisioned", action: "adminAssign", targetScheduleId: `${group.id}_member_${made.id}` });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: [...defaultKindNames(), "groupEligibility"] });
  });
  afterAll(async () => started?.stop());

  it("is opt-in: the default kinds leave it out", () => {
    expect(defaultKindNames()).not.toContain("groupEligibility");
  });

  it("exports the eligibility by name (group, relationship, principal; no start, no ids), not as a member of the group, and plans empty", async () => {
    expect(readDoc(repo, "groupEligibility", name).spec).toEqual({
      accessId: "member",
      groupId: `group:${TIER0}`,
      principalId: `user:${alice.userPrincipalName}`,
      scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: aliceEnd } },
    });
    // Eligible is not active: the group's members are unchanged.
    expect(readDoc(repo, "group", TIER0).spec.members).not.toContain(`user:${alice.userPrincipalName}`);
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("a changed relationship (create-only) is a removal and a new assignment, refused without --allow-recreate", async () => {
    editSpec(repo, "groupEligibility", name, (spec) => {
      spec.accessId = "owner";
    });
    commit(repo, "alice owns tier-0 instead");
    const plan = await repo.cli("plan");
    expect(plan.stdout).toContain(`groupEligibility/${name}`);
    expect(plan.stdout).toContain("must be replaced");
    const refused = await repo.cli("apply", "--auto-approve");
    expect(refused.code).not.toBe(0);
    await applyConverges(repo, "--allow-recreate");
    expect((await schedulesOf(group.id)).map((s) => s.accessId)).toEqual(["owner"]);
    // The document keeps its name; the relationship is in the spec.
    expect(existsSync(join(repo.dir, "tenant-config", "groupEligibility", `${name}.yaml`))).toBe(true);
  });

  it("updates the expiration (adminUpdate: a new schedule id), creates a membership (adminAssign) and deletes it (adminRemove), each followed by an empty plan", async () => {
    const before = (await schedulesOf(group.id))[0];
    const end = daysFromNow(180);
    editSpec(repo, "groupEligibility", name, (spec) => {
      spec.scheduleInfo = { expiration: { type: "afterDateTime", endDateTime: end } };
    });
    commit(repo, "alice's tier-0 eligible ownership ends");
    expect(await applyConverges(repo)).toContain(`updated groupEligibility/${name}`);
    const [updated] = await schedulesOf(group.id);
    expect(updated).toMatchObject({ principalId: alice.id, accessId: "owner", memberType: "direct", scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: end } } });
    expect(updated?.id).not.toBe(before?.id);

    writeDoc(repo, {
      kind: "groupEligibility",
      name: "tier0-member-quarter",
      spec: { accessId: "member", groupId: `group:${TIER0}`, principalId: `user:${alice.userPrincipalName}`, scheduleInfo: { expiration: { type: "afterDuration", duration: "P90D" } } },
    });
    commit(repo, "alice may be a tier-0 member for a quarter");
    expect(await applyConverges(repo)).toContain("created groupEligibility/tier0-member-quarter");
    const members = (await schedulesOf(group.id)).filter((s) => s.accessId === "member");
    expect(members).toMatchObject([{ principalId: alice.id, scheduleInfo: { expiration: { type: "afterDuration", duration: "P90D" } } }]);
    const requests = ((await client.api(REQUESTS).filter(`groupId eq '${group.id}' and targetScheduleId eq '${String(members[0]?.id)}'`).get()) as List).value;
    expect(requests).toMatchObject([{ action: "adminAssign", justification: "entra-gitops apply", accessId: "member" }]);
    // An eligible member or owner is neither until activated.
    const groupMembers = ((await client.api(`/groups/${group.id}/members`).get()) as List).value;
    const groupOwners = ((await client.api(`/groups/${group.id}/owners`).get()) as List).value;
    expect([...groupMembers, ...groupOwners].map((o) => o.id)).not.toContain(alice.id);

    removeDoc(repo, "groupEligibility", "tier0-member-quarter");
    commit(repo, "no tier-0 membership");
    // A live object without a document is named from its group, relationship and principal.
    expect(await applyConverges(repo, "--allow-delete")).toContain(`deleted groupEligibility/${TIER0}-member-alice`);
    expect((await schedulesOf(group.id)).filter((s) => s.accessId === "member")).toEqual([]);
    const removals = ((await client.api(REQUESTS).filter(`groupId eq '${group.id}' and action eq 'adminRemove'`).get()) as List).value;
    expect(removals.filter((r) => r.targetScheduleId === members[0]?.id)).toMatchObject([{ status: "Revoked", accessId: "member", principalId: alice.id }]);
  });

  it("validate requires groupId, accessId, principalId and scheduleInfo, naming file and line", async () => {
    writeDoc(repo, { kind: "groupEligibility", name: "broken", spec: { groupId: `group:${TIER0}` } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/groupEligibility\/broken\.yaml:\d+:\d+/);
    for (const field of ["accessId", "principalId", "scheduleInfo"]) expect(text).toContain(field);
    removeDoc(repo, "groupEligibility", "broken");
  });

  it("sync commits an eligibility added in the tenant as its author's change, and plan then proposes nothing", async () => {
    const pilot = await findByName(client, "/groups", "sg-ca-pilot-users");
    const baseline = git(repo.dir, "rev-parse", "HEAD");
    started.sandbox.tenant.clock.advance(60_000);
    await client.api(REQUESTS).post({ action: "adminAssign", accessId: "member", principalId: alice.id, groupId: String(pilot.id), scheduleInfo: { expiration: { type: "afterDuration", duration: "P180D" } } });
    catchUpAuditLog(started.sandbox);
    const synced = await repo.cli("sync");
    expect(synced.code, synced.stderr + synced.stdout).toBe(0);
    expect(readDoc(repo, "groupEligibility", "sg-ca-pilot-users-member-alice").spec).toEqual({
      accessId: "member",
      groupId: "group:sg-ca-pilot-users",
      principalId: `user:${alice.userPrincipalName}`,
      scheduleInfo: { expiration: { type: "afterDuration", duration: "P180D" } },
    });
    expect(git(repo.dir, "log", "-1", "--format=%an")).toBe(BOOTSTRAP_APP_NAME);
    const body = git(repo.dir, "log", `${baseline}..HEAD`, "--format=%B");
    expect(body).toContain("Add eligible member to role in PIM completed (timebound)");
    expect(body).not.toContain("no audit record");
    // The eligibility apply updated earlier (Graph gave it a new id) keeps its document and name.
    const touched = git(repo.dir, "log", `${baseline}..HEAD`, "--name-only", "--format=").split("\n").filter((f) => f.includes("groupEligibility/"));
    expect(touched).toEqual(["tenant-config/groupEligibility/sg-ca-pilot-users-member-alice.yaml"]);
    expect(readDoc(repo, "groupEligibility", name).spec.accessId).toBe("owner");
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: an unfiltered list is refused; schedules are read-only; requests refuse a second assignment, a removal of none, a bad accessId, a dynamic group", async () => {
    await expect(client.api(SCHEDULES).get()).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(REQUESTS).get()).rejects.toMatchObject({ statusCode: 400 });
    expect(((await client.api(SCHEDULES).filter(`principalId eq '${alice.id}'`).get()) as List).value.length).toBeGreaterThan(0);
    const base = { principalId: alice.id, groupId: group.id };
    const quarter = { expiration: { type: "afterDuration", duration: "P90D" } };
    await expect(client.api(SCHEDULES).post({ ...base, accessId: "member", scheduleInfo: quarter })).rejects.toMatchObject({ statusCode: 405 });
    await expect(client.api(REQUESTS).post({ ...base, accessId: "owner", action: "adminAssign", scheduleInfo: quarter })).rejects.toMatchObject({ statusCode: 400, code: "RoleAssignmentExists" });
    await expect(client.api(REQUESTS).post({ ...base, accessId: "member", action: "adminRemove" })).rejects.toMatchObject({ statusCode: 400, code: "RoleAssignmentDoesNotExist" });
    await expect(client.api(REQUESTS).post({ ...base, accessId: "admin", action: "adminAssign", scheduleInfo: quarter })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(REQUESTS).post({ ...base, accessId: "member", action: "adminAssign", scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: "2001-01-01T00:00:00Z" } } })).rejects.toMatchObject({ statusCode: 400 });
    const dynamic = await findByName(client, "/groups", "dyn-department-engineering");
    await expect(client.api(REQUESTS).post({ ...base, groupId: String(dynamic.id), accessId: "member", action: "adminAssign", scheduleInfo: quarter })).rejects.toMatchObject({ statusCode: 400, code: "InvalidRoleAssignmentRequest" });
  });

  it("sandbox: a deleted group takes its schedules with it", async () => {
    const temp = (await client.api("/groups").post({ displayName: "pim-temp", mailEnabled: false, mailNickname: "pimtemp", securityEnabled: true })) as { id: string };
    await client.api(REQUESTS).post({ action: "adminAssign", accessId: "member", principalId: alice.id, groupId: temp.id, scheduleInfo: { expiration: { type: "afterDuration", duration: "P90D" } } });
    expect(await schedulesOf(temp.id)).toHaveLength(1);
    await client.api(`/groups/${temp.id}`).delete();
    expect(await schedulesOf(temp.id)).toEqual([]);
  });

  it("adopts an eligibility whose request went through but whose answer was lost, looking in the request's group", async () => {
    const creators = await findByName(client, "/groups", "sg-m365-group-creators");
    writeDoc(repo, {
      kind: "groupEligibility",
      name: "group-creators-member-alice",
      spec: { accessId: "member", groupId: "group:sg-m365-group-creators", principalId: `user:${alice.userPrincipalName}`, scheduleInfo: { expiration: { type: "afterDuration", duration: "P90D" } } },
    });
    commit(repo, "alice may create groups when she needs to");
    // The request reaches PIM (the schedule is made), then the answer is a 500.
    let fired = 0;
    const lost = new (class extends RegExp {
      override test(text: string): boolean {
        if (!super.test(text)) return false;
        fired += 1;
        started.sandbox.tenant.seedApi().create("privilegedAccessGroupEligibilitySchedulesRequests", { action: "adminAssign", accessId: "member", groupId: String(creators.id), principalId: alice.id, scheduleInfo: { expiration: { type: "afterDuration", duration: "P90D" } } });
        return true;
      }
    })(/eligibilityScheduleRequests$/.source);
    started.sandbox.faults.inject({ method: "POST", pathPattern: lost, status: 500, count: 1 });
    started.sandbox.clearRequests();
    expect(await applyConverges(repo)).toContain("created groupEligibility/group-creators-member-alice");
    expect(fired).toBe(1);
    // The lookup listed the schedules of that group only (an unfiltered list is refused).
    const lookups = started.sandbox.requests().filter((e) => e.method === "GET" && e.path.endsWith("/eligibilitySchedules"));
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((e) => e.status === 200)).toBe(true);
    expect(await schedulesOf(String(creators.id))).toHaveLength(1);
  });
});
