/**
 * `POST /identity/conditionalAccess/evaluate`: Graph's v1.0 request and response shapes
 * (docs/graph-behaviour.md §15). Agreement with the engine's evaluator over many sign-ins is
 * test/conditional-access/what-if-cross-check.test.ts; this file pins the endpoint itself.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { TestTenant, appPrincipal, errorOf, values } from "../tenant/helpers.js";

const EVALUATE = "/identity/conditionalAccess/evaluate";
const SHAREPOINT = "00000003-0000-0ff1-ce00-000000000000";

describe("Conditional Access What If (evaluate)", () => {
  const t = new TestTenant();
  let userId = "";
  let guestId = "";
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const user = await t.call("/users", { method: "POST", body: { accountEnabled: true, displayName: "Pia", mailNickname: "pia", userPrincipalName: "pia@contoso.onmicrosoft.com", passwordProfile: { password: "Pilot-Pass-2026!x" } } });
    userId = String(user.body["id"]);
    const guest = await t.call("/users", { method: "POST", body: { accountEnabled: true, displayName: "Gus", mailNickname: "gus", userType: "Guest", userPrincipalName: "gus_fabrikam.com#EXT#@contoso.onmicrosoft.com", passwordProfile: { password: "Pilot-Pass-2026!x" } } });
    guestId = String(guest.body["id"]);
    const group = await t.call("/groups", { method: "POST", body: { displayName: "CA pilot", mailEnabled: false, mailNickname: "ca-pilot", securityEnabled: true, "members@odata.bind": [`https://graph.microsoft.com/v1.0/users/${userId}`] } });
    const office = await t.call("/identity/conditionalAccess/namedLocations", { method: "POST", body: { "@odata.type": "#microsoft.graph.ipNamedLocation", displayName: "Office", isTrusted: true, ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "203.0.113.0/24" }] } });
    // Conditional Access names SharePoint through its service principal in the tenant.
    expect((await t.call("/servicePrincipals", { method: "POST", body: { appId: SHAREPOINT } })).status).toBe(201);
    const create = async (name: string, body: Record<string, unknown>): Promise<void> => {
      const created = await t.call("/identity/conditionalAccess/policies", { method: "POST", body: { displayName: name, ...body } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      ids[name] = String(created.body["id"]);
    };
    const users = { includeGroups: [String(group.body["id"])] };
    await create("pilot-mfa-sharepoint", { state: "enabled", conditions: { users, applications: { includeApplications: [SHAREPOINT] } }, grantControls: { operator: "OR", builtInControls: ["mfa"] } });
    await create("pilot-block-outside-office", { state: "enabledForReportingButNotEnforced", conditions: { users, applications: { includeApplications: ["All"] }, locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } }, grantControls: { operator: "OR", builtInControls: ["block"] } });
    await create("guests-office365-block-android", { state: "enabled", conditions: { users: { includeUsers: ["GuestsOrExternalUsers"] }, applications: { includeApplications: ["Office365"] }, platforms: { includePlatforms: ["android"] } }, grantControls: { operator: "OR", builtInControls: ["block"] } });
    await create("disabled-all", { state: "disabled", conditions: { users: { includeUsers: ["All"] }, applications: { includeApplications: ["All"] } }, grantControls: { operator: "OR", builtInControls: ["mfa"] } });
    expect(office.status).toBe(201);
  });

  const body = (identity: Record<string, unknown>, conditions: Record<string, unknown>, appliedPoliciesOnly?: boolean) => ({
    signInIdentity: identity,
    signInContext: { "@odata.type": "#microsoft.graph.applicationContext", includeApplications: [SHAREPOINT] },
    signInConditions: conditions,
    ...(appliedPoliciesOnly === undefined ? {} : { appliedPoliciesOnly }),
  });
  const verdicts = (response: Awaited<ReturnType<TestTenant["call"]>>) => Object.fromEntries(values(response).map((v) => [String(v["displayName"]), `${String(v["policyApplies"])} ${String(v["analysisReasons"])}`]));

  it("answers every policy as a whatIfAnalysisResult: the policy as GET shows it, policyApplies, analysisReasons", async () => {
    const response = await t.call(EVALUATE, { method: "POST", body: body({ "@odata.type": "#microsoft.graph.userSignIn", userId }, { devicePlatform: "windows", clientAppType: "browser", ipAddress: "198.51.100.7" }) });
    expect(response.status).toBe(200);
    expect(response.body["@odata.context"]).toBe("https://127.0.0.1:8443/v1.0/$metadata#Collection(microsoft.graph.whatIfAnalysisResult)");
    expect(verdicts(response)).toEqual({
      "pilot-mfa-sharepoint": "true notSet",
      // Report-only policies are evaluated (What If lists them), not skipped.
      "pilot-block-outside-office": "true notSet",
      "guests-office365-block-android": "false users,devicePlatform",
      "disabled-all": "false policyNotEnabled",
    });
    const first = values(response).find((v) => v["id"] === ids["pilot-mfa-sharepoint"]);
    expect(first).toMatchObject({ state: "enabled", grantControls: { builtInControls: ["mfa"] }, conditions: { clientAppTypes: ["all"], applications: { includeApplications: [SHAREPOINT] } }, sessionControls: null });
  });

  it("appliedPoliciesOnly leaves out the policies that do not apply; a trusted location and a B2B guest change the answer", async () => {
    const fromOffice = await t.call(EVALUATE, { method: "POST", body: body({ "@odata.type": "#microsoft.graph.userSignIn", userId }, { devicePlatform: "windows", clientAppType: "browser", ipAddress: "203.0.113.9" }, true) });
    expect(verdicts(fromOffice)).toEqual({ "pilot-mfa-sharepoint": "true notSet" });
    const guest = await t.call(EVALUATE, { method: "POST", body: body({ "@odata.type": "#microsoft.graph.userSignIn", userId: guestId }, { devicePlatform: "android", clientAppType: "mobileAppsAndDesktopClients" }, true) });
    expect(verdicts(guest)).toEqual({ "guests-office365-block-android": "true notSet" });
  });

  it("refuses a request Graph's model does not allow, naming the parameter", async () => {
    const missing = await t.call(EVALUATE, { method: "POST", body: { signInContext: { "@odata.type": "#microsoft.graph.applicationContext", includeApplications: [SHAREPOINT] }, signInConditions: {} } });
    expect(missing.status).toBe(400);
    expect(errorOf(missing).message).toContain("signInIdentity");
    const platform = await t.call(EVALUATE, { method: "POST", body: body({ "@odata.type": "#microsoft.graph.userSignIn", userId }, { devicePlatform: "amiga" }) });
    expect(platform.status).toBe(400);
    expect(errorOf(platform).message).toBe("Invalid value 'amiga' for parameter 'signInConditions.devicePlatform'.");
    const nobody = await t.call(EVALUATE, { method: "POST", body: body({ "@odata.type": "#microsoft.graph.userSignIn", userId: "00000000-0000-4000-8000-000000000000" }, {}) });
    expect(nobody.status).toBe(400);
  });

  it("needs a Conditional Access read permission", async () => {
    const denied = await t.call(EVALUATE, { method: "POST", principal: appPrincipal(["User.Read.All"]), body: body({ "@odata.type": "#microsoft.graph.userSignIn", userId }, {}) });
    expect(denied.status).toBe(403);
    const allowed = await t.call(EVALUATE, { method: "POST", principal: appPrincipal(["Policy.Read.ConditionalAccess"]), body: body({ "@odata.type": "#microsoft.graph.userSignIn", userId }, {}) });
    expect(allowed.status).toBe(200);
  });
});
