import { describe, expect, it } from "vitest";
import { catchUpAuditLog } from "../helpers/sandbox.js";
import { admin, asUser, idOf } from "../helpers/actors.js";
import { git, runCli, tempRepo } from "../helpers/cli.js";
import { sandboxBlock } from "../helpers/sandbox-block.js";

const POLICY = "CA-A06-Admins-AllApps-RequireCompliantDevice";
const POLICY_FILE = "conditionalAccessPolicy/ca-a06-admins-allapps-requirecompliantdevice";
const LOCATION = "Contoso branch offices";




// Each test runs sync or drift several times against the HTTPS sandbox: well under 20 s alone, 20 to
// 47 s measured on the shared 2-core machine under load, where vitest's 20 s default fails it for nothing.
describe("sync attributes drift to its actors; history, rollback and restore bring it back", { timeout: 120_000 }, () => {
  const demo = sandboxBlock({ seed: "demo" });

  it("alice's policy edit and bob's deletion become two commits authored by them", async () => {
    const { dir, configFile } = tempRepo();
    const exported = await runCli(["--config", configFile, "export"], demo.env);
    expect(exported.code, exported.stderr).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Initial export");
    const baseline = git(dir, "rev-parse", "HEAD");

    const alice = asUser(demo.started, "alice@contoso.onmicrosoft.com");
    const bob = asUser(demo.started, "bob@contoso.onmicrosoft.com");
    const policyId = await idOf(alice, "/identity/conditionalAccess/policies", POLICY);
    await alice.api(`/identity/conditionalAccess/policies/${policyId}`).patch({ state: "enabled" });
    demo.started.sandbox.tenant.clock.advance(60 * 60 * 1000);
    const locationId = await idOf(bob, "/identity/conditionalAccess/namedLocations", LOCATION);
    const policiesUsingIt = (await bob.api("/identity/conditionalAccess/policies").get()) as { value: { id: string; conditions: { locations?: { excludeLocations?: string[] } } }[] };
    for (const policy of policiesUsingIt.value) {
      const exclude = policy.conditions.locations?.excludeLocations ?? [];
      if (exclude.includes(locationId)) {
        await bob.api(`/identity/conditionalAccess/policies/${policy.id}`).patch({ conditions: { ...policy.conditions, locations: { ...policy.conditions.locations, excludeLocations: exclude.filter((l) => l !== locationId) } } });
      }
    }
    // A trusted location must be made untrusted before Graph deletes it.
    await bob.api(`/identity/conditionalAccess/namedLocations/${locationId}`).patch({ "@odata.type": "#microsoft.graph.ipNamedLocation", isTrusted: false });
    await bob.api(`/identity/conditionalAccess/namedLocations/${locationId}`).delete();

    catchUpAuditLog(demo.started.sandbox);
    const sync = await runCli(["--config", configFile, "sync"], demo.env);
    expect(sync.code, sync.stderr).toBe(0);
    const log = git(dir, "log", "--format=%an <%ae>|%aI|%cn|%s", `${baseline}..HEAD`).split("\n").reverse();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatch(/^Alice .*<alice@contoso\.onmicrosoft\.com>\|.*\|entra-gitops\|/);
    expect(log[1]).toMatch(/^Bob .*<bob@contoso\.onmicrosoft\.com>\|.*\|entra-gitops\|/);
    const audits = (await admin(demo.started).api("/auditLogs/directoryAudits").filter(`targetResources/any(t: t/id eq '${policyId}')`).get()) as { value: { activityDateTime: string }[] };
    const aliceTime = audits.value.map((a) => a.activityDateTime).sort().at(-1) ?? "";
    expect(new Date(log[0]?.split("|")[1] ?? "").toISOString().slice(0, 19)).toBe(aliceTime.slice(0, 19));
    expect(git(dir, "show", "--stat", "--format=%B", "HEAD")).toContain("namedLocation/contoso-branch-offices");

    const history = await runCli(["--config", configFile, "history", POLICY_FILE], demo.env);
    expect(history.code, history.stderr).toBe(0);
    expect(history.stdout).toContain("alice@contoso.onmicrosoft.com");
    expect(history.stdout).toContain("state");
    expect(history.stdout).toContain("Initial export");

    catchUpAuditLog(demo.started.sandbox);
    const again = await runCli(["--config", configFile, "sync"], demo.env);
    expect(again.stdout).toContain("No drift");
    expect(git(dir, "rev-list", "--count", `${baseline}..HEAD`)).toBe("2");

    // Roll back both changes: the policy's state returns and the location comes back with its id.
    const rollback = await runCli(["--config", configFile, "rollback", "--to", baseline, "--apply", "--auto-approve"], demo.env);
    expect(rollback.code, rollback.stderr + rollback.stdout).toBe(0);
    expect(rollback.stdout).toContain("restored namedLocation/contoso-branch-offices");
    const policy = (await admin(demo.started).api(`/identity/conditionalAccess/policies/${policyId}`).get()) as { state: string };
    expect(policy.state).toBe("enabledForReportingButNotEnforced");
    const location = (await admin(demo.started).api(`/identity/conditionalAccess/namedLocations/${locationId}`).get()) as { id: string };
    expect(location.id).toBe(locationId);
    const drift = await runCli(["--config", configFile, "drift"], demo.env);
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
  });

  it("rollback of one policy change, applied, returns the policy to its committed state", async () => {
    const { dir, configFile } = tempRepo();
    expect((await runCli(["--config", configFile, "export"], demo.env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Baseline");
    const baseline = git(dir, "rev-parse", "HEAD");

    const bob = asUser(demo.started, "bob@contoso.onmicrosoft.com");
    const policyId = await idOf(bob, "/identity/conditionalAccess/policies", "CA-E02-Guests-AllApps-SignInFrequencyDaily");
    await bob.api(`/identity/conditionalAccess/policies/${policyId}`).patch({ state: "disabled" });
    catchUpAuditLog(demo.started.sandbox);
    const sync = await runCli(["--config", configFile, "sync"], demo.env);
    expect(sync.code, sync.stderr).toBe(0);
    expect(git(dir, "log", "-1", "--format=%ae")).toBe("bob@contoso.onmicrosoft.com");

    const rollback = await runCli(["--config", configFile, "rollback", "--to", baseline, "--apply", "--auto-approve"], demo.env);
    expect(rollback.code, rollback.stderr + rollback.stdout).toBe(0);
    expect(rollback.stdout).toContain("updated conditionalAccessPolicy/ca-e02-guests-allapps-signinfrequencydaily");
    const live = (await admin(demo.started).api(`/identity/conditionalAccess/policies/${policyId}`).get()) as { state: string };
    expect(live.state).toBe("enabled");
    const drift = await runCli(["--config", configFile, "drift"], demo.env);
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
  });

  it("restores a Conditional Access policy deleted two sandbox-days ago with its original id", async () => {
    const { dir, configFile } = tempRepo();
    expect((await runCli(["--config", configFile, "export"], demo.env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Baseline");
    const policyId = await idOf(admin(demo.started), "/identity/conditionalAccess/policies", "CA-E03-Guests-AdminPortals-Block");
    await admin(demo.started).api(`/identity/conditionalAccess/policies/${policyId}`).delete();
    demo.started.sandbox.tenant.clock.advance(2 * 24 * 60 * 60 * 1000);

    const restore = await runCli(["--config", configFile, "restore", "conditionalAccessPolicy/ca-e03-guests-adminportals-block", "--auto-approve"], demo.env);
    expect(restore.code, restore.stderr + restore.stdout).toBe(0);
    expect(restore.stdout).toContain("restored conditionalAccessPolicy/ca-e03-guests-adminportals-block");
    const back = (await admin(demo.started).api(`/identity/conditionalAccess/policies/${policyId}`).get()) as { id: string; displayName: string };
    expect(back).toMatchObject({ id: policyId, displayName: "CA-E03-Guests-AdminPortals-Block" });
  });

  it("re-creates a hard-deleted security group with its members and repoints the policy that used it", async () => {
    const { dir, configFile } = tempRepo();
    expect((await runCli(["--config", configFile, "export"], demo.env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Baseline");
    const groupId = await idOf(admin(demo.started), "/groups", "sg-ca-pilot-users");
    await admin(demo.started).api(`/groups/${groupId}`).delete();
    const deleted = (await admin(demo.started).api("/directory/deletedItems/microsoft.graph.group").get()) as { value: { id: string }[] };
    expect(deleted.value.map((g) => g.id)).not.toContain(groupId);

    const restore = await runCli(["--config", configFile, "restore", "group/sg-ca-pilot-users", "--auto-approve"], demo.env);
    expect(restore.code, restore.stderr + restore.stdout).toBe(0);
    const newId = await idOf(admin(demo.started), "/groups", "sg-ca-pilot-users");
    expect(newId).not.toBe(groupId);
    const members = (await admin(demo.started).api(`/groups/${newId}/members`).get()) as { value: { userPrincipalName?: string }[] };
    expect(members.value.map((m) => m.userPrincipalName).sort()).toEqual([
      "alice@contoso.onmicrosoft.com",
      "bob@contoso.onmicrosoft.com",
      "dana.kim@contoso.onmicrosoft.com",
    ]);
    const policyId = await idOf(admin(demo.started), "/identity/conditionalAccess/policies", "CA-I12-Pilot-ExchangeSharePoint-BlockDownloadsUnmanaged");
    const policy = (await admin(demo.started).api(`/identity/conditionalAccess/policies/${policyId}`).get()) as { conditions: { users: { includeGroups: string[] } } };
    expect(policy.conditions.users.includeGroups).toEqual([newId]);
  });
});
