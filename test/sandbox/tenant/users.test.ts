import { describe, expect, it } from "vitest";
import { DOMAIN, TestTenant, errorOf, userPrincipal } from "./helpers.js";

const base = { accountEnabled: true, displayName: "Bob", mailNickname: "bob", userPrincipalName: `bob@${DOMAIN}`, passwordProfile: { password: "Str0ng-Enough!" } };

describe("users", () => {
  it("creates a user: 201 with the full object, the password kept internal for the password grant", async () => {
    const t = new TestTenant();
    const created = await t.post("/users", base);
    expect(created.status).toBe(201);
    expect(created.body["@odata.context"]).toBe("https://127.0.0.1:8443/v1.0/$metadata#users/$entity");
    expect(created.body["userPrincipalName"]).toBe(`bob@${DOMAIN}`);
    // v1.0 answers with the default property set, as Graph's create-user example shows.
    expect(created.body["accountEnabled"]).toBeUndefined();
    const beta = await t.post("/users", { ...base, mailNickname: "b2", userPrincipalName: `b2@${DOMAIN}` }, { version: "beta" });
    expect(beta.body).toMatchObject({ accountEnabled: true, createdDateTime: "2026-01-01T00:00:00.000Z", userType: "Member" });
    expect(JSON.stringify(created.body)).not.toContain("Str0ng-Enough!");
    expect(t.tenant.findUser(`BOB@${DOMAIN}`)).toMatchObject({ id: created.body["id"], password: "Str0ng-Enough!", accountEnabled: true });
    const read = await t.call(`/users/${String(created.body["id"])}?$select=passwordProfile,displayName`);
    expect(read.body["passwordProfile"]).toBeNull();
  });

  it("enforces required properties, verified domains, UPN uniqueness and password complexity", async () => {
    const t = new TestTenant();
    await t.post("/users", base);
    const duplicate = await t.post("/users", { ...base, mailNickname: "bob2", userPrincipalName: `BOB@${DOMAIN}` });
    expect(errorOf(duplicate)).toEqual({ code: "Request_BadRequest", message: "Another object with the same value for property userPrincipalName already exists." });
    const domain = await t.post("/users", { ...base, userPrincipalName: "bob@example.com" });
    expect(errorOf(domain).message).toBe("The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.");
    const weak = await t.post("/users", { ...base, userPrincipalName: `weak@${DOMAIN}`, passwordProfile: { password: "short" } });
    expect(errorOf(weak).message).toMatch(/password complexity/);
    const missing = await t.post("/users", { ...base, userPrincipalName: `nopw@${DOMAIN}`, passwordProfile: undefined });
    expect(errorOf(missing).message).toBe("Invalid value specified for property 'passwordProfile' of resource 'User'.");
    const noName = await t.post("/users", { ...base, displayName: undefined });
    expect(errorOf(noName).message).toBe("Invalid value specified for property 'displayName' of resource 'User'.");
  });

  it("PATCH answers 204 and keeps absent properties; a password change updates the internal password", async () => {
    const t = new TestTenant();
    const user = await t.createUser("Carol", { department: "Sales", jobTitle: "Rep" });
    const patched = await t.patch(`/users/${user.id}`, { jobTitle: "Lead", passwordProfile: { password: "N3w-Passw0rd!" } });
    expect(patched.status).toBe(204);
    expect(patched.body).toBeUndefined();
    const read = await t.call(`/users/${user.id}?$select=department,jobTitle`);
    expect(read.body).toMatchObject({ department: "Sales", jobTitle: "Lead" });
    expect(t.tenant.findUser(user.userPrincipalName)?.password).toBe("N3w-Passw0rd!");
  });

  it("serves /me for delegated tokens and refuses it for app-only tokens", async () => {
    const t = new TestTenant();
    const user = await t.createUser("Dana");
    const me = await t.call("/me", { principal: userPrincipal({ id: user.id, upn: user.userPrincipalName }, ["User.Read"]) });
    expect(me.status).toBe(200);
    expect(me.body["id"]).toBe(user.id);
    const app = await t.call("/me");
    expect(errorOf(app)).toEqual({ code: "Request_BadRequest", message: "/me request is only valid with delegated authentication flow." });
  });

  it("soft-deletes users: gone from /users, listed in deletedItems, restored with the same id", async () => {
    const t = new TestTenant();
    const user = await t.createUser("Erin");
    expect((await t.del(`/users/${user.id}`)).status).toBe(204);
    expect((await t.call(`/users/${user.id}`)).status).toBe(404);
    const deleted = await t.call("/directory/deletedItems/microsoft.graph.user");
    const items = (deleted.body["value"] as Record<string, unknown>[]);
    expect(items.map((i) => i["id"])).toEqual([user.id]);
    expect(items[0]?.["@odata.type"]).toBe("#microsoft.graph.user");
    expect(items[0]?.["deletedDateTime"]).toBe("2026-01-01T00:00:00.000Z");
    const restored = await t.post(`/directory/deletedItems/${user.id}/restore`, undefined);
    expect(restored.status).toBe(200);
    expect(restored.body["id"]).toBe(user.id);
    expect((await t.call(`/users/${user.id}`)).status).toBe(200);
  });
});

describe("users addressed by userPrincipalName", () => {
  it("GET /users/{userPrincipalName} reads the same user as its id, case-insensitively", async () => {
    const t = new TestTenant();
    const created = await t.post("/users", { displayName: "Lee", accountEnabled: true, mailNickname: "lee", userPrincipalName: "lee@contoso.onmicrosoft.com", passwordProfile: { password: "Xy!12345678" } });
    const byUpn = await t.call("/users/Lee@Contoso.onmicrosoft.com");
    expect(byUpn.status).toBe(200);
    expect(byUpn.body["id"]).toBe(created.body["id"]);
    expect((await t.call("/users/nobody@contoso.onmicrosoft.com")).status).toBe(404);
  });
});
