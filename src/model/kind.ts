import { BUILT_IN_OPT_IN, KIND_NAMES } from "./kinds.generated.js";

/**
 * The built-in kinds: generated from the descriptor modules of src/kinds/ (`npm run kinds`,
 * ARCHITECTURE.md "Kinds"), so `Kind` stays a union of literals in this bottom layer while the
 * descriptor is the one place a kind is declared.
 */
export { KIND_NAMES };

export type Kind = (typeof KIND_NAMES)[number];

/** `KIND/NAME`, e.g. `conditionalAccessPolicy/require-mfa-for-admins`. */
export type Address = `${Kind}/${string}` & { readonly __brand: "Address" };

/** An object id in a tenant (a GUID, or a partner tenant id for cross-tenant partners). */
export type ObjectId = string & { readonly __brand: "ObjectId" };

/**
 * Kinds registered at run time (`registerKind` in registry.ts) besides the built-in vocabulary, and
 * the reference prefixes they bring. The type `Kind` names the built-in kinds; a kind registered at
 * run time is a `Kind` by registration (its descriptor carries everything else).
 */
const registeredKinds: Kind[] = [];
const registeredPrefixes: string[] = [];
const registeredOptIn = new Set<Kind>();

/** The kinds in scope when the configuration names none: every kind but the opt-in ones. */
export function defaultKindNames(): Kind[] {
  // BUILT_IN_OPT_IN is generated from the descriptors' `optIn` (test/kinds/registry checks they agree).
  return kindNames().filter((k) => !BUILT_IN_OPT_IN.includes(k) && !registeredOptIn.has(k));
}

/** Every kind: the built-in ones in `KIND_NAMES` order, then those registered at run time. */
export function kindNames(): readonly Kind[] {
  return registeredKinds.length === 0 ? KIND_NAMES : [...KIND_NAMES, ...registeredKinds];
}

/** Records a kind registered at run time (called by `registerKind`); `remove` undoes it. */
export function noteRegisteredKind(kind: Kind, prefix: string | undefined, optIn: boolean, remove = false): void {
  const at = registeredKinds.indexOf(kind);
  if (remove) {
    registeredOptIn.delete(kind);
    if (at >= 0) registeredKinds.splice(at, 1);
    if (prefix !== undefined && registeredPrefixes.includes(prefix)) registeredPrefixes.splice(registeredPrefixes.indexOf(prefix), 1);
    return;
  }
  if (at < 0) registeredKinds.push(kind);
  if (optIn) registeredOptIn.add(kind);
  if (prefix !== undefined && !registeredPrefixes.includes(prefix)) registeredPrefixes.push(prefix);
}

/** Reference prefixes of kinds registered at run time (the built-in ones are `REFERENCE_PREFIXES`). */
export function registeredReferencePrefixes(): readonly string[] {
  return registeredPrefixes;
}

/** The built-in kinds as a set: `isKind` runs once per path of a 100,000-document folder. */
const BUILT_IN = new Set<string>(KIND_NAMES);

export function isKind(value: string): value is Kind {
  return BUILT_IN.has(value) || (registeredKinds as readonly string[]).includes(value);
}

export function address(kind: Kind, name: string): Address {
  return `${kind}/${name}` as Address;
}

export function parseAddress(text: string): { kind: Kind; name: string } | undefined {
  const slash = text.indexOf("/");
  if (slash <= 0) return undefined;
  const kind = text.slice(0, slash);
  const name = text.slice(slash + 1);
  if (!isKind(kind) || name.length === 0) return undefined;
  return { kind, name };
}
