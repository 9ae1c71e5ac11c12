import type { JsonObject } from "../model/document.js";
import { administrativeUnit } from "./administrativeUnit.js";
import { application } from "./application.js";
import { authenticationContextClassReference } from "./authenticationContextClassReference.js";
import { authenticationMethodsPolicy } from "./authenticationMethodsPolicy.js";
import { authenticationStrengthPolicy } from "./authenticationStrengthPolicy.js";
import { authorizationPolicy } from "./authorizationPolicy.js";
import { conditionalAccessPolicy } from "./conditionalAccessPolicy.js";
import { crossTenantAccessPolicyDefault } from "./crossTenantAccessPolicyDefault.js";
import { crossTenantAccessPolicyPartner } from "./crossTenantAccessPolicyPartner.js";
import { group } from "./group.js";
import { groupSetting } from "./groupSetting.js";
import { KIND_NAMES } from "../model/kind.js";
import type { Kind } from "../model/kind.js";
import { namedLocation } from "./namedLocation.js";
import { roleAssignment } from "./roleAssignment.js";
import { servicePrincipal } from "./servicePrincipal.js";
import type { KindDescriptor } from "./types.js";
import { user } from "./user.js";

/** Every kind's descriptor, by kind (the type checks that none is missing). */
const DESCRIPTORS: Readonly<Record<Kind, KindDescriptor>> = {
  namedLocation,
  authenticationContextClassReference,
  authenticationStrengthPolicy,
  authorizationPolicy,
  authenticationMethodsPolicy,
  crossTenantAccessPolicyDefault,
  crossTenantAccessPolicyPartner,
  groupSetting,
  user,
  group,
  administrativeUnit,
  application,
  servicePrincipal,
  roleAssignment,
  conditionalAccessPolicy,
};

export function getKind(kind: Kind): KindDescriptor {
  return DESCRIPTORS[kind];
}

/** All descriptors in dependency order (see `sortByDependencies`). */
export function allKinds(): KindDescriptor[] {
  return sortByDependencies(KIND_NAMES).map(getKind);
}

export class DependencyCycleError extends Error {
  override readonly name = "DependencyCycleError";
  constructor(readonly cycle: readonly Kind[]) {
    super(`kinds depend on each other in a cycle: ${cycle.join(" → ")}`);
  }
}

/**
 * `kinds` ordered so each comes after the kinds it depends on (dependencies outside `kinds` are
 * ignored); ties keep `KIND_NAMES` order, so the result is deterministic. Reverse it for deletes.
 * Throws `DependencyCycleError` naming the cycle.
 */
export function sortByDependencies(
  kinds: readonly Kind[],
  dependsOn: (kind: Kind) => readonly Kind[] = (k) => getKind(k).dependsOn,
): Kind[] {
  const wanted = new Set(kinds);
  const ordered = KIND_NAMES.filter((k) => wanted.has(k));
  const state = new Map<Kind, "visiting" | "done">();
  const result: Kind[] = [];
  const stack: Kind[] = [];
  const visit = (kind: Kind): void => {
    const seen = state.get(kind);
    if (seen === "done") return;
    if (seen === "visiting") throw new DependencyCycleError([...stack.slice(stack.indexOf(kind)), kind]);
    state.set(kind, "visiting");
    stack.push(kind);
    for (const dep of dependsOn(kind)) if (wanted.has(dep)) visit(dep);
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
