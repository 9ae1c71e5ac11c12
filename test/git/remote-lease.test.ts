import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireRemoteLease, LeaseBusyError, leaseRef, leaseRemote } from "../../src/git/remote-lease.js";
import { breakGlassSites } from "../../src/config/break-glass-sites.js";
import { loadConfig } from "../../src/config/index.js";

const git = (cwd: string, ...args: string[]): string => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
const REF = leaseRef("production");

/** A bare remote and two clones of it (two runners). */
function runners(): { bare: string; a: string; b: string } {
  const root = mkdtempSync(join(tmpdir(), "eg-lease-"));
  const bare = join(root, "remote.git");
  git(root, "init", "-q", "--bare", "-b", "main", bare);
  for (const name of ["a", "b"]) git(root, "clone", "-q", bare, name);
  return { bare, a: join(root, "a"), b: join(root, "b") };
}

const holderOf = (bare: string): Record<string, unknown> => JSON.parse(git(bare, "log", "-1", "--format=%b", REF)) as Record<string, unknown>;

describe("the write lease on the repository's remote", () => {
  it("is created by one runner only; the other stops naming the holder; release deletes it", async () => {
    const { bare, a, b } = runners();
    expect(await leaseRemote(a)).toBe("origin");
    const lease = await acquireRemoteLease(a, "origin", "production", "apply", { timeoutMs: 0 });
    expect(holderOf(bare)).toMatchObject({ pid: process.pid, command: "apply" });
    const refused = await acquireRemoteLease(b, "origin", "production", "restore group/x", { timeoutMs: 0 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LeaseBusyError);
    expect((refused as Error).message).toContain(`apply (pid ${process.pid}`);
    await lease.release();
    expect(git(bare, "for-each-ref", REF)).toBe("");
    const second = await acquireRemoteLease(b, "origin", "production", "restore group/x", { timeoutMs: 0 });
    expect(holderOf(bare)).toMatchObject({ command: "restore group/x" });
    await second.release();
  });

  it("is renewed while held (renewedAt moves on, compare-and-swap), and a lease taken over is never deleted by its old holder", async () => {
    const { bare, a, b } = runners();
    const lease = await acquireRemoteLease(a, "origin", "production", "apply", { timeoutMs: 0, renewEveryMs: 50 });
    const first = git(bare, "rev-parse", REF);
    const renewedAt = String(holderOf(bare).renewedAt);
    // Wait for a renewal (polling, not a fixed time: the machine may be loaded).
    for (let tries = 0; tries < 200 && git(bare, "rev-parse", REF) === first; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(git(bare, "rev-parse", REF)).not.toBe(first);
    expect(String(holderOf(bare).renewedAt) >= renewedAt).toBe(true);
    // Another runner replaces it behind its back (as a takeover of a stale lease would).
    const now = new Date().toISOString();
    const tree = execFileSync("git", ["mktree"], { cwd: b, input: "", encoding: "utf8" }).trim();
    const theirs = execFileSync("git", ["commit-tree", tree], { cwd: b, input: `entra-gitops write lease\n\n${JSON.stringify({ pid: 7, host: "elsewhere", command: "apply", startedAt: now, renewedAt: now })}\n`, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } }).trim();
    // A forced push still names the value it saw: a renewal landing in between rejects it, so retry.
    for (let tries = 0; ; tries++) {
      try {
        git(b, "push", "-q", "-f", "origin", `${theirs}:${REF}`);
        break;
      } catch (error) {
        if (tries >= 20) throw error;
      }
    }
    // Release deletes only the lease it holds (compare-and-swap against its own commit).
    await lease.release();
    expect(git(bare, "rev-parse", REF)).toBe(theirs);
  });

  it("a renewal that fails warns instead of ending the run with an unhandled rejection", async () => {
    const { a } = runners();
    const warnings: string[] = [];
    const lease = await acquireRemoteLease(a, "origin", "production", "apply", { timeoutMs: 0, renewEveryMs: 20, onWait: (m) => warnings.push(m) });
    rmSync(join(a, ".git"), { recursive: true, force: true });
    for (let tries = 0; tries < 200 && !warnings.some((w) => w.startsWith("warning: could not renew")); tries++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(warnings.find((w) => w.startsWith("warning: could not renew"))).toMatch(/^warning: could not renew the lease refs\/entra-gitops\/locks\/production on origin: git mktree failed/);
    await lease.release();
  });

  it("a remote that cannot be reached stops the run with a clear error", async () => {
    const { a } = runners();
    git(a, "remote", "set-url", "origin", join(tmpdir(), "eg-no-such-remote", "x.git"));
    const error = await acquireRemoteLease(a, "origin", "production", "apply", { timeoutMs: 0 }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^cannot take the write lease on origin: .*ENTRA_GITOPS_LOCK_REMOTE=none/s);
  });
});

describe("break-glass entries with their lines", () => {
  it("come from the environment's override when it has one, else from the top level", () => {
    const dir = mkdtempSync(join(tmpdir(), "eg-bg-sites-"));
    const file = join(dir, "entra-gitops.yaml");
    writeFileSync(file, [
      "configDir: tenant-config",
      "environments:",
      "  production:",
      "    tenantId: 00000000-0000-0000-0000-000000000001",
      "    breakGlass:",
      "      accounts:",
      "        - user:bg-prod@contoso.com",
      "  test:",
      "    tenantId: 00000000-0000-0000-0000-000000000002",
      "defaultEnvironment: production",
      "breakGlass:",
      "  accounts: [user:bg@contoso.com]",
      "  groups:",
      "    - group:bg-exclusion",
      "",
    ].join("\n"));
    expect(breakGlassSites(loadConfig(file, "production")).map((s) => [s.path, s.value, s.position?.line])).toEqual([
      ["environments.production.breakGlass.accounts[0]", "user:bg-prod@contoso.com", 7],
      ["breakGlass.groups[0]", "group:bg-exclusion", 14],
    ]);
    expect(breakGlassSites(loadConfig(file, "test")).map((s) => [s.path, s.value, s.position?.line])).toEqual([
      ["breakGlass.accounts[0]", "user:bg@contoso.com", 12],
      ["breakGlass.groups[0]", "group:bg-exclusion", 14],
    ]);
  });
});
