import { describe, expect, it } from "vitest";
import type { TenantSeed } from "../../../src/sandbox/tenant/index.js";
import { TestTenant, appPrincipal, values } from "./helpers.js";

const ALICE = "aaaaaaaa-1111-4111-8111-000000000001";
const ADMINS = "aaaaaaaa-1111-4111-8111-000000000002";
const APP = "aaaaaaaa-1111-4111-8111-000000000003";
const APP_ID = "aaaaaaaa-1111-4111-8111-000000000004";

const seed: TenantSeed = {
  objects: {
    groups: [{ id: ADMINS, displayName: "Admins", mailEnabled: false, mailNickname: "admins", securityEnabled: true, isAssignableToRole: true, "members@odata.bind": [`https://graph.microsoft.com/v1.0/directoryObjects/${ALICE}`] }],
    users: [{ id: ALICE, accountEnabled: true, displayName: "Alice", mailNickname: "alice", userPrincipalName: "alice@contoso.onmicrosoft.com" }],
    applications: [{ id: APP, appId: APP_ID, displayName: "Seeded app" }],
    roleAssignments: [{ principalId: ADMINS, roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10", directoryScopeId: "/" }],
  },
  passwords: { "alice@contoso.onmicrosoft.com": "Seeded-Passw0rd!" },
  clientSecrets: { [APP_ID]: ["seeded-secret-text"] },
  appRoles: { [APP_ID]: ["Policy.Read.All", "Group.Read.All"] },
  delegatedScopes: { [APP_ID]: ["Policy.Read.All"] },
};

describe("seeds", () => {
  it("builds a tenant from Graph JSON with ids kept, links, role assignments and credentials, without audit entries", async () => {
    const t = new TestTenant({ seed });
    expect((await t.call(`/users/${ALICE}`)).status).toBe(200);
    expect(values(await t.call(`/groups/${ADMINS}/members`)).map((m) => m["id"])).toEqual([ALICE]);
    expect(values(await t.call("/roleManagement/directory/roleAssignments")).map((a) => a["principalId"])).toEqual([ADMINS]);
    expect(t.tenant.findUser("alice@contoso.onmicrosoft.com")?.password).toBe("Seeded-Passw0rd!");
    expect(t.tenant.findClient(APP_ID)).toMatchObject({ secrets: ["seeded-secret-text"], roles: ["Group.Read.All", "Policy.Read.All"], scopes: ["Policy.Read.All"] });
    expect(values(await t.call("/auditLogs/directoryAudits"))).toEqual([]);
  });

  it("accepts a seed function using the seed API", async () => {
    const t = new TestTenant({
      seed: (api) => {
        api.create("users", { id: ALICE, accountEnabled: true, displayName: "Fn", mailNickname: "fn", userPrincipalName: "fn@contoso.onmicrosoft.com" });
        api.setPassword("fn@contoso.onmicrosoft.com", "Fn-Passw0rd!");
      },
    });
    expect(t.tenant.findUser("fn@contoso.onmicrosoft.com")).toMatchObject({ id: ALICE, password: "Fn-Passw0rd!" });
  });
});

describe("directory deleted items", () => {
  it("purges soft-deleted objects after 30 sandbox days", async () => {
    const t = new TestTenant();
    const user = await t.createUser("Gone");
    await t.del(`/users/${user.id}`);
    t.tenant.clock.advance(29 * 24 * 3600 * 1000);
    expect(values(await t.call("/directory/deletedItems/microsoft.graph.user"))).toHaveLength(1);
    t.tenant.clock.advance(24 * 3600 * 1000);
    expect(values(await t.call("/directory/deletedItems/microsoft.graph.user"))).toHaveLength(0);
    expect((await t.post(`/directory/deletedItems/${user.id}/restore`, undefined)).status).toBe(404);
  });

  it("deletes permanently, audits restore and hard delete, and checks the type's permissions", async () => {
    const t = new TestTenant();
    const app = (await t.post("/applications", { displayName: "Temp" })).body;
    const id = String(app["id"]);
    await t.del(`/applications/${id}`);
    expect((await t.call(`/directory/deletedItems/${id}`)).body["@odata.type"]).toBe("#microsoft.graph.application");
    expect((await t.call("/directory/deletedItems/microsoft.graph.application", { principal: appPrincipal(["User.Read.All"]) })).status).toBe(403);
    expect((await t.post(`/directory/deletedItems/${id}/restore`, undefined)).status).toBe(200);
    expect((await t.call(`/applications/${id}`)).status).toBe(200);
    await t.del(`/applications/${id}`);
    expect((await t.del(`/directory/deletedItems/${id}`)).status).toBe(204);
    expect((await t.call(`/directory/deletedItems/${id}`)).status).toBe(404);
    const activities = values(await t.call("/auditLogs/directoryAudits?$top=20")).map((e) => e["activityDisplayName"]);
    expect(activities).toEqual(expect.arrayContaining(["Restore application", "Hard Delete application"]));
  });

  it("refuses to restore a user whose userPrincipalName is taken again", async () => {
    const t = new TestTenant();
    const first = await t.createUser("Twin");
    await t.del(`/users/${first.id}`);
    await t.createUser("Twin");
    const restore = await t.post(`/directory/deletedItems/${first.id}/restore`, undefined);
    expect(restore.status).toBe(400);
  });
});
