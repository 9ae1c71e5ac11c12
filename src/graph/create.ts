import { Client, AuthenticationHandler, type Middleware } from "@microsoft/microsoft-graph-client";
import type { TokenCredential, TokenCredentialOptions } from "@azure/identity";
import { CredentialAuthProvider } from "./auth-provider.js";
import { systemClock, type Clock } from "./clock.js";
import { allowedHostsFrom, endpointRefusal } from "./allowed-hosts.js";
import { authorityForGraph, DEFAULT_GRAPH_URL, graphEndpoint } from "./cloud.js";
import { selectCredential, type ConnectionSettings } from "./credential.js";
import { ClientGateway } from "./gateway.js";
import { GraphHttp } from "./http.js";
import { RequestLimiter } from "./limiter.js";
import { ResourceUnitPacer } from "./resource-unit-pacer.js";
import { RetryMiddleware } from "./retry-middleware.js";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy.js";
import { emptyStats, type GatewayEvent } from "./stats.js";
import { ExactUrlMiddleware, FetchTransport } from "./transport.js";

export interface GatewayOptions {
  /** Environment variables (default `process.env`); they override `settings`. */
  env?: NodeJS.ProcessEnv;
  /** From the config's environment: tenantId, clientId, graphUrl, authorityHost. */
  settings?: ConnectionSettings & { graphUrl?: string };
  /** Use this credential instead of choosing one from the environment. */
  credential?: TokenCredential;
  /** Passed to the credential chosen from the environment (e.g. an `httpClient`). */
  tokenCredentialOptions?: TokenCredentialOptions;
  /** HTTP transport for Graph (and the GitHub OIDC token request); default global `fetch`. */
  fetch?: typeof fetch;
  /** Waits and time; inject `virtualClock()` in tests so nothing waits on the wall clock. */
  clock?: Clock;
  /** Jitter source in [0, 1). */
  random?: () => number;
  retry?: Partial<RetryPolicy>;
  /** Requests in flight at once (default: ENTRA_GITOPS_MAX_CONCURRENCY, else 8). */
  maxConcurrency?: number;
  /** Spacing of Conditional Access / named location / Identity Protection requests (default 1000 ms). */
  conditionalAccessIntervalMs?: number;
  userAgent?: string;
  /** Abort an attempt without response headers after this long (default 120 s). */
  requestTimeoutMs?: number;
  /** Host names allowed besides Microsoft's clouds and loopback (default: ENTRA_GITOPS_ALLOW_HOSTS). */
  allowHosts?: ReadonlySet<string>;
  /** Retries and throttling, for progress lines. */
  onEvent?: (event: GatewayEvent) => void;
}

export type Gateway = ClientGateway;

export const DEFAULT_MAX_CONCURRENCY = 8;
export const DEFAULT_CA_INTERVAL_MS = 1000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/**
 * Builds the one Graph gateway: credential (docs/design.md §5), `Client.initWithMiddleware` with the chain
 * exact URL → retry (Retry-After, backoff) → limiter (concurrency, shared pause, CA pacing) →
 * authentication → fetch, and the paging, `$batch` and error handling on top.
 */
export function createGateway(options: GatewayOptions = {}): Gateway {
  const env = options.env ?? process.env;
  const fromEnv = nonEmpty(env.ENTRA_GITOPS_GRAPH_URL);
  const graphUrl = fromEnv ?? options.settings?.graphUrl ?? DEFAULT_GRAPH_URL;
  const allowed = options.allowHosts ?? allowedHostsFrom(env);
  refuseHost(graphUrl, "graphUrl", fromEnv ? "ENTRA_GITOPS_GRAPH_URL" : "graphUrl in the configuration", allowed);
  const endpoint = graphEndpoint(graphUrl);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const stats = emptyStats();

  // A national cloud's Graph implies its authority unless one is configured.
  const authorityHost = options.settings?.authorityHost ?? authorityForGraph(endpoint);
  const settings = { ...options.settings, ...(authorityHost ? { authorityHost } : {}) };
  const authorityFromEnv = nonEmpty(env.AZURE_AUTHORITY_HOST);
  if (authorityFromEnv) refuseHost(authorityFromEnv, "authorityHost", "AZURE_AUTHORITY_HOST", allowed);
  else if (authorityHost) refuseHost(authorityHost, "authorityHost", "authorityHost in the configuration", allowed);
  const selected = options.credential
    ? { credential: options.credential, description: "provided credential" }
    : selectCredential({ env, settings, tokenCredentialOptions: options.tokenCredentialOptions, fetch: options.fetch });
  const auth = new CredentialAuthProvider(selected.credential, endpoint.scope, clock.now);

  const limiter = new RequestLimiter(
    clock,
    options.maxConcurrency ?? positiveInt(env.ENTRA_GITOPS_MAX_CONCURRENCY, "ENTRA_GITOPS_MAX_CONCURRENCY") ?? DEFAULT_MAX_CONCURRENCY,
    options.conditionalAccessIntervalMs ?? DEFAULT_CA_INTERVAL_MS,
  );
  const chain: Middleware[] = [
    new ExactUrlMiddleware(options.userAgent ?? "entra-gitops"),
    new RetryMiddleware({ policy, clock, random, limiter, stats, onEvent: options.onEvent, refreshToken: () => auth.invalidate() }),
    new AuthenticationHandler(auth),
    new FetchTransport(options.fetch ?? fetch, stats, options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
  ];
  const client = Client.initWithMiddleware({
    baseUrl: `${endpoint.baseUrl}/`,
    middleware: chain,
    customHosts: endpoint.customHosts.size > 0 ? endpoint.customHosts : undefined,
  });
  const http = new GraphHttp(client, endpoint.baseUrl);
  const batchDeps = { http, clock, random, policy, stats, limiter, pacer: new ResourceUnitPacer(clock), onEvent: options.onEvent };
  return new ClientGateway(http, auth, batchDeps, stats, endpoint, selected.description);
}

/** A token or credential goes only to Microsoft's clouds, loopback and explicitly allowed hosts. */
function refuseHost(url: string, role: "graphUrl" | "authorityHost", source: string, allowed: ReadonlySet<string>): void {
  const refusal = endpointRefusal(url, role, source, allowed);
  if (refusal) throw new Error(refusal);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, got "${value}"`);
  return n;
}
