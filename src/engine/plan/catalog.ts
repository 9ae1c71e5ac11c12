import { kindNames, type Kind } from "../../model/kind.js";
import type { KindDescriptor } from "../../kinds/types.js";

/** The part of a kind descriptor the plan reads (tests and callers may pass just this). */
export type PlanKind = Pick<
  KindDescriptor,
  "kind" | "singleton" | "naturalKey" | "createOnly" | "setArrays" | "arrayKeys" | "references" | "relationships" | "dependsOn"
> &
  Partial<Pick<KindDescriptor, "title" | "keepWhenAbsent" | "tenantState" | "beforeDelete" | "stagedUpdateNote">>;

/** The kind a reference prefix points at (from the kind registry), and reference parsing (one definition, in src/documents). */
export { kindOfPrefix as referenceTargetKind } from "../../kinds/registry.js";
export { parseReference } from "../../kinds/reference-syntax.js";

export interface Catalog {
  get(kind: Kind): PlanKind | undefined;
  /** Position of a kind in dependency order (dependencies first). */
  rank(kind: Kind): number;
}

/**
 * Orders kinds so that every kind comes after the kinds it `dependsOn` (ties in `kindNames()` order).
 * A dependency cycle between descriptors is a programming error and throws.
 */
export function dependencyOrder(kinds: readonly PlanKind[]): Kind[] {
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  const names = kindNames();
  const order: Kind[] = [];
  const state = new Map<Kind, "visiting" | "done">();
  const visit = (kind: Kind, trail: Kind[]): void => {
    const seen = state.get(kind);
    if (seen === "done") return;
    if (seen === "visiting") throw new Error(`kind dependency cycle: ${[...trail, kind].join(" → ")}`);
    state.set(kind, "visiting");
    const deps = [...(byKind.get(kind)?.dependsOn ?? [])].sort((a, b) => names.indexOf(a) - names.indexOf(b));
    for (const dep of deps) if (byKind.has(dep)) visit(dep, [...trail, kind]);
    state.set(kind, "done");
    order.push(kind);
  };
  for (const kind of names) if (byKind.has(kind)) visit(kind, []);
  return order;
}

export function createCatalog(kinds: readonly PlanKind[]): Catalog {
  const byKind = new Map(kinds.map((k) => [k.kind, k]));
  const ranks = new Map(dependencyOrder(kinds).map((kind, i) => [kind, i]));
  return {
    get: (kind) => byKind.get(kind),
    rank: (kind) => ranks.get(kind) ?? kindNames().length + kindNames().indexOf(kind),
  };
}
