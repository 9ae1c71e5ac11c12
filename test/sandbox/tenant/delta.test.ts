import { describe, expect, it } from "vitest";
import { TestTenant, errorOf, values } from "./helpers.js";

type Page = Awaited<ReturnType<TestTenant["call"]>>;

/** Follow nextLinks to the deltaLink; return all items and the deltaLink. */
async function drain(t: TestTenant, first: Page): Promise<{ items: Record<string, unknown>[]; deltaLink: string; pages: number }> {
  const items: Record<string, unknown>[] = [];
  let page = first;
  let pages = 0;
  for (;;) {
    pages++;
    expect(page.status).toBe(200);
    items.push(...values(page));
    const next = page.body["@odata.nextLink"];
    if (typeof next === "string") {
      page = await t.follow(next);
      continue;
    }
    return { items, deltaLink: String(page.body["@odata.deltaLink"]), pages };
  }
}

describe("delta queries", () => {
  it("users: initial sync pages to a deltaLink; later rounds report updates and @removed with reasons", async () => {
    const t = new TestTenant({ defaultPageSize: 2 });
    const a = await t.createUser("A");
    const b = await t.createUser("B");
    const c = await t.createUser("C");
    const initial = await drain(t, await t.call("/users/delta?$select=displayName,jobTitle"));
    expect(initial.pages).toBe(2);
    expect(initial.items.map((u) => u["displayName"]).sort()).toEqual(["A", "B", "C"]);
    expect(Object.keys(initial.items[0] ?? {}).sort()).toEqual(["displayName", "id", "jobTitle"]);

    await t.patch(`/users/${a.id}`, { jobTitle: "Boss" });
    await t.del(`/users/${b.id}`); // soft delete: reason "changed"
    await t.del(`/users/${c.id}`);
    await t.del(`/directory/deletedItems/${c.id}`); // permanent: reason "deleted"
    const d = await t.createUser("D");
    const round = await drain(t, await t.follow(initial.deltaLink));
    const byId = new Map(round.items.map((i) => [i["id"], i]));
    // An update carries the id and the changed properties only; a new object its whole selected form.
    expect(byId.get(a.id)).toEqual({ id: a.id, jobTitle: "Boss" });
    expect(byId.get(b.id)).toEqual({ id: b.id, "@removed": { reason: "changed" } });
    expect(byId.get(c.id)).toEqual({ id: c.id, "@removed": { reason: "deleted" } });
    expect(byId.get(d.id)).toMatchObject({ displayName: "D" });
    const quiet = await drain(t, await t.follow(round.deltaLink));
    expect(quiet.items).toEqual([]);
  });

  it("groups: members@delta lists members initially and then additions and removals", async () => {
    const t = new TestTenant();
    const u1 = await t.createUser("U1");
    const u2 = await t.createUser("U2");
    const group = await t.createGroup("G", { "members@odata.bind": [`https://graph.microsoft.com/v1.0/directoryObjects/${u1.id}`] });
    const initial = await drain(t, await t.call("/groups/delta?$select=displayName,members"));
    expect(initial.items).toEqual([
      { displayName: "G", id: group.id, "members@delta": [{ "@odata.type": "#microsoft.graph.user", id: u1.id }] },
    ]);
    await t.post(`/groups/${group.id}/members/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${u2.id}` });
    await t.del(`/groups/${group.id}/members/${u1.id}/$ref`);
    const round = await drain(t, await t.follow(initial.deltaLink));
    expect(round.items).toHaveLength(1);
    expect(round.items[0]?.["members@delta"]).toEqual(
      expect.arrayContaining([
        { "@odata.type": "#microsoft.graph.user", id: u2.id },
        { "@odata.type": "#microsoft.graph.user", id: u1.id, "@removed": { reason: "deleted" } },
      ]),
    );
  });

  it("tracks only the $select-ed properties: a write to another property is not reported", async () => {
    const t = new TestTenant();
    const a = await t.createUser("A");
    const initial = await drain(t, await t.call("/users/delta?$select=displayName"));
    await t.patch(`/users/${a.id}`, { jobTitle: "Boss" });
    const untracked = await drain(t, await t.follow(initial.deltaLink));
    expect(untracked.items).toEqual([]);
    await t.patch(`/users/${a.id}`, { displayName: "A2", jobTitle: "Chief" });
    const trackedRound = await drain(t, await t.follow(untracked.deltaLink));
    expect(trackedRound.items).toEqual([{ id: a.id, displayName: "A2" }]);
  });

  it("groups: a membership change alone reports the id and members@delta, no other property", async () => {
    const t = new TestTenant();
    const u1 = await t.createUser("U1");
    const group = await t.createGroup("G");
    const initial = await drain(t, await t.call("/groups/delta?$select=displayName,description,members"));
    await t.post(`/groups/${group.id}/members/$ref`, { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${u1.id}` });
    const round = await drain(t, await t.follow(initial.deltaLink));
    expect(round.items).toEqual([{ id: group.id, "members@delta": [{ "@odata.type": "#microsoft.graph.user", id: u1.id }] }]);
  });

  it("$deltaToken=latest keeps the request's $select for the rounds after it", async () => {
    const t = new TestTenant();
    const a = await t.createUser("A");
    const latest = await t.call("/users/delta?$select=displayName&$deltaToken=latest");
    await t.patch(`/users/${a.id}`, { jobTitle: "Boss" });
    const round = await drain(t, await t.follow(String(latest.body["@odata.deltaLink"])));
    expect(round.items).toEqual([]);
  });

  it("$deltaToken=latest returns only a deltaLink that sees later changes", async () => {
    const t = new TestTenant();
    await t.createUser("Before");
    const latest = await t.call("/users/delta?$deltaToken=latest");
    expect(values(latest)).toEqual([]);
    await t.createUser("After");
    const round = await drain(t, await t.follow(String(latest.body["@odata.deltaLink"])));
    expect(round.items.map((u) => u["displayName"])).toEqual(["After"]);
  });

  it("expires tokens after 7 sandbox days with 410 and a Location to resync; rejects garbage tokens with 400", async () => {
    const t = new TestTenant();
    const initial = await drain(t, await t.call("/applications/delta"));
    t.tenant.clock.advance(7 * 24 * 3600 * 1000 + 1);
    const expired = await t.follow(initial.deltaLink);
    expect(expired.status).toBe(410);
    expect(expired.headers?.["location"]).toBe("https://127.0.0.1:8443/v1.0/applications/delta?$deltatoken=");
    const garbage = await t.call("/users/delta?$deltatoken=not-a-token");
    expect(garbage.status).toBe(400);
    expect(errorOf(garbage).code).toBe("Request_BadRequest");
  });

  it("covers servicePrincipals and administrativeUnits", async () => {
    const t = new TestTenant();
    await t.post("/directory/administrativeUnits", { displayName: "AU" });
    const aus = await drain(t, await t.call("/directory/administrativeUnits/delta"));
    expect(aus.items.map((a) => a["displayName"])).toEqual(["AU"]);
    const sps = await drain(t, await t.call("/servicePrincipals/delta"));
    expect(sps.items.map((s) => s["displayName"]).sort()).toEqual(["Microsoft Graph", "entra-gitops"]);
  });
});
