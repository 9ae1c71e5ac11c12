import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { createGateway, type GatewayOptions } from "../../src/graph/create.js";
import { virtualClock } from "../../src/graph/clock.js";
import { GraphError } from "../../src/graph/errors.js";
import { credentialFor, testCertDir } from "../helpers/sandbox.js";
import { GatewayTestTenant } from "./test-tenant.js";

let sandbox: Sandbox;
let tenant: GatewayTestTenant;

beforeAll(async () => {
  tenant = new GatewayTestTenant(250, 45);
  sandbox = await createSandbox({ certDir: testCertDir(), tenant });
});
afterAll(() => sandbox.stop());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.clearRequests();
  tenant.seen.length = 0;
});

/** A gateway connected the way a user connects: the sandbox's environment variables. */
function connect(extra: Partial<GatewayOptions> = {}) {
  const clock = virtualClock(Date.now());
  const gateway = createGateway({ env: { ...sandbox.env }, clock, random: () => 0.5, ...extra });
  return { gateway, clock };
}

function graphRequests(path: string) {
  return sandbox.requests().filter((r) => r.kind === "graph" && r.path === path);
}

describe("gateway against the sandbox over HTTPS", () => {
  it("signs in from AZURE_* variables (client secret, non-Microsoft authority) and reads its identity", async () => {
    const { gateway } = connect();
    const me = await gateway.whoAmI();
    expect(me.tenantId).toBe(tenant.tenantId);
    expect(me.appId).toBe(tenant.clientId);
    expect(me.roles).toContain("Policy.Read.All");
    expect(me.scopes).toEqual([]);
    expect(gateway.credentialDescription).toContain("client secret");
    expect(gateway.credentialDescription).not.toContain(tenant.clientSecret);
  });

  it("follows @odata.nextLink across many pages, verbatim, re-sending ConsistencyLevel", async () => {
    const { gateway } = connect();
    const users = await gateway.list("/users", {
      query: { $top: "7", $count: "true" },
      headers: { ConsistencyLevel: "eventual" },
    });
    expect(users).toHaveLength(250);
    expect(new Set(users.map((u) => u.id)).size).toBe(250);
    const pages = graphRequests("/v1.0/users");
    expect(pages).toHaveLength(36);
    expect(pages.every((p) => p.status === 200)).toBe(true);
    expect(tenant.seen.every((r) => r.headers.consistencylevel === "eventual")).toBe(true);
    // page 2 is exactly the nextLink the service built
    expect(pages[1]?.query).toBe("%24top=7&%24count=true&%24skiptoken=X%277%27");
    expect(gateway.stats.requests).toBe(36);
  });

  it("retries an injected 429 honouring Retry-After, and counts it", async () => {
    const { gateway, clock } = connect();
    sandbox.faults.inject({ pathPattern: "/groups/g-1", status: 429, retryAfter: 3, count: 2 });
    const group = await gateway.get("/groups/g-1");
    expect(group?.displayName).toBe("Group 1");
    expect(graphRequests("/v1.0/groups/g-1").map((r) => r.status)).toEqual([429, 429, 200]);
    expect(gateway.stats).toMatchObject({ requests: 3, retries: 2, throttled: 2, waitedMs: 6000 });
    expect(clock.slept).toEqual([3000, 3000]);
  });

  it("backs off exponentially when a 429 has no Retry-After", async () => {
    const { gateway, clock } = connect();
    sandbox.faults.inject({ pathPattern: "/groups/g-2", status: 429, count: 3 });
    await gateway.get("/groups/g-2");
    expect(clock.slept).toEqual([750, 1500, 3000]);
    expect(gateway.stats).toMatchObject({ retries: 3, throttled: 3, waitedMs: 5250 });
  });

  it("retries 5xx and connection resets on GET, never a POST that may have been applied", async () => {
    const { gateway } = connect();
    sandbox.faults.inject({ method: "GET", pathPattern: "/groups/g-3", status: 500 });
    sandbox.faults.inject({ method: "GET", pathPattern: "/groups/g-3", status: 504 });
    sandbox.faults.inject({ method: "GET", pathPattern: "/groups/g-3", status: "reset" });
    expect((await gateway.get("/groups/g-3"))?.id).toBe("g-3");
    expect(gateway.stats.retries).toBe(3);
    expect(graphRequests("/v1.0/groups/g-3").map((r) => r.fault ?? r.status)).toEqual(["status", "status", "reset", 200]);

    sandbox.faults.inject({ method: "POST", pathPattern: "/conditionalAccess/policies", status: 500 });
    const failed = await gateway.post("/identity/conditionalAccess/policies", { displayName: "p" }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(GraphError);
    expect((failed as GraphError).status).toBe(500);
    sandbox.faults.inject({ method: "POST", pathPattern: "/conditionalAccess/policies", status: "reset" });
    const reset = await gateway.post("/identity/conditionalAccess/policies", { displayName: "p" }).catch((e: unknown) => e);
    expect((reset as GraphError).status).toBe(0);
    expect(graphRequests("/v1.0/identity/conditionalAccess/policies")).toHaveLength(2);
    // a 503 means "not processed": retried even for a POST
    sandbox.faults.inject({ method: "POST", pathPattern: "/conditionalAccess/policies", status: 503, retryAfter: 1 });
    expect((await gateway.post("/identity/conditionalAccess/policies", { displayName: "q" })).displayName).toBe("q");
  });

  it("gives up after the retry cap and reports the throttling", async () => {
    const { gateway } = connect({ retry: { maxRetries: 2 } });
    sandbox.faults.inject({ pathPattern: "/groups/g-4", status: 429, retryAfter: 1, count: 5 });
    const error = (await gateway.get("/groups/g-4").catch((e: unknown) => e)) as GraphError;
    expect(error).toBeInstanceOf(GraphError);
    expect(error.status).toBe(429);
    expect(gateway.stats.requests).toBe(3);
  });

  it("turns Graph errors into GraphError with code, request id and path, never a token", async () => {
    const { gateway } = connect();
    expect(await gateway.get("/groups/missing")).toBeUndefined();
    await gateway.delete("/groups/missing", { ignoreMissing: true });
    const error = (await gateway.delete("/groups/missing").catch((e: unknown) => e)) as GraphError;
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ status: 404, code: "Request_ResourceNotFound", method: "DELETE", path: "/groups/missing" });
    const logged = graphRequests("/v1.0/groups/missing").at(-1);
    expect(error.requestId).toBe(logged?.requestId);

    // The sandbox does not forward the bearer token to the tenant: fetch one for the same app.
    const token = (await credentialFor(sandbox).getToken("https://graph.microsoft.com/.default"))?.token ?? "";
    expect(token).toMatch(/^ey/);
    const secret = sandbox.env.AZURE_CLIENT_SECRET;
    tenant.echoText = `request from Bearer ${token}; raw ${token}; form client_secret=${secret}&x=1`;
    const echo = (await gateway.get("/echo").catch((e: unknown) => e)) as GraphError;
    expect(echo.status).toBe(400);
    for (const text of [echo.message, String(echo), JSON.stringify(echo), echo.stack ?? ""]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(secret);
    }
    expect(echo.message).toContain("[redacted");
  });

  it("batches fan-out reads 20 at a time and retries throttled items by their own Retry-After", async () => {
    const { gateway, clock } = connect();
    sandbox.faults.inject({ pathPattern: /^\/groups\/g-(1|2|3)$/, status: 429, retryAfter: 2, count: 3 });
    const ids = [...Array(45).keys()].map((i) => `g-${i}`);
    const results = await gateway.batchGet([...ids.map((id) => ({ id, path: `/groups/${id}` })), { id: "nope", path: "/groups/nope" }]);
    expect(results.size).toBe(46);
    for (const id of ids) expect(results.get(id)).toMatchObject({ ok: true, value: { id } });
    expect(results.get("nope")).toMatchObject({ ok: false, status: 404, code: "Request_ResourceNotFound" });
    const batches = sandbox.requests().filter((r) => r.kind === "batch");
    expect(batches).toHaveLength(4); // 46 items = 3 batches, then 1 for the 3 throttled items
    expect(gateway.stats).toMatchObject({ throttled: 3, retries: 3, waitedMs: 2000 });
    expect(clock.slept).toEqual([2000]);
  });

  it("runs delta rounds: full round to a deltaLink, then only the changes, and resync on 410", async () => {
    const { gateway } = connect();
    const first = await gateway.delta("/groups/delta", { query: { $select: "id,displayName" } });
    expect(first.resync).toBe(false);
    expect(first.items).toHaveLength(tenant.groups.size);
    expect(graphRequests("/v1.0/groups/delta")).toHaveLength(Math.ceil(tenant.groups.size / 2));
    await gateway.delete("/groups/g-44");
    const second = await gateway.delta(first.deltaLink ?? "");
    expect(second.items).toEqual([{ id: "g-44", "@removed": { reason: "deleted" } }]);
    expect(second.deltaLink).toMatch(/(\$|%24)deltatoken=1$/);
    const expired = await gateway.delta(`${sandbox.url}/v1.0/groups/delta?$deltatoken=expired`);
    expect(expired).toEqual({ items: [], resync: true });
  });

  it("keeps at most maxConcurrency requests in flight", async () => {
    const { gateway } = connect({ maxConcurrency: 3, clock: undefined });
    tenant.handleDelayMs = 15;
    tenant.maxInFlight = 0;
    try {
      await Promise.all([...Array(12).keys()].map((i) => gateway.get(`/groups/g-${i}`)));
    } finally {
      tenant.handleDelayMs = 0;
    }
    expect(tenant.maxInFlight).toBeGreaterThan(1);
    expect(tenant.maxInFlight).toBeLessThanOrEqual(3);
  });
});

describe("Conditional Access pacing against the sandbox throttling model", () => {
  let paced: Sandbox;
  let caTenant: GatewayTestTenant;
  const clock = virtualClock(1_000_000);

  beforeAll(async () => {
    caTenant = new GatewayTestTenant(0);
    paced = await createSandbox({
      certDir: testCertDir(),
      tenant: caTenant,
      // The sandbox's CA bucket (1 request/s) runs on the same virtual clock as the gateway.
      throttling: { now: () => clock.now(), userCount: 10 },
    });
  });
  afterAll(() => paced.stop());

  it("serializes Conditional Access writes to one per second, so none is throttled", async () => {
    const gateway = createGateway({ env: { ...paced.env }, clock, random: () => 0.5 });
    const start = clock.now();
    await Promise.all(
      [...Array(5).keys()].map((i) => gateway.post("/identity/conditionalAccess/policies", { displayName: `p${i}` })),
    );
    expect(caTenant.policies).toHaveLength(5);
    expect(gateway.stats.throttled).toBe(0);
    expect(clock.now() - start).toBeGreaterThanOrEqual(4000);
    const writes = paced.requests().filter((r) => r.kind === "graph" && r.method === "POST");
    expect(writes.map((w) => w.status)).toEqual([201, 201, 201, 201, 201]);
  });

  it("without pacing the bucket throttles (no Retry-After) and backoff still gets every write through", async () => {
    paced.clearRequests();
    clock.slept.length = 0;
    const gateway = createGateway({ env: { ...paced.env }, clock, random: () => 0.5, conditionalAccessIntervalMs: 0 });
    await clock.sleep(1000);
    await Promise.all(
      [...Array(3).keys()].map((i) => gateway.post("/identity/conditionalAccess/policies", { displayName: `q${i}` })),
    );
    expect(caTenant.policies).toHaveLength(8);
    expect(gateway.stats.throttled).toBeGreaterThan(0);
    const throttled = paced.requests().filter((r) => r.status === 429);
    expect(throttled.length).toBe(gateway.stats.throttled);
  });
});
