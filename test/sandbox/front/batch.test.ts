import { BatchRequestContent, BatchResponseContent } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../src/sandbox/index.js";
import { GRAPH_SCOPE, startSandbox } from "../../helpers/sandbox.js";
import type { StartedSandbox } from "../../helpers/sandbox.js";
import { fakeTenant } from "./fake-tenant.js";

interface ItemResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: { error?: { code: string } };
}

async function postBatch(started: StartedSandbox, payload: unknown, version = "v1.0"): Promise<{ status: number; body: { responses?: ItemResponse[]; error?: { code: string; message: string } } }> {
  const token = (await started.credential.getToken(GRAPH_SCOPE)).token;
  const response = await fetch(`${started.sandbox.url}/${version}/$batch`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as { responses?: ItemResponse[] } };
}

const get = (id: string, url: string, dependsOn?: string[]) => ({ id, method: "GET", url, ...(dependsOn ? { dependsOn } : {}) });

describe("sandbox $batch", () => {
  let started: StartedSandbox;
  let sandbox: Sandbox;

  beforeAll(async () => {
    started = await startSandbox({ tenant: fakeTenant() });
    sandbox = started.sandbox;
  });
  afterAll(() => started.stop());

  it("runs a BatchRequestContent batch and BatchResponseContent parses the answer", async () => {
    const content = new BatchRequestContent([
      { id: "1", request: new Request(`${sandbox.url}/v1.0/users/user-1`, { method: "GET" }) },
      {
        id: "2",
        request: new Request(`${sandbox.url}/v1.0/users`, { method: "POST", body: JSON.stringify({ displayName: "New" }), headers: { "Content-Type": "application/json" } }),
      },
    ]);
    const raw = (await started.client.api("/$batch").post(await content.getContent())) as { responses: unknown[] };
    const parsed = new BatchResponseContent(raw as ConstructorParameters<typeof BatchResponseContent>[0]);
    const one = parsed.getResponseById("1");
    expect(one?.status).toBe(200);
    expect(((await one?.json()) as { id: string }).id).toBe("user-1");
    const two = parsed.getResponseById("2");
    expect(two?.status).toBe(201);
    expect(((await two?.json()) as { displayName: string }).displayName).toBe("New");
    const items = sandbox.requests().filter((r) => r.kind === "batch-item");
    expect(items.map((r) => [r.batch?.id, r.path, r.status]).sort()).toEqual([["1", "/v1.0/users/user-1", 200], ["2", "/v1.0/users", 201]]);
  });

  it("serves /beta/$batch with items on the beta endpoint", async () => {
    const result = await postBatch(started, { requests: [get("1", "/users/user-1")] }, "beta");
    expect(result.status).toBe(200);
    expect(result.body.responses?.[0]?.status).toBe(200);
    // The log is in arrival order: the batch, then its items.
    expect(sandbox.requests().at(-2)).toMatchObject({ kind: "batch", path: "/beta/$batch", status: 200 });
    expect(sandbox.requests().at(-1)).toMatchObject({ kind: "batch-item", path: "/beta/users/user-1", batch: { id: "1" } });
  });

  it("refuses more than 20 requests, duplicate ids and bodies without Content-Type", async () => {
    const many = await postBatch(started, { requests: Array.from({ length: 21 }, (_, i) => get(String(i), "/users/user-1")) });
    expect(many.status).toBe(400);
    expect(many.body.error?.code).toBe("BadRequest");
    const duplicate = await postBatch(started, { requests: [get("a", "/users/user-1"), get("A", "/users/user-2")] });
    expect(duplicate.status).toBe(400);
    const noType = await postBatch(started, { requests: [{ id: "1", method: "POST", url: "/users", body: { displayName: "x" } }] });
    expect(noType.status).toBe(400);
    expect(noType.body.error?.message).toMatch(/Content-Type/);
    const unknownDep = await postBatch(started, { requests: [get("1", "/users/user-1", ["7"])] });
    expect(unknownDep.status).toBe(400);
  });

  it("runs dependsOn in order and fails dependents of a failed item with 424", async () => {
    sandbox.clearRequests();
    const result = await postBatch(started, {
      requests: [get("3", "users/user-3", ["2"]), get("2", "/users/missing", ["1"]), get("1", "/users/user-1"), get("4", "/users/user-4", ["1"])],
    });
    expect(result.status).toBe(200);
    const byId = new Map((result.body.responses ?? []).map((r) => [r.id, r]));
    expect(byId.get("1")?.status).toBe(200);
    expect(byId.get("2")?.status).toBe(404);
    expect(byId.get("3")?.status).toBe(424);
    expect(byId.get("4")?.status).toBe(200);
    const order = sandbox.requests().filter((r) => r.kind === "batch-item").map((r) => r.batch?.id);
    expect(order.indexOf("1")).toBeLessThan(order.indexOf("2"));
    expect(order.indexOf("2")).toBeLessThan(order.indexOf("3"));
  });

  it("throttles single items with 429 and Retry-After while the batch stays 200", async () => {
    // 3 RU that refill in 10 s on a clock that stands still: GET users/{id} costs 2, so the second item is refused.
    const throttled = await startSandbox({ tenant: fakeTenant(), throttling: { resourceUnits: { capacity: 3, windowMs: 10_000 }, now: () => 0 } });
    try {
      const result = await postBatch(throttled, { requests: [get("a", "/users/user-1"), get("b", "/users/user-2", ["a"])] });
      expect(result.status).toBe(200);
      const byId = new Map((result.body.responses ?? []).map((r) => [r.id, r]));
      expect(byId.get("a")?.status).toBe(200);
      expect(byId.get("a")?.headers?.["x-ms-resource-unit"]).toBe("2");
      const item = byId.get("b");
      expect(item?.status).toBe(429);
      // Charged although refused (1 RU left, 2 taken: -1), so 3 RU short at 0.3 RU/s: 10 s.
      expect(item?.headers?.["Retry-After"]).toBe("10");
      expect(item?.headers?.["x-ms-throttle-information"]).toBe("ResourceUnitLimitExceeded");
      expect(item?.body?.error?.code).toBe("TooManyRequests");
      const items = throttled.sandbox.requests().filter((r) => r.kind === "batch-item");
      expect(items.map((r) => [r.batch?.id, r.status, r.throttled])).toEqual([["a", 200, false], ["b", 429, true]]);
    } finally {
      await throttled.stop();
    }
  });
});
