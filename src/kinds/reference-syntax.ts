/**
 * Reference syntax inside specs (docs/design.md §2): `prefix:name` for objects managed in the folder,
 * `role:<display name>`, `user:<userPrincipalName>`; a GUID that names nothing known stays a GUID;
 * sentinels (`All`, `None`, `AllTrusted`, …) stay as they are.
 */
import { REFERENCE_PREFIXES } from "./types.js";
import type { ReferencePrefix } from "./types.js";
import { registeredReferencePrefixes } from "../model/kind.js";

export interface Reference {
  prefix: ReferencePrefix;
  name: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const GUID_PATTERN_SOURCE = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** Authentication context ids are chosen by the administrator: `c1` … `c99`, never GUIDs. */
export const AUTH_CONTEXT_ID_PATTERN_SOURCE = "^c(?:[1-9]|[1-9][0-9])$";
const AUTH_CONTEXT_ID = new RegExp(AUTH_CONTEXT_ID_PATTERN_SOURCE);

export function isAuthContextId(value: string): boolean {
  return AUTH_CONTEXT_ID.test(value);
}

/** `prefix:name` → its parts; undefined for anything else (a GUID, a sentinel, plain text). */
export function parseReference(value: string): Reference | undefined {
  const colon = value.indexOf(":");
  if (colon <= 0) return undefined;
  const prefix = value.slice(0, colon);
  const name = value.slice(colon + 1);
  if (name.length === 0 || name.trim() !== name) return undefined;
  if (!(REFERENCE_PREFIXES as readonly string[]).includes(prefix) && !registeredReferencePrefixes().includes(prefix)) return undefined;
  return { prefix: prefix as ReferencePrefix, name };
}

export function formatReference(prefix: ReferencePrefix, name: string): string {
  return `${prefix}:${name}`;
}

export type ReferenceValue =
  | { type: "reference"; reference: Reference }
  | { type: "guid"; id: string }
  | { type: "sentinel"; value: string }
  | { type: "invalid"; value: string };

/** How a value of a reference field reads: a reference, a GUID, one of the field's sentinels, or invalid. */
export function classifyReferenceValue(value: string, sentinels: readonly string[] = []): ReferenceValue {
  if (sentinels.includes(value)) return { type: "sentinel", value };
  if (isGuid(value)) return { type: "guid", id: value.toLowerCase() };
  const reference = parseReference(value);
  if (reference) return { type: "reference", reference };
  return { type: "invalid", value };
}

/** A sentinel matched case-insensitively, returned in its canonical spelling (`all` → `All`). */
export function canonicalSentinel(value: string, sentinels: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  return sentinels.find((s) => s.toLowerCase() === lower);
}

/** The JSON Schema pattern a reference string matches (prefix:name with one of `prefixes`). */
export function referencePattern(prefixes: readonly ReferencePrefix[]): string {
  return `^(${prefixes.join("|")}):\\S(.*\\S)?$`;
}
