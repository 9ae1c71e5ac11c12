import { describe, expect, it } from "vitest";
import { DAY_MS } from "../../../src/sandbox/tenant/core/clock.js";
import { TestTenant, appPrincipal, userPrincipal } from "../tenant/helpers.js";

const POLICIES = "/identity/conditionalAccess/policies";

async function withGroup(t: TestTenant): Promise<string> {
  const created = await t.call("/groups", { method: "POST", body: { displayName: "CA pilot", mailEnabled: false, mailNickname: "ca-pilot", securityEnabled: true } });
  expect(created.status).toBe(201);
  return String(created.body["id"]);
}

function policy(groupId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    displayName: "Require MFA for pilot",
    state: "enabledForReportingButNotEnforced",
    conditions: { applications: { includeApplications: ["All"] }, users: { includeGroups: [groupId] } },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
    ...extra,
  };
}

describe("Conditional Access policies", () => {
  it("creates with Graph's create response and reads back the same object", async () => {
    const t = new TestTenant();
    const group = await withGroup(t);
    const created = await t.call(POLICIES, { method: "POST", body: policy(group) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      "@odata.context": "https://127.0.0.1:8443/v1.0/$metadata#identity/conditionalAccess/policies/$entity",
      createdDateTime: "2026-01-01T00:00:00.000Z",
      modifiedDateTime: null,
      templateId: null,
      sessionControls: null,
      conditions: { clientAppTypes: ["all"], platforms: null, locations: null, users: { includeUsers: [], includeGroups: [group] } },
    });
    const read = await t.call(`${POLICIES}/${String(created.body["id"])}`);
    expect(read.status).toBe(200);
    const { "@odata.context": _a, ...a } = created.body;
    const { "@odata.context": _b, ...b } = read.body;
    expect(b).toEqual(a);
  });

  it("ignores read-only fields in a body and stamps modifiedDateTime on PATCH", async () => {
    const t = new TestTenant();
    const group = await withGroup(t);
    const created = await t.call(POLICIES, { method: "POST", body: policy(group, { id: "x", createdDateTime: "2001-01-01T00:00:00Z", templateId: "abc" }) });
    expect(created.body["id"]).not.toBe("x");
    expect(created.body["templateId"]).toBeNull();
    t.tenant.clock.advance(60_000);
    const id = String(created.body["id"]);
    expect((await t.call(`${POLICIES}/${id}`, { method: "PATCH", body: { state: "enabled" } })).status).toBe(204);
    const read = await t.call(`${POLICIES}/${id}`);
    expect(read.body).toMatchObject({ state: "enabled", modifiedDateTime: "2026-01-01T00:01:00.000Z", createdDateTime: "2026-01-01T00:00:00.000Z" });
  });

  it("answers in the Conditional Access error style", async () => {
    const t = new TestTenant();
    const group = await withGroup(t);
    const allGroups = await t.call(POLICIES, { method: "POST", body: policy(group, { conditions: { applications: { includeApplications: ["All"] }, users: { includeGroups: ["All"] } } }) });
    expect(allGroups.status).toBe(400);
    expect(allGroups.body["error"]).toMatchObject({ code: "BadRequest", message: "1054: Invalid group value: All." });
    const badEnum = await t.call(POLICIES, { method: "POST", body: policy(group, { state: "on" }) });
    expect((badEnum.body["error"] as Record<string, unknown>)["message"]).toMatch(/^1007: Incoming ConditionalAccessPolicy object is null/);
    const badPatch = await t.call(`${POLICIES}/${String((await t.call(POLICIES, { method: "POST", body: policy(group) })).body["id"])}`, { method: "PATCH", body: { grantControls: null } });
    expect(badPatch.status).toBe(400);
  });

  it("refuses an application id that has no service principal in the tenant, and accepts it once its service principal exists", async () => {
    const t = new TestTenant();
    const group = await withGroup(t);
    const intuneEnrollment = "d4ebce55-015a-49b5-a083-c84d1797ae8c";
    const other = "0f0e0d0c-0b0a-4908-8706-050403020100";
    for (const applications of [{ includeApplications: [intuneEnrollment] }, { includeApplications: ["All"], excludeApplications: [other] }]) {
      const refused = await t.call(POLICIES, { method: "POST", body: policy(group, { conditions: { applications, users: { includeGroups: [group] } } }) });
      expect(refused.status).toBe(400);
      expect(refused.body["error"]).toMatchObject({ code: "BadRequest" });
      expect(JSON.stringify(refused.body)).toContain(applications.excludeApplications?.[0] ?? intuneEnrollment);
    }
    expect((await t.call("/servicePrincipals", { method: "POST", body: { appId: intuneEnrollment } })).status).toBe(201);
    const accepted = await t.call(POLICIES, { method: "POST", body: policy(group, { conditions: { applications: { includeApplications: [intuneEnrollment.toUpperCase()] }, users: { includeGroups: [group] } } }) });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  });

  it("accepts beta-only blocks on beta and hides them from v1.0 readers", async () => {
    const t = new TestTenant();
    const group = await withGroup(t);
    const body = policy(group, { conditions: { applications: { includeApplications: ["All"] }, users: { includeGroups: [group] }, times: null } });
    expect((await t.call(POLICIES, { method: "POST", body })).status).toBe(400);
    const created = await t.call(POLICIES, { method: "POST", body, version: "beta" });
    expect(created.status).toBe(201);
    const v1 = await t.call(`${POLICIES}/${String(created.body["id"])}`);
    expect(v1.body["conditions"]).not.toHaveProperty("times");
    const beta = await t.call(`${POLICIES}/${String(created.body["id"])}`, { version: "beta" });
    expect(beta.body["conditions"]).toHaveProperty("times", null);
  });

  it("sees a group created moments ago only after replication (transient 1054)", async () => {
    const t = new TestTenant({ replication: { reads: 1 } });
    const group = await withGroup(t);
    const first = await t.call(POLICIES, { method: "POST", body: policy(group) });
    expect(first.status).toBe(400);
    expect((first.body["error"] as Record<string, unknown>)["message"]).toBe(`1054: Invalid group value: ${group}.`);
    expect((await t.call(POLICIES, { method: "POST", body: policy(group) })).status).toBe(201);
  });

  it("needs Policy.Read.All next to Policy.ReadWrite.ConditionalAccess to write, and a read permission to list", async () => {
    const t = new TestTenant();
    const group = await withGroup(t);
    const writeOnly = appPrincipal(["Policy.ReadWrite.ConditionalAccess"]);
    const denied = await t.call(POLICIES, { method: "POST", body: policy(group), principal: writeOnly });
    expect(denied.status).toBe(403);
    expect(denied.body["error"]).toMatchObject({ code: "Authorization_RequestDenied" });
    expect((await t.call(POLICIES, { principal: appPrincipal(["User.Read.All"]) })).status).toBe(403);
    expect((await t.call(POLICIES, { principal: appPrincipal(["Policy.Read.All"]) })).status).toBe(200);
  });

  it("soft-deletes into deletedItems, restores with the same id, purges after 30 sandbox days", async () => {
    const t = new TestTenant();
    const group = await withGroup(t);
    const ids: string[] = [];
    for (const name of ["one", "two"]) ids.push(String((await t.call(POLICIES, { method: "POST", body: policy(group, { displayName: name }) })).body["id"]));
    const [one = "", two = ""] = ids;
    for (const id of ids) expect((await t.call(`${POLICIES}/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await t.call(`${POLICIES}/${one}`)).status).toBe(404);
    const deleted = await t.call("/identity/conditionalAccess/deletedItems/policies", { version: "beta" });
    expect((deleted.body["value"] as Record<string, unknown>[]).map((p) => p["displayName"]).sort()).toEqual(["one", "two"]);
    expect((deleted.body["value"] as Record<string, unknown>[])[0]?.["deletedDateTime"]).toBe("2026-01-01T00:00:00.000Z");
    const restored = await t.call(`/identity/conditionalAccess/deletedItems/policies/${one}/restore`, { method: "POST", version: "beta" });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: one, displayName: "one", deletedDateTime: null });
    expect((await t.call(`${POLICIES}/${one}`)).status).toBe(200);
    t.tenant.clock.advance(30 * DAY_MS);
    expect((await t.call(`/identity/conditionalAccess/deletedItems/policies/${two}`, { version: "beta" })).status).toBe(404);
    expect((await t.call(`/identity/conditionalAccess/deletedItems/policies/${two}/restore`, { method: "POST", version: "beta" })).status).toBe(404);
  });

  it("serves deletedItems in beta only, and refuses app-only tokens when the tenant is set to", async () => {
    const t = new TestTenant();
    const v1 = await t.call("/identity/conditionalAccess/deletedItems/policies");
    expect(v1.status).toBe(400);
    expect((v1.body["error"] as Record<string, unknown>)["message"]).toMatch(/^Resource not found for the segment/);
    expect((await t.call("/identity/conditionalAccess/deletedItems/policies", { version: "beta" })).status).toBe(200);
    t.tenant.setDeletedItemsAppOnly("refuse");
    const refused = await t.call("/identity/conditionalAccess/deletedItems/policies", { version: "beta" });
    expect(refused.status).toBe(403);
    expect((refused.body["error"] as Record<string, unknown>)["code"]).toBe("Authorization_RequestDenied");
    expect((await t.call("/identity/conditionalAccess/deletedItems/namedLocations", { version: "beta" })).status).toBe(403);
  });

  it("deletes permanently from deletedItems", async () => {
    const t = new TestTenant();
    const group = await withGroup(t);
    const id = String((await t.call(POLICIES, { method: "POST", body: policy(group) })).body["id"]);
    await t.call(`${POLICIES}/${id}`, { method: "DELETE" });
    expect((await t.call(`/identity/conditionalAccess/deletedItems/policies/${id}`, { method: "DELETE", version: "beta" })).status).toBe(204);
    expect((await t.call("/identity/conditionalAccess/deletedItems/policies", { version: "beta" })).body["value"]).toEqual([]);
  });

  it("records Add/Update/Delete conditional access policy in the audit log with the caller", async () => {
    const t = new TestTenant();
    const group = await withGroup(t);
    const alice = userPrincipal({ id: "9d8b2c1e-0000-4000-8000-000000000001", upn: "alice@contoso.onmicrosoft.com", name: "Alice" }, ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"]);
    const id = String((await t.call(POLICIES, { method: "POST", body: policy(group), principal: alice })).body["id"]);
    await t.call(`${POLICIES}/${id}`, { method: "PATCH", body: { state: "disabled" }, principal: alice });
    await t.call(`${POLICIES}/${id}`, { method: "DELETE", principal: alice });
    const audits = await t.call("/auditLogs/directoryAudits?$filter=category eq 'Policy'");
    const entries = (audits.body["value"] as Record<string, unknown>[]).filter((e) => String(e["activityDisplayName"]).includes("conditional access policy"));
    expect(entries.map((e) => e["activityDisplayName"]).sort()).toEqual(["Add conditional access policy", "Delete conditional access policy", "Update conditional access policy"]);
    expect(entries[0]).toMatchObject({ category: "Policy", initiatedBy: { user: { userPrincipalName: "alice@contoso.onmicrosoft.com" } } });
  });

  it("returns riskRemediation only with Prefer: include-unknown-enum-members", async () => {
    const t = new TestTenant();
    const prefer = { prefer: "include-unknown-enum-members" };
    const body = {
      displayName: "Remediate risky users",
      state: "enabled",
      conditions: { applications: { includeApplications: ["All"] }, users: { includeUsers: ["All"] }, userRiskLevels: ["high"] },
      grantControls: { operator: "AND", builtInControls: ["riskRemediation"] },
    };
    const created = await t.call(POLICIES, { method: "POST", body, headers: prefer });
    expect(created.status).toBe(201);
    const id = String(created.body["id"]);
    expect(((await t.call(`${POLICIES}/${id}`)).body["grantControls"] as Record<string, unknown>)["builtInControls"]).toEqual(["unknownFutureValue"]);
    expect(((await t.call(`${POLICIES}/${id}`, { headers: prefer })).body["grantControls"] as Record<string, unknown>)["builtInControls"]).toEqual(["riskRemediation"]);
  });
});
