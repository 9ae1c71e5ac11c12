import { describe, expect, it } from "vitest";
import { TestTenant, errorOf, values } from "./helpers.js";

const GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";

describe("role definitions", () => {
  it("lists built-in roles by template id and refuses changes to them", async () => {
    const t = new TestTenant();
    const ga = await t.call(`/roleManagement/directory/roleDefinitions/${GLOBAL_ADMIN}`);
    expect(ga.body).toMatchObject({ displayName: "Global Administrator", isBuiltIn: true, templateId: GLOBAL_ADMIN });
    const filtered = values(await t.call("/roleManagement/directory/roleDefinitions?$filter=displayName eq 'Conditional Access Administrator'"));
    expect(filtered.map((r) => r["id"])).toEqual(["b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"]);
    expect((await t.patch(`/roleManagement/directory/roleDefinitions/${GLOBAL_ADMIN}`, { description: "x" })).status).toBe(400);
    expect((await t.del(`/roleManagement/directory/roleDefinitions/${GLOBAL_ADMIN}`)).status).toBe(400);
  });
});

describe("role assignments", () => {
  it("assigns tenant-wide and AU-scoped, filters by principal/role/scope, audits Add (scoped) member to role", async () => {
    const t = new TestTenant();
    const alice = await t.createUser("Alice");
    const au = (await t.post("/directory/administrativeUnits", { displayName: "Paris" })).body;
    const wide = await t.post("/roleManagement/directory/roleAssignments", { principalId: alice.id, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" });
    expect(wide.status).toBe(201);
    expect(wide.body).toMatchObject({ principalId: alice.id, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" });
    const scoped = await t.post("/roleManagement/directory/roleAssignments", { principalId: alice.id, roleDefinitionId: USER_ADMIN, directoryScopeId: `/administrativeUnits/${String(au["id"])}` });
    expect(scoped.status).toBe(201);
    const duplicate = await t.post("/roleManagement/directory/roleAssignments", { principalId: alice.id, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" });
    expect(errorOf(duplicate).message).toBe("A conflicting object with one or more of the specified property values is present in the directory.");
    const byPrincipal = values(await t.call(`/roleManagement/directory/roleAssignments?$filter=principalId eq '${alice.id}'`));
    expect(byPrincipal).toHaveLength(2);
    const byScope = values(await t.call(`/roleManagement/directory/roleAssignments?$filter=directoryScopeId eq '/administrativeUnits/${String(au["id"])}'`));
    expect(byScope.map((a) => a["roleDefinitionId"])).toEqual([USER_ADMIN]);
    const byRole = values(await t.call(`/roleManagement/directory/roleAssignments?$filter=roleDefinitionId in ('${GLOBAL_ADMIN}', '00000000-0000-0000-0000-000000000000')&$expand=principal`));
    expect((byRole[0]?.["principal"] as Record<string, unknown>)["id"]).toBe(alice.id);
    const activities = values(await t.call("/auditLogs/directoryAudits?$filter=category eq 'RoleManagement'")).map((a) => [a["activityDisplayName"], a["operationType"]]);
    expect(activities).toEqual(expect.arrayContaining([["Add member to role", "Assign"], ["Add scoped member to role", "Assign"]]));
    expect((await t.del(`/roleManagement/directory/roleAssignments/${String(wide.body["id"])}`)).status).toBe(204);
    const removed = values(await t.call("/auditLogs/directoryAudits?$filter=activityDisplayName eq 'Remove member from role'"));
    expect(removed[0]?.["operationType"]).toBe("Unassign");
  });

  it("refuses groups that are not role-assignable, unknown roles and unknown principals", async () => {
    const t = new TestTenant();
    const plain = await t.createGroup("Plain");
    const refused = await t.post("/roleManagement/directory/roleAssignments", { principalId: plain.id, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" });
    expect(refused.status).toBe(400);
    const roleGroup = await t.createGroup("RoleGroup", { isAssignableToRole: true });
    expect((await t.post("/roleManagement/directory/roleAssignments", { principalId: roleGroup.id, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" })).status).toBe(201);
    const user = await t.createUser("U");
    expect((await t.post("/roleManagement/directory/roleAssignments", { principalId: user.id, roleDefinitionId: "11111111-1111-4111-8111-111111111111", directoryScopeId: "/" })).status).toBe(400);
    const ghost = await t.post("/roleManagement/directory/roleAssignments", { principalId: "22222222-2222-4222-8222-222222222222", roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" });
    expect(errorOf(ghost).message).toBe("Resource '22222222-2222-4222-8222-222222222222' does not exist or one of its queried reference-property objects are not present.");
  });

  it("shows activated roles under /directoryRoles with their members", async () => {
    const t = new TestTenant();
    const alice = await t.createUser("Alice");
    await t.post("/roleManagement/directory/roleAssignments", { principalId: alice.id, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: "/" });
    const roles = values(await t.call("/directoryRoles"));
    expect(roles.map((r) => r["roleTemplateId"])).toEqual([GLOBAL_ADMIN]);
    expect(roles[0]?.["id"]).not.toBe(GLOBAL_ADMIN);
    const members = values(await t.call(`/directoryRoles/${String(roles[0]?.["id"])}/members`));
    expect(members.map((m) => m["id"])).toEqual([alice.id]);
  });
});

describe("administrative units", () => {
  it("creates AUs, manages members, and keeps isMemberManagementRestricted immutable", async () => {
    const t = new TestTenant();
    const user = await t.createUser("Member");
    const au = await t.post("/directory/administrativeUnits", { displayName: "Restricted", isMemberManagementRestricted: true });
    expect(au.status).toBe(201);
    expect(au.body["@odata.context"]).toBe("https://127.0.0.1:8443/v1.0/$metadata#directory/administrativeUnits/$entity");
    const id = String(au.body["id"]);
    expect((await t.post(`/directory/administrativeUnits/${id}/members/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/users/${user.id}` })).status).toBe(204);
    expect(values(await t.call(`/directory/administrativeUnits/${id}/members`)).map((m) => m["id"])).toEqual([user.id]);
    const change = await t.patch(`/directory/administrativeUnits/${id}`, { isMemberManagementRestricted: false });
    expect(errorOf(change).message).toMatch(/isMemberManagementRestricted/);
    expect((await t.patch(`/directory/administrativeUnits/${id}`, { description: "ok" })).status).toBe(204);
    const beta = await t.call(`/administrativeUnits/${id}`, { version: "beta" });
    expect(beta.body["description"]).toBe("ok");
    const audit = values(await t.call("/auditLogs/directoryAudits?$filter=activityDisplayName eq 'Add member to administrative unit'"));
    expect(audit).toHaveLength(1);
  });
});

describe("organization", () => {
  it("serves the tenant's organization object with its verified domain", async () => {
    const t = new TestTenant();
    const org = values(await t.call("/organization"))[0] ?? {};
    expect(org["id"]).toBe(t.tenant.tenantId);
    expect(org["verifiedDomains"]).toEqual([expect.objectContaining({ name: "contoso.onmicrosoft.com", isDefault: true, isInitial: true })]);
  });
});

describe("role assignments of a deleted principal", () => {
  it("go with the user, role-assignable group or service principal, and a restored user does not get them back", async () => {
    const t = new TestTenant();
    const alice = await t.createUser("Alice");
    const group = (await t.post("/groups", { displayName: "Admins", mailEnabled: false, mailNickname: "admins", securityEnabled: true, isAssignableToRole: true })).body;
    const app = (await t.post("/applications", { displayName: "Robot" })).body;
    const sp = (await t.post("/servicePrincipals", { appId: app["appId"] })).body;
    for (const principalId of [alice.id, group["id"], sp["id"]]) {
      expect((await t.post("/roleManagement/directory/roleAssignments", { principalId, roleDefinitionId: USER_ADMIN, directoryScopeId: "/" })).status).toBe(201);
    }
    const count = async (principalId: unknown): Promise<number> => values(await t.call(`/roleManagement/directory/roleAssignments?$filter=principalId eq '${String(principalId)}'`)).length;
    expect((await t.del(`/users/${alice.id}`)).status).toBe(204);
    expect((await t.del(`/groups/${String(group["id"])}`)).status).toBe(204);
    expect((await t.del(`/servicePrincipals/${String(sp["id"])}`)).status).toBe(204);
    expect([await count(alice.id), await count(group["id"]), await count(sp["id"])]).toEqual([0, 0, 0]);
    expect((await t.post(`/directory/deletedItems/${alice.id}/restore`, {})).status).toBe(200);
    expect(await count(alice.id)).toBe(0);
  });
});

describe("role assignments at administrative unit scope", () => {
  it("refuses a built-in role that cannot be scoped there and a custom role without user, group or device permissions", async () => {
    const t = new TestTenant();
    const alice = await t.createUser("Alice");
    const au = (await t.post("/directory/administrativeUnits", { displayName: "Paris" })).body;
    const scope = `/administrativeUnits/${String(au["id"])}`;
    const assign = (roleDefinitionId: string) => t.post("/roleManagement/directory/roleAssignments", { principalId: alice.id, roleDefinitionId, directoryScopeId: scope });
    const refused = await assign(GLOBAL_ADMIN);
    expect(refused.status).toBe(400);
    expect(errorOf(refused)).toEqual({ code: "Request_BadRequest", message: `The role 'Global Administrator' cannot be assigned at administrative unit scope '${scope}'.` });
    expect((await assign("fdd7a751-b60b-444a-984c-02652fe8fa1c")).status).toBe(201); // Groups Administrator
    const custom = async (actions: string[]) =>
      (await t.post("/roleManagement/directory/roleDefinitions", { displayName: `Custom ${actions[0] ?? ""}`, isEnabled: true, rolePermissions: [{ allowedResourceActions: actions }] })).body;
    const userReader = await custom(["microsoft.directory/users/standard/read"]);
    const appOwner = await custom(["microsoft.directory/applications/basic/update"]);
    expect((await assign(String(userReader["id"]))).status).toBe(201);
    expect((await assign(String(appOwner["id"]))).status).toBe(400);
    expect(values(await t.call(`/roleManagement/directory/roleAssignments?$filter=directoryScopeId eq '${scope}'`))).toHaveLength(2);
  });
});
