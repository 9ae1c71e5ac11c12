/**
 * A small stand-in Tenant for testing the front alone: a few apps and users, a users collection
 * with server-driven paging, Conditional Access policies, and a manual clock.
 */
import type { ClientRecord, GraphRequest, GraphResponse, SandboxClock, Tenant, UserRecord } from "../../../src/sandbox/types.js";

export const TENANT_ID = "11111111-2222-3333-4444-555555555555";
export const OPERATOR = { clientId: "aaaaaaaa-0000-0000-0000-000000000001", clientSecret: "operator-secret-value" };
export const PUBLIC_CLIENT_ID = "aaaaaaaa-0000-0000-0000-000000000002";
export const CERT_CLIENT_ID = "aaaaaaaa-0000-0000-0000-000000000003";

export class ManualClock implements SandboxClock {
  private offset = 0;
  now(): Date {
    return new Date(Date.UTC(2026, 0, 1) + this.offset);
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

export interface FakeTenant extends Tenant {
  readonly requests: GraphRequest[];
  operatorClient(): { clientId: string; clientSecret: string };
}

export function fakeTenant(options: { userCount?: number; certificatePem?: string } = {}): FakeTenant {
  const clock = new ManualClock();
  const clients: ClientRecord[] = [
    {
      appId: OPERATOR.clientId,
      displayName: "entra-gitops operator",
      servicePrincipalId: "bbbbbbbb-0000-0000-0000-000000000001",
      secrets: [OPERATOR.clientSecret],
      certificates: [],
      roles: ["User.ReadWrite.All", "Policy.ReadWrite.ConditionalAccess"],
      scopes: [],
    },
    { appId: PUBLIC_CLIENT_ID, displayName: "portal", secrets: [], certificates: [], roles: [], scopes: ["User.Read.All", "Policy.Read.All"] },
    {
      appId: CERT_CLIENT_ID,
      displayName: "cert app",
      servicePrincipalId: "bbbbbbbb-0000-0000-0000-000000000003",
      secrets: [],
      certificates: options.certificatePem ? [options.certificatePem] : [],
      roles: ["User.Read.All"],
      scopes: [],
    },
  ];
  const users: UserRecord[] = [
    { id: "cccccccc-0000-0000-0000-000000000001", userPrincipalName: "alice@contoso.test", displayName: "Alice", password: "alice-pw", accountEnabled: true },
    { id: "cccccccc-0000-0000-0000-000000000002", userPrincipalName: "bob@contoso.test", displayName: "Bob", password: "bob-pw", accountEnabled: false },
  ];
  const directory = Array.from({ length: options.userCount ?? 7 }, (_, i) => ({ id: `user-${i}`, displayName: `User ${i}` }));
  const requests: GraphRequest[] = [];

  const handle = async (request: GraphRequest): Promise<GraphResponse> => {
    requests.push(request);
    if (request.method === "GET" && request.path === "/users") {
      const top = Number(request.query.get("$top") ?? "3");
      const skip = Number(request.query.get("$skiptoken") ?? "0");
      const page = directory.slice(skip, skip + top);
      const body: Record<string, unknown> = { "@odata.context": `${request.serviceRoot}/$metadata#users`, value: page };
      if (skip + top < directory.length) body["@odata.nextLink"] = `${request.serviceRoot}/users?$top=${top}&$skiptoken=${skip + top}`;
      return { status: 200, body };
    }
    if (request.method === "GET" && request.path === "/users/$count") return { status: 200, body: directory.length };
    if (request.method === "GET" && request.path.startsWith("/users/")) {
      const user = directory.find((u) => u.id === request.path.slice("/users/".length));
      if (!user) return { status: 404, body: { error: { code: "Request_ResourceNotFound", message: `Resource '${request.path.slice(7)}' does not exist or one of its queried reference-property objects are not present.` } } };
      return { status: 200, body: user };
    }
    if (request.method === "POST" && request.path === "/users") {
      const input = request.body as Record<string, unknown>;
      const created: Record<string, unknown> & { id: string } = { ...input, id: `user-${directory.length}` };
      directory.push({ id: created.id, displayName: String(input.displayName ?? "") });
      return { status: 201, headers: { Location: `${request.serviceRoot}/users/${created.id}` }, body: created };
    }
    if (request.method === "GET" && request.path === "/me") {
      return { status: 200, body: { id: request.principal.userId, userPrincipalName: request.principal.userPrincipalName } };
    }
    if (request.path.startsWith("/identity/conditionalAccess/")) return { status: 200, body: { value: [] } };
    return { status: 404, body: { error: { code: "Request_ResourceNotFound", message: "Not found." } } };
  };

  return {
    tenantId: TENANT_ID,
    domain: "contoso.test",
    clock,
    requests,
    findClient: (appId) => clients.find((c) => c.appId === appId),
    findUser: (upn) => users.find((u) => u.userPrincipalName.toLowerCase() === upn.toLowerCase()),
    handle,
    exportState: () => ({ users: directory }),
    operatorClient: () => ({ ...OPERATOR }),
  };
}
