import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { commit, demoRepo, editSpec, findByName, writes } from "./apply-fixture.js";

const POLICIES = "/identity/conditionalAccess/policies";
const NAME = "ca-i12-pilot-exchangesharepoint-blockdownloadsunmanaged";
const ADDRESS = `conditionalAccessPolicy/${NAME}`;
const DISPLAY = "CA-I12-Pilot-ExchangeSharePoint-BlockDownloadsUnmanaged";

type SavedPlan = { changes: Array<Record<string, unknown> & { address: string; action: string }> };

/** A saved plan is bound to its content: apply recomputes it and refuses one edited by hand. */
describe("apply PLANFILE recomputes the plan and refuses a tampered one", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let planFile: string;
  let original: string;
  beforeAll(async () => {
    ({ started, repo, client } = await demoRepo());
    editSpec(repo, "conditionalAccessPolicy", NAME, (spec) => {
      spec.state = "enabledForReportingButNotEnforced";
    });
    commit(repo, "I12 to report-only");
    planFile = join(repo.dir, "plan.json");
    const plan = await repo.cli("plan", "--out", planFile);
    expect(plan.code, plan.stderr).toBe(0);
    original = readFileSync(planFile, "utf8");
  });
  afterAll(async () => started?.stop());

  async function refused(edit: (plan: SavedPlan) => void, ...expected: string[]): Promise<void> {
    const plan = JSON.parse(original) as SavedPlan;
    edit(plan);
    const tampered = join(repo.dir, "tampered.json");
    writeFileSync(tampered, JSON.stringify(plan, null, 2));
    started.sandbox.clearRequests();
    const run = await repo.cli("apply", tampered);
    expect(run.code).toBe(1);
    const output = run.stdout + run.stderr;
    expect(output).toContain("does not hold the changes its configuration and the tenant give");
    expect(output).toContain("nothing was applied");
    for (const text of expected) expect(output).toContain(text);
    expect(writes(started.sandbox.requests())).toEqual([]);
    expect(((await findByName(client, POLICIES, DISPLAY)) as { state: string }).state).toBe("disabled");
  }

  it("refuses a change whose written value was edited, naming the address and the fields", async () => {
    await refused((plan) => {
      const change = plan.changes.find((c) => c.address === ADDRESS) as unknown as { after: { state: string }; fields: Array<{ after: unknown }> };
      change.after.state = "enabled";
      for (const field of change.fields) field.after = "enabled";
    }, `${ADDRESS}: the saved update differs from what the configuration gives at after.state, fields[0].after`);
  });

  it("refuses an added change (a delete nobody planned) and a removed one", async () => {
    await refused((plan) => {
      const noop = plan.changes.find((c) => c.action === "noop" && c.address.startsWith("namedLocation/"));
      if (!noop) throw new Error("no unchanged named location in the plan");
      noop.action = "delete";
      noop.before = {};
      noop.dependsOn = [];
      noop.references = [];
      noop.notes = [];
    }, "the saved plan has a delete that the configuration and the tenant do not give");
    await refused((plan) => {
      plan.changes = plan.changes.filter((c) => c.address !== ADDRESS);
    }, `${ADDRESS}: the configuration gives a update that the saved plan leaves out`);
  });

  it("applies the untampered plan from its own revision even after the working tree moved on", async () => {
    editSpec(repo, "conditionalAccessPolicy", NAME, (spec) => {
      spec.state = "disabled";
    });
    commit(repo, "changed my mind");
    const run = await repo.cli("apply", planFile);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`updated ${ADDRESS}`);
    expect(((await findByName(client, POLICIES, DISPLAY)) as { state: string }).state).toBe("enabledForReportingButNotEnforced");
  });
});
