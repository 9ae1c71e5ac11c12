/**
 * Verifies a `client_assertion` (RFC 7523 JWT bearer) against the certificates registered on the
 * app: the header's `x5t` (SHA-1) or `x5t#S256` thumbprint picks the certificate, jose checks the
 * RS256/PS256 signature, `iss`/`sub` must be the client id and `aud` the token endpoint.
 * MSAL Node signs with PS256 + `x5t#S256` when given a SHA-256 thumbprint, else RS256 + `x5t`.
 */
import { X509Certificate, createHash } from "node:crypto";
import { decodeProtectedHeader, errors, importX509, jwtVerify } from "jose";

export type AssertionCheck =
  | { ok: true }
  | { ok: false; reason: "unknown-certificate"; thumbprint: string }
  | { ok: false; reason: "subject-mismatch" }
  | { ok: false; reason: "invalid"; message: string };

interface Candidate {
  pem: string;
  sha1: string;
  sha256: string;
}

function candidates(pems: readonly string[]): Candidate[] {
  const out: Candidate[] = [];
  for (const pem of pems) {
    try {
      const der = new X509Certificate(pem).raw;
      out.push({
        pem,
        sha1: createHash("sha1").update(der).digest("base64url"),
        sha256: createHash("sha256").update(der).digest("base64url"),
      });
    } catch {
      // A malformed certificate on the app cannot sign anything; skip it.
    }
  }
  return out;
}

export async function verifyClientAssertion(
  assertion: string,
  clientId: string,
  certificates: readonly string[],
  tokenEndpoints: readonly string[],
  now: Date,
): Promise<AssertionCheck> {
  let header;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    return { ok: false, reason: "invalid", message: "The client assertion is not a well-formed JWT." };
  }
  const x5t = typeof header.x5t === "string" ? header.x5t : undefined;
  const x5t256 = typeof header["x5t#S256"] === "string" ? header["x5t#S256"] : undefined;
  const alg = header.alg === "PS256" ? "PS256" : header.alg === "RS256" ? "RS256" : undefined;
  if (!alg) return { ok: false, reason: "invalid", message: `Unsupported signing algorithm '${String(header.alg)}'.` };
  const all = candidates(certificates);
  const matching = all.filter((c) => (x5t256 ? c.sha256 === x5t256 : x5t ? c.sha1 === x5t : true));
  if (matching.length === 0) {
    const thumbprint = x5t256 ?? x5t ?? "";
    return { ok: false, reason: "unknown-certificate", thumbprint: thumbprintHex(thumbprint) };
  }
  let lastMessage = "Signature validation failed.";
  for (const candidate of matching) {
    try {
      const key = await importX509(candidate.pem, alg);
      const { payload } = await jwtVerify(assertion, key, {
        algorithms: [alg],
        audience: [...tokenEndpoints],
        currentDate: now,
        clockTolerance: 300,
        requiredClaims: ["exp", "iss", "sub", "aud"],
      });
      if (payload.iss !== clientId || payload.sub !== clientId) return { ok: false, reason: "subject-mismatch" };
      return { ok: true };
    } catch (error) {
      lastMessage = describe(error);
    }
  }
  return { ok: false, reason: "invalid", message: lastMessage };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "The client assertion has expired.";
  if (error instanceof errors.JWTClaimValidationFailed) return `The client assertion claim '${error.claim}' is invalid.`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return "Signature validation failed.";
  return error instanceof Error ? error.message : "Signature validation failed.";
}

function thumbprintHex(base64url: string): string {
  try {
    return Buffer.from(base64url, "base64url").toString("hex").toUpperCase();
  } catch {
    return base64url;
  }
}
