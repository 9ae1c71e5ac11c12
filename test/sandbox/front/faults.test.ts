import { describe, expect, it } from "vitest";
import type { Sandbox } from "../../../src/sandbox/index.js";
import { GRAPH_SCOPE, startSandbox } from "../../helpers/sandbox.js";
import { fakeTenant } from "./fake-tenant.js";

async function statuses(sandbox: Sandbox, token: string, count: number): Promise<Array<number | "reset">> {
  const out: Array<number | "reset"> = [];
  for (let i = 0; i < count; i++) {
    try {
      const response = await fetch(`${sandbox.url}/v1.0/users/user-1`, { headers: { Authorization: `Bearer ${token}` } });
      out.push(response.status);
      await response.arrayBuffer();
    } catch {
      out.push("reset");
    }
  }
  return out;
}

describe("sandbox fault injection", () => {
  it("lets the Graph client's retry middleware recover from scripted 429s", async () => {
    const started = await startSandbox({ tenant: fakeTenant() });
    try {
      const { sandbox, client } = started;
      await started.credential.getToken(GRAPH_SCOPE);
      sandbox.clearRequests();
      sandbox.faults.inject({ method: "GET", pathPattern: /^\/users\/user-1$/, status: 429, count: 2, retryAfter: 0 });
      const user = (await client.api("/users/user-1").get()) as { id: string };
      expect(user.id).toBe("user-1");
      const calls = sandbox.requests().filter((r) => r.path === "/v1.0/users/user-1");
      expect(calls.map((r) => [r.status, r.fault])).toEqual([[429, "status"], [429, "status"], [200, undefined]]);
      expect(sandbox.faults.pending()).toBe(0);
    } finally {
      await started.stop();
    }
  });

  it("answers scripted 5xx with Graph error bodies and Retry-After when asked", async () => {
    const started = await startSandbox({ tenant: fakeTenant() });
    try {
      const { sandbox } = started;
      const token = (await started.credential.getToken(GRAPH_SCOPE)).token;
      sandbox.faults.inject({ pathPattern: "/users", status: 503, retryAfter: 2 });
      sandbox.faults.inject({ pathPattern: "/users", status: 504 });
      const first = await fetch(`${sandbox.url}/v1.0/users`, { headers: { Authorization: `Bearer ${token}` } });
      expect(first.status).toBe(503);
      expect(first.headers.get("retry-after")).toBe("2");
      expect(((await first.json()) as { error: { code: string } }).error.code).toBe("serviceNotAvailable");
      const second = await fetch(`${sandbox.url}/v1.0/users`, { headers: { Authorization: `Bearer ${token}` } });
      expect(second.status).toBe(504);
      expect(second.headers.get("retry-after")).toBeNull();
      expect((await fetch(`${sandbox.url}/v1.0/users`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    } finally {
      await started.stop();
    }
  });

  it("delays Graph requests by the configured latency, adjustable at run time", async () => {
    const started = await startSandbox({ tenant: fakeTenant(), latencyMs: 150 });
    try {
      const { sandbox } = started;
      const token = (await started.credential.getToken(GRAPH_SCOPE)).token;
      const timed = async (): Promise<number> => {
        const start = performance.now();
        await (await fetch(`${sandbox.url}/v1.0/users/user-1`, { headers: { Authorization: `Bearer ${token}` } })).arrayBuffer();
        return performance.now() - start;
      };
      // Timers never fire early, so the lower bound is deterministic.
      expect(await timed()).toBeGreaterThanOrEqual(145);
      sandbox.setLatency(400);
      expect(await timed()).toBeGreaterThanOrEqual(395);
    } finally {
      await started.stop();
    }
  });

  it("resets connections on request", async () => {
    const started = await startSandbox({ tenant: fakeTenant() });
    try {
      const { sandbox } = started;
      const token = (await started.credential.getToken(GRAPH_SCOPE)).token;
      sandbox.faults.inject({ status: "reset" });
      expect(await statuses(sandbox, token, 2)).toEqual(["reset", 200]);
      expect(sandbox.requests().filter((r) => r.kind === "graph").map((r) => r.fault)).toEqual(["reset", undefined]);
    } finally {
      await started.stop();
    }
  });

  it("draws random faults from a seeded PRNG: the same seed fails the same requests", async () => {
    const runs: Array<Array<number | "reset">> = [];
    for (const seed of [42, 42, 7]) {
      const started = await startSandbox({ tenant: fakeTenant(), faults: { errorRate: 0.3, resetRate: 0.1, seed } });
      try {
        const token = (await started.credential.getToken(GRAPH_SCOPE)).token;
        runs.push(await statuses(started.sandbox, token, 30));
      } finally {
        await started.stop();
      }
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).not.toEqual(runs[2]);
    const failures = (runs[0] ?? []).filter((s) => s !== 200);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((s) => s === "reset" || s === 500 || s === 503 || s === 504)).toBe(true);
  });
});
