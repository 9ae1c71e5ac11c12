/**
 * Time-bound active role assignments (README "Time-bound assignments"): an optional
 * `scheduleInfo.expiration` on `roleAssignment`, read from PIM's schedule instances and written
 * through `roleAssignmentScheduleRequests`; permanent assignments keep `/roleAssignments`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const ALICE = "alice@contoso.onmicrosoft.com";
const REPORTS_READER = "4a5d8f65-41da-4de4-8968-e035b65339cf";
const MESSAGE_CENTER_READER = "790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b";
const INSTANCES = "/roleManagement/directory/roleAssignmentScheduleInstances";
const REQUESTS = "/roleManagement/directory/roleAssignmentScheduleRequests";
type List = { value: Record<string, unknown>[] };

/** An instant `days` from now, as Graph writes one (whole seconds). */
function daysFromNow(days: number): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000 + days * 86_400_000).toISOString().replace(/\.000Z$/, "Z");
}

describe("roleAssignment: an optional expiration, written through PIM's schedule requests", () => {
  let started: StartedSandbox;
  let client: Client;
  let repo: ExportedRepo;
  let aliceId: string;
  const end = daysFromNow(30);
  const instanceOf = async (role: string): Promise<Record<string, unknown> | undefined> =>
    ((await client.api(INSTANCES).filter(`principalId eq '${aliceId}' and roleDefinitionId eq '${role}'`).get()) as List).value[0];

  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    aliceId = String(((await client.api("/users").filter(`userPrincipalName eq '${ALICE}'`).get()) as List).value[0]?.id);
    await client.api(REQUESTS).post({
      action: "adminAssign",
      justification: "audit season",
      principalId: aliceId,
      roleDefinitionId: REPORTS_READER,
      directoryScopeId: "/",
      scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: end } },
    });
    repo = await exportedRepo(sandboxEnv(started.sandbox));
  });
  afterAll(async () => started?.stop());

  it("exports the end of a time-bound assignment and plans empty", async () => {
    expect(readDoc(repo, "roleAssignment", "reports-reader-alice").spec).toEqual({
      principalId: `user:${ALICE}`,
      roleDefinitionId: "role:Reports Reader",
      directoryScopeId: "/",
      scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: end } },
    });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("moves the end (adminUpdate) and makes it permanent, each followed by an empty plan", async () => {
    const later = daysFromNow(60);
    editSpec(repo, "roleAssignment", "reports-reader-alice", (spec) => {
      spec.scheduleInfo = { expiration: { type: "afterDateTime", endDateTime: later } };
    });
    commit(repo, "reports reader until later");
    expect(await applyConverges(repo)).toContain("updated roleAssignment/reports-reader-alice");
    expect(await instanceOf(REPORTS_READER)).toMatchObject({ assignmentType: "Assigned", endDateTime: later });

    editSpec(repo, "roleAssignment", "reports-reader-alice", (spec) => {
      delete spec.scheduleInfo;
    });
    commit(repo, "reports reader for good");
    expect(await applyConverges(repo)).toContain("updated roleAssignment/reports-reader-alice");
    expect(await instanceOf(REPORTS_READER)).toMatchObject({ assignmentType: "Assigned", endDateTime: null });
  });

  it("creates a time-bound assignment through adminAssign and deletes it through adminRemove, each followed by an empty plan", async () => {
    writeDoc(repo, {
      kind: "roleAssignment",
      name: "message-center-reader-alice",
      spec: { principalId: `user:${ALICE}`, roleDefinitionId: "role:Message Center Reader", directoryScopeId: "/", scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: end } } },
    });
    commit(repo, "message center reader for a month");
    expect(await applyConverges(repo)).toContain("created roleAssignment/message-center-reader-alice");
    expect(await instanceOf(MESSAGE_CENTER_READER)).toMatchObject({ assignmentType: "Assigned", endDateTime: end });
    const requests = ((await client.api(REQUESTS).filter(`roleDefinitionId eq '${MESSAGE_CENTER_READER}'`).get()) as List).value;
    expect(requests).toMatchObject([{ action: "adminAssign", principalId: aliceId, justification: "entra-gitops apply" }]);

    removeDoc(repo, "roleAssignment", "message-center-reader-alice");
    commit(repo, "no more message center");
    expect(await applyConverges(repo, "--allow-delete")).toContain("deleted roleAssignment/message-center-reader-alice");
    expect(await instanceOf(MESSAGE_CENTER_READER)).toBeUndefined();
    const removals = ((await client.api(REQUESTS).filter("action eq 'adminRemove'").get()) as List).value;
    expect(removals).toMatchObject([{ roleDefinitionId: MESSAGE_CENTER_READER }]);
  });

  it("refuses an expiration other than an end date, naming the file and field", async () => {
    editSpec(repo, "roleAssignment", "reports-reader-alice", (spec) => {
      spec.scheduleInfo = { expiration: { type: "afterDuration", duration: "P30D" } };
    });
    const validate = await repo.cli("validate");
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toMatch(/reports-reader-alice\.yaml:\d+.*scheduleInfo/);
  });
});
