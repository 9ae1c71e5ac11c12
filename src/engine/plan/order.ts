import type { Address } from "../../model/kind.js";
import type { Catalog } from "./catalog.js";
import { compareNames } from "./pair.js";
import type { PlanChange, PlanDiagnostic } from "../../model/plan.js";

/**
 * Apply order: creates, restores, updates (and no-ops) with dependencies first — kinds in
 * `dependsOn` order, then by name, then each change after the objects it references — and
 * deletes last, in reverse (users of an object go before the object).
 */
export function orderChanges(changes: readonly PlanChange[], catalog: Catalog, diagnostics: PlanDiagnostic[]): PlanChange[] {
  const forward = changes.filter((c) => c.action !== "delete");
  const deletes = changes.filter((c) => c.action === "delete");
  const base = (a: PlanChange, b: PlanChange): number => catalog.rank(a.kind) - catalog.rank(b.kind) || compareNames(a.name, b.name);
  forward.sort(base);
  deletes.sort((a, b) => base(b, a));
  return [...topological(forward, diagnostics), ...topological(deletes, diagnostics)];
}

/** Depth-first topological order that keeps the given order wherever dependencies allow. */
function topological(changes: readonly PlanChange[], diagnostics: PlanDiagnostic[]): PlanChange[] {
  const byAddress = new Map<Address, PlanChange>(changes.map((c) => [c.address, c]));
  const state = new Map<Address, "visiting" | "done">();
  const out: PlanChange[] = [];
  const visit = (change: PlanChange, trail: Address[]): void => {
    const seen = state.get(change.address);
    if (seen === "done") return;
    if (seen === "visiting") {
      const cycle = [...trail.slice(trail.indexOf(change.address)), change.address];
      diagnostics.push({ severity: "error", code: "dependency-cycle", address: change.address, message: `dependency cycle: ${cycle.join(" → ")}` });
      return;
    }
    state.set(change.address, "visiting");
    if (change.action !== "noop") {
      for (const dep of change.dependsOn) {
        const target = byAddress.get(dep);
        if (target) visit(target, [...trail, change.address]);
      }
    }
    state.set(change.address, "done");
    out.push(change);
  };
  for (const change of changes) visit(change, []);
  return out;
}
