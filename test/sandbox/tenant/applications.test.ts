import { X509Certificate } from "node:crypto";
import { generate } from "selfsigned";
import { describe, expect, it } from "vitest";
import { MICROSOFT_GRAPH_APP_ID } from "../../../src/sandbox/tenant/index.js";
import { TestTenant, appPrincipal, errorOf, values } from "./helpers.js";

async function certificateBase64(): Promise<{ der: string; pem: string }> {
  const pems = await generate([{ name: "commonName", value: "sandbox-test" }], { keySize: 2048 });
  const der = new X509Certificate(pems.cert).raw.toString("base64");
  return { der, pem: pems.cert };
}

describe("applications", () => {
  it("refuses identifier URIs off the tenant's verified domains with HostNameNotOnVerifiedDomain; api://{appId} and verified hosts pass", async () => {
    const t = new TestTenant();
    const domains = values(await t.call("/domains")).map((d) => [d["id"], d["isVerified"], d["isInitial"]]);
    expect(domains).toEqual([["contoso.onmicrosoft.com", true, true]]);
    // A domain a client adds stays unverified: the sandbox has no DNS record to verify it against.
    expect((await t.post("/domains", { id: "fabrikam.com", isVerified: true }, { principal: appPrincipal(["Domain.ReadWrite.All"]) })).status).toBe(201);
    expect(values(await t.call("/domains")).find((d) => d["id"] === "fabrikam.com")?.["isVerified"]).toBe(false);
    const refused = await t.post("/applications", { displayName: "Payroll", identifierUris: ["https://payroll.fabrikam.com"] });
    expect(refused.status).toBe(400);
    expect(errorOf(refused)).toEqual({ code: "HostNameNotOnVerifiedDomain", message: "Values of identifierUris property must use a verified domain of the organization or its subdomain: 'https://payroll.fabrikam.com'" });
    expect(errorOf(await t.post("/applications", { displayName: "Payroll", identifierUris: ["api://payroll"] })).code).toBe("HostNameNotOnVerifiedDomain");
    const app = (await t.post("/applications", { displayName: "Payroll", identifierUris: ["https://payroll.contoso.onmicrosoft.com/api"] })).body;
    const path = `/applications/${String(app["id"])}`;
    const own = [`api://${String(app["appId"])}`, `api://${t.tenant.tenantId}/payroll`, `api://contoso.onmicrosoft.com/payroll`];
    expect((await t.patch(path, { identifierUris: ["https://payroll.contoso.onmicrosoft.com/api", ...own] })).status).toBe(204);
    expect(errorOf(await t.patch(path, { identifierUris: [...own, "api://other-app/payroll"] })).code).toBe("HostNameNotOnVerifiedDomain");
  });

  it("refuses to remove an enabled app role or scope, or change its value, with CannotDeleteOrUpdateEnabledEntitlement; disabled first, both are allowed", async () => {
    const t = new TestTenant();
    const role = { id: "4f4a3b2c-1d0e-4f9a-8b7c-6d5e4f3a2b1c", allowedMemberTypes: ["User"], displayName: "Approver", description: "Approves", value: "Expenses.Approve", isEnabled: true };
    const scope = { id: "5a5a3b2c-1d0e-4f9a-8b7c-6d5e4f3a2b1c", adminConsentDisplayName: "Read", adminConsentDescription: "Read", type: "User", value: "Expenses.Read", isEnabled: true };
    const app = (await t.post("/applications", { displayName: "Expenses", appRoles: [role], api: { oauth2PermissionScopes: [scope] } })).body;
    const path = `/applications/${String(app["id"])}`;
    const refusal = { code: "CannotDeleteOrUpdateEnabledEntitlement", message: "Permission (scope or role) cannot be deleted or updated unless disabled first." };
    const removeRole = await t.patch(path, { appRoles: [] });
    expect(removeRole.status).toBe(400);
    expect(errorOf(removeRole)).toEqual(refusal);
    expect(errorOf(await t.patch(path, { appRoles: [{ ...role, value: "Expenses.Approver" }] }))).toEqual(refusal);
    expect(errorOf(await t.patch(path, { api: { oauth2PermissionScopes: [] } }))).toEqual(refusal);
    expect(errorOf(await t.patch(path, { api: { oauth2PermissionScopes: [{ ...scope, value: "Expenses.ReadAll" }] } }))).toEqual(refusal);
    // A description may change while enabled; disabling first allows the value change and the removal.
    expect((await t.patch(path, { appRoles: [{ ...role, description: "Approves reports" }] })).status).toBe(204);
    expect((await t.patch(path, { appRoles: [{ ...role, isEnabled: false }] })).status).toBe(204);
    expect((await t.patch(path, { appRoles: [{ ...role, value: "Expenses.Approver" }] })).status).toBe(204);
    expect((await t.patch(path, { api: { oauth2PermissionScopes: [{ ...scope, isEnabled: false }] } })).status).toBe(204);
    expect((await t.patch(path, { api: { oauth2PermissionScopes: [] } })).status).toBe(204);
    const read = (await t.call(path)).body;
    expect(read["appRoles"]).toEqual([{ ...role, value: "Expenses.Approver" }]);
    expect((read["api"] as Record<string, unknown>)["oauth2PermissionScopes"]).toEqual([]);
  });

  it("creates an application with a generated appId and Graph's defaults; appId and publisherDomain are server-managed", async () => {
    const t = new TestTenant();
    const created = await t.post("/applications", { displayName: "Payroll" });
    expect(created.status).toBe(201);
    expect(created.body["appId"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body["appId"]).not.toBe(created.body["id"]);
    expect(created.body).toMatchObject({ publisherDomain: "contoso.onmicrosoft.com", signInAudience: "AzureADMyOrg", passwordCredentials: [], keyCredentials: [] });
    const setAppId = await t.patch(`/applications/${String(created.body["id"])}`, { appId: "00000000-0000-4000-8000-000000000001" });
    expect(errorOf(setAppId)).toEqual({ code: "Request_BadRequest", message: "Property 'appId' is read-only and cannot be set." });
    const byAppId = await t.call(`/applications?$filter=appId eq '${String(created.body["appId"])}'`);
    expect(values(byAppId).map((a) => a["id"])).toEqual([created.body["id"]]);
  });

  it("addPassword returns secretText once with a 3-character hint; reads never show it; removePassword removes it", async () => {
    const t = new TestTenant();
    const app = (await t.post("/applications", { displayName: "Svc" })).body;
    const added = await t.post(`/applications/${String(app["id"])}/addPassword`, { passwordCredential: { displayName: "ci" } });
    expect(added.status).toBe(200);
    const secret = String(added.body["secretText"]);
    expect(secret).toHaveLength(40);
    expect(added.body["hint"]).toBe(secret.slice(0, 3));
    expect(added.body["startDateTime"]).toBe("2026-01-01T00:00:00.000Z");
    expect(added.body["endDateTime"]).toBe("2028-01-01T00:00:00.000Z");
    const read = await t.call(`/applications/${String(app["id"])}`);
    expect(JSON.stringify(read.body)).not.toContain(secret);
    const creds = read.body["passwordCredentials"] as Record<string, unknown>[];
    expect(creds).toHaveLength(1);
    expect(creds[0]).toMatchObject({ displayName: "ci", hint: secret.slice(0, 3), secretText: null });
    expect(t.tenant.findClient(String(app["appId"]))?.secrets).toEqual([secret]);
    const patch = await t.patch(`/applications/${String(app["id"])}`, { passwordCredentials: [] });
    expect(errorOf(patch).message).toBe("Property 'passwordCredentials' is read-only and cannot be set.");
    expect((await t.post(`/applications/${String(app["id"])}/removePassword`, { keyId: creds[0]?.["keyId"] })).status).toBe(204);
    expect(t.tenant.findClient(String(app["appId"]))?.secrets).toEqual([]);
    const audit = values(await t.call("/auditLogs/directoryAudits?$filter=startsWith(activityDisplayName,'Update application')"));
    expect(audit.map((a) => a["activityDisplayName"])).toEqual([
      "Update application – Certificates and secrets management ",
      "Update application – Certificates and secrets management ",
    ]);
  });

  it("keeps keyCredentials as metadata (key null on reads) and hands the certificate to the token endpoint", async () => {
    const t = new TestTenant();
    const app = (await t.post("/applications", { displayName: "CertApp" })).body;
    const cert = await certificateBase64();
    expect((await t.patch(`/applications/${String(app["id"])}`, { keyCredentials: [{ type: "AsymmetricX509Cert", usage: "Verify", key: cert.der }] })).status).toBe(204);
    const read = await t.call(`/applications/${String(app["id"])}`);
    const keys = read.body["keyCredentials"] as Record<string, unknown>[];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ key: null, type: "AsymmetricX509Cert", usage: "Verify" });
    expect(typeof keys[0]?.["customKeyIdentifier"]).toBe("string");
    const client = t.tenant.findClient(String(app["appId"]));
    expect(client?.certificates).toHaveLength(1);
    expect(new X509Certificate(client?.certificates[0] ?? "").raw.toString("base64")).toBe(cert.der);
    // Keeping the entry by keyId (without key) keeps the certificate.
    await t.patch(`/applications/${String(app["id"])}`, { keyCredentials: [{ keyId: keys[0]?.["keyId"] }] });
    expect(t.tenant.findClient(String(app["appId"]))?.certificates).toHaveLength(1);
  });

  it("treats uniqueName as immutable and unique", async () => {
    const t = new TestTenant();
    const app = (await t.post("/applications", { displayName: "U", uniqueName: "payroll-app" })).body;
    expect((await t.patch(`/applications/${String(app["id"])}`, { uniqueName: "other" })).status).toBe(400);
    expect((await t.patch(`/applications/${String(app["id"])}`, { uniqueName: "payroll-app", notes: "same value is fine" })).status).toBe(204);
    const clash = await t.post("/applications", { displayName: "U2", uniqueName: "PAYROLL-APP" });
    expect(clash.status).toBe(400);
  });

  it("manages owners and soft-deletes applications together with their service principal", async () => {
    const t = new TestTenant();
    const owner = await t.createUser("Owner");
    const app = (await t.post("/applications", { displayName: "Owned" })).body;
    await t.post(`/applications/${String(app["id"])}/owners/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${owner.id}` });
    expect(values(await t.call(`/applications/${String(app["id"])}/owners`)).map((o) => o["id"])).toEqual([owner.id]);
    const sp = (await t.post("/servicePrincipals", { appId: app["appId"] })).body;
    await t.del(`/applications/${String(app["id"])}`);
    expect((await t.call(`/servicePrincipals/${String(sp["id"])}`)).status).toBe(404);
    const deletedApps = values(await t.call("/directory/deletedItems/microsoft.graph.application"));
    expect(deletedApps.map((a) => a["id"])).toEqual([app["id"]]);
  });
});

describe("service principals", () => {
  it("creates from an application's appId, refuses unknown appIds, and allows first-party apps", async () => {
    const t = new TestTenant();
    const app = (await t.post("/applications", { displayName: "Api", identifierUris: ["api://contoso.onmicrosoft.com/sandbox-api"] })).body;
    const sp = await t.post("/servicePrincipals", { appId: app["appId"] });
    expect(sp.status).toBe(201);
    expect(sp.body).toMatchObject({ displayName: "Api", appDisplayName: "Api", servicePrincipalNames: [app["appId"], "api://contoso.onmicrosoft.com/sandbox-api"], appOwnerOrganizationId: t.tenant.tenantId });
    const again = await t.post("/servicePrincipals", { appId: app["appId"] });
    expect(again.status).toBe(409);
    const unknown = await t.post("/servicePrincipals", { appId: "6b0a8f2e-1111-4222-8333-944444444444" });
    expect(errorOf(unknown)).toEqual({
      code: "Request_BadRequest",
      message: "The appId '6b0a8f2e-1111-4222-8333-944444444444' of the service principal does not reference a valid application object.",
    });
    const exchange = await t.post("/servicePrincipals", { appId: "00000002-0000-0ff1-ce00-000000000000" });
    expect(exchange.status).toBe(201);
    expect(exchange.body["displayName"]).toBe("Office 365 Exchange Online");
    const graph = values(await t.call(`/servicePrincipals?$filter=appId eq '${MICROSOFT_GRAPH_APP_ID}'`));
    expect(graph).toHaveLength(1);
    expect((graph[0]?.["appRoles"] as Record<string, unknown>[]).find((r) => r["value"] === "Policy.Read.All")?.["id"]).toBe("246dd0d5-5bd0-4def-940b-0421030a5b68");
  });

  it("grants Graph application permissions through appRoleAssignedTo and reports them to the token endpoint", async () => {
    const t = new TestTenant();
    const app = (await t.post("/applications", { displayName: "Reader" })).body;
    const sp = (await t.post("/servicePrincipals", { appId: app["appId"] })).body;
    const graph = values(await t.call(`/servicePrincipals?$filter=appId eq '${MICROSOFT_GRAPH_APP_ID}'`))[0] ?? {};
    const grant = await t.post(`/servicePrincipals/${String(graph["id"])}/appRoleAssignedTo`, {
      principalId: sp["id"], resourceId: graph["id"], appRoleId: "246dd0d5-5bd0-4def-940b-0421030a5b68",
    });
    expect(grant.status).toBe(201);
    expect(grant.body).toMatchObject({ principalType: "ServicePrincipal", resourceDisplayName: "Microsoft Graph", principalId: sp["id"] });
    const duplicate = await t.post(`/servicePrincipals/${String(graph["id"])}/appRoleAssignedTo`, {
      principalId: sp["id"], resourceId: graph["id"], appRoleId: "246dd0d5-5bd0-4def-940b-0421030a5b68",
    });
    expect(errorOf(duplicate).message).toBe("Permission being assigned already exists on the object");
    expect(t.tenant.findClient(String(app["appId"]))).toMatchObject({ roles: ["Policy.Read.All"], servicePrincipalId: sp["id"] });
    const mine = values(await t.call(`/servicePrincipals/${String(sp["id"])}/appRoleAssignments`));
    expect(mine.map((a) => a["appRoleId"])).toEqual(["246dd0d5-5bd0-4def-940b-0421030a5b68"]);
    expect((await t.del(`/servicePrincipals/${String(graph["id"])}/appRoleAssignedTo/${String(grant.body["id"])}`)).status).toBe(204);
    expect(t.tenant.findClient(String(app["appId"]))?.roles).toEqual([]);
  });

  it("the bootstrap engine app exists in an empty tenant with a working secret and its permissions", async () => {
    const t = new TestTenant();
    const { appId, clientSecret } = t.tenant.bootstrapClient;
    const client = t.tenant.findClient(appId);
    expect(client?.displayName).toBe("entra-gitops");
    expect(client?.secrets).toEqual([clientSecret]);
    expect(client?.roles).toEqual(expect.arrayContaining(["Policy.ReadWrite.ConditionalAccess", "AuditLog.Read.All", "Directory.Read.All", "User.ReadWrite.All", "RoleManagement.ReadWrite.Directory"]));
  });
});

describe("Application.ReadWrite.OwnedBy", () => {
  it("reaches only the applications the calling app owns, and owns what it creates", async () => {
    const t = new TestTenant();
    const callerApp = (await t.post("/applications", { displayName: "Automation" })).body;
    const callerSp = (await t.post("/servicePrincipals", { appId: callerApp["appId"] })).body;
    const other = (await t.post("/applications", { displayName: "Someone else's" })).body;
    const principal = { ...appPrincipal(["Application.ReadWrite.OwnedBy"], String(callerApp["appId"])), servicePrincipalId: String(callerSp["id"]) };
    const mine = await t.post("/applications", { displayName: "Mine" }, { principal });
    expect(mine.status).toBe(201);
    expect(values(await t.call(`/applications/${String(mine.body["id"])}/owners`)).map((o) => o["id"])).toEqual([callerSp["id"]]);
    expect((await t.patch(`/applications/${String(mine.body["id"])}`, { notes: "ok" }, { principal })).status).toBe(204);
    expect((await t.post(`/applications/${String(mine.body["id"])}/addPassword`, {}, { principal })).status).toBe(200);
    expect((await t.patch(`/applications/${String(other["id"])}`, { notes: "no" }, { principal })).status).toBe(403);
    expect((await t.post(`/applications/${String(other["id"])}/addPassword`, {}, { principal })).status).toBe(403);
    expect((await t.del(`/applications/${String(other["id"])}`, { principal })).status).toBe(403);
    const listed = values(await t.call("/applications", { principal })).map((a) => a["id"]);
    expect(listed).toEqual([mine.body["id"]]);
  });
});
