import { formatReference } from "../../kinds/reference-syntax.js";
import { prefixOfKind } from "../../kinds/registry.js";
import type { Address, Kind } from "../../model/kind.js";
import { summarize } from "../../model/plan-summary.js";
import type { Plan } from "../../model/plan.js";

/**
 * The part of a plan that concerns one object: its own change and the changes of objects that
 * reference it or wait for it (a restored group's role assignments, the policies that exclude
 * it). Pure; the summary is recomputed and the guard findings kept only for those changes.
 */
export function focusPlan(plan: Plan, target: Address, kind: Kind, name: string): Plan {
  const prefix = prefixOfKind(kind);
  const reference = prefix ? formatReference(prefix, name) : undefined;
  const changes = plan.changes.filter(
    (change) =>
      change.address === target ||
      (change.action !== "noop" && (change.dependsOn.includes(target) || (reference !== undefined && change.references.includes(reference)))),
  );
  const kept = new Set<Address>(changes.map((c) => c.address));
  const guards = plan.guards.filter((g) => g.address === undefined || kept.has(g.address));
  const diagnostics = plan.diagnostics.filter((d) => d.address === undefined || kept.has(d.address));
  return { ...plan, changes, guards, diagnostics, unmanaged: [], summary: summarize(changes, [], guards, diagnostics) };
}
