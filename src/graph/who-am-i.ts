import { decodeJwt } from "jose";

export interface Identity {
  tenantId: string;
  appId?: string;
  userPrincipalName?: string;
  /** Application permissions (`roles`), app-only tokens. */
  roles: string[];
  /** Delegated permissions (`scp`, space-separated in the token). */
  scopes: string[];
  /** Object id of the signed-in user or the service principal (`oid`). */
  objectId?: string;
  /** `app` for app-only tokens, `user` for delegated ones. */
  type: "app" | "user";
}

/** Reads the identity from an access token's claims (docs/graph-behaviour.md §13). Does not verify the signature. */
export function identityFromToken(token: string): Identity {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(token);
  } catch {
    throw new Error("the access token is not a JWT; cannot read its claims");
  }
  const str = (k: string): string | undefined => (typeof claims[k] === "string" ? (claims[k] as string) : undefined);
  const tenantId = str("tid");
  if (!tenantId) throw new Error("the access token has no tid claim");
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
  const scopes = (str("scp") ?? "").split(" ").filter(Boolean);
  const userPrincipalName = str("upn") ?? str("unique_name") ?? str("preferred_username");
  const delegated = scopes.length > 0 || (str("idtyp") !== "app" && userPrincipalName !== undefined);
  return {
    tenantId,
    appId: str("appid") ?? str("azp"),
    userPrincipalName,
    roles,
    scopes,
    objectId: str("oid"),
    type: delegated ? "user" : "app",
  };
}
