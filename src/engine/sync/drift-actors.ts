import type { EntraDocument } from "../../model/document.js";
import type { ChangeActor, Plan, PlanChange } from "../../model/plan.js";
import type { DirectoryAudit } from "./audit-entry.js";
import { indexAuditsByTarget, matchActivities } from "./audit-match.js";
import type { EngineIdentity } from "./own-writes.js";
import type { ChangedObject } from "./types.js";

/**
 * Pure: the drift report's changes with who made each one (README "drift"), from the directory
 * audit entries of the window, matched as `sync` matches them (docs/design.md §1 step 4): the
 * latest successful entry that explains the change names its actor and time. A change no entry
 * explains is left as it is. `documents` are the compared documents (with the environment's ids),
 * which give a deleted object its id and both sides their display names; `recordedAt`, by address,
 * when git last recorded each document; `engine`, the engine's identity, whose own writes of the
 * committed documents name no one.
 */
export function withChangeActors(plan: Plan, audits: readonly DirectoryAudit[], documents: readonly EntraDocument[], recordedAt: ReadonlyMap<string, Date> = new Map(), engine?: EngineIdentity): Plan {
  const ok = audits.filter((a) => a.result?.toLowerCase() !== "failure");
  if (ok.length === 0) return plan;
  const index = indexAuditsByTarget(ok);
  const byAddress = new Map(documents.map((d) => [`${d.kind}/${d.name}`, d]));
  const changes = plan.changes.map((change): PlanChange => {
    if (change.action === "noop") return change;
    const found = changedObject(change, byAddress.get(change.address));
    const at = recordedAt.get(change.address);
    // Entries at or before git's record of the object explain what git holds (README "Sync state").
    const object = found && at ? { ...found, recordedAt: at } : found;
    const last = object ? matchActivities(object, ok, index, engine).at(-1) : undefined;
    if (!last) return change;
    const changedBy: ChangeActor = {
      name: last.actor.name,
      label: last.actor.label,
      ...(last.actor.type === "user" ? { email: last.actor.email } : {}),
      type: last.actor.type,
      at: last.audit.activityDateTime,
      activity: last.audit.activityDisplayName,
    };
    return { ...change, changedBy };
  });
  return { ...plan, changes };
}

/**
 * The report's changes (addresses) some successful entry matches: only their record can change who
 * `withChangeActors` names (recorded-at.ts `changesWithEntries`), so only their history is walked.
 */
export function changesWithActors(plan: Plan, audits: readonly DirectoryAudit[], documents: readonly EntraDocument[]): Set<string> {
  const ok = audits.filter((a) => a.result?.toLowerCase() !== "failure");
  if (ok.length === 0) return new Set();
  const index = indexAuditsByTarget(ok);
  const byAddress = new Map(documents.map((d) => [`${d.kind}/${d.name}`, d]));
  return new Set(
    plan.changes.flatMap((change) => {
      if (change.action === "noop") return [];
      const found = changedObject(change, byAddress.get(change.address));
      return found && matchActivities(found, ok, index).length > 0 ? [change.address] : [];
    }),
  );
}

/** A drift report's change as sync's attribution input: the tenant's side is the document, git's the previous one. */
function changedObject(change: Exclude<PlanChange, { action: "noop" }>, document: EntraDocument | undefined): ChangedObject | undefined {
  const file = { path: "", content: null };
  const doc = (spec: EntraDocument["spec"] | undefined): EntraDocument | null => (spec ? { kind: change.kind, name: change.name, spec } : null);
  switch (change.action) {
    case "update":
      return { address: change.address, kind: change.kind, id: change.id, change: "modified", document: doc(change.before), previous: document ?? doc(change.after), file };
    case "delete":
      // In the tenant, not in git: created outside git.
      return { address: change.address, kind: change.kind, id: change.id, change: "added", document: doc(change.before), previous: null, file };
    case "create":
    case "restore": {
      // In git, missing from the tenant: deleted outside git.
      const id = change.action === "restore" ? change.id : document?.id;
      return { address: change.address, kind: change.kind, ...(id ? { id } : {}), change: "deleted", document: null, previous: document ?? doc(change.after), file };
    }
  }
}
