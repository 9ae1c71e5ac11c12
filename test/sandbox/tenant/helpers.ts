import { randomUUID } from "node:crypto";
import type { GraphRequest, GraphResponse, HttpMethod, Principal } from "../../../src/sandbox/types.js";
import { BOOTSTRAP_APP_ROLES, createTenant } from "../../../src/sandbox/tenant/index.js";
import type { SandboxTenant, TenantOptions } from "../../../src/sandbox/tenant/index.js";

export const TENANT_ID = "11111111-2222-3333-4444-555555555555";
export const DOMAIN = "contoso.onmicrosoft.com";

export function appPrincipal(roles: readonly string[] = BOOTSTRAP_APP_ROLES, appId = "aaaaaaaa-0000-0000-0000-000000000001"): Principal {
  return { type: "app", tenantId: TENANT_ID, appId, appDisplayName: "test app", servicePrincipalId: "bbbbbbbb-0000-0000-0000-000000000001", roles, scopes: [] };
}

export function userPrincipal(user: { id: string; upn: string; name?: string }, scopes: readonly string[]): Principal {
  return {
    type: "user", tenantId: TENANT_ID, appId: "aaaaaaaa-0000-0000-0000-000000000002", appDisplayName: "portal",
    userId: user.id, userPrincipalName: user.upn, userDisplayName: user.name ?? user.upn, roles: [], scopes, ipAddress: "192.0.2.10",
  };
}

export interface Call {
  method?: HttpMethod;
  version?: "v1.0" | "beta";
  body?: unknown;
  headers?: Record<string, string>;
  principal?: Principal;
}

/** A tenant plus a tiny client that speaks GraphRequest. */
export class TestTenant {
  readonly tenant: SandboxTenant;

  constructor(options: TenantOptions = {}) {
    // These tests assert exact timestamps and read audit entries right after writing them: a clock
    // that moves only when told, and no audit latency, unless a test asks for them.
    this.tenant = createTenant({ tenantId: TENANT_ID, domain: DOMAIN, clockStart: "2026-01-01T00:00:00Z", clock: "manual", auditLatency: "off", ...options });
  }

  async call(url: string, call: Call = {}): Promise<GraphResponse & { body: Record<string, unknown> }> {
    const version = call.version ?? "v1.0";
    const [rawPath = "", query = ""] = url.split("?");
    const request: GraphRequest = {
      method: call.method ?? "GET",
      version,
      path: decodeURIComponent(rawPath),
      query: new URLSearchParams(query),
      headers: call.headers ?? {},
      body: call.body,
      principal: call.principal ?? appPrincipal(),
      serviceRoot: `https://127.0.0.1:8443/${version}`,
      requestId: randomUUID(),
    };
    const response = await this.tenant.handle(request);
    return response as GraphResponse & { body: Record<string, unknown> };
  }

  /** Follow a nextLink produced by the tenant. */
  async follow(link: string, call: Call = {}): Promise<GraphResponse & { body: Record<string, unknown> }> {
    const url = new URL(link);
    const [, version = "v1.0", ...rest] = url.pathname.split("/");
    const path = `/${rest.join("/")}`;
    return this.call(`${path}${url.search.replace(/^\?/, "?")}`, { ...call, version: version as "v1.0" | "beta" });
  }

  async post(url: string, body: unknown, call: Call = {}) {
    return this.call(url, { ...call, method: "POST", body });
  }

  async patch(url: string, body: unknown, call: Call = {}) {
    return this.call(url, { ...call, method: "PATCH", body });
  }

  async del(url: string, call: Call = {}) {
    return this.call(url, { ...call, method: "DELETE" });
  }

  async createUser(name: string, extra: Record<string, unknown> = {}) {
    const response = await this.post("/users", {
      accountEnabled: true,
      displayName: name,
      mailNickname: name.toLowerCase().replace(/\W/g, ""),
      userPrincipalName: `${name.toLowerCase().replace(/\W/g, "")}@${DOMAIN}`,
      passwordProfile: { password: "Sandbox-Passw0rd!" },
      ...extra,
    });
    if (response.status !== 201) throw new Error(`createUser ${name}: ${JSON.stringify(response.body)}`);
    return response.body as { id: string; userPrincipalName: string } & Record<string, unknown>;
  }

  async createGroup(name: string, extra: Record<string, unknown> = {}) {
    const response = await this.post("/groups", {
      displayName: name, mailEnabled: false, mailNickname: name.toLowerCase().replace(/\W/g, ""), securityEnabled: true, ...extra,
    });
    if (response.status !== 201) throw new Error(`createGroup ${name}: ${JSON.stringify(response.body)}`);
    return response.body as { id: string } & Record<string, unknown>;
  }
}

export function errorOf(response: GraphResponse): { code: string; message: string } {
  const body = response.body as { error?: { code: string; message: string } };
  if (!body.error) throw new Error(`expected an error body, got ${JSON.stringify(response.body)}`);
  return { code: body.error.code, message: body.error.message };
}

export function values(response: GraphResponse): Record<string, unknown>[] {
  return ((response.body as { value?: Record<string, unknown>[] }).value ?? []);
}
