/**
 * Write-only secrets (README "Secrets from the environment"): a property Graph accepts on create but
 * never returns (it reads `******`), such as a social identity provider's `clientSecret`. A document
 * never holds the value, only the environment variable to take it from, written `env:NAME`;
 * the schema refuses anything else, so a secret cannot reach git. Plan and sync never compare the
 * property (the tenant's value cannot be read); apply resolves the variable only when it writes the
 * property (a create), and refuses the whole apply before any write when a variable is unset.
 */
import type { JsonObject } from "../model/document.js";
import type { KindDescriptor } from "./types.js";

/** `env:NAME`, NAME an environment variable name (not `${…}`: that is a configuration variable, README "Environments"). */
export const SECRET_REFERENCE_PATTERN_SOURCE = "^env:([A-Za-z_][A-Za-z0-9_]*)$";
const SECRET_REFERENCE = new RegExp(SECRET_REFERENCE_PATTERN_SOURCE);

/** The environment variable a secret reference names, or undefined for anything else. */
export function secretVariable(value: unknown): string | undefined {
  return typeof value === "string" ? SECRET_REFERENCE.exec(value)?.[1] : undefined;
}

/** The descriptor's secret properties (top-level names). */
export function secretPaths(descriptor: Pick<KindDescriptor, "secrets">): string[] {
  return (descriptor.secrets ?? []).map((s) => s.property);
}

/**
 * Drops every secret value that is not a reference: the mask Graph reads (`******`). Documents
 * keep their references; a live object never has one.
 */
export function dropSecretValues(descriptor: Pick<KindDescriptor, "secrets">, spec: JsonObject): void {
  for (const property of secretPaths(descriptor)) {
    if (property in spec && secretVariable(spec[property]) === undefined) delete spec[property];
  }
}

/** A secret apply cannot take: the reference is missing on a create, or its variable is unset. */
export interface SecretProblem {
  readonly property: string;
  readonly message: string;
}

/** What keeps `spec` (a document's, about to be created) from being written with its secrets. */
export function secretProblems(descriptor: Pick<KindDescriptor, "secrets">, spec: JsonObject, env: NodeJS.ProcessEnv = process.env): SecretProblem[] {
  const problems: SecretProblem[] = [];
  for (const { property, requiredOnCreate } of descriptor.secrets ?? []) {
    const variable = secretVariable(spec[property]);
    if (variable === undefined) {
      if (requiredOnCreate) problems.push({ property, message: `${property} is required to create it: write ${property}: env:NAME and set NAME in apply's environment` });
    } else if (!env[variable]) {
      problems.push({ property, message: `${property} names the environment variable ${variable}, which is not set` });
    }
  }
  return problems;
}

/** `body` with each secret reference replaced by its variable's value (apply only; the value is never logged). */
export function resolveSecrets(descriptor: Pick<KindDescriptor, "secrets">, body: JsonObject, env: NodeJS.ProcessEnv = process.env): JsonObject {
  for (const property of secretPaths(descriptor)) {
    const variable = secretVariable(body[property]);
    if (variable === undefined) continue;
    const value = env[variable];
    if (!value) throw new Error(`${property} names the environment variable ${variable}, which is not set`);
    body[property] = value;
  }
  return body;
}

/**
 * `live` (a live object in document form, which never has a secret) with the secret references of
 * the document it replaces: export and sync rewrite a document from the tenant, and the reference
 * is the one thing the tenant cannot tell them.
 */
export function keepSecretReferences(descriptor: Pick<KindDescriptor, "secrets">, live: JsonObject, existing: JsonObject | undefined): JsonObject {
  if (!existing) return live;
  let out = live;
  for (const property of secretPaths(descriptor)) {
    if (live[property] !== undefined || secretVariable(existing[property]) === undefined) continue;
    if (out === live) out = { ...live };
    out[property] = existing[property] as string;
  }
  return out;
}
