import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { admin, idOf } from "../helpers/actors.js";
import { git } from "../helpers/cli.js";
import type { ExportedBaseline } from "../helpers/exported-baseline.js";
import { sandboxBlock } from "../helpers/sandbox-block.js";

/**
 * The engine's own writes are not drift, and its git writes never leave main invalid: apply →
 * sync commits nothing and renames nothing; restore and rollback commit only after the result
 * validated and the tenant took every write.
 */
describe("apply, restore and rollback, then sync", () => {
  const demo = sandboxBlock({ seed: "demo" });
  afterEach(() => demo.started.sandbox.faults.clear());
  const baseline = (): Promise<ExportedBaseline> => demo.baseline();

  it("a group written by hand and created by apply keeps its document name, and the next sync commits nothing", async () => {
    const { dir, cli } = await baseline();
    const text = ["kind: group", "name: payroll-approvers", "spec:", "  securityEnabled: true", "  mailEnabled: false", "  mailNickname: payrollapprovers", "  displayName: Payroll Approvers (EMEA)", "  description: Approve payroll runs", ""].join("\n");
    writeFileSync(join(dir, "tenant-config/group/payroll-approvers.yaml"), text);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Add payroll approvers");
    const head = git(dir, "rev-parse", "HEAD");
    const apply = await cli("apply", "--auto-approve");
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(apply.stdout).toContain("created group/payroll-approvers");

    // The only thing sync records is the new object's id in the environment's id map (tenant
    // state, by the bot); no document changes, and the sync after it commits nothing.
    const sync = await cli("sync");
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toContain("No drift");
    expect(git(dir, "log", "--format=%an|%s", `${head}..HEAD`)).toBe("entra-gitops|Record the object ids of environment default: 1 new, 0 changed, 0 removed");
    // The same bot commit records where sync's read stopped (sync.incremental, the default).
    expect(git(dir, "diff", "--name-only", head, "HEAD").split("\n").sort()).toEqual([".entra-gitops/state/default/ids.yaml", ".entra-gitops/state/default/sync.yaml"]);
    expect(git(dir, "log", "-1", "--format=%B")).toContain("Also records where sync's read stopped in .entra-gitops/state/default/sync.yaml");
    const newId = await idOf(admin(demo.started), "/groups", "Payroll Approvers (EMEA)");
    expect(git(dir, "show", "HEAD:.entra-gitops/state/default/ids.yaml")).toContain(`group/payroll-approvers: ${newId}`);
    const recorded = git(dir, "rev-parse", "HEAD");
    const again = await cli("sync");
    expect(again.code, again.stderr).toBe(0);
    expect(git(dir, "rev-parse", "HEAD")).toBe(recorded);
    expect(git(dir, "status", "--porcelain")).toBe("");
    const drift = await cli("drift");
    expect(drift.code, drift.stdout).toBe(0);
  });

  it("a re-created group's restore commits the document and its new id: the next sync commits nothing", async () => {
    const { dir, cli } = await baseline();
    const groupId = await idOf(admin(demo.started), "/groups", "sg-ca-pilot-users");
    await admin(demo.started).api(`/groups/${groupId}`).delete();
    git(dir, "rm", "-q", "tenant-config/group/sg-ca-pilot-users.yaml");
    const policy = "tenant-config/conditionalAccessPolicy/ca-i12-pilot-exchangesharepoint-blockdownloadsunmanaged.yaml";
    git(dir, "rm", "-q", policy);
    git(dir, "commit", "-q", "-m", "Remove the pilot group and its policy from git");
    // (The policy that used the group leaves git with it, so HEAD stays valid.)
    const restoreGroup = await cli("restore", "group/sg-ca-pilot-users", "--auto-approve");
    expect(restoreGroup.code, restoreGroup.stdout + restoreGroup.stderr).toBe(0);
    const newId = await idOf(admin(demo.started), "/groups", "sg-ca-pilot-users");
    expect(newId).not.toBe(groupId);
    expect(git(dir, "show", "HEAD:.entra-gitops/state/default/ids.yaml")).toContain(`group/sg-ca-pilot-users: ${newId}`);
    expect(git(dir, "show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual([".entra-gitops/state/default/ids.yaml", "tenant-config/group/sg-ca-pilot-users.yaml"]);
    const head = git(dir, "rev-parse", "HEAD");

    const sync = await cli("sync", "--kinds", "group");
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toContain("No drift");
    // The first sync (a full read, sync.incremental being the default) records only where its read
    // stopped, as the bot; no document and no id changes, and the sync after it commits nothing.
    expect(git(dir, "log", "--format=%an|%s", `${head}..HEAD`)).toBe("entra-gitops|Record where sync's read of environment default stopped");
    expect(git(dir, "diff", "--name-only", head, "HEAD")).toBe(".entra-gitops/state/default/sync.yaml");
    const recorded = git(dir, "rev-parse", "HEAD");
    const again = await cli("sync", "--kinds", "group");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("No drift");
    expect(git(dir, "rev-parse", "HEAD")).toBe(recorded);
  });

  it("a restore whose apply fails commits nothing and leaves main valid", async () => {
    const { dir, cli } = await baseline();
    const groupId = await idOf(admin(demo.started), "/groups", "Finance Team");
    await admin(demo.started).api(`/groups/${groupId}`).delete();
    git(dir, "rm", "-q", "tenant-config/group/finance-team.yaml");
    git(dir, "commit", "-q", "-m", "Finance team removed");
    const head = git(dir, "rev-parse", "HEAD");
    demo.started.sandbox.faults.inject({ method: "POST", pathPattern: "/directory/deletedItems/", status: 500, count: 50 });
    demo.started.sandbox.faults.inject({ method: "POST", pathPattern: /^\/groups$/, status: 500, count: 50 });

    const restore = await cli("restore", "group/finance-team", "--auto-approve");
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain("nothing was committed");
    expect(git(dir, "rev-parse", "HEAD")).toBe(head);
    expect(git(dir, "status", "--porcelain")).toBe("");
    expect((await cli("validate")).code).toBe(0);
  });

  it("a restore whose document no longer validates against the others commits and applies nothing", async () => {
    const { dir, base, cli } = await baseline();
    git(dir, "rm", "-q", "tenant-config/namedLocation/blocked-countries.yaml", "tenant-config/conditionalAccessPolicy/ca-g04-allusers-allapps-blockblockedcountries.yaml");
    git(dir, "commit", "-q", "-m", "Retire the blocked-countries policy and location");
    const head = git(dir, "rev-parse", "HEAD");
    const before = demo.started.sandbox.requests().length;

    const restore = await cli("restore", "conditionalAccessPolicy/ca-g04-allusers-allapps-blockblockedcountries", "--from", base, "--auto-approve");
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/namedLocation:blocked-countries/);
    expect(restore.stderr).toContain("nothing was restored or committed");
    expect(git(dir, "rev-parse", "HEAD")).toBe(head);
    expect(demo.started.sandbox.requests().slice(before).filter((e) => e.kind !== "identity" && e.method !== "GET")).toEqual([]);
  });

  it("a rollback --apply whose writes fail commits nothing", async () => {
    const { dir, base, cli, cliWith } = await baseline();
    const text = git(dir, "show", "HEAD:tenant-config/group/marketing.yaml").replace("description: Marketing campaigns", "description: Marketing and events");
    writeFileSync(join(dir, "tenant-config/group/marketing.yaml"), text);
    git(dir, "commit", "-q", "-am", "Marketing description");
    const apply = await cli("apply", "--auto-approve");
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    const head = git(dir, "rev-parse", "HEAD");
    // An app that may read but not write: its PATCH is refused with 403.
    const seed = demo.started.sandbox.tenant.seedApi();
    const appId = randomUUID();
    const secret = `reader-${randomUUID()}`;
    seed.create("applications", { displayName: "read-only rollback", appId });
    seed.addClientSecret(appId, secret, "test");
    seed.grantAppRoles(appId, ["Policy.Read.All", "Group.Read.All", "Application.Read.All", "AdministrativeUnit.Read.All", "RoleManagement.Read.Directory", "Directory.Read.All"]);

    const rollback = await cliWith({ AZURE_CLIENT_ID: appId, AZURE_CLIENT_SECRET: secret }, "rollback", "--to", base, "group/marketing", "--apply", "--auto-approve");
    expect(rollback.code).toBe(1);
    expect(rollback.stderr).toContain("nothing was committed");
    expect(git(dir, "rev-parse", "HEAD")).toBe(head);
    expect(git(dir, "status", "--porcelain")).toBe("");

    const again = await cli("rollback", "--to", base, "group/marketing", "--apply", "--auto-approve");
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(git(dir, "log", "-1", "--format=%s")).toMatch(/^Roll back group\/marketing/);
    expect(git(dir, "show", "HEAD:tenant-config/group/marketing.yaml")).toContain("description: Marketing campaigns");
  });
});
