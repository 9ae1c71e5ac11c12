import { describe, expect, it } from "vitest";
import { TestTenant, appPrincipal, userPrincipal, values } from "./helpers.js";

const MINUTE = 60_000;

async function tenantWithHistory() {
  const t = new TestTenant({ defaultPageSize: 2 });
  const alice = await t.createUser("Alice"); // 00:00 by the app
  t.tenant.clock.advance(MINUTE);
  const group = await t.createGroup("Ops"); // 00:01 by the app
  t.tenant.clock.advance(MINUTE);
  const asAlice = userPrincipal({ id: alice.id, upn: alice.userPrincipalName, name: "Alice" }, ["Group.ReadWrite.All"]);
  await t.patch(`/groups/${group.id}`, { description: "Operations" }, { principal: asAlice }); // 00:02 by Alice
  t.tenant.clock.advance(MINUTE);
  await t.del(`/groups/${group.id}`); // 00:03 by the app
  return { t, alice, group };
}

describe("audit log", () => {
  it("records every write with Graph's shape: activity, category, operationType, initiatedBy, targets and modified properties", async () => {
    const { t, alice, group } = await tenantWithHistory();
    const all = await t.call("/auditLogs/directoryAudits?$top=10");
    const entries = values(all);
    expect(entries.map((e) => e["activityDisplayName"])).toEqual(["Delete group", "Update group", "Add group", "Add user"]);
    const update = entries[1] ?? {};
    expect(update).toMatchObject({
      category: "GroupManagement",
      operationType: "Update",
      result: "success",
      loggedByService: "Core Directory",
      activityDateTime: "2026-01-01T00:02:00.000Z",
      initiatedBy: { user: { id: alice.id, userPrincipalName: alice.userPrincipalName, displayName: "Alice", ipAddress: "192.0.2.10" }, app: null },
    });
    expect(typeof update["correlationId"]).toBe("string");
    const target = (update["targetResources"] as Record<string, unknown>[])[0] ?? {};
    expect(target).toMatchObject({ id: group.id, displayName: "Ops", type: "Group" });
    expect(target["modifiedProperties"]).toEqual([
      { displayName: "Description", oldValue: "[]", newValue: '["Operations"]' },
      { displayName: "Included Updated Properties", oldValue: null, newValue: '"Description"' },
    ]);
    const byApp = entries[0] ?? {};
    expect(byApp["initiatedBy"]).toEqual({ user: null, app: { appId: appPrincipal().appId, displayName: "test app", servicePrincipalId: appPrincipal().servicePrincipalId, servicePrincipalName: "test app" } });
    expect(byApp["operationType"]).toBe("Delete");
  });

  it("filters on activityDateTime, activityDisplayName, targets and initiators; orders and pages", async () => {
    const { t, alice, group } = await tenantWithHistory();
    const q = async (query: string) => values(await t.call(`/auditLogs/directoryAudits?$top=50&${query}`)).map((e) => e["activityDisplayName"]);
    expect(await q("$filter=activityDateTime ge 2026-01-01T00:01:00Z and activityDateTime le 2026-01-01T00:02:00Z")).toEqual(["Update group", "Add group"]);
    expect(await q("$filter=activityDateTime eq 2026-01-01T00:03:00Z")).toEqual(["Delete group"]);
    expect(await q("$filter=activityDisplayName eq 'Add user'")).toEqual(["Add user"]);
    expect(await q("$filter=startswith(activityDisplayName,'Add')")).toEqual(["Add group", "Add user"]);
    expect(await q(`$filter=targetResources/any(t: t/id eq '${group.id}')`)).toEqual(["Delete group", "Update group", "Add group"]);
    expect(await q(`$filter=initiatedBy/user/userPrincipalName eq '${alice.userPrincipalName}'`)).toEqual(["Update group"]);
    expect(await q(`$filter=initiatedBy/app/appId eq '${appPrincipal().appId}'`)).toEqual(["Delete group", "Add group", "Add user"]);
    expect(await q("$orderby=activityDateTime asc")).toEqual(["Add user", "Add group", "Update group", "Delete group"]);
    const first = await t.call("/auditLogs/directoryAudits");
    expect(values(first)).toHaveLength(2);
    const second = await t.follow(String(first.body["@odata.nextLink"]));
    expect(values(second).map((e) => e["activityDisplayName"])).toEqual(["Add group", "Add user"]);
    const one = values(first)[0] ?? {};
    const single = await t.call(`/auditLogs/directoryAudits/${String(one["id"])}`);
    expect(single.body["activityDisplayName"]).toBe("Delete group");
  });

  it("is read-only", async () => {
    const { t } = await tenantWithHistory();
    expect((await t.post("/auditLogs/directoryAudits", {})).status).toBe(405);
  });
});
