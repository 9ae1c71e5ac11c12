import { randomUUID } from "node:crypto";
import type { ClientRecord, GraphRequest, GraphResponse, SandboxClock, Tenant } from "../../src/sandbox/types.js";

/**
 * A small tenant behind the real sandbox HTTPS front, for gateway tests: users paged by `$top`
 * with `$skiptoken`, `$count` that needs `ConsistencyLevel: eventual` like Graph, groups by id,
 * Conditional Access policies (create and list). It records what reached it: headers per request
 * and the most requests it handled at once.
 */
export class GatewayTestTenant implements Tenant {
  readonly tenantId = randomUUID();
  readonly domain = "gateway-test.onmicrosoft.com";
  readonly clientId = randomUUID();
  readonly clientSecret = `secret-${randomUUID()}`;
  readonly clock: SandboxClock;
  readonly seen: GraphRequest[] = [];
  readonly users: Array<{ id: string; displayName: string }>;
  readonly groups = new Map<string, { id: string; displayName: string }>();
  readonly policies: Array<{ id: string; displayName: string }> = [];
  /** Certificates (PEM) whose keys may sign client assertions for the test app. */
  readonly certificates: string[] = [];
  /** What `/echo` puts in its error message. */
  echoText = "";
  /** Delay inside `handle` (real time, small), to observe concurrency. */
  handleDelayMs = 0;
  inFlight = 0;
  maxInFlight = 0;

  constructor(userCount: number, groupCount = 0) {
    let now = Date.parse("2026-01-01T00:00:00Z");
    this.clock = { now: () => new Date(now), advance: (ms) => void (now += ms) };
    this.users = Array.from({ length: userCount }, (_, i) => ({ id: `u-${String(i).padStart(4, "0")}`, displayName: `User ${i}` }));
    for (let i = 0; i < groupCount; i++) this.groups.set(`g-${i}`, { id: `g-${i}`, displayName: `Group ${i}` });
  }

  operatorClient(): { clientId: string; clientSecret: string } {
    return { clientId: this.clientId, clientSecret: this.clientSecret };
  }

  findClient(appId: string): ClientRecord | undefined {
    if (appId !== this.clientId) return undefined;
    return {
      appId,
      displayName: "entra-gitops tests",
      secrets: [this.clientSecret],
      certificates: this.certificates,
      roles: ["User.Read.All", "Group.Read.All", "Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"],
      scopes: [],
    };
  }

  findUser(): undefined {
    return undefined;
  }

  exportState(): unknown {
    return {};
  }

  async handle(request: GraphRequest): Promise<GraphResponse> {
    this.seen.push(request);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.handleDelayMs > 0) await new Promise((r) => setTimeout(r, this.handleDelayMs));
      return this.route(request);
    } finally {
      this.inFlight--;
    }
  }

  /** Changes after each version, for `/groups/delta` (version = index in this log). */
  readonly changes: Array<Record<string, unknown>> = [];

  private route(request: GraphRequest): GraphResponse {
    const { method, path } = request;
    if (method === "GET" && path === "/groups/delta") return this.groupsDelta(request);
    if (method === "GET" && path === "/users") return this.listUsers(request);
    const group = /^\/groups\/([^/]+)$/.exec(path);
    if (group) {
      const found = this.groups.get(group[1] ?? "");
      if (method === "GET" && found) return { status: 200, body: { ...found } };
      if (method === "DELETE" && found) {
        this.groups.delete(found.id);
        this.changes.push({ id: found.id, "@removed": { reason: "deleted" } });
        return { status: 204 };
      }
      return notFound(request, group[1] ?? "");
    }
    if (path === "/identity/conditionalAccess/policies") {
      if (method === "POST") {
        const body = request.body as { displayName?: string };
        const policy = { id: randomUUID(), displayName: body.displayName ?? "" };
        this.policies.push(policy);
        return { status: 201, body: policy };
      }
      return { status: 200, body: { value: this.policies } };
    }
    if (path === "/echo") {
      // A misbehaving service that echoes credentials into its error message.
      return { status: 400, body: { error: { code: "BadRequest", message: this.echoText } } };
    }
    return notFound(request, path);
  }

  /** Pages of 2; `$deltatoken=<n>` returns the changes logged after the n-th; `expired` → 410. */
  private groupsDelta(request: GraphRequest): GraphResponse {
    const q = request.query;
    const token = q.get("$deltatoken");
    const link = (params: Record<string, string>) => `${request.serviceRoot}/groups/delta?${new URLSearchParams(params).toString()}`;
    if (token === "expired") {
      return { status: 410, headers: { Location: link({ $deltatoken: "" }) }, body: { error: { code: "resyncRequired", message: "Resync required." } } };
    }
    const all = token === null ? [...this.groups.values()].map((g) => ({ ...g })) : this.changes.slice(Number(token));
    const skip = Number(q.get("$skiptoken") ?? "0");
    const page = all.slice(skip, skip + 2);
    const body: Record<string, unknown> = { value: page };
    if (skip + 2 < all.length) body["@odata.nextLink"] = link({ ...(token === null ? {} : { $deltatoken: token }), $skiptoken: String(skip + 2) });
    else body["@odata.deltaLink"] = link({ $deltatoken: String(this.changes.length) });
    return { status: 200, body };
  }

  private listUsers(request: GraphRequest): GraphResponse {
    const q = request.query;
    if (q.get("$count") === "true" && request.headers.consistencylevel !== "eventual") {
      return { status: 400, body: { error: { code: "Request_BadRequest", message: "$count requires ConsistencyLevel: eventual" } } };
    }
    const top = Number(q.get("$top") ?? "100");
    const skip = Number(q.get("$skiptoken")?.replace(/^X'|'$/g, "") ?? "0");
    const page = this.users.slice(skip, skip + top);
    const body: Record<string, unknown> = { value: page };
    if (skip === 0 && q.get("$count") === "true") body["@odata.count"] = this.users.length;
    if (skip + top < this.users.length) {
      const next = new URLSearchParams(q);
      next.set("$skiptoken", `X'${skip + top}'`);
      body["@odata.nextLink"] = `${request.serviceRoot}/users?${next.toString()}`;
    }
    return { status: 200, body };
  }
}

function notFound(request: GraphRequest, id: string): GraphResponse {
  return {
    status: 404,
    body: {
      error: {
        code: "Request_ResourceNotFound",
        message: `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
        innerError: { "request-id": request.requestId, date: "2026-01-01T00:00:00" },
      },
    },
  };
}
