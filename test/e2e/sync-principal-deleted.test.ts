/**
 * Deleting a principal removes its directory role assignments in Graph, with no audit entry of their
 * own (nor does the member removal from its groups). sync commits both attributed to whoever deleted
 * the principal, and the next plan has nothing to do (no re-create of an assignment for a principal
 * that is gone).
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { BOOTSTRAP_APP_NAME } from "../../src/sandbox/tenant/identity/bootstrap.js";
import { describe, expect, it } from "vitest";
import { catchUpAuditLog } from "../helpers/sandbox.js";
import { admin } from "../helpers/actors.js";
import { writes } from "./apply-fixture.js";
import { defaultTestConfig, git, runCli, tempRepo } from "../helpers/cli.js";
import { auditLatencyDemo } from "../helpers/sandbox-block.js";

// Each test runs sync or drift several times against the HTTPS sandbox: well under 20 s alone, 20 to
// 47 s measured on the shared 2-core machine under load, where vitest's 20 s default fails it for nothing.
describe("sync after a principal with a role assignment is deleted in the portal", { timeout: 120_000 }, () => {
  const demo = auditLatencyDemo();

  it("commits the assignment's removal as the deleter's change, and plan then proposes nothing", async () => {
    const tenant = demo.started.sandbox.tenant;
    const { dir, configFile } = tempRepo();
    const exported = await runCli(["--config", configFile, "export"], demo.env);
    expect(exported.code, exported.stderr).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Initial export");
    const baseline = git(dir, "rev-parse", "HEAD");
    tenant.clock.advance(60_000);
    // An app with User.ReadWrite.All deletes the user (the portal client has no such scope).
    const operator = admin(demo.started);
    const hana = (await operator.api("/users/hana.sato@contoso.onmicrosoft.com").get()) as { id: string };
    // Users are not in scope; the assignment's document is named by role and principal UPN all the same.
    const name = "global-reader-hana-sato.yaml";
    const file = join(dir, "tenant-config/roleAssignment", name);
    expect(readdirSync(join(dir, "tenant-config/roleAssignment"))).toContain(name);
    const before = (await operator.api("/roleManagement/directory/roleAssignments").filter(`principalId eq '${hana.id}'`).get()) as { value: unknown[] };
    expect(before.value).toHaveLength(1);
    await operator.api(`/users/${hana.id}`).delete();
    const after = (await operator.api("/roleManagement/directory/roleAssignments").filter(`principalId eq '${hana.id}'`).get()) as { value: unknown[] };
    expect(after.value).toEqual([]);
    catchUpAuditLog(demo.started.sandbox);

    const sync = await runCli(["--config", configFile, "sync"], demo.env);
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    expect(existsSync(file)).toBe(false);
    const audits = (await operator.api("/auditLogs/directoryAudits").filter("activityDisplayName eq 'Delete user'").get()) as { value: { initiatedBy: { app?: { displayName?: string } } }[] };
    const deleter = audits.value[0]?.initiatedBy.app?.displayName;
    // The operator is the sandbox's own app registration.
    expect(deleter).toBe(BOOTSTRAP_APP_NAME);
    expect(git(dir, "log", "-1", "--format=%an")).toBe(deleter);
    // One attributed commit: the assignment and the group the user left, both explained by "Delete user".
    expect(git(dir, "rev-list", "--count", `${baseline}..HEAD`)).toBe("1");
    const body = git(dir, "log", "-1", "--format=%B");
    expect(body).not.toContain("no audit record");
    expect(body).toContain("Delete user");
    const touched = git(dir, "show", "--name-only", "--format=", "HEAD");
    expect(touched).toContain(name);
    expect(touched).toContain("tenant-config/group/all-company.yaml");

    const plan = await runCli(["--config", configFile, "plan", "--detailed-exitcode"], demo.env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("with drift: revert for role assignments and groups, records (does not try to undo) what followed the delete", async () => {
    const tenant = demo.started.sandbox.tenant;
    const { dir, configFile } = tempRepo(defaultTestConfig("drift:\n  default: commit\n  roleAssignment: revert\n  group: revert"));
    const exported = await runCli(["--config", configFile, "export"], demo.env);
    expect(exported.code, exported.stderr).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Initial export");
    tenant.clock.advance(60_000);
    const operator = admin(demo.started);
    const carlos = (await operator.api("/users/carlos.mendes@contoso.onmicrosoft.com").get()) as { id: string };
    const assignments = readdirSync(join(dir, "tenant-config/roleAssignment")).filter((f) => f.includes("carlos"));
    expect(assignments).toHaveLength(1);
    await operator.api(`/users/${carlos.id}`).delete();
    catchUpAuditLog(demo.started.sandbox);
    demo.started.sandbox.clearRequests();

    const sync = await runCli(["--config", configFile, "sync"], demo.env);
    expect(sync.code, sync.stderr + sync.stdout).toBe(0);
    expect(existsSync(join(dir, "tenant-config/roleAssignment", assignments[0] ?? ""))).toBe(false);
    expect(git(dir, "log", "-1", "--format=%B")).toContain("Delete user");
    // Nothing was written back: no role assignment for a user who is gone, no member re-added.
    expect(writes(demo.started.sandbox.requests())).toEqual([]);
    const plan = await runCli(["--config", configFile, "plan", "--detailed-exitcode"], demo.env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });
});
