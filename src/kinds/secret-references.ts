/**
 * Write-only secrets (README "Secrets from the environment"): a property Graph accepts on create but
 * never returns (it reads `******`), such as a social identity provider's `clientSecret`. A document
 * never holds the value, only the environment variable to take it from, written `env:NAME`;
 * the schema refuses anything else, so a secret cannot reach git. Plan and sync never compare the
 * property (the tenant's value cannot be read); apply resolves the variable only when it writes the
 * property (a create, or a rotation), and refuses the whole apply before any write when a variable
 * is unset. A rotation is asked for by the secret's version marker (`SecretProperty.version`,
 * README "Rotating a write-only secret"): the document's marker against the one last applied in
 * the environment, which the environment's state keeps (`state/secret-versions.ts`); never the
 * value or a hash of it.
 */
import type { JsonObject, JsonValue } from "../model/document.js";
import type { KindDescriptor } from "./types.js";

/** `env:NAME`, NAME an environment variable name (not `${…}`: that is a configuration variable, README "Environments"). */
export const SECRET_REFERENCE_PATTERN_SOURCE = "^env:([A-Za-z_][A-Za-z0-9_]*)$";
const SECRET_REFERENCE = new RegExp(SECRET_REFERENCE_PATTERN_SOURCE);

/** The environment variable a secret reference names, or undefined for anything else. */
export function secretVariable(value: unknown): string | undefined {
  return typeof value === "string" ? SECRET_REFERENCE.exec(value)?.[1] : undefined;
}

/** The descriptor's secret properties (top-level names). */
export function secretProperties(descriptor: Pick<KindDescriptor, "secrets">): string[] {
  return (descriptor.secrets ?? []).map((s) => s.property);
}

/** The version marker properties of the descriptor's secrets (`clientSecretVersion`). */
export function versionMarkers(descriptor: Pick<KindDescriptor, "secrets">): string[] {
  return (descriptor.secrets ?? []).flatMap((s) => (s.version === undefined ? [] : [s.version]));
}

/**
 * What plan, verify and sync never compare with the tenant: the secret properties (the tenant's
 * value cannot be read) and their version markers (the tenant has none; plan compares a marker
 * with the environment's state instead, see `secretRotations`).
 */
export function secretPaths(descriptor: Pick<KindDescriptor, "secrets">): string[] {
  return [...secretProperties(descriptor), ...versionMarkers(descriptor)];
}

/**
 * Drops every secret value that is not a reference: the mask Graph reads (`******`). Documents
 * keep their references; a live object never has one.
 */
export function dropSecretValues(descriptor: Pick<KindDescriptor, "secrets">, spec: JsonObject): void {
  for (const property of secretProperties(descriptor)) {
    if (property in spec && secretVariable(spec[property]) === undefined) delete spec[property];
  }
}

/** A secret apply cannot take: the reference is missing on a create, or its variable is unset. */
export interface SecretProblem {
  readonly property: string;
  readonly message: string;
}

/**
 * What keeps `spec` (a document's, about to be created) from being written with its secrets; with
 * `only`, just those properties (a rotation writes the rotated ones, each needs its reference).
 */
export function secretProblems(descriptor: Pick<KindDescriptor, "secrets">, spec: JsonObject, env: NodeJS.ProcessEnv = process.env, only?: readonly string[]): SecretProblem[] {
  const problems: SecretProblem[] = [];
  for (const { property, requiredOnCreate } of descriptor.secrets ?? []) {
    if (only !== undefined && !only.includes(property)) continue;
    const variable = secretVariable(spec[property]);
    if (variable === undefined) {
      if (only !== undefined) problems.push({ property, message: `${property} is rotated and needs its value: write ${property}: env:NAME and set NAME in apply's environment` });
      else if (requiredOnCreate) problems.push({ property, message: `${property} is required to create it: write ${property}: env:NAME and set NAME in apply's environment` });
    } else if (!env[variable]) {
      problems.push({ property, message: `${property} names the environment variable ${variable}, which is not set` });
    }
  }
  return problems;
}

/** `body` with each secret reference replaced by its variable's value (apply only; the value is never logged). */
export function resolveSecrets(descriptor: Pick<KindDescriptor, "secrets">, body: JsonObject, env: NodeJS.ProcessEnv = process.env): JsonObject {
  // Version markers are the engine's, not Graph's: never sent.
  for (const marker of versionMarkers(descriptor)) delete body[marker];
  for (const property of secretProperties(descriptor)) {
    const variable = secretVariable(body[property]);
    if (variable === undefined) continue;
    const value = env[variable];
    if (!value) throw new Error(`${property} names the environment variable ${variable}, which is not set`);
    body[property] = value;
  }
  return body;
}

/**
 * `live` (a live object in document form, which never has a secret) with the secret references and
 * version markers of the document it replaces: export and sync rewrite a document from the
 * tenant, and these are what the tenant cannot tell them. They never invent a marker.
 */
export function keepSecretReferences(descriptor: Pick<KindDescriptor, "secrets">, live: JsonObject, existing: JsonObject | undefined): JsonObject {
  if (!existing) return live;
  let out = live;
  for (const { property, version } of descriptor.secrets ?? []) {
    const keep = [...(secretVariable(existing[property]) !== undefined ? [property] : []), ...(version !== undefined && versionMarker(existing[version]) !== undefined ? [version] : [])];
    for (const key of keep) {
      if (live[key] !== undefined) continue;
      if (out === live) out = { ...live };
      out[key] = existing[key] as JsonValue;
    }
  }
  return out;
}

/** A version marker: a non-negative integer or a non-empty string (the schema allows nothing else). */
export type SecretVersion = number | string;

/** The value as a version marker, or undefined when it is none. */
export function versionMarker(value: unknown): SecretVersion | undefined {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === "string" && value.trim() !== "") return value;
  return undefined;
}

/**
 * Orders two markers: integers by value; anything else as text with its digit runs compared as
 * numbers (`v2` < `v10`, `2026-09` < `2027-01`). Negative: `a` is lower.
 */
export function compareVersions(a: SecretVersion, b: SecretVersion): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), "en", { numeric: true, sensitivity: "variant" });
}

/** A secret the plan writes again: its marker went from `from` (none: never recorded) to `to`. */
export interface SecretRotation {
  readonly property: string;
  readonly from?: SecretVersion;
  readonly to: SecretVersion;
}

/**
 * The document's markers against those last applied (`applied`: secret property → marker, from
 * the environment's state). A marker higher than the applied one, or one where none was recorded,
 * is a rotation; a lower one is `lowered` (never a rotation: plan warns and writes nothing); a
 * marker equal to the applied one, or none in the document, is neither.
 */
export function secretRotations(descriptor: Pick<KindDescriptor, "secrets">, spec: JsonObject, applied: JsonObject | undefined): { rotated: SecretRotation[]; lowered: SecretRotation[] } {
  const rotated: SecretRotation[] = [];
  const lowered: SecretRotation[] = [];
  for (const { property, version } of descriptor.secrets ?? []) {
    if (version === undefined) continue;
    const to = versionMarker(spec[version]);
    if (to === undefined) continue;
    const from = versionMarker(applied?.[property]);
    if (from === undefined) rotated.push({ property, to });
    else if (compareVersions(to, from) > 0) rotated.push({ property, from, to });
    else if (compareVersions(to, from) < 0) lowered.push({ property, from, to });
  }
  return { rotated, lowered };
}

/** The markers a document's spec holds, by secret property: what the state records once they are applied. */
export function versionsIn(descriptor: Pick<KindDescriptor, "secrets">, spec: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const { property, version } of descriptor.secrets ?? []) {
    const marker = version === undefined ? undefined : versionMarker(spec[version]);
    if (marker !== undefined) out[property] = marker;
  }
  return out;
}
