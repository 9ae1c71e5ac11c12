/**
 * The OAuth 2.0 token endpoint (`POST /{tenant}/oauth2/v2.0/token`): client credentials with a
 * secret or a certificate-signed client assertion, and the resource-owner password grant for seeded
 * users (delegated tokens). Failures are AADSTS errors as Entra sends them.
 */
import type { ClientRecord, Tenant } from "../types.js";
import { aad } from "./aadsts-errors.js";
import type { AadErrorContext } from "./aadsts-errors.js";
import { GRAPH_APP_ID, GRAPH_RESOURCE } from "./access-tokens.js";
import type { TokenService } from "./access-tokens.js";
import { verifyClientAssertion } from "./client-assertion.js";
import { isFederatedAssertion, verifyFederatedAssertion } from "./federated-assertion.js";
import type { FederationIssuer } from "./federated-assertion.js";

/** How the client proved itself, for the request log. */
export type ClientAuthentication =
  | { method: "secret" }
  | { method: "certificate" }
  | { method: "federated"; issuer: string; subject: string }
  | { method: "none" };

export interface TokenResult {
  status: number;
  body: unknown;
  /** Set when the client authenticated (whatever the grant's outcome afterwards). */
  clientAuth?: ClientAuthentication;
  /** A refused federated assertion's issuer and subject, for the request log. */
  refusedFederation?: { issuer: string; subject: string };
}

export interface TokenContext {
  tenant: Tenant;
  tokens: TokenService;
  /** `https://127.0.0.1:PORT`. */
  origin: string;
  correlationId?: string;
  /** External issuers whose tokens are accepted as federated client assertions. */
  federationIssuers?: readonly FederationIssuer[];
}

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

export async function handleTokenRequest(form: Map<string, string>, ctx: TokenContext): Promise<TokenResult> {
  const errCtx: AadErrorContext = { now: ctx.tenant.clock.now(), authority: ctx.origin };
  if (ctx.correlationId) errCtx.correlationId = ctx.correlationId;
  const grant = form.get("grant_type");
  if (!grant) return aad.missingParameter("grant_type", errCtx);
  if (grant !== "client_credentials" && grant !== "password") return aad.unsupportedGrant(grant, errCtx);
  const clientId = form.get("client_id");
  if (!clientId) return aad.missingParameter("client_id", errCtx);
  const client = ctx.tenant.findClient(clientId);
  if (!client) return aad.unknownClient(clientId, ctx.tenant.tenantId, errCtx);

  const hasSecret = form.has("client_secret");
  const hasAssertion = form.has("client_assertion");
  if (grant === "client_credentials" && !hasSecret && !hasAssertion) return aad.missingClientCredential(errCtx);
  let appidacr: "1" | "2" = "1";
  let clientAuth: ClientAuthentication = { method: "none" };
  if (hasSecret) {
    if (!client.secrets.includes(form.get("client_secret") ?? "")) return aad.invalidSecret(clientId, errCtx);
    clientAuth = { method: "secret" };
  } else if (hasAssertion) {
    if (form.get("client_assertion_type") !== JWT_BEARER) return aad.invalidAssertionType(errCtx);
    const assertion = form.get("client_assertion") ?? "";
    if (isFederatedAssertion(assertion, client.appId)) {
      const federated = await verifyFederatedAssertion(assertion, client, ctx.federationIssuers ?? [], ctx.tenant.clock.now(), errCtx);
      if (!federated.ok) return { ...federated.error, ...(federated.presented ? { refusedFederation: federated.presented } : {}) };
      clientAuth = { method: "federated", issuer: federated.issuer, subject: federated.subject };
    } else {
      const failure = await checkAssertion(assertion, client, ctx, errCtx);
      if (failure) return failure;
      clientAuth = { method: "certificate" };
    }
    appidacr = "2";
  }
  const result = await grantToken(form, grant, client, hasSecret || hasAssertion, appidacr, ctx, errCtx);
  return { ...result, clientAuth };
}

async function grantToken(
  form: Map<string, string>,
  grant: string,
  client: ClientRecord,
  confidential: boolean,
  appidacr: "1" | "2",
  ctx: TokenContext,
  errCtx: AadErrorContext,
): Promise<TokenResult> {
  const scope = form.get("scope");
  if (!scope) return aad.missingScope(errCtx);
  const now = ctx.tenant.clock.now();
  if (grant === "client_credentials") {
    const scopeError = checkClientCredentialScope(scope, ctx, errCtx);
    if (scopeError) return scopeError;
    const issued = await ctx.tokens.issueAppToken(ctx.tenant.tenantId, client, now, appidacr);
    return {
      status: 200,
      body: { token_type: "Bearer", expires_in: issued.expiresIn, ext_expires_in: issued.expiresIn, access_token: issued.token },
    };
  }
  return passwordGrant(form, client, scope, confidential, ctx, errCtx);
}

async function checkAssertion(assertion: string, client: ClientRecord, ctx: TokenContext, errCtx: AadErrorContext): Promise<TokenResult | undefined> {
  const endpoints = [ctx.tenant.tenantId, ctx.tenant.domain].map((t) => `${ctx.origin}/${t}/oauth2/v2.0/token`);
  // The assertion was minted by the client on its own (wall) clock, not the tenant's.
  const check = await verifyClientAssertion(assertion, client.appId, client.certificates, endpoints, new Date());
  if (check.ok) return undefined;
  if (check.reason === "unknown-certificate") return aad.assertionCertificateUnknown(client.appId, check.thumbprint, errCtx);
  if (check.reason === "subject-mismatch") return aad.assertionSubjectMismatch(errCtx);
  return aad.assertionInvalid(check.message, errCtx);
}

function checkClientCredentialScope(scope: string, ctx: TokenContext, errCtx: AadErrorContext): TokenResult | undefined {
  const scopes = scope.split(" ").filter((s) => s !== "");
  if (scopes.length !== 1) return aad.invalidScope(scope, errCtx);
  const only = scopes[0] ?? "";
  if (!only.endsWith("/.default")) return aad.clientCredentialScope(only, errCtx);
  const resource = only.slice(0, -"/.default".length).replace(/\/$/, "");
  if (resource !== GRAPH_RESOURCE && resource !== GRAPH_APP_ID) {
    return aad.resourceNotFound(resource, ctx.tenant.tenantId, errCtx);
  }
  return undefined;
}

async function passwordGrant(
  form: Map<string, string>,
  client: ClientRecord,
  scope: string,
  confidential: boolean,
  ctx: TokenContext,
  errCtx: AadErrorContext,
): Promise<TokenResult> {
  const username = form.get("username");
  if (!username) return aad.missingParameter("username", errCtx);
  const password = form.get("password");
  if (password === undefined) return aad.missingParameter("password", errCtx);
  const granted = delegatedScopes(scope, client);
  if ("invalid" in granted) return aad.invalidScope(granted.invalid, errCtx);
  if ("missing" in granted) return aad.consentRequired(client.appId, client.displayName, errCtx);
  const user = ctx.tenant.findUser(username);
  if (!user) return aad.userNotFound(username, ctx.tenant.tenantId, errCtx);
  if (user.password === undefined || user.password !== password) return aad.badPassword(errCtx);
  if (!user.accountEnabled) return aad.userDisabled(errCtx);

  const now = ctx.tenant.clock.now();
  const tid = ctx.tenant.tenantId;
  const issued = await ctx.tokens.issueUserToken(tid, client, user, granted.scopes, now, confidential);
  const idToken = await ctx.tokens.issueIdToken(`${ctx.origin}/${tid}/v2.0`, client.appId, tid, user, now);
  const clientInfo = Buffer.from(JSON.stringify({ uid: user.id, utid: tid })).toString("base64url");
  return {
    status: 200,
    body: {
      token_type: "Bearer",
      scope: [...granted.scopes.map((s) => `${GRAPH_RESOURCE}/${s}`), "openid", "profile"].join(" "),
      expires_in: issued.expiresIn,
      ext_expires_in: issued.expiresIn,
      access_token: issued.token,
      id_token: idToken,
      client_info: clientInfo,
    },
  };
}

type ScopeResult = { scopes: string[] } | { invalid: string } | { missing: string };

/** Requested delegated scopes → granted Graph scopes (`.default` = all consented to the client). */
function delegatedScopes(scope: string, client: ClientRecord): ScopeResult {
  const requested = scope.split(" ").filter((s) => s !== "" && !OIDC_SCOPES.has(s));
  const wanted: string[] = [];
  let all = requested.length === 0;
  for (const item of requested) {
    let name = item;
    for (const prefix of [`${GRAPH_RESOURCE}/`, `${GRAPH_APP_ID}/`]) {
      if (name.startsWith(prefix)) name = name.slice(prefix.length);
    }
    if (name === ".default") {
      all = true;
      continue;
    }
    if (name.includes("/") || name.includes(":")) return { invalid: item };
    wanted.push(name);
  }
  const consented = new Set(client.scopes.map((s) => s.toLowerCase()));
  const missing = wanted.find((s) => !consented.has(s.toLowerCase()));
  if (missing) return { missing };
  return { scopes: all ? [...client.scopes] : wanted };
}
