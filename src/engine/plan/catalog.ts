import { kindNames, type Kind } from "../../model/kind.js";
import { sortByDependencies } from "../../kinds/registry.js";
import type { KindDescriptor } from "../../kinds/types.js";

/** The part of a kind descriptor the plan reads (tests and callers may pass just this). */
export type PlanKind = Pick<
  KindDescriptor,
  "kind" | "singleton" | "naturalKey" | "createOnly" | "setArrays" | "arrayKeys" | "references" | "relationships" | "dependsOn"
> &
  Partial<Pick<KindDescriptor, "title" | "keepWhenAbsent" | "leftAloneWhenAbsent" | "tenantState" | "secrets" | "beforeDelete" | "stagedUpdateNote" | "cannotDelete" | "readOnly" | "refuseUpdate" | "refuseAgainst" | "fixedObjects" | "ended">>;

export interface Catalog {
  get(kind: Kind): PlanKind | undefined;
  /** Position of a kind in dependency order (dependencies first). */
  rank(kind: Kind): number;
}

/**
 * Orders kinds so that every kind comes after the kinds it `dependsOn` (the registry's one
 * dependency sort: ties in `kindNames()` order; a cycle throws `DependencyCycleError`).
 */
export function dependencyOrder(kinds: readonly PlanKind[]): Kind[] {
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  return sortByDependencies([...byKind.keys()], (kind) => byKind.get(kind)?.dependsOn ?? []);
}

export function createCatalog(kinds: readonly PlanKind[]): Catalog {
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  const ranks = new Map(dependencyOrder(kinds).map((kind, i) => [kind, i]));
  return {
    get: (kind) => byKind.get(kind),
    rank: (kind) => ranks.get(kind) ?? kindNames().length + kindNames().indexOf(kind),
  };
}
