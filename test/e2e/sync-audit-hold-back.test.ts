/**
 * sync holds back a change whose audit entry has not arrived yet (README "Sync state"): against a
 * sandbox with the realistic audit latency and a manual clock, alice, an app and bob change objects
 * at interleaved times. A sync before their entries arrive commits nothing unattributed and records
 * the wait in `.entra-gitops/state/<env>/sync.yaml`; a sync from a fresh clone after they arrive
 * commits them in the order of the audit times, each with its author; a change whose entry never
 * arrives is committed after the grace period, saying so.
 *
 * The engine measures a change's age with the machine's clock: the test sets `Date` to the sandbox
 * clock before each run, as a CI runner's clock and Graph's agree.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BOOTSTRAP_APP_NAME } from "../../src/sandbox/tenant/identity/bootstrap.js";
import { describe, expect, it, vi } from "vitest";
import { catchUpAuditLog } from "../helpers/sandbox.js";
import { admin, asUser, idOf } from "../helpers/actors.js";
import { git, runCli, tempRepo } from "../helpers/cli.js";
import { auditLatencyDemo } from "../helpers/sandbox-block.js";

const MINUTE = 60_000;
const STATE = ".entra-gitops/state/default/sync.yaml";
const POLICY = "CA-A06-Admins-AllApps-RequireCompliantDevice";

// Each test runs sync or drift several times against the HTTPS sandbox: well under 20 s alone, 20 to
// 47 s measured on the shared 2-core machine under load, where vitest's 20 s default fails it for nothing.
describe("sync holds back changes whose audit entry has not arrived", { timeout: 120_000 }, () => {
  const demo = auditLatencyDemo({ clock: "manual" });

  /** `sync` in `dir` at the sandbox's time. */
  async function sync(configFile: string): Promise<Awaited<ReturnType<typeof runCli>>> {
    vi.setSystemTime(demo.started.sandbox.tenant.clock.nowMs());
    return runCli(["--config", configFile, "sync"], demo.env);
  }

  it("holds alice's, the app's and bob's changes back, then commits them in order from a fresh clone; a change with no entry is committed after the grace period", async () => {
    const tenant = demo.started.sandbox.tenant;
    const { dir, configFile } = tempRepo();
    demo.dirs.push(dir);
    vi.setSystemTime(tenant.clock.nowMs());
    expect((await runCli(["--config", configFile, "export"], demo.env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Initial export");
    const baseline = git(dir, "rev-parse", "HEAD");
    tenant.clock.advance(5 * MINUTE);

    // Interleaved: alice, then the app, then bob, 5 s apart (the realistic model's shortest delay is 15 s).
    const alice = asUser(demo.started, "alice@contoso.onmicrosoft.com");
    const policyId = await idOf(alice, "/identity/conditionalAccess/policies", POLICY);
    await alice.api(`/identity/conditionalAccess/policies/${policyId}`).patch({ state: "enabled" });
    tenant.clock.advance(5_000);
    const app = admin(demo.started);
    const locationId = await idOf(app, "/identity/conditionalAccess/namedLocations", "Contoso branch offices");
    await app.api(`/identity/conditionalAccess/namedLocations/${locationId}`).patch({ "@odata.type": "#microsoft.graph.ipNamedLocation", isTrusted: false });
    tenant.clock.advance(5_000);
    const bob = asUser(demo.started, "bob@contoso.onmicrosoft.com");
    const groupId = await idOf(bob, "/groups", "sg-ca-breakglass-exclusion");
    await bob.api(`/groups/${groupId}`).patch({ description: "Break-glass accounts excluded from every CA policy (reviewed)" });
    tenant.clock.advance(2_000);
    expect(tenant.auditBacklogMs()).toBeGreaterThan(0);
    const visible = (await app.api("/auditLogs/directoryAudits").get()) as { value: { activityDisplayName: string }[] };
    expect(visible.value.filter((a) => /conditional access policy|named location|update group/i.test(a.activityDisplayName))).toEqual([]);

    // 1. Before the entries arrive: nothing is committed but the sync state.
    const early = await sync(configFile);
    expect(early.code, early.stderr + early.stdout).toBe(0);
    for (const address of ["conditionalAccessPolicy/ca-a06-admins-allapps-requirecompliantdevice", "namedLocation/contoso-branch-offices", "group/sg-ca-breakglass-exclusion"]) {
      expect(early.stdout).toContain(`held back: ${address} (no audit entry yet; waiting up to 15 min)`);
    }
    expect(git(dir, "diff", "--name-only", baseline, "HEAD")).toBe(STATE);
    expect(git(dir, "log", "--format=%an|%s", `${baseline}..HEAD`)).toBe("entra-gitops|Record the sync state of environment default: 3 change(s) waiting for their audit entry");
    expect(git(dir, "log", "--format=%B", `${baseline}..HEAD`)).not.toContain("no audit record");
    const state = git(dir, "show", `HEAD:${STATE}`);
    expect(state).toContain("group/sg-ca-breakglass-exclusion:");
    expect(state).toMatch(/hash: sha256:[0-9a-f]{64}/);
    expect(git(dir, "status", "--porcelain")).toBe("");

    // 2. A fresh clone (a CI runner) after the entries arrived: three commits in audit-time order.
    const clone = mkdtempSync(join(tmpdir(), "entra-gitops-e2e-clone-"));
    demo.dirs.push(clone);
    execFileSync("git", ["clone", "-q", dir, clone]);
    git(clone, "config", "user.name", "CI Runner");
    git(clone, "config", "user.email", "ci@example.test");
    // The entry of the first write: the group's is the latest, so catching up shows all three.
    catchUpAuditLog(demo.started.sandbox);
    const later = await sync(join(clone, "entra-gitops.yaml"));
    expect(later.code, later.stderr + later.stdout).toBe(0);
    expect(later.stdout).not.toContain("held back");
    const log = git(clone, "log", "--reverse", "--format=%ae|%aI|%s", `${baseline}..HEAD`).split("\n").slice(1);
    const appName = (await app.api("/auditLogs/directoryAudits").filter("activityDisplayName eq 'Update named location'").get()) as { value: { initiatedBy: { app?: { displayName?: string } } }[] };
    expect(appName.value[0]?.initiatedBy.app?.displayName).toBe(BOOTSTRAP_APP_NAME);
    expect(log.map((l) => l.split("|")[0])).toEqual([
      "alice@contoso.onmicrosoft.com",
      expect.stringMatching(/@noreply\.entra-gitops$/),
      "bob@contoso.onmicrosoft.com",
      "entra-gitops@users.noreply.github.com",
    ]);
    const dates = log.slice(0, 3).map((l) => Date.parse(l.split("|")[1] ?? ""));
    expect([...dates].sort((a, b) => a - b)).toEqual(dates);
    expect(log[3]).toMatch(/Record the sync state of environment default: 0 change\(s\) waiting/);
    // Nothing waits any more; the file keeps where the read stopped (sync.incremental, the default).
    expect(git(clone, "show", `HEAD:${STATE}`)).toMatch(/^pending: \{\}$/m);
    expect(git(clone, "show", `HEAD:${STATE}`)).toMatch(/^read:$/m);
    expect(git(clone, "log", "--format=%B", `${baseline}..HEAD`)).not.toContain("no audit record");

    // 3. A change no audit entry will ever explain (a service that does not audit): held back,
    // then committed once the grace period has passed, saying so.
    demo.started.sandbox.tenant.seedApi().create("groups", { displayName: "Unaudited group", mailEnabled: false, mailNickname: "unaudited", securityEnabled: true, groupTypes: [] });
    tenant.clock.advance(MINUTE);
    const waiting = await sync(join(clone, "entra-gitops.yaml"));
    expect(waiting.code, waiting.stderr).toBe(0);
    expect(waiting.stdout).toContain("held back: group/unaudited-group (no audit entry yet; waiting up to 15 min)");
    expect(git(clone, "ls-files", "tenant-config/group/unaudited-group.yaml")).toBe("");
    tenant.clock.advance(10 * MINUTE);
    const stillWaiting = await sync(join(clone, "entra-gitops.yaml"));
    expect(stillWaiting.stdout).toContain("held back: group/unaudited-group");
    tenant.clock.advance(6 * MINUTE);
    const expired = await sync(join(clone, "entra-gitops.yaml"));
    expect(expired.code, expired.stderr).toBe(0);
    expect(expired.stdout).not.toContain("held back");
    expect(git(clone, "ls-files", "tenant-config/group/unaudited-group.yaml")).toBe("tenant-config/group/unaudited-group.yaml");
    const subjects = git(clone, "log", "--format=%s", "-3");
    expect(subjects).toContain("Drift with no audit record after 15 min: add group/unaudited-group");
    // Nothing waits any more; the file keeps where the read stopped (sync.incremental, the default).
    expect(git(clone, "show", `HEAD:${STATE}`)).toMatch(/^pending: \{\}$/m);
    expect(git(clone, "show", `HEAD:${STATE}`)).toMatch(/^read:$/m);
    expect(git(clone, "status", "--porcelain")).toBe("");
  });

  it("bob's entry arrives before alice's earlier one: bob's change of another object is committed at once, hers when her entry arrives, each with its author and audit time", async () => {
    const tenant = demo.started.sandbox.tenant;
    catchUpAuditLog(demo.started.sandbox);
    const { dir, configFile } = tempRepo();
    demo.dirs.push(dir);
    vi.setSystemTime(tenant.clock.nowMs());
    expect((await runCli(["--config", configFile, "export"], demo.env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Initial export");
    const baseline = git(dir, "rev-parse", "HEAD");
    tenant.clock.advance(MINUTE);

    // Alice's entry takes 5 minutes to arrive, bob's (written 5 s later) 15 s.
    tenant.setAuditLatency(5 * MINUTE);
    const alice = asUser(demo.started, "alice@contoso.onmicrosoft.com");
    // (Objects the first test did not touch: its entries are still in the audit window.)
    const policyId = await idOf(alice, "/identity/conditionalAccess/policies", "CA-A04-Admins-AllApps-NoPersistentBrowser");
    const current = (await alice.api(`/identity/conditionalAccess/policies/${policyId}`).get()) as { state: string };
    await alice.api(`/identity/conditionalAccess/policies/${policyId}`).patch({ state: current.state === "disabled" ? "enabled" : "disabled" });
    tenant.clock.advance(5_000);
    tenant.setAuditLatency(15_000);
    const bob = asUser(demo.started, "bob@contoso.onmicrosoft.com");
    const groupId = await idOf(bob, "/groups", "sg-ca-pilot-users");
    await bob.api(`/groups/${groupId}`).patch({ description: "Pilot users (reviewed by bob)" });
    tenant.setAuditLatency("realistic");
    tenant.clock.advance(MINUTE);

    const early = await sync(configFile);
    expect(early.code, early.stderr + early.stdout).toBe(0);
    expect(early.stdout).toContain("held back: conditionalAccessPolicy/ca-a04-admins-allapps-nopersistentbrowser (no audit entry yet; waiting up to 15 min)");
    expect(early.stdout).not.toContain("held back: group/sg-ca-pilot-users");
    expect(git(dir, "log", "--reverse", "--format=%ae|%s", `${baseline}..HEAD`).split("\n")).toEqual([
      "bob@contoso.onmicrosoft.com|bob@contoso.onmicrosoft.com: update group/sg-ca-pilot-users",
      "entra-gitops@users.noreply.github.com|Record the sync state of environment default: 1 change(s) waiting for their audit entry",
    ]);

    tenant.clock.advance(5 * MINUTE);
    const later = await sync(configFile);
    expect(later.code, later.stderr + later.stdout).toBe(0);
    const log = git(dir, "log", "--reverse", "--format=%ae|%aI", `${baseline}..HEAD`).split("\n").map((l) => l.split("|"));
    expect(log.map(([author]) => author)).toEqual(["bob@contoso.onmicrosoft.com", "entra-gitops@users.noreply.github.com", "alice@contoso.onmicrosoft.com", "entra-gitops@users.noreply.github.com"]);
    // Her commit comes later in history but carries her (earlier) audit time.
    expect(Date.parse(log[2]?.[1] ?? "")).toBeLessThan(Date.parse(log[0]?.[1] ?? ""));
    expect(git(dir, "log", "--format=%B", `${baseline}..HEAD`)).not.toContain("no audit record");
    // Nothing waits any more; the file keeps where the read stopped (sync.incremental, the default).
    expect(git(dir, "show", `HEAD:${STATE}`)).toMatch(/^pending: \{\}$/m);
    expect(git(dir, "show", `HEAD:${STATE}`)).toMatch(/^read:$/m);
  });

  it("an older entry of the same object, already recorded in git, does not explain a newer change", async () => {
    const tenant = demo.started.sandbox.tenant;
    catchUpAuditLog(demo.started.sandbox);
    const { dir, configFile } = tempRepo();
    demo.dirs.push(dir);
    vi.setSystemTime(tenant.clock.nowMs());
    expect((await runCli(["--config", configFile, "export"], demo.env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Initial export");
    tenant.clock.advance(MINUTE);
    // Alice's change, recorded with her entry.
    tenant.setAuditLatency(15_000);
    const alice = asUser(demo.started, "alice@contoso.onmicrosoft.com");
    const groupId = await idOf(alice, "/groups", "sg-ca-serviceaccounts-exclusion");
    await alice.api(`/groups/${groupId}`).patch({ description: "Service accounts (alice)" });
    tenant.clock.advance(MINUTE);
    expect((await sync(configFile)).code).toBe(0);
    expect(git(dir, "log", "-1", "--format=%ae")).toBe("alice@contoso.onmicrosoft.com");
    const recorded = git(dir, "rev-parse", "HEAD");

    // Bob's change of the same group, a minute later; his entry is 5 minutes late. Alice's entry is
    // still in the audit window but explains what git already holds: bob's change waits for his.
    tenant.setAuditLatency(5 * MINUTE);
    const bob = asUser(demo.started, "bob@contoso.onmicrosoft.com");
    await bob.api(`/groups/${groupId}`).patch({ description: "Service accounts (bob)" });
    tenant.setAuditLatency("realistic");
    tenant.clock.advance(MINUTE);
    const early = await sync(configFile);
    expect(early.stdout).toContain("held back: group/sg-ca-serviceaccounts-exclusion (no audit entry yet; waiting up to 15 min)");
    expect(git(dir, "log", "--format=%ae", `${recorded}..HEAD`)).toBe("entra-gitops@users.noreply.github.com");
    tenant.clock.advance(5 * MINUTE);
    const later = await sync(configFile);
    expect(later.code, later.stderr).toBe(0);
    expect(git(dir, "log", "--reverse", "--format=%ae", `${recorded}..HEAD`).split("\n")).toEqual(["entra-gitops@users.noreply.github.com", "bob@contoso.onmicrosoft.com", "entra-gitops@users.noreply.github.com"]);
  });
});
