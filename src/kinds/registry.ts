import type { JsonObject } from "../model/document.js";
import { kindNames, noteRegisteredKind } from "../model/kind.js";
import type { Kind } from "../model/kind.js";
import type { KindDescriptor, ReferenceKey, ReferencePrefix } from "./types.js";
import { BUILT_IN_DESCRIPTORS } from "./built-in.generated.js";

/** The built-in descriptors and those registered at run time, by kind. */
const DESCRIPTORS = new Map<Kind, KindDescriptor>(Object.entries(BUILT_IN_DESCRIPTORS) as [Kind, KindDescriptor][]);

export function getKind(kind: Kind): KindDescriptor {
  const descriptor = DESCRIPTORS.get(kind);
  if (!descriptor) throw new Error(`unknown kind "${kind}"`);
  return descriptor;
}

/** All descriptors in dependency order (see `sortByDependencies`). */
export function allKinds(): KindDescriptor[] {
  return sortByDependencies(kindNames()).map(getKind);
}

/**
 * Adds a kind at run time: everything the engine does with a kind (export, validate, plan, apply,
 * import, sync's attribution, permissions, the configuration's kind lists) reads its descriptor
 * from here. Refuses a kind or reference prefix already in use, and dependencies on unknown kinds.
 * Returns a function that removes it again.
 */
export function registerKind(descriptor: KindDescriptor): () => void {
  if (DESCRIPTORS.has(descriptor.kind)) throw new Error(`kind "${descriptor.kind}" is already registered`);
  const prefix = descriptor.reference?.prefix;
  if (prefix !== undefined && (prefix === "role" || prefix === "resource" || kindOfPrefix(prefix) !== undefined)) {
    throw new Error(`reference prefix "${prefix}" of kind "${descriptor.kind}" is already in use`);
  }
  for (const dep of descriptor.dependsOn) if (!DESCRIPTORS.has(dep)) throw new Error(`kind "${descriptor.kind}" depends on unknown kind "${dep}"`);
  DESCRIPTORS.set(descriptor.kind, descriptor);
  noteRegisteredKind(descriptor.kind, prefix, descriptor.optIn === true);
  return () => {
    if (DESCRIPTORS.get(descriptor.kind) !== descriptor) return;
    DESCRIPTORS.delete(descriptor.kind);
    noteRegisteredKind(descriptor.kind, prefix, false, true);
  };
}

/** The kind whose documents `prefix:` references point at; undefined for `role:`, `resource:` and unknown prefixes. */
export function kindOfPrefix(prefix: string): Kind | undefined {
  for (const descriptor of DESCRIPTORS.values()) if (descriptor.reference?.prefix === prefix) return descriptor.kind;
  return undefined;
}

/** The prefix that references objects of a kind (`authenticationStrengthPolicy` → `authenticationStrength`). */
export function prefixOfKind(kind: Kind): ReferencePrefix | undefined {
  return DESCRIPTORS.get(kind)?.reference?.prefix;
}

/**
 * Kinds whose references name objects by a key Graph resolves directly (`reference.lookUpByKey`:
 * users by UPN): such references resolve whether or not the kind is in scope.
 */
export function kindsLookedUpByKey(): KindDescriptor[] {
  return [...DESCRIPTORS.values()].filter((d) => d.reference?.lookUpByKey === true && d.reference.key !== undefined);
}

/** The reference key of the kind a prefix points at. */
export function referenceKeyOf(prefix: string): ReferenceKey | undefined {
  const kind = kindOfPrefix(prefix);
  return kind === undefined ? undefined : DESCRIPTORS.get(kind)?.reference;
}

/** A reference name as compared: lower case for kinds named case-insensitively (userPrincipalNames). */
export function comparableReferenceName(prefix: string, name: string): string {
  return referenceKeyOf(prefix)?.caseInsensitive ? name.toLowerCase() : name;
}

/**
 * The name references use for an object of a kind: the value of the kind's reference key in its
 * spec (a user's userPrincipalName), else its document name; undefined when the kind is not
 * referenced or the key is missing.
 */
export function referenceNameOf(kind: Kind, documentName: string, spec: JsonObject): string | undefined {
  const reference = DESCRIPTORS.get(kind)?.reference;
  if (!reference) return undefined;
  if (reference.key === undefined) return documentName;
  const value = spec[reference.key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

export class DependencyCycleError extends Error {
  override readonly name = "DependencyCycleError";
  constructor(readonly cycle: readonly Kind[]) {
    super(`kinds depend on each other in a cycle: ${cycle.join(" → ")}`);
  }
}

/**
 * `kinds` ordered so each comes after the kinds it depends on (dependencies outside `kinds` are
 * ignored); ties keep `kindNames()` order, so the result is deterministic. Reverse it for deletes.
 * Throws `DependencyCycleError` naming the cycle.
 */
export function sortByDependencies(
  kinds: readonly Kind[],
  dependsOn: (kind: Kind) => readonly Kind[] = (k) => getKind(k).dependsOn,
): Kind[] {
  const wanted = new Set(kinds);
  const names = kindNames();
  const ordered = names.filter((k) => wanted.has(k));
  const state = new Map<Kind, "visiting" | "done">();
  const result: Kind[] = [];
  const stack: Kind[] = [];
  const visit = (kind: Kind): void => {
    const seen = state.get(kind);
    if (seen === "done") return;
    if (seen === "visiting") throw new DependencyCycleError([...stack.slice(stack.indexOf(kind)), kind]);
    state.set(kind, "visiting");
    stack.push(kind);
    const deps = [...dependsOn(kind)].sort((a, b) => names.indexOf(a) - names.indexOf(b));
    for (const dep of deps) if (wanted.has(dep)) visit(dep);
    stack.pop();
    state.set(kind, "done");
    result.push(kind);
  };
  for (const kind of ordered) visit(kind);
  return result;
}

/**
 * The value of a spec's natural key, e.g. `Require MFA` (displayName) or, for a key joined with
 * `+`, the parts joined with `|`. Undefined when a part is missing.
 */
export function naturalKeyValue(descriptor: KindDescriptor, spec: JsonObject): string | undefined {
  const parts: string[] = [];
  for (const property of descriptor.naturalKey.split("+")) {
    const value = spec[property];
    if (typeof value !== "string" || value === "") return undefined;
    parts.push(value);
  }
  return parts.join("|");
}

/**
 * Application permissions the given kinds need (docs/graph-behaviour.md §10), sorted and de-duplicated:
 * `read` for export/plan/drift, `write` for apply (which also reads).
 */
export function requiredPermissions(kinds: readonly Kind[], access: "read" | "write"): string[] {
  const names = new Set<string>();
  for (const kind of kinds) {
    const { read, write } = getKind(kind).permissions;
    for (const name of access === "read" ? read : [...read, ...write]) names.add(name);
  }
  return [...names].sort();
}

/** Microsoft Graph app role ids of the permissions the registered kinds name (their descriptors' `permissions.ids`). */
export function permissionIds(): Map<string, string> {
  const ids = new Map<string, string>();
  for (const descriptor of DESCRIPTORS.values()) for (const [name, id] of Object.entries(descriptor.permissions.ids ?? {})) ids.set(name, id);
  return ids;
}
