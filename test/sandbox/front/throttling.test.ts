import { UsernamePasswordCredential } from "@azure/identity";
import { describe, expect, it } from "vitest";
import { requestCost } from "../../../src/sandbox/front/resource-units.js";
import type { Sandbox } from "../../../src/sandbox/index.js";
import { GRAPH_SCOPE, startSandbox } from "../../helpers/sandbox.js";
import { PUBLIC_CLIENT_ID, fakeTenant } from "./fake-tenant.js";

async function call(sandbox: Sandbox, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${sandbox.url}/v1.0${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

describe("resource-unit costs", () => {
  const q = (s: string) => new URLSearchParams(s);
  it("follows Graph's identity-and-access cost table", () => {
    expect(requestCost("GET", "/users", q("")).resourceUnits).toBe(2);
    expect(requestCost("GET", "/users", q("$select=id")).resourceUnits).toBe(1);
    expect(requestCost("GET", "/applications", q("$expand=owners")).resourceUnits).toBe(3);
    expect(requestCost("GET", "/groups/g1/members", q("$top=10")).resourceUnits).toBe(2);
    expect(requestCost("GET", "/groups/g1/transitiveMembers", q("")).resourceUnits).toBe(5);
    expect(requestCost("POST", "/directoryObjects/getByIds", q("")).resourceUnits).toBe(5);
    expect(requestCost("POST", "/directoryObjects/getByIds", q("$select=id")).resourceUnits).toBe(2);
    expect(requestCost("GET", "/groups", q("$select=id&$top=5")).resourceUnits).toBe(1);
    expect(requestCost("PATCH", "/groups/g1", q(""))).toEqual({ resourceUnits: 1, write: true, conditionalAccess: false });
    expect(requestCost("GET", "/identity/conditionalAccess/policies", q("")).conditionalAccess).toBe(true);
  });
});

describe("sandbox throttling model", () => {
  it("is off by default but still reports x-ms-resource-unit", async () => {
    const started = await startSandbox({ tenant: fakeTenant() });
    try {
      const token = (await started.credential.getToken(GRAPH_SCOPE)).token;
      for (let i = 0; i < 5; i++) {
        const response = await call(started.sandbox, token, "GET", "/identity/conditionalAccess/policies");
        expect(response.status).toBe(200);
      }
      expect((await call(started.sandbox, token, "GET", "/users")).headers.get("x-ms-resource-unit")).toBe("2");
    } finally {
      await started.stop();
    }
  });

  it("answers an exhausted resource-unit bucket with 429, Retry-After and scope headers, and refills over time", async () => {
    let now = 0;
    const started = await startSandbox({ tenant: fakeTenant(), throttling: { resourceUnits: { capacity: 5, windowMs: 10_000 }, now: () => now } });
    try {
      const { sandbox } = started;
      const token = (await started.credential.getToken(GRAPH_SCOPE)).token;
      const first = await call(sandbox, token, "GET", "/users");
      expect(first.status).toBe(200);
      expect(first.headers.get("x-ms-throttle-limit-percentage")).toBeNull();
      const second = await call(sandbox, token, "GET", "/users");
      expect(second.status).toBe(200);
      expect(second.headers.get("x-ms-throttle-limit-percentage")).toBeNull();
      const third = await call(sandbox, token, "GET", "/users/user-1?$select=id");
      expect(third.headers.get("x-ms-throttle-limit-percentage")).toBe("1.0");
      const refused = await call(sandbox, token, "GET", "/users");
      expect(refused.status).toBe(429);
      // The refused request is charged too (Graph keeps logging usage while a client is
      // throttled): 2 units of debt, so 4 units to refill at 0.5 per second.
      expect(refused.headers.get("retry-after")).toBe("8");
      expect(refused.headers.get("x-ms-throttle-scope")).toBe(`Tenant_Application/ReadWrite/${sandbox.env.AZURE_CLIENT_ID}/${sandbox.tenantId}`);
      expect(refused.headers.get("x-ms-throttle-information")).toBe("ResourceUnitLimitExceeded");
      const body = (await refused.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
      expect(body.error).toMatchObject({ code: "TooManyRequests", message: "Please retry again later." });
      expect(body.error.innerError).toMatchObject({ code: "429", status: "429" });
      // Retrying early, when the bucket would have held the request had the 429 been free, is
      // refused again and charged again: 4 s refilled the debt only, so 8 s more.
      now += 4_000;
      const early = await call(sandbox, token, "GET", "/users");
      expect(early.status).toBe(429);
      expect(early.headers.get("retry-after")).toBe("8");
      now += 8_000;
      expect((await call(sandbox, token, "GET", "/users")).status).toBe(200);
      const graph = sandbox.requests().filter((r) => r.kind === "graph");
      expect(graph.map((r) => r.throttled)).toEqual([false, false, false, true, true, false]);
      expect(graph.map((r) => r.status)).toEqual([200, 200, 200, 429, 429, 200]);
    } finally {
      await started.stop();
    }
  });

  it("limits writes per app and tenant with WriteLimitExceeded", async () => {
    const started = await startSandbox({ tenant: fakeTenant(), throttling: { writes: { capacity: 1, windowMs: 150_000 }, now: () => 0 } });
    try {
      const token = (await started.credential.getToken(GRAPH_SCOPE)).token;
      expect((await call(started.sandbox, token, "POST", "/users", { displayName: "a" })).status).toBe(201);
      const refused = await call(started.sandbox, token, "POST", "/users", { displayName: "b" });
      expect(refused.status).toBe(429);
      expect(refused.headers.get("x-ms-throttle-information")).toBe("WriteLimitExceeded");
      expect(refused.headers.get("x-ms-throttle-scope")).toMatch(/^Tenant_Application\/Write\//);
      // Charged too: one write of debt, two to refill at one per 150 s.
      expect(Number(refused.headers.get("retry-after"))).toBe(300);
      // Reads still pass: the resource-unit bucket is separate.
      expect((await call(started.sandbox, token, "GET", "/users")).status).toBe(200);
    } finally {
      await started.stop();
    }
  });

  it("shares one Conditional Access bucket across apps, and its 429 has no Retry-After", async () => {
    let now = 0;
    const started = await startSandbox({ tenant: fakeTenant(), throttling: { now: () => now } });
    try {
      const { sandbox } = started;
      const operator = (await started.credential.getToken(GRAPH_SCOPE)).token;
      expect((await call(sandbox, operator, "GET", "/identity/conditionalAccess/policies")).status).toBe(200);
      const refused = await call(sandbox, operator, "GET", "/identity/conditionalAccess/namedLocations");
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBeNull();
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("TooManyRequests");
      // Another app is refused too: the bucket is per tenant.
      const alice = new UsernamePasswordCredential(sandbox.tenantId, PUBLIC_CLIENT_ID, "alice@contoso.test", "alice-pw", { authorityHost: sandbox.url, disableInstanceDiscovery: true });
      const aliceToken = (await alice.getToken(GRAPH_SCOPE)).token;
      const otherApp = await call(sandbox, aliceToken, "GET", "/identity/conditionalAccess/policies");
      expect(otherApp.status).toBe(429);
      expect(otherApp.headers.get("retry-after")).toBeNull();
      // Both refusals were charged (debt bounded by the one-request bucket): 1 s is not enough.
      now += 1_000;
      expect((await call(sandbox, operator, "GET", "/identity/conditionalAccess/policies")).status).toBe(429);
      now += 2_000;
      expect((await call(sandbox, operator, "GET", "/identity/conditionalAccess/policies")).status).toBe(200);
      // Other Graph paths are not in the Conditional Access bucket.
      expect((await call(sandbox, operator, "GET", "/users")).status).toBe(200);
    } finally {
      await started.stop();
    }
  });
});
