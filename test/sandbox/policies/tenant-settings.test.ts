import { describe, expect, it } from "vitest";
import { DAY_MS } from "../../../src/sandbox/tenant/core/clock.js";
import { TestTenant, appPrincipal, userPrincipal } from "../tenant/helpers.js";

const PARTNERS = "/policies/crossTenantAccessPolicy/partners";
const FABRIKAM = "3d0f5dec-5d3d-455c-8016-e2af1ae4d31a";

function values(body: Record<string, unknown>): Record<string, unknown>[] {
  return body["value"] as Record<string, unknown>[];
}

describe("authorization policy", () => {
  it("is an object on v1.0 and a one-item collection on beta", async () => {
    const t = new TestTenant();
    const v1 = await t.call("/policies/authorizationPolicy");
    expect(v1.body).toMatchObject({ id: "authorizationPolicy", allowInvitesFrom: "everyone", defaultUserRolePermissions: { allowedToCreateApps: true } });
    expect(v1.body["@odata.context"]).toBe("https://127.0.0.1:8443/v1.0/$metadata#policies/authorizationPolicy/$entity");
    const beta = await t.call("/policies/authorizationPolicy", { version: "beta" });
    expect(values(beta.body)).toHaveLength(1);
    expect(values(beta.body)[0]?.["id"]).toBe("authorizationPolicy");
  });

  it("merges defaultUserRolePermissions on PATCH, checks guestUserRoleId and the permission", async () => {
    const t = new TestTenant();
    expect((await t.call("/policies/authorizationPolicy", { method: "PATCH", body: { defaultUserRolePermissions: { allowedToCreateApps: false } } })).status).toBe(204);
    const read = await t.call("/policies/authorizationPolicy");
    expect(read.body["defaultUserRolePermissions"]).toMatchObject({ allowedToCreateApps: false, allowedToCreateSecurityGroups: true });
    expect((await t.call("/policies/authorizationPolicy", { method: "PATCH", body: { guestUserRoleId: "62e90394-69f5-4237-9190-012177145e10" } })).status).toBe(400);
    expect((await t.call("/policies/authorizationPolicy", { method: "PATCH", body: { allowInvitesFrom: "nobody" } })).status).toBe(400);
    const denied = await t.call("/policies/authorizationPolicy", { method: "PATCH", body: { blockMsolPowerShell: true }, principal: appPrincipal(["Policy.Read.All"]) });
    expect(denied.status).toBe(403);
    const audit = await t.call("/auditLogs/directoryAudits");
    expect(values(audit.body).map((e) => e["activityDisplayName"])).toContain("Update authorization policy");
  });
});

describe("authentication methods policy", () => {
  it("embeds the method configurations and updates one by its @odata.type", async () => {
    const t = new TestTenant();
    const policy = await t.call("/policies/authenticationMethodsPolicy");
    const ids = (policy.body["authenticationMethodConfigurations"] as Record<string, unknown>[]).map((c) => c["id"]);
    expect(ids).toEqual(expect.arrayContaining(["Fido2", "MicrosoftAuthenticator", "Sms", "TemporaryAccessPass", "SoftwareOath", "Email", "Voice", "X509Certificate"]));
    const path = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2";
    expect((await t.call(path, { method: "PATCH", body: { state: "enabled" } })).status).toBe(400);
    t.tenant.clock.advance(1000);
    expect((await t.call(path, { method: "PATCH", body: { "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", state: "enabled", isAttestationEnforced: true } })).status).toBe(204);
    expect((await t.call(path)).body).toMatchObject({ id: "Fido2", state: "enabled", isAttestationEnforced: true, isSelfServiceRegistrationAllowed: true });
    expect((await t.call("/policies/authenticationMethodsPolicy")).body["lastModifiedDateTime"]).toBe("2026-01-01T00:00:01.000Z");
    const wrongType = await t.call(path, { method: "PATCH", body: { "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", state: "enabled" } });
    expect(wrongType.status).toBe(400);
    const type = { "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration" };
    const missingGroup = await t.call(path, { method: "PATCH", body: { ...type, includeTargets: [{ targetType: "group", id: "0f0f0f0f-0000-4000-8000-000000000000", isRegistrationRequired: false }] } });
    expect(missingGroup.status).toBe(400);
    expect(missingGroup.body["error"]).toMatchObject({ code: "Request_BadRequest" });
    const group = await t.call("/groups", { method: "POST", body: { displayName: "Passkey pilot", mailEnabled: false, mailNickname: "passkey-pilot", securityEnabled: true } });
    const targets = [{ targetType: "group", id: String(group.body["id"]), isRegistrationRequired: false }];
    expect((await t.call(path, { method: "PATCH", body: { ...type, includeTargets: targets } })).status).toBe(204);
    expect((await t.call(path)).body["includeTargets"]).toEqual(targets);
  });

  it("keeps policyVersion read-only", async () => {
    const t = new TestTenant();
    expect((await t.call("/policies/authenticationMethodsPolicy", { method: "PATCH", body: { policyVersion: "9.9", reconfirmationInDays: 90 } })).status).toBe(204);
    expect((await t.call("/policies/authenticationMethodsPolicy")).body).toMatchObject({ policyVersion: "1.5", reconfirmationInDays: 90 });
  });
});

describe("cross-tenant access", () => {
  it("reads the service default and stops being the service default after a PATCH; reset restores it", async () => {
    const t = new TestTenant();
    const path = "/policies/crossTenantAccessPolicy/default";
    expect((await t.call(path)).body).toMatchObject({ isServiceDefault: true, b2bDirectConnectInbound: { usersAndGroups: { accessType: "blocked" } } });
    await t.call(path, { method: "PATCH", body: { inboundTrust: { isMfaAccepted: true } } });
    expect((await t.call(path)).body).toMatchObject({ isServiceDefault: false, inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: false } });
    expect((await t.call(`${path}/resetToSystemDefault`, { method: "POST" })).status).toBe(204);
    expect((await t.call(path)).body).toMatchObject({ isServiceDefault: true, inboundTrust: { isMfaAccepted: false } });
  });

  it("keys partners by tenantId, refuses duplicates, soft-deletes and restores them", async () => {
    const t = new TestTenant();
    const body = { tenantId: FABRIKAM, b2bDirectConnectInbound: { applications: { accessType: "allowed", targets: [{ target: "Office365", targetType: "application" }] } } };
    const created = await t.call(PARTNERS, { method: "POST", body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ tenantId: FABRIKAM, inboundTrust: null, b2bCollaborationInbound: null });
    expect(created.body).not.toHaveProperty("id");
    expect((await t.call(PARTNERS, { method: "POST", body })).status).toBe(409);
    expect((await t.call(`${PARTNERS}/${FABRIKAM}`, { method: "PATCH", body: { inboundTrust: { isMfaAccepted: true } } })).status).toBe(204);
    expect((await t.call(`${PARTNERS}/${FABRIKAM}`)).body).toMatchObject({ inboundTrust: { isMfaAccepted: true } });
    expect((await t.call(`${PARTNERS}/${FABRIKAM}`, { method: "DELETE" })).status).toBe(204);
    // The docs list no application permission for the partners' deleted items: app-only is refused, a user may.
    expect((await t.call("/policies/deletedItems/crossTenantPartners", { version: "beta" })).status).toBe(403);
    const admin = await t.createUser("Security Admin");
    const principal = userPrincipal({ id: admin.id, upn: admin.userPrincipalName }, ["Policy.ReadWrite.CrossTenantAccess"]);
    const bin = await t.call("/policies/deletedItems/crossTenantPartners", { version: "beta", principal });
    expect(values(bin.body).map((p) => p["tenantId"])).toEqual([FABRIKAM]);
    const restored = await t.call(`/policies/deletedItems/crossTenantPartners/${FABRIKAM}/restore`, { method: "POST", version: "beta", principal });
    expect(restored.body).toMatchObject({ tenantId: FABRIKAM, inboundTrust: { isMfaAccepted: true } });
    await t.call(`${PARTNERS}/${FABRIKAM}`, { method: "DELETE" });
    t.tenant.clock.advance(31 * DAY_MS);
    expect(values((await t.call("/policies/deletedItems/crossTenantPartners", { version: "beta", principal })).body)).toEqual([]);
  });
});

describe("group settings", () => {
  it("has every directory setting template Graph lists, and a POST from an unknown template is a 404 naming it", async () => {
    const t = new TestTenant();
    const templates = values((await t.call("/groupSettingTemplates")).body).map((x) => `${String(x["id"])} ${String(x["displayName"])}`);
    expect(templates.sort()).toEqual([
      "08d542b9-071f-4e16-94b0-74abb372e3d9 Group.Unified.Guest",
      "4bc7f740-180e-4586-adb6-38b2e9024e6b Application",
      "5cf42378-d67d-4f36-ba46-e8b86229381d Password Rule Settings",
      "62375ab9-6b52-47ed-826b-58e47e0e304b Group.Unified",
      "80661d51-be2f-4d46-9713-98a2fcaec5bc Prohibited Names Settings",
      "898f1161-d651-43d1-805c-3b0b388a9fc2 Custom Policy Settings",
      "aad3907d-1d1a-448b-b3ef-7bf7f63db63b Prohibited Names Restricted Settings",
      "dffd5d46-495d-40a9-8e21-954ff55e198a Consent Policy Settings",
    ]);
    const password = await t.call("/groupSettings", { method: "POST", body: { templateId: "5cf42378-d67d-4f36-ba46-e8b86229381d", values: [{ name: "LockoutThreshold", value: "5" }] } });
    expect(password.status).toBe(201);
    expect(password.body["values"]).toEqual(expect.arrayContaining([{ name: "LockoutThreshold", value: "5" }, { name: "LockoutDurationInSeconds", value: "60" }, { name: "BannedPasswordCheckOnPremisesMode", value: "Audit" }]));
    const notANumber = await t.call(`/groupSettings/${String(password.body["id"])}`, { method: "PATCH", body: { values: [{ name: "LockoutThreshold", value: "many" }] } });
    expect(notANumber.status).toBe(400);
    const unknown = await t.call("/groupSettings", { method: "POST", body: { templateId: "0b0b0b0b-1111-4222-8333-444444444444" } });
    expect(unknown.status).toBe(404);
    expect(unknown.body["error"]).toMatchObject({ code: "Request_ResourceNotFound", message: "Resource '0b0b0b0b-1111-4222-8333-444444444444' does not exist or one of its queried reference-property objects are not present." });
  });

  it("lists the Group.Unified template and creates one setting from it with defaults filled", async () => {
    const t = new TestTenant();
    const templates = await t.call("/groupSettingTemplates");
    const unified = values(templates.body).find((x) => x["displayName"] === "Group.Unified");
    expect(unified?.["id"]).toBe("62375ab9-6b52-47ed-826b-58e47e0e304b");
    const created = await t.call("/groupSettings", { method: "POST", body: { templateId: "62375ab9-6b52-47ed-826b-58e47e0e304b", values: [{ name: "EnableGroupCreation", value: "false" }] } });
    expect(created.status).toBe(201);
    const settingValues = created.body["values"] as { name: string; value: string }[];
    expect(settingValues.find((v) => v.name === "EnableGroupCreation")?.value).toBe("false");
    expect(settingValues.find((v) => v.name === "AllowToAddGuests")?.value).toBe("true");
    expect((await t.call("/groupSettings", { method: "POST", body: { templateId: "62375ab9-6b52-47ed-826b-58e47e0e304b" } })).status).toBe(400);
    const bad = await t.call(`/groupSettings/${String(created.body["id"])}`, { method: "PATCH", body: { values: [{ name: "EnableGroupCreation", value: "maybe" }] } });
    expect(bad.status).toBe(400);
    const unknown = await t.call(`/groupSettings/${String(created.body["id"])}`, { method: "PATCH", body: { values: [{ name: "NoSuchSetting", value: "1" }] } });
    expect(unknown.status).toBe(400);
  });
});
