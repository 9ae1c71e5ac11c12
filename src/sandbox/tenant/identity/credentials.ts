import { X509Certificate, createHash, randomBytes, randomUUID } from "node:crypto";
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { isRecord } from "../core/entity.js";
import { badRequest } from "../core/errors.js";

interface StoredSecret {
  keyId: string;
  text: string;
  endDateTime: string | null;
}

interface StoredCertificate {
  keyId: string;
  pem: string;
  endDateTime: string | null;
}

const TWO_YEARS_MS = 2 * 365 * 24 * 60 * 60 * 1000;

/** A secret text like Entra's: 40 characters, URL-safe alphabet with `~` and `.`. */
export function generateSecretText(): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~._-";
  return [...randomBytes(40)].map((b) => alphabet[b % alphabet.length]).join("");
}

export function secretsOf(ctx: RequestContext | { store: RequestContext["store"] }, appObjectId: string): StoredSecret[] {
  const internal = ctx.store.peekInternal(appObjectId);
  const list = internal?.["secrets"];
  return Array.isArray(list) ? (list as StoredSecret[]) : [];
}

export function certificatesOf(ctx: { store: RequestContext["store"] }, appObjectId: string): StoredCertificate[] {
  const list = ctx.store.peekInternal(appObjectId)?.["certificates"];
  return Array.isArray(list) ? (list as StoredCertificate[]) : [];
}

/** `addPassword`: new passwordCredential metadata on the app, the text kept sandbox-internal. */
export function addPasswordCredential(
  ctx: RequestContext,
  app: Entity,
  input: Record<string, unknown>,
  secretText = generateSecretText(),
): Record<string, unknown> {
  const start = typeof input["startDateTime"] === "string" ? input["startDateTime"] : ctx.nowIso();
  const end = typeof input["endDateTime"] === "string" ? input["endDateTime"] : new Date(Date.parse(start) + TWO_YEARS_MS).toISOString();
  if (Number.isNaN(Date.parse(start)) || Number.isNaN(Date.parse(end)) || Date.parse(end) <= Date.parse(start)) {
    throw badRequest("Invalid value specified for property 'endDateTime' of resource 'PasswordCredential'.");
  }
  const keyId = randomUUID();
  const metadata = {
    customKeyIdentifier: null,
    displayName: typeof input["displayName"] === "string" ? input["displayName"] : null,
    endDateTime: end,
    hint: secretText.slice(0, 3),
    keyId,
    secretText: null,
    startDateTime: start,
  };
  const existing = Array.isArray(app["passwordCredentials"]) ? app["passwordCredentials"] : [];
  app["passwordCredentials"] = [...existing, metadata];
  const internal = ctx.store.internalOf(app.id);
  internal["secrets"] = [...secretsOf(ctx, app.id), { keyId, text: secretText, endDateTime: end }];
  return { ...metadata, secretText };
}

export function removePasswordCredential(ctx: RequestContext, app: Entity, keyId: unknown): void {
  const existing = Array.isArray(app["passwordCredentials"]) ? app["passwordCredentials"].filter(isRecord) : [];
  if (typeof keyId !== "string" || !existing.some((c) => String(c["keyId"]).toLowerCase() === keyId.toLowerCase())) {
    throw badRequest(`No password credential found with keyId '${String(keyId)}'.`);
  }
  app["passwordCredentials"] = existing.filter((c) => String(c["keyId"]).toLowerCase() !== keyId.toLowerCase());
  ctx.store.internalOf(app.id)["secrets"] = secretsOf(ctx, app.id).filter((s) => s.keyId.toLowerCase() !== keyId.toLowerCase());
}

function pemOf(der: Buffer): string {
  const body = der.toString("base64").match(/.{1,64}/g)?.join("\n") ?? "";
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

/**
 * keyCredentials on PATCH/POST: entries with a `key` (base64 DER certificate) become metadata
 * (thumbprint, validity, subject) and the certificate is kept sandbox-internal; entries without
 * a key must name an existing keyId. Reads return `key: null`.
 */
export function applyKeyCredentials(ctx: RequestContext, appId: string, previous: unknown, next: unknown, resource: string): Record<string, unknown>[] {
  if (!Array.isArray(next)) throw badRequest(`Invalid value specified for property 'keyCredentials' of resource '${resource}'.`);
  const before = Array.isArray(previous) ? previous.filter(isRecord) : [];
  const certificates: StoredCertificate[] = [];
  const out: Record<string, unknown>[] = [];
  for (const raw of next) {
    if (!isRecord(raw)) throw badRequest(`Invalid value specified for property 'keyCredentials' of resource '${resource}'.`);
    const key = raw["key"];
    if (typeof key === "string" && key !== "") {
      let cert: X509Certificate;
      let der: Buffer;
      try {
        der = Buffer.from(key, "base64");
        cert = new X509Certificate(der);
      } catch {
        throw badRequest("Key credential 'key' is not a valid certificate.", "Request_BadRequest");
      }
      const keyId = typeof raw["keyId"] === "string" ? raw["keyId"] : randomUUID();
      const thumbprint = createHash("sha1").update(cert.raw).digest();
      const entry = {
        customKeyIdentifier: thumbprint.toString("base64"),
        displayName: typeof raw["displayName"] === "string" ? raw["displayName"] : cert.subject.replace(/\n/g, ", "),
        endDateTime: new Date(cert.validTo).toISOString(),
        key: null,
        keyId,
        startDateTime: new Date(cert.validFrom).toISOString(),
        type: typeof raw["type"] === "string" ? raw["type"] : "AsymmetricX509Cert",
        usage: typeof raw["usage"] === "string" ? raw["usage"] : "Verify",
      };
      out.push(entry);
      certificates.push({ keyId, pem: pemOf(der), endDateTime: entry.endDateTime });
      continue;
    }
    const keyId = raw["keyId"];
    const kept = before.find((b) => typeof keyId === "string" && String(b["keyId"]).toLowerCase() === keyId.toLowerCase());
    if (!kept) throw badRequest(`Invalid value specified for property 'keyCredentials' of resource '${resource}'.`);
    out.push(kept);
    const stored = certificatesOf(ctx, appId).find((c) => c.keyId.toLowerCase() === String(keyId).toLowerCase());
    if (stored) certificates.push(stored);
  }
  ctx.store.internalOf(appId)["certificates"] = certificates;
  return out;
}
