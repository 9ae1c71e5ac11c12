import { describe, expect, it } from "vitest";
import { TestTenant, appPrincipal, errorOf, values } from "./helpers.js";

const ref = (id: string) => ({ "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

describe("groups: kinds and create-only rules", () => {
  it("creates security, Microsoft 365 and dynamic groups with Graph's defaults", async () => {
    const t = new TestTenant();
    const security = await t.createGroup("Sec");
    expect(security).toMatchObject({ groupTypes: [], mailEnabled: false, securityEnabled: true, visibility: null, membershipRule: null });
    const unified = await t.createGroup("Team", { groupTypes: ["Unified"], mailEnabled: true, securityEnabled: false });
    expect(unified).toMatchObject({ mail: "team@contoso.onmicrosoft.com", visibility: "Public" });
    const dynamic = await t.createGroup("Dyn", { groupTypes: ["DynamicMembership"], membershipRule: 'user.department -eq "Sales"' });
    expect(dynamic["membershipRuleProcessingState"]).toBe("On");
    const noRule = await t.post("/groups", { displayName: "x", mailEnabled: false, mailNickname: "x", securityEnabled: true, groupTypes: ["DynamicMembership"] });
    expect(errorOf(noRule).message).toBe("Invalid value specified for property 'membershipRule' of resource 'Group'.");
    const mailSec = await t.post("/groups", { displayName: "x", mailEnabled: true, mailNickname: "x", securityEnabled: true });
    expect(errorOf(mailSec).message).toMatch(/does not currently support writes of mail-enabled groups/);
  });

  it("isAssignableToRole: only at creation, security-enabled, not dynamic, caller holds RoleManagement.ReadWrite.Directory", async () => {
    const t = new TestTenant();
    const ok = await t.createGroup("Role admins", { isAssignableToRole: true });
    expect(ok["isAssignableToRole"]).toBe(true);
    const withoutRole = await t.post("/groups", { displayName: "y", mailEnabled: false, mailNickname: "y", securityEnabled: true, isAssignableToRole: true }, { principal: appPrincipal(["Group.ReadWrite.All"]) });
    expect(withoutRole.status).toBe(403);
    const dynamic = await t.post("/groups", { displayName: "z", mailEnabled: false, mailNickname: "z", securityEnabled: true, isAssignableToRole: true, groupTypes: ["DynamicMembership"], membershipRule: "user.accountEnabled -eq true" });
    expect(dynamic.status).toBe(400);
    const later = await t.createGroup("Later");
    const patch = await t.patch(`/groups/${later.id}`, { isAssignableToRole: true });
    expect(patch.status).toBe(400);
    const hidden = await t.patch(`/groups/${later.id}`, { description: "still fine" });
    expect(hidden.status).toBe(204);
  });

  it("filters with groupTypes/any and reads createdDateTime as read-only", async () => {
    const t = new TestTenant();
    await t.createGroup("Sec");
    await t.createGroup("Team", { groupTypes: ["Unified"], mailEnabled: true, securityEnabled: false });
    const unified = await t.call("/groups?$filter=groupTypes/any(c:c eq 'Unified')");
    expect(values(unified).map((g) => g["displayName"])).toEqual(["Team"]);
    const created = await t.createGroup("RO", { createdDateTime: "1999-01-01T00:00:00Z" });
    expect(created["createdDateTime"]).toBe("2026-01-01T00:00:00.000Z");
  });
});

describe("groups: members and owners", () => {
  it("adds members with $ref and members@odata.bind, lists them typed, removes them", async () => {
    const t = new TestTenant({ defaultPageSize: 2 });
    const a = await t.createUser("A");
    const b = await t.createUser("B");
    const c = await t.createUser("C");
    const group = await t.createGroup("G", { "members@odata.bind": [`https://graph.microsoft.com/v1.0/directoryObjects/${a.id}`, `https://graph.microsoft.com/v1.0/users/${b.id}`] });
    expect((await t.post(`/groups/${group.id}/members/$ref`, ref(c.id))).status).toBe(204);
    const first = await t.call(`/groups/${group.id}/members`);
    expect(values(first)).toHaveLength(2);
    expect(values(first)[0]?.["@odata.type"]).toBe("#microsoft.graph.user");
    const second = await t.follow(String(first.body["@odata.nextLink"]));
    expect(values(second)).toHaveLength(1);
    const duplicate = await t.post(`/groups/${group.id}/members/$ref`, ref(a.id));
    expect(errorOf(duplicate)).toEqual({
      code: "Request_BadRequest",
      message: "One or more added object references already exist for the following modified properties: 'members'.",
    });
    expect((await t.del(`/groups/${group.id}/members/${a.id}/$ref`)).status).toBe(204);
    expect((await t.del(`/groups/${group.id}/members/${a.id}/$ref`)).status).toBe(404);
    const users = await t.call(`/groups/${group.id}/members/microsoft.graph.user?$select=id`);
    expect(values(users).length + (users.body["@odata.nextLink"] ? 1 : 0)).toBeGreaterThan(0);
    const missing = await t.post(`/groups/${group.id}/members/$ref`, ref("00000000-0000-4000-8000-00000000abcd"));
    expect(missing.status).toBe(400);
  });

  it("caps $expand=members at 20 with no nextLink", async () => {
    const t = new TestTenant();
    const group = await t.createGroup("Big");
    for (let i = 0; i < 25; i++) {
      const u = await t.createUser(`M${i}`);
      await t.post(`/groups/${group.id}/members/$ref`, ref(u.id));
    }
    const expanded = await t.call(`/groups/${group.id}?$expand=members`);
    expect((expanded.body["members"] as unknown[]).length).toBe(20);
    expect(expanded.body["members@odata.nextLink"]).toBeUndefined();
    const all = await t.call(`/groups/${group.id}/members?$top=999`);
    expect(values(all)).toHaveLength(25);
  });

  it("manages owners and refuses nesting in role-assignable groups", async () => {
    const t = new TestTenant();
    const owner = await t.createUser("Owner");
    const roleGroup = await t.createGroup("RA", { isAssignableToRole: true, "owners@odata.bind": [`https://graph.microsoft.com/v1.0/users/${owner.id}`] });
    expect(values(await t.call(`/groups/${roleGroup.id}/owners`)).map((o) => o["id"])).toEqual([owner.id]);
    const inner = await t.createGroup("Inner");
    expect((await t.post(`/groups/${roleGroup.id}/members/$ref`, ref(inner.id))).status).toBe(400);
    const dyn = await t.createGroup("Dyn", { groupTypes: ["DynamicMembership"], membershipRule: "user.accountEnabled -eq true" });
    expect((await t.post(`/groups/${dyn.id}/members/$ref`, ref(owner.id))).status).toBe(400);
  });

  it("hard-deletes security groups and soft-deletes Microsoft 365 groups", async () => {
    const t = new TestTenant();
    const sec = await t.createGroup("Sec");
    const team = await t.createGroup("Team", { groupTypes: ["Unified"], mailEnabled: true, securityEnabled: false });
    await t.del(`/groups/${sec.id}`);
    await t.del(`/groups/${team.id}`);
    const deleted = values(await t.call("/directory/deletedItems/microsoft.graph.group"));
    expect(deleted.map((g) => g["id"])).toEqual([team.id]);
    expect((await t.post(`/directory/deletedItems/${sec.id}/restore`, undefined)).status).toBe(404);
  });
});

describe("groups: members@odata.bind on PATCH (group-post-members: up to 20, all or none)", () => {
  const url = (id: string) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;

  it("adds up to 20 links per request, members and owners together, and refuses 21 without adding any", async () => {
    const t = new TestTenant();
    const users = [];
    for (let i = 0; i < 21; i++) users.push(await t.createUser(`U${i}`));
    const group = await t.createGroup("G");
    const tooMany = await t.patch(`/groups/${group.id}`, {
      "members@odata.bind": users.slice(0, 15).map((u) => url(u.id)),
      "owners@odata.bind": users.slice(15).map((u) => url(u.id)),
    });
    expect(tooMany.status).toBe(400);
    expect(errorOf(tooMany).message).toBe("A resource cannot contain more than 20 link changes.");
    expect(values(await t.call(`/groups/${group.id}/members`))).toHaveLength(0);
    expect(values(await t.call(`/groups/${group.id}/owners`))).toHaveLength(0);
    const twenty = await t.patch(`/groups/${group.id}`, { "members@odata.bind": users.slice(0, 20).map((u) => url(u.id)) });
    expect(twenty.status).toBe(204);
    expect(values(await t.call(`/groups/${group.id}/members?$top=999`))).toHaveLength(20);
  });

  it("refuses a PATCH binding a member that is already there, and adds none of its other members", async () => {
    const t = new TestTenant();
    const a = await t.createUser("A");
    const b = await t.createUser("B");
    const c = await t.createUser("C");
    const group = await t.createGroup("G", { "members@odata.bind": [url(a.id)] });
    const again = await t.patch(`/groups/${group.id}`, { "members@odata.bind": [url(b.id), url(c.id), url(a.id)] });
    expect(again.status).toBe(400);
    expect(errorOf(again).message).toBe("One or more added object references already exist for the following modified properties: 'members'.");
    const twice = await t.patch(`/groups/${group.id}`, { "members@odata.bind": [url(b.id), url(b.id)] });
    expect(twice.status).toBe(400);
    const missing = await t.patch(`/groups/${group.id}`, { description: "changed", "members@odata.bind": [url(b.id), url("00000000-0000-0000-0000-0000000000aa")] });
    expect(missing.status).toBe(404);
    const members = values(await t.call(`/groups/${group.id}/members`)).map((m) => m["id"]);
    expect(members).toEqual([a.id]);
    // The refused PATCH changed nothing else either.
    expect((await t.call(`/groups/${group.id}`)).body["description"]).not.toBe("changed");
  });
});
