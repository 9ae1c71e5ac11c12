import { secretPaths } from "../../kinds/secret-references.js";
import type { EntraDocument, JsonObject } from "../../model/document.js";
import { withSecretRotations } from "./secret-rotation.js";
import { address, type Address, type Kind } from "../../model/kind.js";
import { allKinds } from "../../kinds/registry.js";
import { applyReportOnlyNewPolicies } from "../../guards/report-only.js";
import { runGuards } from "../../guards/run-guards.js";
import type { GuardContext } from "../../guards/types.js";
import { createChange, deleteChange, matchedChange, restoreChange, type CompareRules } from "./build-change.js";
import { fingerprint } from "./canonical.js";
import { createCatalog, type PlanKind } from "./catalog.js";
import { linkReferences } from "./link-references.js";
import { crossKindRefusals } from "./cross-kind-refusals.js";
import { keptLinkConflicts } from "./one-per-target.js";
import { orderChanges } from "./order.js";
import { pairKind, type Pairing } from "./pair.js";
import { parseSpecPath } from "./spec-paths.js";
import { summarize } from "../../model/plan-summary.js";
import {
  PLAN_FORMAT_VERSION,
  type AbsentFields,
  type DeletedItem,
  type LiveObject,
  type Plan,
  type PlanChange,
  type PlanDiagnostic,
  type PlanSource,
  type UnmanagedObject,
} from "../../model/plan.js";

export interface PlanOptions {
  /** Kind descriptors (or the parts the plan reads). Default: the registry's. */
  descriptors?: readonly PlanKind[];
  /** Kinds read from the tenant; only these are compared and pruned. Default: kinds present in `actual` or `desired`. */
  scope?: readonly Kind[];
  source: PlanSource;
  /** Delete tenant objects that have no document (kinds in scope only). Default false. */
  prune?: boolean;
  /** Default `remove`: a field missing from the document is removed from the tenant object. */
  absentFields?: AbsentFields;
  ignoreDifferences?: Partial<Record<Kind | "*", string[]>>;
  /** Soft-deleted objects Graph can restore; a document whose id is here becomes a restore. */
  deleted?: readonly DeletedItem[];
  /** Rewrite new Conditional Access policies' `state: enabled` to report-only. */
  reportOnlyNewPolicies?: boolean;
  /** Safety context; when given, guard findings are computed into the plan. */
  guards?: GuardContext;
  /**
   * An incremental drift compares only some objects: whether a reference names an object it left
   * unread (unchanged since the recorded read, so it exists). Without it, a reference must name a
   * document or an object of `actual`.
   */
  namesUnread?: (reference: string) => boolean;
  /**
   * The secret version markers last applied in the environment, by address (README "Rotating a
   * write-only secret"): a document's higher marker is a rotation. Without it (drift, sync), no
   * rotation is planned.
   */
  secretVersions?: ReadonlyMap<string, JsonObject>;
}

function groupByKind<T extends { kind: Kind }>(items: readonly T[]): Map<Kind, T[]> {
  const map = new Map<Kind, T[]>();
  for (const item of items) {
    const list = map.get(item.kind);
    if (list) list.push(item);
    else map.set(item.kind, [item]);
  }
  return map;
}

/**
 * The plan: a pure function of the documents, the normalized tenant objects and the options
 * (ARCHITECTURE.md). It reads no clock, file or network.
 */
export function computePlan(desired: readonly EntraDocument[], actual: readonly LiveObject[], options: PlanOptions): Plan {
  const catalog = createCatalog(options.descriptors ?? allKinds());
  const diagnostics: PlanDiagnostic[] = [];
  const scope = [...new Set(options.scope ?? [...actual, ...desired].map((o) => o.kind))].sort((a, b) => catalog.rank(a) - catalog.rank(b));
  const inScope = new Set<Kind>(scope);
  const prune = options.prune ?? false;
  const absentFields = options.absentFields ?? "remove";
  const ignoreDifferences = options.ignoreDifferences ?? {};
  const desiredByKind = groupByKind(desired);
  const actualByKind = groupByKind(actual);
  const deletedByKind = groupByKind(options.deleted ?? []);

  const changes: PlanChange[] = [];
  const unmanaged: UnmanagedObject[] = [];
  for (const kind of [...new Set<Kind>([...scope, ...desiredByKind.keys()])]) {
    const docs = desiredByKind.get(kind) ?? [];
    const descriptor = catalog.get(kind);
    if (!inScope.has(kind)) {
      diagnostics.push({ severity: "warning", code: "kind-out-of-scope", message: `${docs.length} document(s) of kind ${kind} skipped: ${kind} is not in scope (kinds: in the configuration)` });
      continue;
    }
    if (!descriptor) {
      diagnostics.push({ severity: "error", code: "unknown-kind", message: `no descriptor for kind ${kind}` });
      continue;
    }
    const rules: CompareRules = {
      kind: descriptor,
      ignore: [...(ignoreDifferences["*"] ?? []), ...(ignoreDifferences[kind] ?? []), ...(descriptor.tenantState ?? []), ...secretPaths(descriptor)].map(parseSpecPath),
      absentFields,
    };
    const pairings = pairKind({ kind: descriptor, desired: docs, actual: actualByKind.get(kind) ?? [], deleted: deletedByKind.get(kind) ?? [] }, diagnostics);
    const names = new Set(docs.map((d) => d.name));
    for (const pairing of pairings) {
      let change = toChange(pairing, rules, descriptor, prune, names, unmanaged, diagnostics, options.source.createdAt);
      if (change && pairing.type === "matched" && options.secretVersions) {
        change = withSecretRotations(change, pairing.desired, pairing.actual, rules, options.secretVersions.get(change.address), diagnostics);
      }
      if (change) changes.push(change);
    }
  }

  diagnostics.push(...keptLinkConflicts(desired.filter((d) => inScope.has(d.kind)), actual, unmanaged, catalog));
  diagnostics.push(...crossKindRefusals(changes, desired, actual, catalog, inScope));
  const linked = linkReferences(changes, desired, actual, catalog, inScope, diagnostics, options.namesUnread);
  let ordered = orderChanges(linked, catalog, diagnostics);
  if (options.reportOnlyNewPolicies) {
    ordered = applyReportOnlyNewPolicies(ordered);
    for (const change of ordered) {
      if (change.action === "create" && change.notes.some((n) => n.includes("reportOnlyNewPolicies"))) {
        diagnostics.push({ severity: "info", code: "report-only", address: change.address, message: `${change.address} is created report-only (reportOnlyNewPolicies)` });
      }
    }
  }

  const addressById = new Map<string, Address>();
  for (const change of ordered) if (change.action !== "create") addressById.set(change.id, change.address);
  for (const item of unmanaged) addressById.set(item.id, item.address);
  const plan: Plan = {
    formatVersion: PLAN_FORMAT_VERSION,
    ...options.source,
    settings: { prune, absentFields, reportOnlyNewPolicies: options.reportOnlyNewPolicies ?? false, scope, ignoreDifferences },
    fingerprints: actual
      .map((o) => ({ address: addressById.get(o.id) ?? address(o.kind, o.name), kind: o.kind, id: o.id, sha256: fingerprint(o.spec) }))
      .sort((a, b) => catalog.rank(a.kind) - catalog.rank(b.kind) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    changes: ordered,
    unmanaged: unmanaged.sort((a, b) => catalog.rank(a.kind) - catalog.rank(b.kind) || (a.address < b.address ? -1 : 1)),
    guards: [],
    overrides: [],
    diagnostics,
    summary: summarize([], [], [], []),
  };
  const summarized = { ...plan, summary: summarize(plan.changes, plan.unmanaged, plan.guards, plan.diagnostics) };
  return options.guards ? runGuards(summarized, { ...options.guards, live: options.guards.live ?? actual }) : summarized;
}

function toChange(pairing: Pairing, rules: CompareRules, kind: PlanKind, prune: boolean, names: Set<string>, unmanaged: UnmanagedObject[], diagnostics: PlanDiagnostic[], now: string): PlanChange | undefined {
  switch (pairing.type) {
    case "matched": {
      const change = matchedChange(pairing.desired, pairing.actual, rules);
      if (change.action === "update" && kind.readOnly !== undefined) {
        const fields = [...new Set(change.fields.map((f) => f.path))].join(", ");
        diagnostics.push({ severity: "warning", code: "read-only", address: change.address, message: `${change.address} differs from the tenant (${fields}) but is not written: ${kind.readOnly}` });
        return { action: "noop", address: change.address, kind: change.kind, name: change.name, id: change.id };
      }
      if (change.action === "update") refusedUpdate(change, kind, diagnostics);
      return change;
    }
    case "create": {
      if (kind.readOnly !== undefined) {
        const at = address(pairing.desired.kind, pairing.desired.name);
        diagnostics.push({ severity: "warning", code: "read-only", address: at, message: `${at} is not in the tenant and is not created: ${kind.readOnly}` });
        return undefined;
      }
      // A document whose object has run its course (a time-bound role assignment past its end) has nothing to create.
      const ended = kind.ended?.(pairing.desired.spec, now);
      if (ended !== undefined) {
        const at = address(pairing.desired.kind, pairing.desired.name);
        diagnostics.push({ severity: "warning", code: "ended", address: at, message: `${at} ${ended}: nothing to create; remove the document` });
        return undefined;
      }
      // Graph keeps the object at its defaults: apply writes the document over it, creating nothing.
      return createChange(pairing.desired, kind.fixedObjects ? [kind.fixedObjects.notes.create] : pairing.notes);
    }
    case "restore":
      return restoreChange(pairing.desired, pairing.deleted, rules);
    case "orphan": {
      const name = uniqueName(pairing.actual, names);
      if (prune && kind.readOnly !== undefined) {
        diagnostics.push({ severity: "warning", code: "read-only", address: address(pairing.actual.kind, name), message: `${address(pairing.actual.kind, name)} has no document but is not deleted: ${kind.readOnly}` });
      } else if (prune && kind.cannotDelete) {
        // Graph has no delete for the kind: the plan says so and proposes nothing.
        diagnostics.push({ severity: "warning", code: "cannot-delete", address: address(pairing.actual.kind, name), message: `${address(pairing.actual.kind, name)} has no document but is not deleted: ${kind.cannotDelete}` });
      } else if (prune && !kind.singleton) {
        // Two steps when Graph refuses the delete as the object stands (apply does the same).
        const step = kind.fixedObjects
          ? [kind.fixedObjects.notes.delete]
          : kind.beforeDelete?.when(pairing.actual.spec)
            ? [`step 1: ${kind.beforeDelete.note}; step 2: delete`]
            : [];
        return deleteChange(pairing.actual, name, step);
      }
      unmanaged.push({ address: address(pairing.actual.kind, name), kind: pairing.actual.kind, id: pairing.actual.id });
      return undefined;
    }
  }
}

/**
 * Errors for an update Graph refuses: the kind's own reasons (`refuseUpdate`), and a create-only
 * change of a kind Graph cannot delete (no delete, so no re-create either). Apply then writes nothing.
 */
function refusedUpdate(change: Extract<PlanChange, { action: "update" }>, kind: PlanKind, diagnostics: PlanDiagnostic[]): void {
  const reasons = kind.refuseUpdate?.(change.after, change.before) ?? [];
  if (change.replace && kind.cannotDelete) {
    reasons.push(`${change.replace.fields.join(", ")} cannot change after creation, and the object cannot be re-created: ${kind.cannotDelete}`);
  }
  for (const reason of reasons) diagnostics.push({ severity: "error", code: "update-refused", address: change.address, message: `${change.address}: ${reason}` });
}

/** A live object's proposed name, made unique among the kind's documents and other live objects. */
function uniqueName(live: LiveObject, names: Set<string>): string {
  const name = names.has(live.name) ? `${live.name}-${live.id.slice(0, 8)}` : live.name;
  names.add(name);
  return name;
}
