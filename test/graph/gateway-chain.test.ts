import { describe, expect, it } from "vitest";
import { createGateway } from "../../src/graph/create.js";
import { virtualClock } from "../../src/graph/clock.js";
import { GraphError } from "../../src/graph/errors.js";
import { fakeToken, scriptedFetch, staticCredential, type Reply, type SeenRequest } from "./fake-graph.js";

const TOKEN = fakeToken({ tid: "t-1", appid: "app-1", roles: ["Policy.Read.All"], idtyp: "app" });

function gateway(respond: (req: SeenRequest, i: number) => Reply, graphUrl = "https://127.0.0.1:9443") {
  const transport = scriptedFetch(respond);
  const clock = virtualClock(1_000_000);
  const gw = createGateway({
    env: { ENTRA_GITOPS_GRAPH_URL: graphUrl },
    credential: staticCredential(TOKEN),
    fetch: transport.fetch,
    clock,
    random: () => 0.5,
  });
  return { gw, seen: transport.seen, clock };
}

describe("gateway middleware chain (scripted transport)", () => {
  it("sends the bearer token to a custom host, builds the URL and parses the body", async () => {
    const { gw, seen } = gateway(() => ({ status: 200, body: { id: "x", displayName: "X" } }));
    const got = await gw.get("/groups/x", { query: { $select: "id,displayName" } });
    expect(got).toEqual({ id: "x", displayName: "X" });
    expect(seen[0]?.url).toBe("https://127.0.0.1:9443/v1.0/groups/x?$select=id%2CdisplayName");
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0]?.headers["client-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(gw.stats.requests).toBe(1);
  });

  it("follows nextLink verbatim and re-sends headers on every page", async () => {
    const next = "https://127.0.0.1:9443/v1.0/users?$count=true&$skiptoken=AB%2FCD%3D%3D";
    const { gw, seen } = gateway((req) =>
      req.url === next
        ? { status: 200, body: { value: [{ id: "3" }] } }
        : { status: 200, body: { value: [{ id: "1" }, { id: "2" }], "@odata.nextLink": next } },
    );
    const users = await gw.list("/users", { query: { $count: "true" }, headers: { ConsistencyLevel: "eventual" } });
    expect(users.map((u) => u.id)).toEqual(["1", "2", "3"]);
    expect(seen[1]?.url).toBe(next);
    expect(seen.map((r) => r.headers.consistencylevel)).toEqual(["eventual", "eventual"]);
  });

  it("retries a 429 without Retry-After with backoff and counts it", async () => {
    const { gw, clock, seen } = gateway((_r, i) =>
      i < 2 ? { status: 429, body: { error: { code: "TooManyRequests" } } } : { status: 200, body: {} },
    );
    await gw.get("/identity/conditionalAccess/policies/p1");
    // every attempt carries exactly one bearer token, and retries say which attempt they are
    expect(seen.map((r) => r.headers.authorization)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    expect(seen.map((r) => r.headers["retry-attempt"])).toEqual([undefined, "1", "2"]);
    expect(gw.stats).toMatchObject({ requests: 3, retries: 2, throttled: 2 });
    // equal jitter with random 0.5: 750 ms then 1500 ms
    expect(clock.slept.filter((ms) => ms === 750 || ms === 1500)).toEqual([750, 1500]);
    expect(gw.stats.waitedMs).toBe(2250);
  });

  it("does not retry a POST on a connection reset and reports it without the token", async () => {
    const { gw } = gateway(() => "reset");
    const error = await gw.post("/groups", { displayName: "x" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).code).toBe("ECONNRESET");
    expect(gw.stats.requests).toBe(1);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(String(error)).not.toContain(TOKEN);
  });

  it("fetches a fresh token once when Graph answers 401 to a token that expired in flight", async () => {
    const transport = scriptedFetch((_r, i) =>
      i === 0 ? { status: 401, body: { error: { code: "InvalidAuthenticationToken", message: "Lifetime validation failed, the token is expired." } } } : { status: 200, body: { id: "g" } },
    );
    const credential = staticCredential(TOKEN);
    const gw = createGateway({ env: { ENTRA_GITOPS_GRAPH_URL: "https://127.0.0.1:9443" }, credential, fetch: transport.fetch, clock: virtualClock() });
    expect(await gw.get("/groups/g")).toEqual({ id: "g" });
    expect(credential.calls).toBe(2);
    expect(gw.stats).toMatchObject({ requests: 2, retries: 1, throttled: 0, waitedMs: 0 });
    // a second 401 is an error, not a loop
    const again = scriptedFetch(() => ({ status: 401, body: { error: { code: "InvalidAuthenticationToken", message: "revoked" } } }));
    const gw2 = createGateway({ env: { ENTRA_GITOPS_GRAPH_URL: "https://127.0.0.1:9443" }, credential, fetch: again.fetch, clock: virtualClock() });
    await expect(gw2.get("/groups/g")).rejects.toMatchObject({ status: 401, code: "InvalidAuthenticationToken" });
    expect(again.seen).toHaveLength(2);
  });

  it("aborts an attempt that gets no answer in time and retries a GET", async () => {
    let calls = 0;
    const hanging = (async (_url: string | URL | Request, init?: RequestInit) => {
      calls++;
      if (calls === 1) {
        return new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "TimeoutError"))),
        );
      }
      return new Response(JSON.stringify({ id: "g" }), { status: 200, headers: { "content-type": "application/json" } });
    }) as typeof fetch;
    const gw = createGateway({
      env: { ENTRA_GITOPS_GRAPH_URL: "https://127.0.0.1:9443" },
      credential: staticCredential(TOKEN),
      fetch: hanging,
      clock: virtualClock(),
      requestTimeoutMs: 20,
    });
    expect(await gw.get("/groups/g")).toEqual({ id: "g" });
    expect(gw.stats).toMatchObject({ requests: 2, retries: 1 });
    const post = createGateway({
      env: { ENTRA_GITOPS_GRAPH_URL: "https://127.0.0.1:9443" },
      credential: staticCredential(TOKEN),
      fetch: (() => new Promise<Response>(() => undefined)) as unknown as typeof fetch,
      clock: virtualClock(),
      requestTimeoutMs: 20,
    });
    await expect(post.post("/groups", {})).rejects.toMatchObject({ status: 0, code: "ETIMEDOUT" });
  });

  it("refuses to follow a nextLink to another origin", async () => {
    const { gw, seen } = gateway(() => ({
      status: 200,
      body: { value: [{ id: "1" }], "@odata.nextLink": "https://evil.example/v1.0/users?$skiptoken=x" },
    }));
    await expect(gw.list("/users")).rejects.toThrow(/refusing to send a request to https:\/\/evil.example/);
    expect(seen).toHaveLength(1);
  });
});
