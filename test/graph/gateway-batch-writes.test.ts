import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway } from "../../src/graph/create.js";
import { virtualClock } from "../../src/graph/clock.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";

describe("gateway.batch: writes through $batch, each item with its own answer", () => {
  let started: StartedSandbox;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
  });
  afterAll(async () => started?.stop());

  it("adds and removes members 20 per batch; a 503 item is sent again, a refused or non-idempotent failed item is its own result", async () => {
    const { sandbox } = started;
    const clock = virtualClock(Date.now());
    const gateway = createGateway({ env: { ...sandbox.env }, clock, random: () => 0.5 });
    const [group] = await gateway.list("/groups", { query: { $filter: "displayName eq 'sg-ca-pilot-users'" } });
    const groupId = String(group?.id);
    const members = new Set((await gateway.list(`/groups/${groupId}/members`)).map((m) => String(m.id)));
    const users = (await gateway.list("/users", { query: { $top: "999" } })).map((u) => String(u.id));
    const outsiders = users.filter((id) => !members.has(id)).slice(0, 25);
    const ref = (id: string) => ({ "@odata.id": `${sandbox.graphUrl}/v1.0/directoryObjects/${id}` });

    sandbox.clearRequests();
    // One add fails with 500 and is not marked idempotent: it must not be repeated.
    sandbox.faults.inject({ method: "POST", pathPattern: "/members/$ref", status: 500, count: 1 });
    const added = await gateway.batch([
      ...outsiders.map((id, i) => ({ id: `add-${i}`, method: "POST" as const, path: `/groups/${groupId}/members/$ref`, body: ref(id) })),
      { id: "again", method: "POST" as const, path: `/groups/${groupId}/members/$ref`, body: ref([...members][0] ?? "") },
    ]);
    expect(sandbox.requests().filter((r) => r.kind === "batch")).toHaveLength(2); // 26 items: 20 + 6
    const failed = [...added.values()].filter((r) => !r.ok);
    expect(failed.map((r) => (r.ok ? 0 : r.status)).sort()).toEqual([400, 500]);
    expect(added.get("again")).toMatchObject({ ok: false, status: 400, message: expect.stringContaining("already exist") });
    const now = new Set((await gateway.list(`/groups/${groupId}/members`)).map((m) => String(m.id)));
    expect(now.size).toBe(members.size + 24);

    sandbox.clearRequests();
    // A removal answered 503 inside the batch: it alone is sent again (idempotent), after a backoff.
    sandbox.faults.inject({ method: "DELETE", pathPattern: "/members/", status: 503, count: 1 });
    const addedIds = outsiders.filter((id) => now.has(id));
    const removed = await gateway.batch(addedIds.map((id) => ({ id, method: "DELETE" as const, path: `/groups/${groupId}/members/${id}/$ref`, idempotent: true })));
    expect([...removed.values()].every((r) => r.ok)).toBe(true);
    expect(sandbox.requests().filter((r) => r.kind === "batch")).toHaveLength(3); // 24 items: 20 + 4, then the one retried
    expect(gateway.stats.retries).toBe(1);
    expect(clock.slept).toHaveLength(1);
    expect(new Set((await gateway.list(`/groups/${groupId}/members`)).map((m) => String(m.id)))).toEqual(members);
  });
});
