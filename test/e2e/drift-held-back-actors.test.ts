/**
 * `drift` reads the audit log as far back as the changes sync holds back (README "Sync state"):
 * alice's change, held by a sync for want of its entry, is still named by drift when the folder's
 * last commit has moved more than the audit lag past her change by the time her late entry arrives.
 * Without the committed sync state the same drift run cannot name her.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { asUser, idOf } from "../helpers/actors.js";
import { git, runCli, tempRepo } from "../helpers/cli.js";
import { auditLatencyDemo } from "../helpers/sandbox-block.js";

const MINUTE = 60_000;
const STATE = ".entra-gitops/state/default/sync.yaml";
const GROUP = "group/sg-ca-pilot-users";

// Each test runs sync or drift several times against the HTTPS sandbox: well under 20 s alone, 20 to
// 47 s measured on the shared 2-core machine under load, where vitest's 20 s default fails it for nothing.
describe("drift names the actors of changes sync holds back", { timeout: 120_000 }, () => {
  const demo = auditLatencyDemo({ clock: "manual" });

  async function run(configFile: string, ...args: string[]): Promise<Awaited<ReturnType<typeof runCli>>> {
    vi.setSystemTime(demo.started.sandbox.tenant.clock.nowMs());
    return runCli(["--config", configFile, ...args], demo.env);
  }

  async function changedBy(configFile: string): Promise<{ label: string } | undefined> {
    const drift = await run(configFile, "drift", "--format", "json");
    expect(drift.code, drift.stderr).toBe(2);
    const plan = JSON.parse(drift.stdout) as { changes: { address: string; changedBy?: { label: string } }[] };
    const change = plan.changes.find((c) => c.address === GROUP);
    expect(change).toBeDefined();
    return change?.changedBy;
  }

  it("alice's late entry is found through the sync state's window after a later commit moved the folder's window past her change", async () => {
    const tenant = demo.started.sandbox.tenant;
    const { dir, configFile } = tempRepo();
    demo.dirs.push(dir);
    vi.setSystemTime(tenant.clock.nowMs());
    expect((await runCli(["--config", configFile, "export"], demo.env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Initial export");
    tenant.clock.advance(MINUTE);

    // Alice's entry takes 17 minutes (the tail of the audit log's latency).
    tenant.setAuditLatency(17 * MINUTE);
    const alice = asUser(demo.started, "alice@contoso.onmicrosoft.com");
    const groupId = await idOf(alice, "/groups", "sg-ca-pilot-users");
    await alice.api(`/groups/${groupId}`).patch({ description: "Pilot users (alice)" });
    tenant.setAuditLatency("realistic");
    tenant.clock.advance(MINUTE);
    const sync = await run(configFile, "sync", "--audit-grace", "30");
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toContain(`held back: ${GROUP} (no audit entry yet; waiting up to 30 min)`);
    expect(git(dir, "ls-files", STATE)).toBe(STATE);

    // 15.5 minutes after her change an engineer commits a comment in another document (no drift),
    // so the folder's own window (its last commit less 15 minutes) starts after her change.
    tenant.clock.advance(14.5 * MINUTE);
    const other = join(dir, "tenant-config/group/marketing.yaml");
    writeFileSync(other, `# Owned by the marketing team\n${readFileSync(other, "utf8")}`);
    const at = `${Math.floor(tenant.clock.nowMs() / 1000)} +0000`;
    execFileSync("git", ["commit", "-q", "-am", "Document the marketing group's owner"], { cwd: dir, env: { ...process.env, GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at } });
    tenant.clock.advance(2 * MINUTE);
    const visible = (await alice.api("/auditLogs/directoryAudits").filter("activityDisplayName eq 'Update group'").get()) as { value: { targetResources: { id: string }[] }[] };
    expect(visible.value.some((a) => a.targetResources.some((t) => t.id === groupId))).toBe(true);

    expect(await changedBy(configFile)).toMatchObject({ label: "alice@contoso.onmicrosoft.com" });

    // The same repository without the sync state (a commit outside the folder): no name.
    git(dir, "rm", "-q", STATE);
    execFileSync("git", ["commit", "-q", "-m", "Forget the sync state"], { cwd: dir, env: { ...process.env, GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at } });
    expect(await changedBy(configFile)).toBeUndefined();
  });
});
