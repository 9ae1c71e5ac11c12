import type { JsonObject, JsonValue } from "../model/document.js";
import { fieldDiff, type ArrayRules } from "../model/field-diff.js";

/**
 * One field-level difference between two versions of a document's `spec`, as history shows it.
 * Arrays are compared as sets (export sorts set-like arrays, docs/design.md §2): a member that
 * joined or left is `added` / `removed` with `element: true` on the array's path; an object member
 * that changed shows as the old member removed and the new one added.
 */
export type FieldChange =
  | { path: string; kind: "changed"; before: JsonValue; after: JsonValue }
  | { path: string; kind: "added"; after: JsonValue; element?: true }
  | { path: string; kind: "removed"; before: JsonValue; element?: true };

const HISTORY_RULES: ArrayRules = { setArrays: [], arrayKeys: {}, createOnly: [], everyArrayASet: true };

/** Field changes from `before` to `after` (either may be absent), sorted by path, removals first (model/field-diff.ts computes them). */
export function diffSpecs(before: JsonObject | undefined, after: JsonObject | undefined): FieldChange[] {
  const changes = fieldDiff(before ?? {}, after ?? {}, HISTORY_RULES).map((change): FieldChange => {
    const element = change.member ? { element: true as const } : {};
    if (change.op === "add") return { path: change.path, kind: "added", after: change.after ?? null, ...element };
    if (change.op === "remove") return { path: change.path, kind: "removed", before: change.before ?? null, ...element };
    return { path: change.path, kind: "changed", before: change.before ?? null, after: change.after ?? null };
  });
  return changes.sort(byPath);
}

function byPath(a: FieldChange, b: FieldChange): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  const rank = { removed: 0, changed: 1, added: 2 } as const;
  return rank[a.kind] - rank[b.kind];
}
