/**
 * Links a target holds at most one of (`Relationship.onePerTarget`, docs/graph-behaviour.md, "Policy
 * assignments"), checked against what plan keeps in the tenant: a live object without a document
 * that is not deleted (no `prune`) keeps its links, so a document naming one of its targets asks
 * for a second one, which Graph refuses. Documents against each other are validate's
 * (`engine/validate-one-per-target.ts`). Pure.
 */
import type { EntraDocument, JsonValue } from "../../model/document.js";
import type { LiveObject, PlanDiagnostic, UnmanagedObject } from "../../model/plan.js";
import { address } from "../../model/kind.js";
import type { Catalog } from "./catalog.js";

function values(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

export function keptLinkConflicts(desired: readonly EntraDocument[], actual: readonly LiveObject[], unmanaged: readonly UnmanagedObject[], catalog: Catalog): PlanDiagnostic[] {
  const out: PlanDiagnostic[] = [];
  const liveById = new Map(actual.map((o) => [`${o.kind}\u0000${o.id.toLowerCase()}`, o]));
  for (const kept of unmanaged) {
    const kind = catalog.get(kept.kind);
    const live = liveById.get(`${kept.kind}\u0000${kept.id.toLowerCase()}`);
    if (!kind || !live) continue;
    for (const relationship of kind.relationships ?? []) {
      if (!relationship.onePerTarget) continue;
      const held = new Set(values(live.spec[relationship.property]).map((v) => v.toLowerCase()));
      for (const doc of desired) {
        if (doc.kind !== kept.kind) continue;
        values(doc.spec[relationship.property]).forEach((target, i) => {
          if (!held.has(target.toLowerCase())) return;
          const at = address(doc.kind, doc.name);
          out.push({
            severity: "error",
            code: "one-per-target",
            address: at,
            message: `spec.${relationship.property}[${i}]: ${target} is assigned ${kept.address} in the tenant, which has no document and is kept (no prune): Graph assigns at most one ${kind.title ?? kind.kind} to it. Add a document for ${kept.address} without ${target}, or remove it there first`,
          });
        });
      }
    }
  }
  return out;
}
