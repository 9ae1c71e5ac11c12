/**
 * The boundary inside the sandbox tenant: the HTTPS front (TLS, identity endpoints, tokens,
 * throttling, faults, `$batch`) hands each authenticated Graph request to the tenant (store,
 * resources, OData, delta, soft delete, audit, permissions). Nothing here imports the engine.
 */

/** Who is calling, from the validated access token. */
export interface Principal {
  type: "app" | "user";
  tenantId: string;
  /** The client application (`appid`/`azp`). */
  appId: string;
  appDisplayName: string;
  servicePrincipalId?: string;
  userId?: string;
  userPrincipalName?: string;
  userDisplayName?: string;
  /** Application permissions (`roles` claim), app-only tokens. */
  roles: readonly string[];
  /** Delegated permissions (`scp` claim), user tokens. */
  scopes: readonly string[];
  ipAddress?: string;
}

export type HttpMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface GraphRequest {
  method: HttpMethod;
  version: "v1.0" | "beta";
  /** Decoded path after the version segment, without the query, e.g. `/groups/{id}/members/$ref`. */
  path: string;
  query: URLSearchParams;
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string>>;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  principal: Principal;
  /** e.g. `https://127.0.0.1:8443/v1.0`, for building `@odata.nextLink` and `@odata.context`. */
  serviceRoot: string;
  requestId: string;
}

export interface GraphResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** An application that can get tokens (client credentials or as the client of a password grant). */
export interface ClientRecord {
  appId: string;
  displayName: string;
  servicePrincipalId?: string;
  /** Plain secret texts, sandbox-internal only (never returned by Graph reads). */
  secrets: readonly string[];
  /** Certificates (PEM) whose private keys may sign client assertions. */
  certificates: readonly string[];
  /** Application permissions granted to it (admin-consented app roles of Microsoft Graph). */
  roles: readonly string[];
  /** Delegated permissions consented for its users, for password-grant tokens. */
  scopes: readonly string[];
  /** Federated identity credentials: external tokens the app accepts as client assertions. */
  federatedCredentials?: readonly FederatedCredentialRecord[];
}

/** One federated identity credential of an application (workload identity federation). */
export interface FederatedCredentialRecord {
  name: string;
  issuer: string;
  subject: string;
  audiences: readonly string[];
}

export interface UserRecord {
  id: string;
  userPrincipalName: string;
  displayName: string;
  password?: string;
  accountEnabled: boolean;
}

/** The sandbox's own clock: tests move it forward (soft-delete expiry, audit times). */
export interface SandboxClock {
  now(): Date;
  advance(ms: number): void;
}

/** The tenant behind the HTTPS front. */
export interface Tenant {
  readonly tenantId: string;
  readonly domain: string;
  readonly clock: SandboxClock;
  findClient(appId: string): ClientRecord | undefined;
  findUser(userPrincipalName: string): UserRecord | undefined;
  handle(request: GraphRequest): Promise<GraphResponse>;
  /** Serializable state, for `--state FILE`. */
  exportState(): unknown;
}
