/**
 * The Entra identity endpoints that MSAL (inside @azure/identity) calls, under `/{tenant}/`:
 * OpenID metadata, the signing keys, the token endpoint, and `/common/discovery/instance` for
 * clients that do not disable instance discovery. `{tenant}` is the tenant id or its domain.
 */
import type { Tenant } from "../types.js";
import { aad } from "./aadsts-errors.js";
import type { TokenService } from "./access-tokens.js";
import { parseForm } from "./http-io.js";
import type { FederationIssuer } from "./federated-assertion.js";
import { handleTokenRequest } from "./token-grants.js";
import type { ClientAuthentication } from "./token-grants.js";

export interface IdentityContext {
  tenant: Tenant;
  tokens: TokenService;
  origin: string;
  correlationId?: string;
  federationIssuers?: readonly FederationIssuer[];
}

export interface IdentityResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** The `client_id` of a token request, for the request log. */
  clientId?: string;
  /** How the client of a token request authenticated, for the request log. */
  clientAuth?: ClientAuthentication;
  /** The issuer and subject of a refused federated assertion. */
  refusedFederation?: { issuer: string; subject: string };
}

const NO_STORE = { "Cache-Control": "no-store, no-cache", Pragma: "no-cache" };

/** Routes an identity request; undefined when the path is not an identity endpoint. */
export async function handleIdentityRequest(
  method: string,
  pathname: string,
  readBody: () => Promise<string>,
  ctx: IdentityContext,
): Promise<IdentityResponse | undefined> {
  const segments = pathname.split("/").filter((s) => s !== "");
  const [tenantSegment, ...rest] = segments;
  if (!tenantSegment) return undefined;
  const route = rest.join("/");
  if (tenantSegment === "common" && route === "discovery/instance" && method === "GET") {
    return { status: 200, body: instanceDiscovery(ctx) };
  }
  const known =
    route === "v2.0/.well-known/openid-configuration" ||
    route === ".well-known/openid-configuration" ||
    route === "discovery/v2.0/keys" ||
    route === "discovery/keys" ||
    route === "oauth2/v2.0/token";
  if (!known) return undefined;
  const errCtx = { now: ctx.tenant.clock.now(), authority: ctx.origin, ...(ctx.correlationId ? { correlationId: ctx.correlationId } : {}) };
  if (!matchesTenant(tenantSegment, ctx.tenant)) {
    const failure = aad.tenantNotFound(tenantSegment, errCtx);
    return { status: failure.status, body: failure.body, headers: NO_STORE };
  }
  if (route === "oauth2/v2.0/token") {
    if (method !== "POST") return { status: 405, body: { error: "invalid_request", error_description: "The token endpoint accepts POST only." } };
    const form = parseForm(await readBody());
    const result = await handleTokenRequest(form, ctx);
    const clientId = form.get("client_id");
    return { status: result.status, body: result.body, headers: NO_STORE, ...(clientId ? { clientId } : {}), ...(result.clientAuth ? { clientAuth: result.clientAuth } : {}), ...(result.refusedFederation ? { refusedFederation: result.refusedFederation } : {}) };
  }
  if (method !== "GET") return { status: 405, body: { error: "invalid_request", error_description: "GET only." } };
  if (route.startsWith("discovery")) return { status: 200, body: await ctx.tokens.jwks() };
  return { status: 200, body: openIdConfiguration(ctx) };
}

export function matchesTenant(segment: string, tenant: Tenant): boolean {
  const lower = segment.toLowerCase();
  return lower === tenant.tenantId.toLowerCase() || lower === tenant.domain.toLowerCase();
}

function openIdConfiguration(ctx: IdentityContext): unknown {
  const base = `${ctx.origin}/${ctx.tenant.tenantId}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${ctx.origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: "EU",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: new URL(ctx.origin).host,
    rbac_url: "https://pas.windows.net",
  };
}

function instanceDiscovery(ctx: IdentityContext): unknown {
  const host = new URL(ctx.origin).host;
  return {
    tenant_discovery_endpoint: `${ctx.origin}/${ctx.tenant.tenantId}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  };
}
