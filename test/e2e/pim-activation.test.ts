/**
 * A PIM activation (an eligible user turning on their role for a few hours) is listed by Graph as
 * an active role assignment while it lasts. It is the eligibility's, not an assignment to manage:
 * plan with `prune` must not propose deleting it, drift and sync must not report it (README "PIM
 * activations"). The sandbox models the activation as Graph documents it (docs/graph-behaviour.md,
 * PIM activation).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import { GraphError } from "@microsoft/microsoft-graph-client";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { asUser } from "../helpers/actors.js";
import { git, sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, exportedRepo } from "./apply-fixture.js";

const ALICE = "alice@contoso.onmicrosoft.com";
const REPORTS_READER = "4a5d8f65-41da-4de4-8968-e035b65339cf";
const SECURITY_READER = "5d6b6bb7-de71-4623-b4af-96380a352509";
const ASSIGNMENTS = "/roleManagement/directory/roleAssignments";
const INSTANCES = "/roleManagement/directory/roleAssignmentScheduleInstances";
const ACTIVATIONS = "/roleManagement/directory/roleAssignmentScheduleRequests";
type List = { value: Record<string, unknown>[] };

async function refusal(request: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await request;
  } catch (error) {
    if (error instanceof GraphError) return { status: error.statusCode, code: String(error.code) };
    throw error;
  }
  throw new Error("the request was accepted");
}

describe("PIM activations are not active role assignments to manage", () => {
  let started: StartedSandbox;
  let client: Client;
  let alice: Client;
  let aliceId: string;
  let repo: ExportedRepo;
  const activation = (action: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    action,
    principalId: aliceId,
    roleDefinitionId: REPORTS_READER,
    directoryScopeId: "/",
    justification: "monthly usage report",
    scheduleInfo: { expiration: { type: "afterDuration", duration: "PT2H" } },
    ...extra,
  });
  const activeFor = async (role: string): Promise<Record<string, unknown>[]> => ((await client.api(ASSIGNMENTS).filter(`principalId eq '${aliceId}' and roleDefinitionId eq '${role}'`).get()) as List).value;

  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    alice = asUser(started, ALICE);
    aliceId = String(((await client.api("/users").filter(`userPrincipalName eq '${ALICE}'`).get()) as List).value[0]?.id);
    await client.api("/roleManagement/directory/roleEligibilityScheduleRequests").post({
      action: "adminAssign",
      justification: "reporting duty",
      principalId: aliceId,
      roleDefinitionId: REPORTS_READER,
      directoryScopeId: "/",
      scheduleInfo: { expiration: { type: "noExpiration" } },
    });
    repo = await exportedRepo(sandboxEnv(started.sandbox));
  });
  afterAll(async () => started?.stop());

  it("an eligible user activates for at most 8 hours; Graph then lists an active assignment its instance marks Activated", async () => {
    expect(await refusal(client.api(ACTIVATIONS).post(activation("selfActivate")))).toMatchObject({ status: 403 });
    expect(await refusal(alice.api(ACTIVATIONS).post(activation("selfActivate", { roleDefinitionId: SECURITY_READER })))).toMatchObject({ status: 400, code: "RoleAssignmentDoesNotExist" });
    expect(await refusal(alice.api(ACTIVATIONS).post(activation("selfActivate", { scheduleInfo: { expiration: { type: "afterDuration", duration: "PT9H" } } })))).toMatchObject({ status: 400 });
    expect(await refusal(alice.api(ACTIVATIONS).post(activation("selfActivate", { justification: undefined })))).toMatchObject({ status: 400 });

    const made = (await alice.api(ACTIVATIONS).post(activation("selfActivate"))) as { status: string };
    expect(made.status).toBe("Provisioned");
    expect(await refusal(alice.api(ACTIVATIONS).post(activation("selfActivate")))).toMatchObject({ status: 400, code: "RoleAssignmentExists" });
    const [active] = await activeFor(REPORTS_READER);
    expect(active).toMatchObject({ principalId: aliceId, roleDefinitionId: REPORTS_READER, directoryScopeId: "/" });
    const instances = ((await client.api(INSTANCES).filter("assignmentType eq 'Activated'").get()) as List).value;
    expect(instances).toEqual([expect.objectContaining({ roleAssignmentOriginId: active?.id, assignmentType: "Activated", principalId: aliceId })]);
    const direct = ((await client.api(INSTANCES).filter("assignmentType eq 'Assigned'").get()) as List).value;
    expect(direct.length).toBeGreaterThan(0);
    expect(direct.map((i) => i["roleAssignmentOriginId"])).not.toContain(active?.id);
  });

  it("plan with prune proposes no delete, drift reports nothing and sync commits nothing while it lasts", async () => {
    expect(await activeFor(REPORTS_READER)).toHaveLength(1);
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    const drift = await repo.cli("drift");
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
    const before = git(repo.dir, "rev-parse", "HEAD").trim();
    const sync = await repo.cli("sync");
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    expect(git(repo.dir, "diff", "--name-only", before, "HEAD").split("\n").filter((path) => path.includes("roleAssignment/"))).toEqual([]);
  });

  it("ends with selfDeactivate, or on its own when its time is up", async () => {
    await alice.api(ACTIVATIONS).post(activation("selfDeactivate", { justification: undefined, scheduleInfo: undefined }));
    expect(await activeFor(REPORTS_READER)).toEqual([]);
    expect(await refusal(alice.api(ACTIVATIONS).post(activation("selfDeactivate", { justification: undefined, scheduleInfo: undefined })))).toMatchObject({ status: 400, code: "RoleAssignmentDoesNotExist" });

    await alice.api(ACTIVATIONS).post(activation("selfActivate", { scheduleInfo: { expiration: { type: "afterDuration", duration: "PT1H" } } }));
    expect(await activeFor(REPORTS_READER)).toHaveLength(1);
    started.sandbox.tenant.clock.advance(61 * 60_000);
    expect(await activeFor(REPORTS_READER)).toEqual([]);
    expect(((await client.api(INSTANCES).filter("assignmentType eq 'Activated'").get()) as List).value).toEqual([]);
  });
});
