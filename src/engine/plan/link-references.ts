import type { EntraDocument, JsonObject } from "../../model/document.js";
import { address, type Address, type Kind } from "../../model/kind.js";
import type { Catalog } from "./catalog.js";
import { isBuiltinReference, NameIndex, referencesOf } from "./references.js";
import type { LiveObject, PlanChange, PlanDiagnostic } from "../../model/plan.js";

/**
 * Fills each change's `references` and `dependsOn` from the references its spec uses, and reports
 * references that name nothing (in a kind that was read) or an object this plan deletes.
 * `namesUnread`: an incremental drift's objects left unread, which exist as their documents say.
 */
export function linkReferences(
  changes: readonly PlanChange[],
  desired: readonly EntraDocument[],
  actual: readonly LiveObject[],
  catalog: Catalog,
  inScope: ReadonlySet<Kind>,
  diagnostics: PlanDiagnostic[],
  namesUnread: (reference: string) => boolean = () => false,
): PlanChange[] {
  const index = new NameIndex();
  for (const doc of desired) index.add(doc.kind, doc.name, doc.spec);
  for (const live of actual) index.add(live.kind, live.name, live.spec);
  const desiredSpec = new Map<Address, JsonObject>(desired.map((d) => [address(d.kind, d.name), d.spec]));
  const actionOf = new Map<Address, PlanChange["action"]>(changes.map((c) => [c.address, c.action]));

  const refsOf = (change: PlanChange): string[] => {
    const kind = catalog.get(change.kind);
    if (!kind) return [];
    switch (change.action) {
      case "create":
      case "update":
      case "restore":
        return referencesOf(change.after, kind);
      case "delete":
        return referencesOf(change.before, kind);
      case "noop": {
        const spec = desiredSpec.get(change.address);
        return spec ? referencesOf(spec, kind) : [];
      }
    }
  };

  const deletedBy = new Map<Address, Address[]>();
  const out = changes.map((change): PlanChange => {
    const references = refsOf(change);
    const dependsOn = new Set<Address>();
    for (const reference of references) {
      const target = index.resolve(reference);
      const targetKind = NameIndex.targetKind(reference);
      if (!target) {
        if (change.action !== "delete" && targetKind && inScope.has(targetKind) && !isBuiltinReference(reference) && !namesUnread(reference)) {
          diagnostics.push({ severity: "error", code: "unresolved-reference", address: change.address, message: `${reference} names no ${targetKind} in the configuration or the tenant` });
        }
        continue;
      }
      const targetAction = actionOf.get(target);
      if (change.action === "delete") {
        if (targetAction === "delete") deletedBy.set(target, [...(deletedBy.get(target) ?? []), change.address]);
        continue;
      }
      if (targetAction === "delete") {
        diagnostics.push({ severity: "error", code: "reference-to-deleted", address: change.address, message: `${reference} is used here but this plan deletes ${target}` });
      } else if (targetAction === "create" || targetAction === "restore") {
        if (target !== change.address) dependsOn.add(target);
      }
    }
    if (change.action === "noop") return change;
    return { ...change, references, dependsOn: [...dependsOn].sort() };
  });
  return out.map((change) =>
    change.action === "delete" && deletedBy.has(change.address)
      ? { ...change, dependsOn: [...new Set(deletedBy.get(change.address))].sort() }
      : change,
  );
}
