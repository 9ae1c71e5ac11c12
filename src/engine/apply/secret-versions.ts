/**
 * What apply records of the write-only secrets it wrote (README "Rotating a write-only secret"):
 * the version markers, by address, in the environment's record (`state/secret-versions.ts`). Pure:
 * the CLI reads and writes the file.
 */
import { versionMarkers, versionsIn } from "../../kinds/secret-references.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { JsonObject } from "../../model/document.js";
import type { Kind } from "../../model/kind.js";
import type { PlanChange } from "../../model/plan.js";
import type { ObjectResult } from "./apply.js";

/**
 * The record after the applied changes, or undefined when nothing in it changes: a created object
 * is recorded with the markers its document holds (none: its entry goes), a rotation that was
 * written with its new marker, a deleted object's entry goes. Failed and skipped changes record
 * nothing, so the next plan shows them again.
 */
export function recordAppliedSecrets(
  record: ReadonlyMap<string, JsonObject>,
  changes: readonly PlanChange[],
  results: readonly ObjectResult[],
  descriptors: ReadonlyMap<Kind, Pick<KindDescriptor, "secrets">>,
): Map<string, JsonObject> | undefined {
  const done = new Set(results.filter((r) => r.status === "done").map((r) => r.address));
  const next = new Map(record);
  let changed = false;
  const set = (key: string, value: JsonObject | undefined): void => {
    const before = next.get(key);
    if (value === undefined || Object.keys(value).length === 0) {
      if (before === undefined) return;
      next.delete(key);
      changed = true;
      return;
    }
    const sorted: JsonObject = Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (JSON.stringify(before) === JSON.stringify(sorted)) return;
    next.set(key, sorted);
    changed = true;
  };
  for (const change of changes) {
    const descriptor = descriptors.get(change.kind);
    if (!descriptor || versionMarkers(descriptor).length === 0 || !done.has(change.address)) continue;
    if (change.action === "create") set(change.address, versionsIn(descriptor, change.after));
    else if (change.action === "delete") set(change.address, undefined);
    else if (change.action === "update") {
      const rotated = change.fields.flatMap((f) => (f.rotation ? [[f.path, f.rotation.to] as const] : []));
      if (rotated.length > 0) set(change.address, { ...(next.get(change.address) ?? {}), ...Object.fromEntries(rotated) });
    }
  }
  return changed ? next : undefined;
}
