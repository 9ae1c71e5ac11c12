/**
 * Attribution under audit latency (README "Sync state"): alice, bob and an operator app change
 * objects at interleaved times while one change never gets an audit entry. Syncs before and after
 * the entries arrive commit every attributable change with its author as soon as its entry is
 * there, in the order of the audit times within a run; the unaudited change waits alone and is
 * committed only when its grace period has passed; nothing attributable is committed as
 * unattributed. The same object changed again by someone whose entry is already there waits for
 * the entry of the change a sync saw first.
 *
 * The engine measures a change's age with the machine's clock: the test sets `Date` to the sandbox
 * clock before each run, as a CI runner's clock and Graph's agree.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { catchUpAuditLog, credentialFor, graphClient } from "../helpers/sandbox.js";
import { asUser, idOf } from "../helpers/actors.js";
import { git, runCli, tempRepo } from "../helpers/cli.js";
import { auditLatencyDemo } from "../helpers/sandbox-block.js";

const MINUTE = 60_000;
const STATE = ".entra-gitops/state/default/sync.yaml";
const BOT = "entra-gitops@users.noreply.github.com";
const ALICE = "alice@contoso.onmicrosoft.com";
const BOB = "bob@contoso.onmicrosoft.com";

// Each test runs sync or drift several times against the HTTPS sandbox: well under 20 s alone, 20 to
// 47 s measured on the shared 2-core machine under load, where vitest's 20 s default fails it for nothing.
describe("sync under audit latency: interleaved actors and a change that is never audited", { timeout: 120_000 }, () => {
  const operator = { appId: randomUUID(), secret: `operator-${randomUUID()}`, name: "Contoso provisioning robot" };
  const demo = auditLatencyDemo({
    clock: "manual",
    setup: (started) => {
      // An automation app of the customer's, not the engine's own identity.
      const seed = started.sandbox.tenant.seedApi();
      seed.create("applications", { displayName: operator.name, appId: operator.appId });
      seed.addClientSecret(operator.appId, operator.secret, "test");
      seed.grantAppRoles(operator.appId, ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess", "Group.ReadWrite.All"]);
    },
  });

  /** A fresh client of the operator app (moving the clock expires cached tokens). */
  const robot = (): ReturnType<typeof graphClient> => graphClient(demo.started.sandbox, credentialFor(demo.started.sandbox, operator.appId, operator.secret));

  async function sync(configFile: string): Promise<Awaited<ReturnType<typeof runCli>>> {
    vi.setSystemTime(demo.started.sandbox.tenant.clock.nowMs());
    const result = await runCli(["--config", configFile, "sync"], demo.env);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    return result;
  }

  async function baseline(): Promise<{ dir: string; configFile: string; base: string }> {
    catchUpAuditLog(demo.started.sandbox);
    const { dir, configFile } = tempRepo();
    demo.dirs.push(dir);
    vi.setSystemTime(demo.started.sandbox.tenant.clock.nowMs());
    expect((await runCli(["--config", configFile, "export"], demo.env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Initial export");
    demo.started.sandbox.tenant.clock.advance(MINUTE);
    return { dir, configFile, base: git(dir, "rev-parse", "HEAD") };
  }

  it("commits alice's, bob's and the app's changes as their entries arrive; the unaudited change waits alone for its grace period", async () => {
    const tenant = demo.started.sandbox.tenant;
    const { dir, configFile, base } = await baseline();

    // 1. alice (entry in 15 s), the app (entry in 6 min), a service that does not audit, bob (entry in 20 s).
    tenant.setAuditLatency(15_000);
    const alice = asUser(demo.started, ALICE);
    const policyId = await idOf(alice, "/identity/conditionalAccess/policies", "CA-A06-Admins-AllApps-RequireCompliantDevice");
    await alice.api(`/identity/conditionalAccess/policies/${policyId}`).patch({ state: "enabled" });
    tenant.clock.advance(5_000);
    tenant.setAuditLatency(6 * MINUTE);
    const locationId = await idOf(robot(), "/identity/conditionalAccess/namedLocations", "Contoso branch offices");
    await robot().api(`/identity/conditionalAccess/namedLocations/${locationId}`).patch({ "@odata.type": "#microsoft.graph.ipNamedLocation", isTrusted: false });
    tenant.clock.advance(5_000);
    tenant.seedApi().create("groups", { displayName: "Unaudited robots", mailEnabled: false, mailNickname: "unauditedrobots", securityEnabled: true, groupTypes: [] });
    tenant.clock.advance(5_000);
    tenant.setAuditLatency(20_000);
    const bob = asUser(demo.started, BOB);
    const groupId = await idOf(bob, "/groups", "sg-ca-breakglass-exclusion");
    await bob.api(`/groups/${groupId}`).patch({ description: "Break-glass accounts (reviewed by bob)" });
    tenant.setAuditLatency("realistic");
    tenant.clock.advance(MINUTE);

    // 2. alice's and bob's entries are there: committed now, in audit order; the app's change and
    // the unaudited one wait, and neither delays alice's or bob's.
    const first = await sync(configFile);
    expect(first.stdout).toContain("held back: namedLocation/contoso-branch-offices (no audit entry yet; waiting up to 15 min)");
    expect(first.stdout).toContain("held back: group/unaudited-robots (no audit entry yet; waiting up to 15 min)");
    expect(first.stdout).not.toContain("held back: conditionalAccessPolicy");
    expect(first.stdout).not.toContain("held back: group/sg-ca-breakglass-exclusion");
    const afterFirst = git(dir, "log", "--reverse", "--format=%ae|%aI|%s", `${base}..HEAD`).split("\n").map((l) => l.split("|"));
    expect(afterFirst.map(([author, , subject]) => `${author}|${subject}`)).toEqual([
      `${ALICE}|${ALICE}: update 1 object`,
      `${BOB}|${BOB}: update group/sg-ca-breakglass-exclusion`,
      `${BOT}|Record the sync state of environment default: 2 change(s) waiting for their audit entry`,
    ]);
    expect(git(dir, "show", "--name-only", "--format=", "HEAD~2")).toBe("tenant-config/conditionalAccessPolicy/ca-a06-admins-allapps-requirecompliantdevice.yaml");
    expect(Date.parse(afterFirst[0]?.[1] ?? "")).toBeLessThan(Date.parse(afterFirst[1]?.[1] ?? ""));
    const firstHead = git(dir, "rev-parse", "HEAD");

    // 3. Three minutes later: nothing new has arrived; nothing is committed.
    tenant.clock.advance(3 * MINUTE);
    const second = await sync(configFile);
    expect(second.stdout).toContain("held back: namedLocation/contoso-branch-offices");
    expect(git(dir, "rev-parse", "HEAD")).toBe(firstHead);

    // 4. The app's entry arrives: committed as the app's; the unaudited change still waits.
    tenant.clock.advance(3 * MINUTE);
    const third = await sync(configFile);
    expect(third.stdout).not.toContain("held back: namedLocation/contoso-branch-offices");
    expect(third.stdout).toContain("held back: group/unaudited-robots");
    expect(git(dir, "log", "--reverse", "--format=%an|%ae|%s", `${firstHead}..HEAD`).split("\n")).toEqual([
      `${operator.name}|${operator.appId}@noreply.entra-gitops|${operator.name}: update namedLocation/contoso-branch-offices`,
      `entra-gitops|${BOT}|Record the sync state of environment default: 1 change(s) waiting for their audit entry`,
    ]);
    const thirdHead = git(dir, "rev-parse", "HEAD");

    // 5. Past 15 min since a sync first saw it: the unaudited group is committed, saying so.
    tenant.clock.advance(9.5 * MINUTE);
    const last = await sync(configFile);
    expect(last.stdout).not.toContain("held back");
    expect(git(dir, "log", "--reverse", "--format=%ae|%s", `${thirdHead}..HEAD`).split("\n")).toEqual([
      `${BOT}|Drift with no audit record after 15 min: add group/unaudited-robots`,
      `${BOT}|Record the sync state of environment default: 0 change(s) waiting for their audit entry`,
    ]);
    // Nothing waits any more; the file keeps where the read stopped (sync.incremental, the default).
    expect(git(dir, "show", `HEAD:${STATE}`)).toMatch(/^pending: \{\}$/m);
    expect(git(dir, "show", `HEAD:${STATE}`)).toMatch(/^read:$/m);
    // Nothing attributable was committed as unattributed.
    expect(git(dir, "log", "--format=%s", `${base}..HEAD`).split("\n").filter((s) => s.includes("no audit record"))).toHaveLength(1);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });

  it("the same object changed again by bob, whose entry is there, waits for alice's earlier entry; then it is bob's commit listing hers", async () => {
    const tenant = demo.started.sandbox.tenant;
    const { dir, configFile, base } = await baseline();
    tenant.setAuditLatency(8 * MINUTE);
    const alice = asUser(demo.started, ALICE);
    const groupId = await idOf(alice, "/groups", "sg-ca-pilot-users");
    await alice.api(`/groups/${groupId}`).patch({ description: "Pilot users (alice)" });
    tenant.clock.advance(MINUTE);
    const first = await sync(configFile);
    expect(first.stdout).toContain("held back: group/sg-ca-pilot-users (no audit entry yet; waiting up to 15 min)");
    tenant.clock.advance(5_000);

    tenant.setAuditLatency(15_000);
    const bob = asUser(demo.started, BOB);
    await bob.api(`/groups/${groupId}`).patch({ displayName: "sg-ca-pilot-users", description: "Pilot users (alice, then bob)" });
    tenant.setAuditLatency("realistic");
    tenant.clock.advance(MINUTE);
    const second = await sync(configFile);
    expect(second.stdout).toContain("held back: group/sg-ca-pilot-users (changed again; the earlier change has no audit entry yet; waiting up to 15 min)");
    expect(git(dir, "log", "--format=%ae", `${base}..HEAD`)).toBe(BOT);

    tenant.clock.advance(7 * MINUTE);
    await sync(configFile);
    const log = git(dir, "log", "--reverse", "--format=%ae|%s", `${base}..HEAD`).split("\n");
    expect(log).toEqual([
      `${BOT}|Record the sync state of environment default: 1 change(s) waiting for their audit entry`,
      `${BOB}|${BOB}: update group/sg-ca-pilot-users`,
      `${BOT}|Record the sync state of environment default: 0 change(s) waiting for their audit entry`,
    ]);
    const body = git(dir, "log", "-1", "--format=%B", "HEAD~1");
    expect(body).toContain("(by Alice");
    expect(git(dir, "show", "HEAD:tenant-config/group/sg-ca-pilot-users.yaml")).toContain("Pilot users (alice, then bob)");
    expect(git(dir, "log", "--format=%B", `${base}..HEAD`)).not.toContain("no audit record");
  });
});
