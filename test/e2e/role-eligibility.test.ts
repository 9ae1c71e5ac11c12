import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import { defaultKindNames } from "../../src/model/kind.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, findByName, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const SCHEDULES = "/roleManagement/directory/roleEligibilitySchedules";
const REQUESTS = "/roleManagement/directory/roleEligibilityScheduleRequests";
const HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8"; // Helpdesk Administrator
const SECURITY_READER = "5d6b6bb7-de71-4623-b4af-96380a352509";
type List = { value: Record<string, unknown>[] };

/** An instant `days` from now, as Graph writes one (whole seconds). */
function daysFromNow(days: number): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 + days * 86_400_000).toISOString().replace(/\.000Z$/, "Z");
}

describe("roleEligibility: PIM eligible directory role assignments, written through schedule requests", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let user: { id: string; userPrincipalName: string };
  let local: string;
  let name: string;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    user = ((await client.api("/users").top(1).get()) as List).value[0] as typeof user;
    local = user.userPrincipalName.replace(/@.*$/, "").toLowerCase().replace(/[^a-z0-9]+/g, "-");
    name = `helpdesk-administrator-${local}`;
    const made = (await client.api(REQUESTS).post({
      action: "adminAssign",
      justification: "on call",
      principalId: user.id,
      roleDefinitionId: HELPDESK,
      directoryScopeId: "/",
      scheduleInfo: { startDateTime: "2020-01-01T00:00:00Z", expiration: { type: "noExpiration" } },
    })) as { id: string; status: string; targetScheduleId: string };
    expect(made).toMatchObject({ status: "Provisioned", targetScheduleId: made.id });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: [...defaultKindNames(), "roleEligibility"] });
  });
  afterAll(async () => started?.stop());

  it("exports the eligibility by name (role, principal, scope; no start, no ids), not as an active assignment, and plans empty", async () => {
    expect(readDoc(repo, "roleEligibility", name).spec).toEqual({
      principalId: `user:${user.userPrincipalName}`,
      roleDefinitionId: "role:Helpdesk Administrator",
      directoryScopeId: "/",
      scheduleInfo: { expiration: { type: "noExpiration" } },
    });
    expect(existsSync(join(repo.dir, "tenant-config", "roleAssignment", `${name}.yaml`))).toBe(false);
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("updates the expiration (adminUpdate), creates one (adminAssign) and deletes it (adminRemove), each followed by an empty plan", async () => {
    const end = daysFromNow(200);
    editSpec(repo, "roleEligibility", name, (spec) => {
      spec.scheduleInfo = { expiration: { type: "afterDateTime", endDateTime: end } };
    });
    commit(repo, "helpdesk eligibility ends");
    expect(await applyConverges(repo)).toContain(`updated roleEligibility/${name}`);
    const [updated] = ((await client.api(SCHEDULES).filter(`principalId eq '${user.id}'`).get()) as List).value;
    expect(updated).toMatchObject({ roleDefinitionId: HELPDESK, memberType: "Direct", scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: end } } });

    writeDoc(repo, {
      kind: "roleEligibility",
      name: "security-reader-quarter",
      spec: { principalId: `user:${user.userPrincipalName}`, roleDefinitionId: "role:Security Reader", scheduleInfo: { expiration: { type: "afterDuration", duration: "P90D" } } },
    });
    commit(repo, "security reader for a quarter");
    expect(await applyConverges(repo)).toContain("created roleEligibility/security-reader-quarter");
    const readers = ((await client.api(SCHEDULES).filter(`roleDefinitionId eq '${SECURITY_READER}'`).get()) as List).value;
    expect(readers).toMatchObject([{ principalId: user.id, directoryScopeId: "/", scheduleInfo: { expiration: { type: "afterDuration", duration: "P90D" } } }]);
    const requests = ((await client.api(REQUESTS).filter(`roleDefinitionId eq '${SECURITY_READER}'`).get()) as List).value;
    expect(requests).toMatchObject([{ action: "adminAssign", justification: "entra-gitops apply", targetScheduleId: readers[0]?.id }]);

    removeDoc(repo, "roleEligibility", "security-reader-quarter");
    commit(repo, "no security reader");
    // A live object without a document is named from its role and principal.
    expect(await applyConverges(repo, "--allow-delete")).toContain(`deleted roleEligibility/security-reader-${local}`);
    expect(((await client.api(SCHEDULES).filter(`roleDefinitionId eq '${SECURITY_READER}'`).get()) as List).value).toEqual([]);
    const removals = ((await client.api(REQUESTS).filter("action eq 'adminRemove'").get()) as List).value;
    expect(removals).toMatchObject([{ status: "Revoked", roleDefinitionId: SECURITY_READER, principalId: user.id }]);
  });

  it("validate requires roleDefinitionId, principalId and scheduleInfo, naming file and line", async () => {
    writeDoc(repo, { kind: "roleEligibility", name: "broken", spec: { roleDefinitionId: "role:Security Reader" } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/roleEligibility\/broken\.yaml:\d+:\d+/);
    for (const field of ["principalId", "scheduleInfo"]) expect(text).toContain(field);
    removeDoc(repo, "roleEligibility", "broken");
  });

  it("sandbox: schedules are read-only; requests refuse a second assignment, a removal of none, a past end, a group that is not role-assignable", async () => {
    const base = { principalId: user.id, roleDefinitionId: HELPDESK, directoryScopeId: "/" };
    await expect(client.api(SCHEDULES).post({ ...base, scheduleInfo: { expiration: { type: "noExpiration" } } })).rejects.toMatchObject({ statusCode: 405 });
    await expect(client.api(REQUESTS).post({ ...base, action: "adminAssign", scheduleInfo: { expiration: { type: "noExpiration" } } })).rejects.toMatchObject({ statusCode: 400, code: "RoleAssignmentExists" });
    await expect(client.api(REQUESTS).post({ ...base, roleDefinitionId: SECURITY_READER, action: "adminRemove" })).rejects.toMatchObject({ statusCode: 400, code: "RoleAssignmentDoesNotExist" });
    await expect(client.api(REQUESTS).post({ ...base, roleDefinitionId: SECURITY_READER, action: "adminAssign", scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: "2001-01-01T00:00:00Z" } } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(REQUESTS).post({ ...base, roleDefinitionId: SECURITY_READER, action: "adminAssign", scheduleInfo: { expiration: { type: "afterDuration" } } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(REQUESTS).post({ principalId: user.id, roleDefinitionId: SECURITY_READER, action: "adminAssign", scheduleInfo: {} })).rejects.toMatchObject({ statusCode: 400 });
    const group = (await client.api("/groups").post({ displayName: "not-role-assignable", mailEnabled: false, mailNickname: "nra", securityEnabled: true })) as { id: string };
    await expect(client.api(REQUESTS).post({ ...base, principalId: group.id, action: "adminAssign", scheduleInfo: { expiration: { type: "noExpiration" } } })).rejects.toMatchObject({ statusCode: 400 });
    await client.api(`/groups/${group.id}`).delete(); // no unmanaged group left for the plans below
  });

  it("sandbox: a deleted principal loses its eligibilities", async () => {
    const temp = (await client.api("/users").post({
      accountEnabled: true,
      displayName: "Temp Eligible",
      mailNickname: "temp.eligible",
      userPrincipalName: `temp.eligible@${user.userPrincipalName.replace(/^.*@/, "")}`,
      passwordProfile: { password: "x7!Qz9#Lm2$Vb4" },
    })) as { id: string };
    await client.api(REQUESTS).post({ action: "adminAssign", principalId: temp.id, roleDefinitionId: SECURITY_READER, directoryScopeId: "/", scheduleInfo: { expiration: { type: "noExpiration" } } });
    expect(((await client.api(SCHEDULES).filter(`principalId eq '${temp.id}'`).get()) as List).value).toHaveLength(1);
    await client.api(`/users/${temp.id}`).delete();
    expect(((await client.api(SCHEDULES).filter(`principalId eq '${temp.id}'`).get()) as List).value).toEqual([]);
  });

  it("a changed scope (create-only) is a removal and a new assignment, refused without --allow-recreate; the new one at the administrative unit", async () => {
    const auDoc = readdirSync(join(repo.dir, "tenant-config", "administrativeUnit")).find((f) => f.includes("sales"));
    expect(auDoc).toBeDefined();
    const au = (auDoc ?? "").replace(/\.yaml$/, "");
    const auId = String((await findByName(client, "/directory/administrativeUnits", "AU-Sales")).id);
    editSpec(repo, "roleEligibility", name, (spec) => {
      spec.directoryScopeId = `administrativeUnit:${au}`;
    });
    commit(repo, "helpdesk eligibility for sales only");
    const plan = await repo.cli("plan");
    expect(plan.stdout).toContain(`roleEligibility/${name}`);
    expect(plan.stdout).toContain("must be replaced");
    const refused = await repo.cli("apply", "--auto-approve");
    expect(refused.code).not.toBe(0);
    await applyConverges(repo, "--allow-recreate");
    const live = ((await client.api(SCHEDULES).filter(`roleDefinitionId eq '${HELPDESK}'`).get()) as List).value.filter((s) => s.principalId === user.id);
    expect(live).toMatchObject([{ directoryScopeId: `/administrativeUnits/${auId}` }]);
  });
});
