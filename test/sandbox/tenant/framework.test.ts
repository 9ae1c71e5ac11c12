import { describe, expect, it } from "vitest";
import { TestTenant, appPrincipal, errorOf, values } from "./helpers.js";
import { createTenant } from "../../../src/sandbox/tenant/index.js";

describe("errors and routing", () => {
  it("answers unknown ids with Graph's Request_ResourceNotFound body and request ids", async () => {
    const t = new TestTenant();
    const response = await t.call("/users/4f1c2c1e-0000-4000-8000-000000000000", { headers: { "client-request-id": "client-1" } });
    expect(response.status).toBe(404);
    const body = response.body as { error: { code: string; message: string; innerError: Record<string, string> } };
    expect(body.error.code).toBe("Request_ResourceNotFound");
    expect(body.error.message).toBe("Resource '4f1c2c1e-0000-4000-8000-000000000000' does not exist or one of its queried reference-property objects are not present.");
    expect(body.error.innerError["client-request-id"]).toBe("client-1");
    expect(body.error.innerError["request-id"]).toBe(response.headers?.["request-id"]);
    expect(body.error.innerError["date"]).toBe("2026-01-01T00:00:00");
  });

  it("answers unknown segments and wrong methods with 400 / 405", async () => {
    const t = new TestTenant();
    expect((await t.call("/nonsense")).status).toBe(400);
    expect((await t.call("/users", { method: "DELETE" })).status).toBe(405);
  });
});

describe("permissions", () => {
  it("denies reads and writes without any of the required permissions with Graph's 403", async () => {
    const t = new TestTenant();
    const readOnly = appPrincipal(["User.Read.All"]);
    expect((await t.call("/users", { principal: readOnly })).status).toBe(200);
    const write = await t.post("/groups", { displayName: "x", mailEnabled: false, mailNickname: "x", securityEnabled: true }, { principal: readOnly });
    expect(write.status).toBe(403);
    expect(errorOf(write)).toEqual({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
    const audit = await t.call("/auditLogs/directoryAudits", { principal: readOnly });
    expect(audit.status).toBe(403);
  });

  it("checks delegated scopes for user tokens", async () => {
    const t = new TestTenant();
    const alice = await t.createUser("Alice");
    const principal = { ...appPrincipal([]), type: "user" as const, userId: alice.id, userPrincipalName: alice.userPrincipalName, scopes: ["Group.Read.All"] };
    expect((await t.call("/groups", { principal })).status).toBe(200);
    expect((await t.call("/applications", { principal })).status).toBe(403);
  });
});

describe("state persistence", () => {
  it("exports JSON state and loads it back with ids, links, secrets, clock and audit intact", async () => {
    const t = new TestTenant();
    const alice = await t.createUser("Alice");
    const group = await t.createGroup("Admins", { "members@odata.bind": [`https://graph.microsoft.com/v1.0/directoryObjects/${alice.id}`] });
    t.tenant.clock.advance(60_000);
    const json = JSON.parse(JSON.stringify(t.tenant.exportState())) as unknown;
    const loaded = createTenant({ state: json });
    expect(loaded.tenantId).toBe(t.tenant.tenantId);
    expect(loaded.clock.now().toISOString()).toBe("2026-01-01T00:01:00.000Z");
    expect(loaded.bootstrapClient).toEqual(t.tenant.bootstrapClient);
    expect(loaded.findUser(alice.userPrincipalName)?.password).toBe("Sandbox-Passw0rd!");
    const client = loaded.findClient(loaded.bootstrapClient.appId);
    expect(client?.secrets).toEqual([t.tenant.bootstrapClient.clientSecret]);
    const again = new TestTenant({ state: json });
    const members = await again.call(`/groups/${group.id}/members`);
    expect(values(members).map((m) => m["id"])).toEqual([alice.id]);
    const audits = await again.call("/auditLogs/directoryAudits?$filter=activityDisplayName eq 'Add group'");
    expect(values(audits)).toHaveLength(1);
  });
});

describe("replication delay fault", () => {
  it("hides a new object from GET-by-id and references for N reads, deterministically", async () => {
    const t = new TestTenant({ replication: { reads: 2 } });
    const user = await t.createUser("Late");
    expect((await t.call(`/users/${user.id}`)).status).toBe(404);
    expect((await t.call(`/users/${user.id}`)).status).toBe(404);
    expect((await t.call(`/users/${user.id}`)).status).toBe(200);
    // Lists are not delayed: the object shows up in /users at once.
    expect(values(await t.call("/users")).some((u) => u["id"] === user.id)).toBe(true);
  });

  it("rejects a reference to a replicating object with Graph's 400 and succeeds on retry", async () => {
    const t = new TestTenant({ replication: { reads: 1 } });
    const group = await t.createGroup("Target");
    await t.call(`/groups/${group.id}`); // consumes the group's hidden read
    const user = await t.createUser("Fresh");
    const first = await t.post(`/groups/${group.id}/members/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}` });
    expect(first.status).toBe(400);
    expect(errorOf(first)).toEqual({
      code: "Request_BadRequest",
      message: `Resource '${user.id}' does not exist or one of its queried reference-property objects are not present.`,
    });
    expect(t.tenant.checkReference(user.id)).toBe("ok");
    const retry = await t.post(`/groups/${group.id}/members/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${user.id}` });
    expect(retry.status).toBe(204);
  });

  it("can delay by sandbox-clock time instead of reads", async () => {
    const t = new TestTenant({ replication: { ms: 5_000 } });
    const user = await t.createUser("Timed");
    expect((await t.call(`/users/${user.id}`)).status).toBe(404);
    expect(t.tenant.checkReference(user.id)).toBe("replicating");
    t.tenant.clock.advance(5_000);
    expect((await t.call(`/users/${user.id}`)).status).toBe(200);
  });
});

describe("delegated role checks (opt-in)", () => {
  it("requires a directory role that allows the scope, held directly or through a role-assignable group", async () => {
    const t = new TestTenant({ delegatedRoleChecks: true });
    const alice = await t.createUser("Alice");
    const bob = await t.createUser("Bob");
    const as = (u: { id: string; userPrincipalName: string }) => ({ ...appPrincipal([]), type: "user" as const, userId: u.id, userPrincipalName: u.userPrincipalName, scopes: ["Group.ReadWrite.All", "Directory.Read.All"] });
    const body = { displayName: "x", mailEnabled: false, mailNickname: "x", securityEnabled: true };
    expect((await t.call("/groups", { principal: as(alice) })).status).toBe(200); // reading needs no role
    expect((await t.post("/groups", body, { principal: as(alice) })).status).toBe(403);
    await t.post("/roleManagement/directory/roleAssignments", { principalId: alice.id, roleDefinitionId: "fdd7a751-b60b-444a-984c-02652fe8fa1c", directoryScopeId: "/" });
    expect((await t.post("/groups", body, { principal: as(alice) })).status).toBe(201);
    const admins = await t.createGroup("Group admins", { isAssignableToRole: true, "members@odata.bind": [`https://graph.microsoft.com/v1.0/directoryObjects/${bob.id}`] });
    await t.post("/roleManagement/directory/roleAssignments", { principalId: admins.id, roleDefinitionId: "fdd7a751-b60b-444a-984c-02652fe8fa1c", directoryScopeId: "/" });
    expect((await t.post("/groups", { ...body, mailNickname: "y" }, { principal: as(bob) })).status).toBe(201);
  });
});
