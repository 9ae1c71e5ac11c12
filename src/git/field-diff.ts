import { diff, type IChange } from "json-diff-ts";
import type { JsonObject, JsonValue } from "../model/document.js";
import { canonicalJson } from "../model/json.js";

/**
 * One field-level difference between two versions of a document's `spec`. Arrays are compared as
 * sets (export sorts set-like arrays, docs/design.md §2): a member that joined or left is `added` /
 * `removed` with `element: true` on the array's path; an object member that changed shows as the
 * old member removed and the new one added.
 */
export type FieldChange =
  | { path: string; kind: "changed"; before: JsonValue; after: JsonValue }
  | { path: string; kind: "added"; after: JsonValue; element?: true }
  | { path: string; kind: "removed"; before: JsonValue; element?: true };

/** Field changes from `before` to `after` (either may be absent), sorted by path, removals first. */
export function diffSpecs(before: JsonObject | undefined, after: JsonObject | undefined): FieldChange[] {
  const changeset = diff(before ?? {}, after ?? {}, { embeddedObjKeys: new Map([[/.*/, memberKey]]) });
  const raw: FieldChange[] = [];
  for (const change of changeset) walk(change, "", raw);
  return mergeReplacements(raw).sort(byPath);
}

/** Array members are matched by value: primitives by themselves, objects by their canonical JSON. */
function memberKey(item: unknown, returnKeyName?: boolean): unknown {
  if (returnKeyName) return "$value";
  return typeof item === "object" && item !== null ? canonicalJson(item as JsonValue) : item;
}

function walk(change: IChange, parent: string, out: FieldChange[]): void {
  const path = joinPath(parent, change.key);
  if (change.changes && change.embeddedKey !== undefined) {
    for (const member of change.changes) {
      if (member.changes) walk(member, `${path}[${member.key}]`, out);
      else if (member.type === "ADD") out.push({ path, kind: "added", after: toJson(member.value), element: true });
      else if (member.type === "REMOVE") out.push({ path, kind: "removed", before: toJson(member.value), element: true });
      else out.push({ path, kind: "changed", before: toJson(member.oldValue), after: toJson(member.value) });
    }
    return;
  }
  if (change.changes) {
    for (const child of change.changes) walk(child, path, out);
    return;
  }
  if (change.type === "ADD") out.push({ path, kind: "added", after: toJson(change.value) });
  else if (change.type === "REMOVE") out.push({ path, kind: "removed", before: toJson(change.value) });
  else out.push({ path, kind: "changed", before: toJson(change.oldValue), after: toJson(change.value) });
}

/** json-diff-ts reports a type change (object → null, string → array) as REMOVE + ADD: one `changed`. */
function mergeReplacements(changes: FieldChange[]): FieldChange[] {
  const out: FieldChange[] = [];
  for (const change of changes) {
    const partner = out.findIndex(
      (c) => c.path === change.path && !("element" in c) && !("element" in change) && c.kind !== change.kind && c.kind !== "changed",
    );
    const existing = partner >= 0 ? out[partner] : undefined;
    if (existing && change.kind !== "changed") {
      const before = existing.kind === "removed" ? existing.before : change.kind === "removed" ? change.before : null;
      const after = existing.kind === "added" ? existing.after : change.kind === "added" ? change.after : null;
      out[partner] = { path: change.path, kind: "changed", before, after };
    } else out.push(change);
  }
  return out;
}

function joinPath(parent: string, key: string): string {
  const plain = /^[A-Za-z_$][\w$-]*$/.test(key) || /^@odata\.\w+$/.test(key);
  const segment = plain ? key : JSON.stringify(key);
  if (parent === "") return plain ? segment : `[${segment}]`;
  return plain ? `${parent}.${segment}` : `${parent}[${segment}]`;
}

function byPath(a: FieldChange, b: FieldChange): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  const rank = { removed: 0, changed: 1, added: 2 } as const;
  return rank[a.kind] - rank[b.kind];
}

function toJson(value: unknown): JsonValue {
  return value === undefined ? null : (value as JsonValue);
}
