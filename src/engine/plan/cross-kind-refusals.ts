/**
 * What Graph refuses of an object given objects of other kinds (`refuseAgainst` in the descriptor,
 * e.g. an access package's role scope on a resource its catalog does not hold): an error for each
 * create or update, so apply writes nothing (not the package, then a refused role scope). The
 * other kinds' objects are their documents and tenant objects, in document form. Pure.
 */
import type { EntraDocument, JsonObject } from "../../model/document.js";
import type { Kind } from "../../model/kind.js";
import type { LiveObject, PlanChange, PlanDiagnostic } from "../../model/plan.js";
import type { Catalog } from "./catalog.js";

export function crossKindRefusals(changes: readonly PlanChange[], desired: readonly EntraDocument[], actual: readonly LiveObject[], catalog: Catalog, inScope: ReadonlySet<Kind>): PlanDiagnostic[] {
  const out: PlanDiagnostic[] = [];
  const cache = new Map<Kind, readonly JsonObject[]>();
  const specsOf = (kind: Kind): readonly JsonObject[] | undefined => {
    if (!inScope.has(kind)) return undefined;
    let specs = cache.get(kind);
    if (!specs) {
      specs = [...desired.filter((d) => d.kind === kind).map((d) => d.spec), ...actual.filter((a) => a.kind === kind).map((a) => a.spec)];
      cache.set(kind, specs);
    }
    return specs;
  };
  for (const change of changes) {
    if (change.action !== "create" && change.action !== "update") continue;
    const refuse = catalog.get(change.kind)?.refuseAgainst;
    if (!refuse) continue;
    for (const reason of refuse(change.after, specsOf)) out.push({ severity: "error", code: "refused-against", address: change.address, message: `${change.address}: ${reason}` });
  }
  return out;
}
