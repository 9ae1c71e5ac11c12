/**
 * The engine recognises its own writes by its identity (README "Sync state"): apply's audit entry,
 * signed in as the engine's app and writing the committed document, never names who changed the
 * object, so alice's later portal change of the same group (her entry late) waits for her entry and
 * is then committed as hers, never as the engine's app "Changed outside git"; drift does not name
 * the engine either. The same app writing values git does not hold (a script signed in as it) is
 * still drift by that app. A separate apply app is the engine's own through `sync.engineIdentities`.
 *
 * The engine measures a change's age with the machine's clock: the test sets `Date` to the sandbox
 * clock before each run, as a CI runner's clock and Graph's agree.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { catchUpAuditLog } from "../helpers/sandbox.js";
import { admin, asUser, idOf } from "../helpers/actors.js";
import { defaultTestConfig, git, runCli, tempRepo } from "../helpers/cli.js";
import { auditLatencyDemo } from "../helpers/sandbox-block.js";

const MINUTE = 60_000;
const ALICE = "alice@contoso.onmicrosoft.com";
const BOT = "entra-gitops@users.noreply.github.com";

// Each test runs sync or drift several times against the HTTPS sandbox: well under 20 s alone, 20 to
// 47 s measured on the shared 2-core machine under load, where vitest's 20 s default fails it for nothing.
describe("the engine's own writes, by identity", { timeout: 120_000 }, () => {
  const demo = auditLatencyDemo({ clock: "manual" });

  async function run(configFile: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Awaited<ReturnType<typeof runCli>>> {
    vi.setSystemTime(demo.started.sandbox.tenant.clock.nowMs());
    return runCli(["--config", configFile, ...args], { ...demo.env, ...extraEnv });
  }

  /** Export and commit; then an engineer's commit of a new description of `group`, at the sandbox's time. */
  async function engineerEdits(config: string | undefined, file: string, from: string, to: string): Promise<{ dir: string; configFile: string; base: string }> {
    catchUpAuditLog(demo.started.sandbox);
    const { dir, configFile } = tempRepo(config);
    demo.dirs.push(dir);
    expect((await run(configFile, ["export"])).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Initial export");
    const path = join(dir, file);
    const text = readFileSync(path, "utf8");
    expect(text).toContain(from);
    writeFileSync(path, text.replace(from, to));
    demo.started.sandbox.tenant.clock.advance(MINUTE);
    const at = `${Math.floor(demo.started.sandbox.tenant.clock.nowMs() / 1000)} +0000`;
    execFileSync("git", ["commit", "-q", "-am", "Reword the group's description"], { cwd: dir, env: { ...process.env, GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at } });
    demo.started.sandbox.tenant.clock.advance(MINUTE);
    return { dir, configFile, base: git(dir, "rev-parse", "HEAD") };
  }

  async function aliceDescribes(group: string, description: string): Promise<void> {
    const alice = asUser(demo.started, ALICE);
    const id = await idOf(alice, "/groups", group);
    await alice.api(`/groups/${id}`).patch({ description });
  }

  it("apply's entry explains what git holds; alice's later change waits for her entry and is hers; the same app writing other values is still drift", async () => {
    const tenant = demo.started.sandbox.tenant;
    const { dir, configFile, base } = await engineerEdits(undefined, "tenant-config/group/marketing.yaml", "description: Marketing campaigns", "description: Marketing and events");
    tenant.setAuditLatency(15_000);
    const apply = await run(configFile, ["apply", "--auto-approve"]);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain("group/marketing");
    tenant.clock.advance(10_000);
    // Alice's portal change of the same group, her entry 5 minutes late.
    tenant.setAuditLatency(5 * MINUTE);
    await aliceDescribes("Marketing", "Marketing (alice)");
    tenant.clock.advance(5_000);
    // The engine's own app changes a location to values git does not hold (a script signed in as it).
    tenant.setAuditLatency(15_000);
    const app = admin(demo.started);
    const locationId = await idOf(app, "/identity/conditionalAccess/namedLocations", "Contoso branch offices");
    await app.api(`/identity/conditionalAccess/namedLocations/${locationId}`).patch({ "@odata.type": "#microsoft.graph.ipNamedLocation", isTrusted: false });
    tenant.setAuditLatency("realistic");
    tenant.clock.advance(MINUTE);

    // Apply's entry (visible) does not explain alice's change: it waits; the app's location change does not.
    const early = await run(configFile, ["sync"]);
    expect(early.code, early.stderr + early.stdout).toBe(0);
    expect(early.stdout).toContain("held back: group/marketing (no audit entry yet; waiting up to 15 min)");
    const entries = (await app.api("/auditLogs/directoryAudits").filter("activityDisplayName eq 'Update group'").get()) as { value: { initiatedBy: { app?: { appId?: string; displayName?: string } } }[] };
    const engineApp = entries.value.find((e) => e.initiatedBy.app?.appId === demo.env.AZURE_CLIENT_ID)?.initiatedBy.app;
    const principals = (await app.api("/servicePrincipals").filter(`appId eq '${demo.env.AZURE_CLIENT_ID}'`).get()) as { value: { displayName: string }[] };
    expect(engineApp?.displayName).toBe(principals.value[0]?.displayName);
    expect(engineApp?.displayName).not.toBe(undefined);
    expect(git(dir, "log", "--reverse", "--format=%ae|%s", `${base}..HEAD`).split("\n")).toEqual([
      `${demo.env.AZURE_CLIENT_ID}@noreply.entra-gitops|${engineApp?.displayName}: update namedLocation/contoso-branch-offices`,
      `${BOT}|Record the sync state of environment default: 1 change(s) waiting for their audit entry`,
    ]);
    // drift names no one for the group (not the engine), and the app for the location.
    const drift = await run(configFile, ["drift", "--format", "json"]);
    expect(drift.code, drift.stderr).toBe(2);
    const changes = (JSON.parse(drift.stdout) as { changes: { address: string; changedBy?: { label: string } }[] }).changes;
    expect(changes.find((c) => c.address === "group/marketing")).toBeDefined();
    expect(changes.find((c) => c.address === "group/marketing")?.changedBy).toBeUndefined();

    // Her entry arrives: committed as hers.
    tenant.clock.advance(5 * MINUTE);
    const later = await run(configFile, ["sync"]);
    expect(later.code, later.stderr + later.stdout).toBe(0);
    expect(git(dir, "log", "--reverse", "--format=%ae|%s", `${base}..HEAD`).split("\n").slice(2)).toEqual([
      `${ALICE}|${ALICE}: update group/marketing`,
      `${BOT}|Record the sync state of environment default: 0 change(s) waiting for their audit entry`,
    ]);
    const body = git(dir, "log", "-1", "--format=%B", "HEAD~1");
    // Only alice's entry is listed: apply's is not (it would read "(by <app> <appId@noreply…>)").
    expect(body).not.toContain(`${demo.env.AZURE_CLIENT_ID}`);
    expect(body).not.toContain("(by ");
    expect(git(dir, "log", "--format=%B", `${base}..HEAD`)).not.toContain("no audit record");
    expect(git(dir, "show", "HEAD:tenant-config/group/marketing.yaml")).toContain("description: Marketing (alice)");
  });

  it("a separate apply app listed in sync.engineIdentities is the engine's own too", async () => {
    const tenant = demo.started.sandbox.tenant;
    const applier = { appId: randomUUID(), secret: `apply-${randomUUID()}` };
    const seed = tenant.seedApi();
    seed.create("applications", { displayName: "entra-gitops apply (production)", appId: applier.appId });
    seed.addClientSecret(applier.appId, applier.secret, "test");
    seed.grantAppRoles(applier.appId, ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess", "Group.ReadWrite.All", "Application.Read.All", "AdministrativeUnit.Read.All", "RoleManagement.Read.Directory", "Directory.Read.All"]);
    const config = defaultTestConfig(`sync:\n  engineIdentities:\n    - ${applier.appId}\n`);
    const { dir, configFile, base } = await engineerEdits(config, "tenant-config/group/finance-team.yaml", "description: Finance department team", "description: Finance department (EMEA and US)");
    tenant.setAuditLatency(15_000);
    const apply = await run(configFile, ["apply", "--auto-approve"], { AZURE_CLIENT_ID: applier.appId, AZURE_CLIENT_SECRET: applier.secret });
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    tenant.clock.advance(10_000);
    tenant.setAuditLatency(5 * MINUTE);
    await aliceDescribes("Finance Team", "Finance (alice)");
    tenant.setAuditLatency("realistic");
    tenant.clock.advance(MINUTE);

    // Sync runs as the read app; the apply app's entry is the engine's own.
    const early = await run(configFile, ["sync"]);
    expect(early.code, early.stderr + early.stdout).toBe(0);
    expect(early.stdout).toContain("held back: group/finance-team (no audit entry yet; waiting up to 15 min)");
    expect(git(dir, "log", "--format=%ae", `${base}..HEAD`)).toBe(BOT);
    tenant.clock.advance(5 * MINUTE);
    expect((await run(configFile, ["sync"])).code).toBe(0);
    expect(git(dir, "log", "--reverse", "--format=%ae", `${base}..HEAD`).split("\n")).toEqual([BOT, ALICE, BOT]);
  });

  it("sync's own revert is the engine's write: bob's later change of the reverted policy is not shown as the engine's", async () => {
    const tenant = demo.started.sandbox.tenant;
    catchUpAuditLog(demo.started.sandbox);
    const config = `configDir: tenant-config\nbreakGlass:\n  accounts: []\n  groups: [group:sg-ca-breakglass-exclusion]\ndrift:\n  default: commit\n  conditionalAccessPolicy: revert\n`;
    const { dir, configFile } = tempRepo(config);
    demo.dirs.push(dir);
    expect((await run(configFile, ["export"])).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Initial export");
    tenant.clock.advance(MINUTE);
    const policy = "conditionalAccessPolicy/ca-a04-admins-allapps-nopersistentbrowser";
    const alice = asUser(demo.started, ALICE);
    const policyId = await idOf(alice, "/identity/conditionalAccess/policies", "CA-A04-Admins-AllApps-NoPersistentBrowser");
    const { state } = (await alice.api(`/identity/conditionalAccess/policies/${policyId}`).get()) as { state: string };
    const other = state === "disabled" ? "enabled" : "disabled";
    tenant.setAuditLatency(15_000);
    await alice.api(`/identity/conditionalAccess/policies/${policyId}`).patch({ state: other });
    tenant.clock.advance(MINUTE);
    const heal = await run(configFile, ["sync"]);
    expect(heal.code, heal.stdout + heal.stderr).toBe(0);
    expect(heal.stdout).toMatch(new RegExp(`drift to revert: ${policy} modified by ${ALICE} at `));
    expect(heal.stdout).toContain(`reverted ${policy} (update)`);

    // Bob changes it again; his entry is late, the engine's revert entry is there.
    tenant.clock.advance(10_000);
    tenant.setAuditLatency(5 * MINUTE);
    const bob = asUser(demo.started, "bob@contoso.onmicrosoft.com");
    await bob.api(`/identity/conditionalAccess/policies/${policyId}`).patch({ state: other });
    tenant.setAuditLatency("realistic");
    tenant.clock.advance(MINUTE);
    const again = await run(configFile, ["sync"]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const line = again.stdout.split("\n").find((l) => l.startsWith(`drift to revert: ${policy} modified`)) ?? "";
    expect(line).not.toBe("");
    // Neither the engine (its revert) nor alice (whose change it reverted) is named; bob's entry is not there yet.
    expect(line).not.toContain(" by ");
    expect(again.stdout).toContain(`reverted ${policy} (update)`);
    // Besides the export, only the bot's record of where the first (full) read stopped (sync.incremental, the default).
    expect(git(dir, "log", "--format=%an|%s", "HEAD~1..HEAD")).toBe("entra-gitops|Record where sync's read of environment default stopped");
    expect(git(dir, "rev-list", "--count", "HEAD")).toBe("2");
    expect(git(dir, "diff", "--name-only", "HEAD~1", "HEAD")).toBe(".entra-gitops/state/default/sync.yaml");
  });
});
