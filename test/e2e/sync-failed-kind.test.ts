import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { git } from "../helpers/cli.js";
import { sandboxBlock } from "../helpers/sandbox-block.js";

/**
 * A kind that cannot be read is never recorded as deleted (issue: drift into git history). The
 * sync runs as an app that lacks Policy.Read.All: Conditional Access, named locations and the other
 * policy kinds answer 403, while groups and apps still read.
 */
// Each test runs sync or drift several times against the HTTPS sandbox: well under 20 s alone, 20 to
// 47 s measured on the shared 2-core machine under load, where vitest's 20 s default fails it for nothing.
describe("sync with a kind that fails to read", { timeout: 120_000 }, () => {
  const demo = sandboxBlock({ seed: "demo" });

  it("commits the drift it could read, never deletions of the kinds it could not, and exits 1 naming them", async () => {
    const { dir, base: baseline, cliWith } = await demo.baseline();

    const seed = demo.started.sandbox.tenant.seedApi();
    const appId = randomUUID();
    const secret = `limited-${randomUUID()}`;
    seed.create("applications", { displayName: "limited-reader", appId });
    seed.addClientSecret(appId, secret, "test");
    seed.grantAppRoles(appId, ["Group.Read.All", "GroupMember.Read.All", "Application.Read.All", "AdministrativeUnit.Read.All", "RoleManagement.Read.Directory", "Directory.Read.All", "AuditLog.Read.All"]);

    const groupId = (await demo.started.client.api("/groups").filter("displayName eq 'Finance Team'").get()) as { value: { id: string }[] };
    await demo.started.client.api(`/groups/${groupId.value[0]?.id ?? ""}`).patch({ description: "Finance, changed in the portal" });

    // The reader app was seeded with no audit entry: commit at once instead of holding it back (README "Sync state").
    const sync = await cliWith({ AZURE_CLIENT_ID: appId, AZURE_CLIENT_SECRET: secret }, "sync", "--audit-grace", "0");
    expect(sync.code).toBe(1);
    expect(sync.stderr).toMatch(/conditionalAccessPolicy could not be read/);
    const changed = git(dir, "diff", "--name-status", baseline, "HEAD");
    expect(changed).toContain("tenant-config/group/finance-team.yaml");
    expect(changed).not.toMatch(/^D/m);
    expect(git(dir, "ls-files", "tenant-config/conditionalAccessPolicy").split("\n").length).toBeGreaterThanOrEqual(25);
    expect(git(dir, "status", "--porcelain")).toBe("");
  });
});
