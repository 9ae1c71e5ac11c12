import { describe, expect, it } from "vitest";
import { MICROSOFT_GRAPH_APP_ID } from "../../../src/sandbox/tenant/index.js";
import { TestTenant, values } from "./helpers.js";
import { compileMembershipRule } from "../../../src/sandbox/tenant/resources/membership-rule.js";

const ref = (id: string) => ({ "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

describe("alternate keys", () => {
  it("addresses applications and service principals by appId, and upserts applications by uniqueName", async () => {
    const t = new TestTenant();
    const graph = await t.call(`/servicePrincipals(appId='${MICROSOFT_GRAPH_APP_ID}')`);
    expect(graph.status).toBe(200);
    expect(graph.body["displayName"]).toBe("Microsoft Graph");
    const missing = await t.call("/applications(appId='9d4f0000-0000-4000-8000-000000000000')");
    expect(missing.status).toBe(404);
    const noPrefer = await t.patch("/applications(uniqueName='billing')", { displayName: "Billing" });
    expect(noPrefer.status).toBe(404);
    const created = await t.patch("/applications(uniqueName='billing')", { displayName: "Billing" }, { headers: { prefer: "create-if-missing" } });
    expect(created.status).toBe(201);
    expect(created.body["uniqueName"]).toBe("billing");
    const updated = await t.patch("/applications(uniqueName='billing')", { notes: "v2" }, { headers: { prefer: "create-if-missing" } });
    expect(updated.status).toBe(204);
    const read = await t.call(`/applications(appId='${String(created.body["appId"])}')?$select=notes,uniqueName`);
    expect(read.body).toMatchObject({ notes: "v2", uniqueName: "billing" });
  });
});

describe("transitive membership", () => {
  it("expands nested groups for transitiveMembers and transitiveMemberOf", async () => {
    const t = new TestTenant();
    const user = await t.createUser("Deep");
    const inner = await t.createGroup("Inner");
    const outer = await t.createGroup("Outer");
    await t.post(`/groups/${inner.id}/members/$ref`, ref(user.id));
    await t.post(`/groups/${outer.id}/members/$ref`, ref(inner.id));
    const members = values(await t.call(`/groups/${outer.id}/transitiveMembers`)).map((m) => m["id"]);
    expect(members.sort()).toEqual([inner.id, user.id].sort());
    const memberOf = values(await t.call(`/users/${user.id}/transitiveMemberOf`)).map((m) => m["id"]);
    expect(memberOf.sort()).toEqual([inner.id, outer.id].sort());
    const direct = values(await t.call(`/users/${user.id}/memberOf`)).map((m) => m["id"]);
    expect(direct).toEqual([inner.id]);
  });
});

describe("dynamic groups", () => {
  it("computes members from the membership rule as users and rules change", async () => {
    const t = new TestTenant();
    const sales = await t.createUser("Sam", { department: "Sales" });
    const it1 = await t.createUser("Ivy", { department: "IT" });
    const group = await t.createGroup("Sales dyn", { groupTypes: ["DynamicMembership"], membershipRule: '(user.department -eq "Sales") -and (user.accountEnabled -eq true)' });
    const members = async () => values(await t.call(`/groups/${group.id}/members`)).map((m) => m["id"]);
    expect(await members()).toEqual([sales.id]);
    await t.patch(`/users/${it1.id}`, { department: "sales" });
    expect((await members()).sort()).toEqual([sales.id, it1.id].sort());
    await t.patch(`/users/${sales.id}`, { accountEnabled: false });
    expect(await members()).toEqual([it1.id]);
    await t.patch(`/groups/${group.id}`, { membershipRule: 'user.department -in ["IT","Sales"]' });
    expect((await members()).sort()).toEqual([sales.id, it1.id].sort());
  });

  it("parses Entra's simple rule operators", () => {
    const rule = compileMembershipRule('user.userPrincipalName -startsWith "adm" -or -not (user.country -in ["US","CA"])');
    expect(rule?.({ userPrincipalName: "admin@x", country: "US" })).toBe(true);
    expect(rule?.({ userPrincipalName: "bob@x", country: "CA" })).toBe(false);
    expect(rule?.({ userPrincipalName: "bob@x", country: "FR" })).toBe(true);
    expect(compileMembershipRule("device.deviceOSType -eq \"Windows\"")).toBeUndefined();
  });
});

describe("group visibility", () => {
  it("allows HiddenMembership only on Microsoft 365 groups at creation", async () => {
    const t = new TestTenant();
    const hidden = await t.createGroup("Hidden", { groupTypes: ["Unified"], mailEnabled: true, securityEnabled: false, visibility: "HiddenMembership" });
    expect(hidden["visibility"]).toBe("HiddenMembership");
    expect((await t.patch(`/groups/${hidden.id}`, { visibility: "Public" })).status).toBe(400);
    const team = await t.createGroup("Team", { groupTypes: ["Unified"], mailEnabled: true, securityEnabled: false });
    expect((await t.patch(`/groups/${team.id}`, { visibility: "HiddenMembership" })).status).toBe(400);
    expect((await t.patch(`/groups/${team.id}`, { visibility: "Private" })).status).toBe(204);
    const sec = await t.post("/groups", { displayName: "s", mailEnabled: false, mailNickname: "s", securityEnabled: true, visibility: "HiddenMembership" });
    expect(sec.status).toBe(400);
  });
});
