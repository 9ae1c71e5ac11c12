import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lockFile } from "../../src/git/write-lock.js";
import { commit, countByName, demoRepoBlock, findByName, writeDoc } from "./apply-fixture.js";
import { runCli } from "../helpers/cli.js";
import type { CliRun } from "../helpers/cli.js";

const GROUPS = "/groups";

/** Two applies of one saved plan at once: one writes, the other stops (or, waiting, finds the plan stale); no duplicate. */
describe("apply holds a per-environment write lock", () => {
  const demo = demoRepoBlock();

  function newGroup(name: string): void {
    writeDoc(demo.repo, { kind: "group", name, spec: { displayName: name, mailEnabled: false, mailNickname: name, securityEnabled: true } });
    commit(demo.repo, `add ${name}`);
  }

  /**
   * Two applies at once in this process. runCli sets and restores the environment per call, so two
   * overlapping calls would restore it under each other: set it once here for both, restore it after.
   */
  async function twoApplies(planFile: string, extra: Record<string, string> = {}): Promise<[CliRun, CliRun]> {
    const env: Record<string, string | undefined> = { ...demo.repo.env, ...extra };
    const saved = new Map(Object.keys(env).map((key) => [key, process.env[key]] as const));
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key]; else process.env[key] = value;
    try {
      const args = ["--config", demo.repo.configFile, "apply", planFile];
      return await Promise.all([runCli(args), runCli(args)]);
    } finally {
      for (const [key, value] of saved) if (value === undefined) delete process.env[key]; else process.env[key] = value;
    }
  }

  it("two concurrent applies of the same saved plan create the group once; the second stops with a clear message", { timeout: 120_000 }, async () => {
    newGroup("sg-lock-one");
    const planFile = join(demo.repo.dir, "plan.json");
    expect((await demo.repo.cli("plan", "--out", planFile)).code).toBe(0);
    const [a, b] = await twoApplies(planFile);
    const codes = [a.code, b.code].sort();
    expect(codes).toEqual([0, 1]);
    // Both runs share this process's stdout/stderr capture, so look at both outputs.
    const output = a.stdout + a.stderr + b.stdout + b.stderr;
    expect(output).toContain("another entra-gitops run is writing to this environment");
    expect(output).toContain(`on ${hostname()}`);
    expect(await countByName(demo.client, GROUPS, "sg-lock-one")).toBe(1);
    expect(existsSync(await lockFile(demo.repo.dir, "default"))).toBe(false);
  });

  it("with ENTRA_GITOPS_LOCK_TIMEOUT the second waits for the lock, then applies nothing (the plan is stale by then): still one group", { timeout: 120_000 }, async () => {
    newGroup("sg-lock-two");
    const planFile = join(demo.repo.dir, "plan2.json");
    expect((await demo.repo.cli("plan", "--out", planFile)).code).toBe(0);
    const [a, b] = await twoApplies(planFile, { ENTRA_GITOPS_LOCK_TIMEOUT: "120" });
    // (Two in-process runs share one output capture, so only exit codes and the tenant are asserted.)
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    expect(await countByName(demo.client, GROUPS, "sg-lock-two")).toBe(1);
  });

  it("takes over a lock left by a process that is gone, and keeps a live holder's", { timeout: 120_000 }, async () => {
    const file = await lockFile(demo.repo.dir, "default");
    writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), command: "apply", startedAt: new Date().toISOString() }));
    const plan = await demo.repo.cli("apply", "--auto-approve");
    expect(plan.code, plan.stderr).toBe(0);
    expect(existsSync(file)).toBe(false);

    writeFileSync(file, JSON.stringify({ pid: process.ppid, host: hostname(), command: "apply plan.json", startedAt: new Date().toISOString() }));
    const busy = await demo.repo.cli("apply", "--auto-approve");
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain(`apply plan.json (pid ${process.ppid} on ${hostname()}`);
    expect(readdirSync(join(file, "..")).filter((f) => f.includes("stale"))).toEqual([]);
  });

  it("restore and rollback --apply wait for the same lock: a live holder stops them before anything is written", { timeout: 120_000 }, async () => {
    const policy = await findByName(demo.client, "/identity/conditionalAccess/policies", "CA-E03-Guests-AdminPortals-Block");
    await demo.client.api(`/identity/conditionalAccess/policies/${String(policy.id)}`).delete();
    const file = await lockFile(demo.repo.dir, "default");
    writeFileSync(file, JSON.stringify({ pid: process.ppid, host: hostname(), command: "apply", startedAt: new Date().toISOString() }));
    try {
      const restore = await demo.repo.cli("restore", "conditionalAccessPolicy/ca-e03-guests-adminportals-block", "--auto-approve");
      expect(restore.code).toBe(1);
      expect(restore.stderr).toContain(`another entra-gitops run is writing to this environment: apply (pid ${process.ppid} on ${hostname()}`);
      const rollback = await demo.repo.cli("rollback", "--to", "HEAD", "--apply", "--auto-approve");
      expect(rollback.code).toBe(1);
      expect(rollback.stderr).toContain("another entra-gitops run is writing to this environment");
      expect(await countByName(demo.client, "/identity/conditionalAccess/policies", "CA-E03-Guests-AdminPortals-Block")).toBe(0);
    } finally {
      rmSync(file, { force: true });
    }
    const restored = await demo.repo.cli("restore", "conditionalAccessPolicy/ca-e03-guests-adminportals-block", "--auto-approve");
    expect(restored.code, restored.stderr).toBe(0);
    expect(await countByName(demo.client, "/identity/conditionalAccess/policies", "CA-E03-Guests-AdminPortals-Block")).toBe(1);
    expect(existsSync(file)).toBe(false);
  });
});
