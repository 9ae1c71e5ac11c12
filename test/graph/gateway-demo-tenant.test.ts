import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway } from "../../src/graph/create.js";
import { virtualClock } from "../../src/graph/clock.js";
import { startSandbox, type StartedSandbox } from "../helpers/sandbox.js";

/** The gateway against the sandbox's built-in demo tenant (Contoso), with its throttling model on. */
describe("gateway against the demo tenant", () => {
  let started: StartedSandbox;
  const clock = virtualClock(1_000_000);

  beforeAll(async () => {
    // A tiny resource-unit bucket on the gateway's virtual clock: throttling without wall-clock waits.
    started = await startSandbox({ throttling: { resourceUnits: { capacity: 12, windowMs: 10_000 }, now: () => clock.now() } });
  });
  afterAll(() => started.stop());

  const connect = () => createGateway({ env: { ...started.sandbox.env }, clock, random: () => 0.5 });

  it("reads who it is from the token", async () => {
    const me = await connect().whoAmI();
    expect(me.tenantId).toBe(started.sandbox.tenantId);
    expect(me.appId).toBe(started.sandbox.env.AZURE_CLIENT_ID);
    expect(me.roles).toContain("Policy.Read.All");
  });

  it("loses nothing to throttling: small pages through a small bucket return every user", async () => {
    const gateway = connect();
    started.sandbox.clearRequests();
    const small = await gateway.list("/users", { query: { $top: "3", $select: "id" } });
    const log = started.sandbox.requests().filter((r) => r.kind === "graph" && r.path === "/v1.0/users");
    const pages = log.filter((r) => r.status === 200).length;
    expect(gateway.stats.throttled).toBeGreaterThan(0);
    expect(log.filter((r) => r.status === 429)).toHaveLength(gateway.stats.throttled);
    expect(gateway.stats.requests).toBe(pages + gateway.stats.throttled);
    expect(pages).toBe(Math.ceil(small.length / 3));
    // waits were the sandbox's Retry-After, on the virtual clock
    expect(gateway.stats.waitedMs).toBeGreaterThanOrEqual(1000 * gateway.stats.throttled);

    const all = await connect().list("/users", { query: { $top: "999", $select: "id" } });
    expect(small.map((u) => u.id).sort()).toEqual(all.map((u) => u.id).sort());
    expect(await connect().count("/users")).toBe(all.length);
  });

  it("batches member reads of every group and follows each member list to its last page", async () => {
    const gateway = connect();
    const groups = await gateway.list("/groups", { query: { $select: "id" } });
    expect(groups.length).toBeGreaterThan(2);
    const results = await gateway.batchGet(
      groups.map((g) => ({ id: String(g.id), path: `/groups/${String(g.id)}/members`, options: { query: { $select: "id", $top: "2" } } })),
    );
    expect(started.sandbox.requests().filter((r) => r.kind === "batch").length).toBeGreaterThanOrEqual(Math.ceil(groups.length / 20));
    for (const group of groups) {
      const result = results.get(String(group.id));
      expect(result?.ok).toBe(true);
      if (!result?.ok || typeof result.value !== "object" || result.value === null || Array.isArray(result.value)) continue;
      expect(result.value["@odata.nextLink"]).toBeUndefined();
      const batched = (result.value.value as Array<{ id: string }>).map((m) => m.id).sort();
      const direct = (await gateway.list(`/groups/${String(group.id)}/members`, { query: { $select: "id" } })).map((m) => String(m.id)).sort();
      expect(batched).toEqual(direct);
    }
  });
});
