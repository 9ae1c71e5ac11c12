/**
 * Federated identity credentials on applications (workload identity federation), as Graph keeps
 * them: `name` (URL-friendly, at most 120 characters, unique in the app, immutable), `issuer` and
 * `subject` (at most 600 characters; the pair unique in the app), `audiences` (exactly one value,
 * at most 600 characters), `description` (at most 600), at most 20 per application. They live in
 * the application's sandbox-internal data and are reached through
 * `/applications/{id}/federatedIdentityCredentials`.
 */
import { randomUUID } from "node:crypto";
import type { Entity } from "../core/entity.js";
import { isRecord } from "../core/entity.js";
import { GraphHttpError, badRequest, invalidPropertyValue, notFound } from "../core/errors.js";
import type { Store } from "../core/store.js";

export const AZURE_AD_TOKEN_EXCHANGE = "api://AzureADTokenExchange";
export const MAX_FEDERATED_CREDENTIALS = 20;
const RESOURCE = "FederatedIdentityCredential";
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const LIMIT = 600;

export interface FederatedCredential {
  id: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description: string | null;
}

export function federatedCredentialsOf(store: Store, appObjectId: string): FederatedCredential[] {
  const list = store.peekInternal(appObjectId)?.["federatedIdentityCredentials"];
  return Array.isArray(list) ? (list as FederatedCredential[]) : [];
}

function save(store: Store, appObjectId: string, list: FederatedCredential[]): void {
  store.internalOf(appObjectId)["federatedIdentityCredentials"] = list;
}

/** The credential named by id or by `name` (the alternate key), or a 404. */
export function findFederatedCredential(store: Store, app: Entity, key: { id?: string; name?: string }): FederatedCredential {
  const list = federatedCredentialsOf(store, app.id);
  const found = key.name !== undefined
    ? list.find((c) => c.name === key.name)
    : list.find((c) => c.id.toLowerCase() === (key.id ?? "").toLowerCase());
  if (!found) throw notFound(key.name ?? key.id ?? "");
  return found;
}

function text(body: Record<string, unknown>, property: string, required: boolean): string | undefined {
  const value = body[property];
  if (value === undefined || value === null) {
    if (required) throw invalidPropertyValue(property, RESOURCE);
    return undefined;
  }
  if (typeof value !== "string" || (required && value.trim() === "") || value.length > LIMIT) throw invalidPropertyValue(property, RESOURCE);
  return value;
}

function audiencesOf(value: unknown): string[] {
  if (!Array.isArray(value) || value.length !== 1 || typeof value[0] !== "string" || value[0] === "" || value[0].length > LIMIT) {
    throw badRequest("Invalid value specified for property 'audiences' of resource 'FederatedIdentityCredential'. The audiences collection must contain exactly one value.");
  }
  return [value[0]];
}

function checkUnique(list: readonly FederatedCredential[], candidate: FederatedCredential): void {
  for (const other of list) {
    if (other.id === candidate.id) continue;
    if (other.name === candidate.name) throw new GraphHttpError(409, "Request_MultipleObjectsWithSameKeyValue", `FederatedIdentityCredential with name ${candidate.name} already exists.`);
    if (other.issuer === candidate.issuer && other.subject === candidate.subject) {
      throw new GraphHttpError(409, "Request_MultipleObjectsWithSameKeyValue", `FederatedIdentityCredential with issuer ${candidate.issuer} and subject ${candidate.subject} already exists.`);
    }
  }
}

/** POST: validates and stores a new credential; returns it. */
export function createFederatedCredential(store: Store, app: Entity, raw: unknown): FederatedCredential {
  if (!isRecord(raw)) throw badRequest("Empty Payload. JSON content expected.");
  const name = text(raw, "name", true) ?? "";
  if (name.length > 120 || !NAME.test(name)) throw invalidPropertyValue("name", RESOURCE);
  const list = federatedCredentialsOf(store, app.id);
  if (list.length >= MAX_FEDERATED_CREDENTIALS) {
    throw badRequest(`The application already has the maximum of ${MAX_FEDERATED_CREDENTIALS} federated identity credentials.`);
  }
  const credential: FederatedCredential = {
    id: randomUUID(),
    name,
    issuer: text(raw, "issuer", true) ?? "",
    subject: text(raw, "subject", true) ?? "",
    audiences: audiencesOf(raw["audiences"]),
    description: text(raw, "description", false) ?? null,
  };
  checkUnique(list, credential);
  save(store, app.id, [...list, credential]);
  return credential;
}

/** PATCH: issuer, subject, audiences and description may change; name and id may not. */
export function updateFederatedCredential(store: Store, app: Entity, existing: FederatedCredential, raw: unknown): FederatedCredential {
  if (!isRecord(raw)) throw badRequest("Empty Payload. JSON content expected.");
  if ("name" in raw && raw["name"] !== existing.name) throw badRequest("Property 'name' is immutable and cannot be changed once set.");
  if ("id" in raw && String(raw["id"]).toLowerCase() !== existing.id.toLowerCase()) throw badRequest("Property 'id' is read-only and cannot be set.");
  const next: FederatedCredential = {
    ...existing,
    ...("issuer" in raw ? { issuer: text(raw, "issuer", true) ?? "" } : {}),
    ...("subject" in raw ? { subject: text(raw, "subject", true) ?? "" } : {}),
    ...("audiences" in raw ? { audiences: audiencesOf(raw["audiences"]) } : {}),
    ...("description" in raw ? { description: text(raw, "description", false) ?? null } : {}),
  };
  const list = federatedCredentialsOf(store, app.id);
  checkUnique(list, next);
  save(store, app.id, list.map((c) => (c.id === existing.id ? next : c)));
  return next;
}

export function deleteFederatedCredential(store: Store, app: Entity, existing: FederatedCredential): void {
  save(store, app.id, federatedCredentialsOf(store, app.id).filter((c) => c.id !== existing.id));
}

/** The Graph representation. */
export function federatedCredentialView(credential: FederatedCredential): Entity {
  return {
    id: credential.id,
    name: credential.name,
    issuer: credential.issuer,
    subject: credential.subject,
    description: credential.description,
    audiences: [...credential.audiences],
  };
}
