import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog } from "../helpers/sandbox.js";
import { admin, asUser, idOf } from "../helpers/actors.js";
import { defaultTestConfig, git } from "../helpers/cli.js";
import { sandboxBlock } from "../helpers/sandbox-block.js";

const ALICE = "alice@contoso.onmicrosoft.com";
const BOB = "bob@contoso.onmicrosoft.com";
const POLICIES = "/identity/conditionalAccess/policies";
const LOCATIONS = "/identity/conditionalAccess/namedLocations";
const BREAK_GLASS_GROUP = ["breakGlass:", "  accounts: []", "  groups: [group:sg-ca-breakglass-exclusion]"].join("\n");

/** Bob widens a named location's IP ranges "in the portal". */
async function bobEditsLocation(started: StartedSandbox, name: string, cidr: string): Promise<string> {
  const bob = asUser(started, BOB);
  const id = await idOf(bob, LOCATIONS, name);
  const current = (await bob.api(`${LOCATIONS}/${id}`).get()) as { ipRanges: unknown[] };
  await bob.api(`${LOCATIONS}/${id}`).patch({
    "@odata.type": "#microsoft.graph.ipNamedLocation",
    ipRanges: [...current.ipRanges, { "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: cidr }],
  });
  return id;
}

// Each test runs sync or drift several times against the HTTPS sandbox: well under 20 s alone, 20 to
// 47 s measured on the shared 2-core machine under load, where vitest's 20 s default fails it for nothing.
describe("sync acts on drift per kind: commit, pull-request branch, or revert (self-heal)", { timeout: 120_000 }, () => {
  const demo = sandboxBlock({ seed: "demo" });

  it("reverts alice's Conditional Access drift (edit, delete, create) and commits bob's named location change as bob", async () => {
    const config = defaultTestConfig().replace(/breakGlass:[\s\S]*$/, BREAK_GLASS_GROUP) + "\ndrift:\n  default: commit\n  conditionalAccessPolicy: revert\n";
    const { dir, base, cli } = await demo.baseline({ config });
    const alice = asUser(demo.started, ALICE);
    const editedId = await idOf(alice, POLICIES, "CA-A06-Admins-AllApps-RequireCompliantDevice");
    await alice.api(`${POLICIES}/${editedId}`).patch({ state: "enabled" });
    const deletedId = await idOf(alice, POLICIES, "CA-E03-Guests-AdminPortals-Block");
    await alice.api(`${POLICIES}/${deletedId}`).delete();
    const created = (await alice.api(POLICIES).post({
      displayName: "Alice portal experiment",
      state: "enabledForReportingButNotEnforced",
      conditions: { users: { includeUsers: ["None"] }, applications: { includeApplications: ["None"] }, clientAppTypes: ["all"] },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    })) as { id: string };
    await bobEditsLocation(demo.started, "Contoso branch offices", "198.51.100.0/24");

    // --no-commit writes bob's file for review and only plans the revert: the tenant is untouched.
    catchUpAuditLog(demo.started.sandbox);
    const review = await cli("sync", "--no-commit");
    expect(review.code, review.stdout + review.stderr).toBe(0);
    expect(review.stdout).toContain("wrote tenant-config/namedLocation/contoso-branch-offices.yaml");
    expect(review.stdout).toMatch(/Revert planned, not applied \(--no-commit\): .*update conditionalAccessPolicy\/ca-a06-admins-allapps-requirecompliantdevice/);
    expect(((await admin(demo.started).api(`${POLICIES}/${editedId}`).get()) as { state: string }).state).toBe("enabled");
    expect(git(dir, "rev-parse", "HEAD")).toBe(base);

    catchUpAuditLog(demo.started.sandbox);
    const sync = await cli("sync");
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);

    // The tenant is back to git for the policies: state, restored with its id; the new one is kept (prune off) and reported.
    const edited = (await admin(demo.started).api(`${POLICIES}/${editedId}`).get()) as { state: string };
    expect(edited.state).toBe("enabledForReportingButNotEnforced");
    const restored = (await admin(demo.started).api(`${POLICIES}/${deletedId}`).get()) as { id: string; displayName: string };
    expect(restored).toMatchObject({ id: deletedId, displayName: "CA-E03-Guests-AdminPortals-Block" });
    const experiment = (await admin(demo.started).api(`${POLICIES}/${created.id}`).get()) as { id: string };
    expect(experiment.id).toBe(created.id);
    expect(sync.stderr).toContain("conditionalAccessPolicy/alice-portal-experiment was created outside git and is left in place (prune is off)");
    expect(sync.stdout).toMatch(/drift to revert: conditionalAccessPolicy\/ca-a06-admins-allapps-requirecompliantdevice modified by alice@contoso\.onmicrosoft\.com at /);
    expect(sync.stdout).toMatch(/drift to revert: conditionalAccessPolicy\/ca-e03-guests-adminportals-block deleted by alice@contoso\.onmicrosoft\.com/);
    expect(sync.stdout).toContain("reverted conditionalAccessPolicy/ca-a06-admins-allapps-requirecompliantdevice (update)");
    expect(sync.stdout).toContain("reverted conditionalAccessPolicy/ca-e03-guests-adminportals-block (restore)");

    // Git: one commit, by bob, with only the named location; no commit touches a policy.
    const log = git(dir, "log", "--format=%an <%ae>|%cn|%s", `${base}..HEAD`).split("\n");
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^Bob .*<bob@contoso\.onmicrosoft\.com>\|entra-gitops\|/);
    // The commit also records where sync's read stopped (sync.incremental, the default): no bot commit of its own.
    expect(git(dir, "show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual([".entra-gitops/state/default/sync.yaml", "tenant-config/namedLocation/contoso-branch-offices.yaml"]);
    expect(git(dir, "log", "--format=%H", `${base}..HEAD`, "--", "tenant-config/conditionalAccessPolicy")).toBe("");
    expect(git(dir, "status", "--porcelain")).toBe("");

    // Only the kept portal-created policy still differs from git; it is reported again, nothing is written.
    catchUpAuditLog(demo.started.sandbox);
    const again = await cli("sync");
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).not.toContain("reverted ");
    expect(again.stdout).toContain("drift to revert: conditionalAccessPolicy/alice-portal-experiment added");
    expect(git(dir, "rev-list", "--count", `${base}..HEAD`)).toBe("1");
  });

  it("commits pr-kind drift on a drift branch (pushed, named in the output) and commit-kind drift on main", async () => {
    const config = defaultTestConfig() + "\ndrift:\n  default: commit\n  namedLocation: pr\n";
    const { dir, base, cli } = await demo.baseline({ config });
    const remote = mkdtempSync(join(tmpdir(), "entra-gitops-remote-"));
    execFileSync("git", ["init", "-q", "--bare", remote]);
    git(dir, "remote", "add", "origin", remote);

    const alice = asUser(demo.started, ALICE);
    const policyId = await idOf(alice, POLICIES, "CA-E02-Guests-AllApps-SignInFrequencyDaily");
    await alice.api(`${POLICIES}/${policyId}`).patch({ state: "disabled" });
    await bobEditsLocation(demo.started, "Contoso HQ", "203.0.113.128/25");

    catchUpAuditLog(demo.started.sandbox);
    const sync = await cli("sync", "--push");
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    const branch = /drift branch: (entra-gitops\/drift-default-\d{8}T\d{6}Z) \(1 commit\(s\) for a pull request\)/.exec(sync.stdout)?.[1];
    expect(branch, sync.stdout).toBeDefined();
    const drift = branch ?? "";

    // main: alice's policy change only; the drift branch: main plus bob's location commit.
    expect(git(dir, "rev-parse", "--abbrev-ref", "HEAD")).toBe("main");
    expect(git(dir, "log", "--format=%ae", `${base}..main`)).toBe(ALICE);
    expect(git(dir, "log", "--format=%H", `${base}..main`, "--", "tenant-config/namedLocation")).toBe("");
    expect(git(dir, "log", "--format=%ae|%s", `main..${drift}`)).toMatch(/^bob@contoso\.onmicrosoft\.com\|/);
    expect(git(dir, "diff", "--name-only", `main..${drift}`)).toBe("tenant-config/namedLocation/contoso-hq.yaml");
    expect(git(dir, "show", `${drift}:tenant-config/namedLocation/contoso-hq.yaml`)).toContain("203.0.113.128/25");
    expect(git(dir, "show", "main:tenant-config/namedLocation/contoso-hq.yaml")).not.toContain("203.0.113.128/25");
    expect(git(dir, "status", "--porcelain")).toBe("");

    // Both branches reached origin.
    expect(git(remote, "rev-parse", "main")).toBe(git(dir, "rev-parse", "main"));
    expect(git(remote, "rev-parse", drift)).toBe(git(dir, "rev-parse", drift));
    expect(sync.stdout).toContain(`pushed ${drift} to origin`);

    // The next scheduled run finds the same drift already proposed (locally, or only on origin): no second branch.
    catchUpAuditLog(demo.started.sandbox);
    const again = await cli("sync", "--push");
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain(`drift for a pull request is already on ${drift} (an earlier sync): no new branch`);
    git(dir, "branch", "-D", drift);
    git(dir, "fetch", "-q", "origin");
    catchUpAuditLog(demo.started.sandbox);
    const fromRemote = await cli("sync");
    expect(fromRemote.stdout).toContain(`drift for a pull request is already on origin/${drift} (an earlier sync)`);
    expect(git(dir, "for-each-ref", "--format=%(refname)", "refs/heads/entra-gitops/")).toBe("");
  });

  it("self-heals a hard-deleted group (re-created, policy repointed, new id committed) and, under prune, deletes a portal-created policy", async () => {
    const config = defaultTestConfig().replace(/breakGlass:[\s\S]*$/, BREAK_GLASS_GROUP) + "\nprune: true\ndrift:\n  default: commit\n  conditionalAccessPolicy: revert\n  group: revert\n";
    const { dir, base, cli } = await demo.baseline({ config });
    const bob = asUser(demo.started, BOB);
    const groupId = await idOf(admin(demo.started), "/groups", "sg-ca-pilot-users");
    await admin(demo.started).api(`/groups/${groupId}`).delete();
    await bob.api(POLICIES).post({
      displayName: "Bob portal experiment",
      state: "disabled",
      conditions: { users: { includeUsers: ["None"] }, applications: { includeApplications: ["None"] }, clientAppTypes: ["all"] },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    });

    catchUpAuditLog(demo.started.sandbox);
    const sync = await cli("sync");
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    expect(sync.stdout).toContain("reverted group/sg-ca-pilot-users (create)");
    expect(sync.stdout).toContain("reverted conditionalAccessPolicy/ca-i12-pilot-exchangesharepoint-blockdownloadsunmanaged (update)");
    expect(sync.stdout).toContain("reverted conditionalAccessPolicy/bob-portal-experiment (delete)");
    expect(sync.stdout).toMatch(/drift to revert: conditionalAccessPolicy\/bob-portal-experiment added by bob@contoso\.onmicrosoft\.com/);

    const newId = await idOf(admin(demo.started), "/groups", "sg-ca-pilot-users");
    expect(newId).not.toBe(groupId);
    const members = (await admin(demo.started).api(`/groups/${newId}/members`).get()) as { value: { userPrincipalName?: string }[] };
    expect(members.value.map((m) => m.userPrincipalName).sort()).toEqual([ALICE, BOB, "dana.kim@contoso.onmicrosoft.com"]);
    const policyId = await idOf(admin(demo.started), POLICIES, "CA-I12-Pilot-ExchangeSharePoint-BlockDownloadsUnmanaged");
    const policy = (await admin(demo.started).api(`${POLICIES}/${policyId}`).get()) as { conditions: { users: { includeGroups: string[] } } };
    expect(policy.conditions.users.includeGroups).toEqual([newId]);
    const left = (await admin(demo.started).api(POLICIES).filter("displayName eq 'Bob portal experiment'").get()) as { value: unknown[] };
    expect(left.value).toEqual([]);

    // Git records only the new id (in the environment's id map), as the bot; the next sync finds nothing.
    const log = git(dir, "log", "--format=%an|%s", `${base}..HEAD`).split("\n");
    expect(log).toEqual(["entra-gitops|Self-heal: record the new id of 1 re-created object(s)"]);
    // The same commit records where sync's read stopped (sync.incremental, the default).
    expect(git(dir, "diff", "--name-only", base, "HEAD").split("\n").sort()).toEqual([".entra-gitops/state/default/ids.yaml", ".entra-gitops/state/default/sync.yaml"]);
    expect(git(dir, "show", "HEAD:.entra-gitops/state/default/ids.yaml")).toContain(`group/sg-ca-pilot-users: ${newId}`);
    catchUpAuditLog(demo.started.sandbox);
    const again = await cli("sync");
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain("No drift");
  });

  it("refuses a revert the lockout guard blocks: nothing is written and the run exits 1", async () => {
    // Dana is configured as the break-glass account; the committed policy blocks all users and does not exclude her.
    const config = [
      "configDir: tenant-config",
      "breakGlass:",
      "  accounts: [user:dana.kim@contoso.onmicrosoft.com]",
      "  groups: []",
      "drift:",
      "  default: commit",
      "  conditionalAccessPolicy: revert",
      "",
    ].join("\n");
    const { dir, base, cli } = await demo.baseline({ config });
    const alice = asUser(demo.started, ALICE);
    const policyId = await idOf(alice, POLICIES, "CA-G07-AllUsers-AllApps-BlockDeviceCodeFlow");
    await alice.api(`${POLICIES}/${policyId}`).patch({ state: "disabled" });

    catchUpAuditLog(demo.started.sandbox);
    const sync = await cli("sync");
    expect(sync.code, sync.stdout + sync.stderr).toBe(1);
    expect(sync.stderr).toContain("revert refused; nothing was written to the tenant");
    expect(sync.stderr).toMatch(/error: conditionalAccessPolicy\/ca-g07-allusers-allapps-blockdevicecodeflow \("CA-G07.*makes access worse for break-glass user:dana\.kim@contoso\.onmicrosoft\.com.*deviceCodeFlow.*Fix: .*\(lockout guard\)/);
    expect(sync.stdout).toMatch(/drift to revert: conditionalAccessPolicy\/ca-g07-allusers-allapps-blockdevicecodeflow modified by alice@contoso\.onmicrosoft\.com/);
    const live = (await admin(demo.started).api(`${POLICIES}/${policyId}`).get()) as { state: string };
    expect(live.state).toBe("disabled");
    expect(git(dir, "rev-parse", "HEAD")).toBe(base);
  });
});
