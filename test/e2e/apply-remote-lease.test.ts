import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leaseRef } from "../../src/git/remote-lease.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { countByName, demoRepo, writeDoc } from "./apply-fixture.js";
import { git, runCli } from "../helpers/cli.js";
import type { CliRun } from "../helpers/cli.js";

const GROUPS = "/groups";
const REF = leaseRef("default");

/**
 * Two runners are two clones of one bare remote (each with its own .git, so the machine-local lock
 * does not see the other): the lease ref on the remote keeps their applies apart.
 */
describe("apply holds a lease on the repository's remote (two runners)", () => {
  let started: StartedSandbox;
  let a: ExportedRepo;
  let b: { dir: string; configFile: string };
  let bare: string;
  let client: Client;
  beforeAll(async () => {
    ({ started, repo: a, client } = await demoRepo());
    bare = mkdtempSync(join(tmpdir(), "entra-gitops-lease-remote-"));
    git(bare, "init", "-q", "--bare", "-b", "main");
    git(a.dir, "remote", "add", "origin", bare);
    git(a.dir, "push", "-q", "origin", "main");
    const clone = mkdtempSync(join(tmpdir(), "entra-gitops-lease-clone-"));
    git(clone, "clone", "-q", bare, "runner-b");
    const dir = join(clone, "runner-b");
    git(dir, "config", "user.name", "Runner B");
    git(dir, "config", "user.email", "b@example.test");
    b = { dir, configFile: join(dir, basename(a.configFile)) };
  }, 60_000);
  afterAll(async () => started?.stop());

  /** A new group committed in A, pushed, and pulled into B: both runners have the same configuration. */
  function newGroup(name: string): void {
    writeDoc(a, { kind: "group", name, spec: { displayName: name, mailEnabled: false, mailNickname: name, securityEnabled: true } });
    git(a.dir, "add", "-A");
    git(a.dir, "commit", "-q", "-m", `add ${name}`);
    git(a.dir, "push", "-q", "origin", "main");
    git(b.dir, "pull", "-q", "--ff-only");
  }

  /** A lease commit as another runner would push it. */
  function pushLease(holder: Record<string, unknown>): string {
    const tree = execFileSync("git", ["mktree"], { cwd: b.dir, input: "", encoding: "utf8" }).trim();
    const sha = execFileSync("git", ["commit-tree", tree], { cwd: b.dir, input: `entra-gitops write lease\n\n${JSON.stringify(holder)}\n`, encoding: "utf8" }).trim();
    git(b.dir, "push", "-q", "origin", `${sha}:${REF}`);
    return sha;
  }

  const leaseOnRemote = (): string => git(bare, "for-each-ref", "--format=%(objectname)", REF);

  async function bothApply(extra: Record<string, string> = {}): Promise<[CliRun, CliRun]> {
    const env: Record<string, string | undefined> = { ...a.env, ...extra };
    const saved = new Map(Object.keys(env).map((key) => [key, process.env[key]] as const));
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key]; else process.env[key] = value;
    try {
      return await Promise.all([runCli(["--config", a.configFile, "apply", "--auto-approve"]), runCli(["--config", b.configFile, "apply", "--auto-approve"])]);
    } finally {
      for (const [key, value] of saved) if (value === undefined) delete process.env[key]; else process.env[key] = value;
    }
  }

  it("a live lease held by another runner stops apply with a clear message; nothing is written", { timeout: 120_000 }, async () => {
    newGroup("sg-lease-held");
    const now = new Date().toISOString();
    const sha = pushLease({ pid: 4242, host: "runner-elsewhere", command: "apply plan.json", startedAt: now, renewedAt: now });
    const run = await a.cli("apply", "--auto-approve");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`apply plan.json (pid 4242 on runner-elsewhere, since ${now}`);
    expect(run.stderr).toContain(`holds ${REF} on origin`);
    expect(run.stderr).toContain(`git push origin :${REF}`);
    expect(await countByName(client, GROUPS, "sg-lease-held")).toBe(0);
    expect(leaseOnRemote()).toBe(sha);
    git(b.dir, "push", "-q", "origin", `:${REF}`);
  });

  it("a lease not renewed for 10 minutes is taken over; the run releases its own lease at the end", { timeout: 120_000 }, async () => {
    const old = new Date(Date.now() - 11 * 60 * 1000).toISOString();
    pushLease({ pid: 4242, host: "runner-elsewhere", command: "apply", startedAt: old, renewedAt: old });
    const run = await a.cli("apply", "--auto-approve");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("took over the lease");
    expect(await countByName(client, GROUPS, "sg-lease-held")).toBe(1);
    expect(leaseOnRemote()).toBe("");
  });

  it("two runners apply the same change at once: the second waits for the first, then finds nothing to do; one group", { timeout: 180_000 }, async () => {
    newGroup("sg-lease-both");
    const [first, second] = await bothApply({ ENTRA_GITOPS_LOCK_TIMEOUT: "150" });
    expect([first.code, second.code], first.stderr + second.stderr).toEqual([0, 0]);
    // (Two in-process runs share one output capture, so their outputs are read together.)
    const output = first.stdout + first.stderr + second.stdout + second.stderr;
    expect(output).toMatch(/waiting up to 150 s for apply \(pid \d+ on [^)]+\) to release refs\/entra-gitops\/locks\/default on origin/);
    expect(await countByName(client, GROUPS, "sg-lease-both")).toBe(1);
    expect(leaseOnRemote()).toBe("");
  });

  it("without waiting, the second runner stops with the holder named; still one group", { timeout: 180_000 }, async () => {
    newGroup("sg-lease-once");
    const [first, second] = await bothApply();
    expect([first.code, second.code].sort()).toEqual([0, 1]);
    const output = first.stdout + first.stderr + second.stdout + second.stderr;
    expect(output).toContain(`holds ${REF} on origin`);
    expect(await countByName(client, GROUPS, "sg-lease-once")).toBe(1);
    expect(leaseOnRemote()).toBe("");
  });

  it("ENTRA_GITOPS_LOCK_REMOTE names the remote; a name the repository lacks is a clear error before any write", { timeout: 60_000 }, async () => {
    newGroup("sg-lease-misnamed");
    const run = await runCli(["--config", a.configFile, "apply", "--auto-approve"], { ...a.env, ENTRA_GITOPS_LOCK_REMOTE: "upstream" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("ENTRA_GITOPS_LOCK_REMOTE=upstream: the repository has no such remote (it has: origin)");
    expect(await countByName(client, GROUPS, "sg-lease-misnamed")).toBe(0);
  });
});
