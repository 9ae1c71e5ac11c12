/**
 * Access tokens as Entra issues them for Microsoft Graph (v1 token format, docs/graph-behaviour.md §13):
 * RS256 JWTs with `aud`, `iss` (https://sts.windows.net/{tid}/), `iat`/`nbf`/`exp` on the tenant
 * clock, `tid`, `oid`, `sub`, `appid`, `azp`, `app_displayname`, `idtyp`, and `roles` (app-only) or
 * `scp` + `upn` + `name` (delegated). Verification turns a bearer token back into a Principal.
 */
import { createHash, createPrivateKey, createPublicKey, randomUUID } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { SignJWT, decodeProtectedHeader, errors, exportJWK, jwtVerify } from "jose";
import type { JWK, JWTPayload } from "jose";
import type { ClientRecord, Principal, UserRecord } from "../types.js";

export const GRAPH_RESOURCE = "https://graph.microsoft.com";
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
/** Lifetime Entra gives client-credentials tokens (`expires_in`). */
export const TOKEN_LIFETIME_SECONDS = 3599;

const ACCEPTED_AUDIENCES = [GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`, GRAPH_APP_ID];

export interface IssuedToken {
  token: string;
  expiresIn: number;
}

export type TokenCheck = { ok: true; principal: Principal } | { ok: false; message: string };

/** Verified tokens kept so a client's repeated calls skip the RSA check (expiry is still checked). */
const VERIFIED_CACHE_SIZE = 512;
const CLOCK_SKEW_SECONDS = 300;

export class TokenService {
  readonly kid: string;
  private readonly verified = new Map<string, { principal: Principal; exp: number; nbf: number }>();
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(signingKeyPem: string) {
    this.privateKey = createPrivateKey(signingKeyPem);
    this.publicKey = createPublicKey(this.privateKey);
    const der = this.publicKey.export({ type: "spki", format: "der" });
    this.kid = createHash("sha1").update(der).digest("base64url");
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(this.publicKey);
    return { keys: [{ ...jwk, kid: this.kid, use: "sig", alg: "RS256", x5t: this.kid } as JWK] };
  }

  /** App-only token (client credentials). `appidacr` is "1" for a secret, "2" for a certificate. */
  async issueAppToken(tenantId: string, client: ClientRecord, now: Date, appidacr: "1" | "2"): Promise<IssuedToken> {
    const spId = client.servicePrincipalId ?? client.appId;
    const claims: JWTPayload = {
      app_displayname: client.displayName,
      appid: client.appId,
      appidacr,
      azp: client.appId,
      azpacr: appidacr,
      idp: issuerFor(tenantId),
      idtyp: "app",
      oid: spId,
      sub: spId,
      tid: tenantId,
      uti: randomUUID().replace(/-/g, ""),
      ver: "1.0",
      ...(client.roles.length > 0 ? { roles: [...client.roles] } : {}),
    };
    return this.sign(tenantId, claims, now);
  }

  /** Delegated token for a user signed in through `client` (password grant). */
  async issueUserToken(
    tenantId: string,
    client: ClientRecord,
    user: UserRecord,
    scopes: readonly string[],
    now: Date,
    confidential: boolean,
  ): Promise<IssuedToken> {
    const claims: JWTPayload = {
      amr: ["pwd"],
      app_displayname: client.displayName,
      appid: client.appId,
      appidacr: confidential ? "1" : "0",
      azp: client.appId,
      azpacr: confidential ? "1" : "0",
      idtyp: "user",
      name: user.displayName,
      oid: user.id,
      scp: scopes.join(" "),
      sub: createHash("sha256").update(`${user.id}:${client.appId}`).digest("base64url"),
      tid: tenantId,
      unique_name: user.userPrincipalName,
      upn: user.userPrincipalName,
      uti: randomUUID().replace(/-/g, ""),
      ver: "1.0",
    };
    return this.sign(tenantId, claims, now);
  }

  /** An OpenID Connect id token (MSAL builds its account from it on delegated flows). */
  async issueIdToken(issuer: string, clientId: string, tenantId: string, user: UserRecord, now: Date): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({
      name: user.displayName,
      oid: user.id,
      preferred_username: user.userPrincipalName,
      tid: tenantId,
      ver: "2.0",
    })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: this.kid })
      .setIssuer(issuer)
      .setAudience(clientId)
      .setSubject(user.id)
      .setIssuedAt(iat)
      .setNotBefore(iat)
      .setExpirationTime(iat + TOKEN_LIFETIME_SECONDS)
      .sign(this.privateKey);
  }

  /** Checks a bearer token for Graph: signature, audience, issuer, tenant and lifetime on the tenant clock. */
  async verify(token: string, tenantId: string, now: Date): Promise<TokenCheck> {
    if (token === "") return { ok: false, message: "Access token is empty." };
    const cached = this.verified.get(token);
    if (cached && cached.principal.tenantId === tenantId) {
      const seconds = now.getTime() / 1000;
      if (seconds > cached.exp + CLOCK_SKEW_SECONDS) return { ok: false, message: "Lifetime validation failed, the token is expired." };
      if (seconds < cached.nbf - CLOCK_SKEW_SECONDS) return { ok: false, message: "Lifetime validation failed, the token is not yet valid." };
      return { ok: true, principal: cached.principal };
    }
    try {
      decodeProtectedHeader(token);
    } catch {
      return { ok: false, message: "CompactToken parsing failed with error code: 80049217" };
    }
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: ["RS256"],
        audience: ACCEPTED_AUDIENCES,
        issuer: issuerFor(tenantId),
        currentDate: now,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ["exp", "iat", "tid"],
      });
      if (payload.tid !== tenantId) return { ok: false, message: "Access token validation failure. Invalid tenant." };
      const principal = principalFrom(payload);
      if (this.verified.size >= VERIFIED_CACHE_SIZE) {
        const oldest = this.verified.keys().next().value;
        if (oldest !== undefined) this.verified.delete(oldest);
      }
      this.verified.set(token, { principal, exp: payload.exp ?? 0, nbf: payload.nbf ?? 0 });
      return { ok: true, principal };
    } catch (error) {
      return { ok: false, message: describeFailure(error) };
    }
  }

  private async sign(tenantId: string, claims: JWTPayload, now: Date): Promise<IssuedToken> {
    const iat = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ typ: "JWT", alg: "RS256", kid: this.kid, x5t: this.kid })
      .setAudience(GRAPH_RESOURCE)
      .setIssuer(issuerFor(tenantId))
      .setIssuedAt(iat)
      .setNotBefore(iat - 300)
      .setExpirationTime(iat + TOKEN_LIFETIME_SECONDS)
      .sign(this.privateKey);
    return { token, expiresIn: TOKEN_LIFETIME_SECONDS };
  }
}

export function issuerFor(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

function describeFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "Lifetime validation failed, the token is expired.";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return "Access token validation failure. Invalid audience.";
    if (error.claim === "iss") return "Access token validation failure. Invalid issuer.";
    if (error.claim === "nbf") return "Lifetime validation failed, the token is not yet valid.";
    return "Access token validation failure.";
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return "Access token validation failure. Invalid signature.";
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return "CompactToken parsing failed with error code: 80049217";
  }
  return "Access token validation failure.";
}

function principalFrom(payload: JWTPayload): Principal {
  const str = (name: string): string | undefined => {
    const value = payload[name];
    return typeof value === "string" ? value : undefined;
  };
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === "string") : [];
  const scopes = (str("scp") ?? "").split(" ").filter((s) => s !== "");
  const isUser = str("idtyp") === "user" || str("scp") !== undefined;
  const principal: Principal = {
    type: isUser ? "user" : "app",
    tenantId: str("tid") ?? "",
    appId: str("appid") ?? str("azp") ?? "",
    appDisplayName: str("app_displayname") ?? "",
    roles,
    scopes,
  };
  const oid = str("oid");
  if (isUser) {
    if (oid) principal.userId = oid;
    const upn = str("upn");
    if (upn) principal.userPrincipalName = upn;
    const name = str("name");
    if (name) principal.userDisplayName = name;
  } else if (oid) {
    principal.servicePrincipalId = oid;
  }
  return principal;
}
