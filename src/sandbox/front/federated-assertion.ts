/**
 * Workload identity federation on the token endpoint: a `client_assertion` whose `iss` is not the
 * client itself is an external identity provider's token. Entra accepts it when the app has a
 * federated identity credential with that issuer, exactly that subject (case-sensitive) and an
 * audience the token's `aud` holds, and the token verifies against the issuer's keys and is within
 * its lifetime. The sandbox knows the keys of its own GitHub Actions issuer only; any other issuer
 * named by a credential fails like an unreachable OIDC endpoint (AADSTS50166).
 */
import { decodeJwt } from "jose";
import type { JWTPayload } from "jose";
import type { ClientRecord } from "../types.js";
import { aad } from "./aadsts-errors.js";
import type { AadError, AadErrorContext } from "./aadsts-errors.js";
import type { FederatedTokenCheck } from "./github-actions-issuer.js";

/** An issuer whose tokens the sandbox can verify. */
export interface FederationIssuer {
  readonly issuer: string;
  verify(token: string): Promise<FederatedTokenCheck>;
}

export type FederatedAssertionResult =
  | { ok: true; issuer: string; subject: string }
  | { ok: false; error: AadError; presented?: { issuer: string; subject: string } };

/** Whether an assertion is an external (federated) one: its `iss` is not the client id. */
export function isFederatedAssertion(assertion: string, clientId: string): boolean {
  const payload = peek(assertion);
  return typeof payload?.iss === "string" && payload.iss !== clientId;
}

function peek(assertion: string): JWTPayload | undefined {
  try {
    return decodeJwt(assertion);
  } catch {
    return undefined;
  }
}

function audiencesOf(payload: JWTPayload): string[] {
  if (typeof payload.aud === "string") return [payload.aud];
  return Array.isArray(payload.aud) ? payload.aud.filter((a): a is string => typeof a === "string") : [];
}

function dateOf(seconds: unknown): Date | undefined {
  return typeof seconds === "number" ? new Date(seconds * 1000) : undefined;
}

export async function verifyFederatedAssertion(
  assertion: string,
  client: ClientRecord,
  issuers: readonly FederationIssuer[],
  now: Date,
  errCtx: AadErrorContext,
): Promise<FederatedAssertionResult> {
  const payload = peek(assertion);
  if (!payload) return { ok: false, error: aad.assertionInvalid("The client assertion is not a well-formed JWT.", errCtx) };
  const iss = String(payload.iss ?? "");
  const sub = typeof payload.sub === "string" ? payload.sub : "";
  const audiences = audiencesOf(payload);
  const presented = { issuer: iss, subject: sub };
  const refuse = (error: AadError): FederatedAssertionResult => ({ ok: false, error, presented });
  const credentials = (client.federatedCredentials ?? []).filter((c) => c.issuer === iss);
  if (credentials.length === 0) return refuse(aad.federatedIssuerNotFound(iss, errCtx));

  const issuer = issuers.find((i) => i.issuer === iss);
  if (!issuer) return refuse(aad.externalOidcFailed(iss, errCtx));
  const check = await issuer.verify(assertion);
  if (!check.ok) {
    if (check.reason === "expired" || check.reason === "not-yet-valid") {
      return refuse(aad.assertionTimeRange(now, dateOf(payload.nbf), dateOf(payload.exp), errCtx));
    }
    return refuse(aad.assertionInvalid(check.message, errCtx));
  }

  const bySubject = credentials.filter((c) => c.subject === sub);
  if (bySubject.length === 0) {
    const caseOnly = credentials.some((c) => c.subject.toLowerCase() === sub.toLowerCase());
    return refuse(caseOnly ? aad.federatedSubjectCase(sub, errCtx) : aad.federatedSubjectNotFound(sub, errCtx));
  }
  if (!bySubject.some((c) => c.audiences.some((a) => audiences.includes(a)))) {
    return refuse(aad.federatedAudienceNotFound(audiences.join(", "), errCtx));
  }
  return { ok: true, issuer: iss, subject: sub };
}
