/**
 * Field-level differences between two specs: one implementation for the plan (per-kind array
 * rules) and git history (every array a set).
 */
import { diff, Operation, type EmbeddedObjKeysMapType, type IChange } from "json-diff-ts";
import type { JsonObject, JsonValue } from "./document.js";
import { canonicalJson, isJsonObject } from "./json.js";
import type { FieldChange } from "./plan.js";

/** How arrays of a kind are compared: by a Graph key, as sets, or (default) as ordered lists. */
export interface ArrayRules {
  /** Dotted paths of set-like arrays: order does not matter, members are added or removed. */
  setArrays: readonly string[];
  /**
   * Array of objects → the property that identifies an element. The array is named by its dotted
   * path, or by its own property name alone (`resourceAccess`), which matches it at any depth.
   */
  arrayKeys: Readonly<Record<string, string>>;
  /** Dotted paths (prefixes) of create-only fields. */
  createOnly: readonly string[];
  /** Every array, at any depth, is a set (members matched by value): how git history compares documents. */
  everyArrayASet?: boolean;
}

const SET_KEY = "$set";
const setKey = (item: unknown, returnKeyName?: boolean): string =>
  returnKeyName ? SET_KEY : canonicalJson(item as JsonValue);

const cache = new WeakMap<ArrayRules, EmbeddedObjKeysMapType>();

/** json-diff-ts array matching: exact paths first (keyed, else set), then keyed names at any depth. */
function embeddedKeys(rules: ArrayRules): EmbeddedObjKeysMapType {
  const cached = cache.get(rules);
  if (cached) return cached;
  const map: EmbeddedObjKeysMapType = new Map();
  if (rules.everyArrayASet) map.set(/.*/, setKey);
  const lastOf = (path: string): string => path.slice(path.lastIndexOf(".") + 1);
  for (const path of rules.setArrays) map.set(path, rules.arrayKeys[path] ?? rules.arrayKeys[lastOf(path)] ?? setKey);
  for (const [name, key] of Object.entries(rules.arrayKeys)) {
    if (name.includes(".")) {
      if (!map.has(name)) map.set(name, key);
    } else if (![...map.keys()].some((k) => typeof k === "string" && lastOf(k) === name)) {
      map.set(new RegExp(`(^|\\.)${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`), key);
    }
  }
  cache.set(rules, map);
  return map;
}

type Segment = { name: string } | { index: number } | { key: string; value: string };

/** Field-level differences from `before` (live) to `after` (desired), both already prepared. */
export function fieldDiff(before: JsonObject, after: JsonObject, rules: ArrayRules): FieldChange[] {
  const changes = diff(before, after, { embeddedObjKeys: embeddedKeys(rules) });
  const out: FieldChange[] = [];
  walk(changes, before, after, [], out);
  const merged = mergeTypeChanges(out).flatMap((change) => asMembers(change, rules));
  return merged.map((change) => markCreateOnly(change, rules.createOnly)).sort(byPath);
}

/**
 * A set-like array added, removed or replaced whole (absent on one side, or a type change) is still
 * a set: its members are added and removed one by one, so `+ user:x` reads as what changed.
 */
function asMembers(change: FieldChange, rules: ArrayRules): FieldChange[] {
  if (change.member || !rules.setArrays.includes(change.path) || rules.arrayKeys[change.path] !== undefined) return [change];
  const before = change.before ?? [];
  const after = change.after ?? [];
  if (!Array.isArray(before) || !Array.isArray(after)) return [change];
  const had = new Set(before.map((v) => canonicalJson(v)));
  const has = new Set(after.map((v) => canonicalJson(v)));
  return [
    ...after.filter((v) => !had.has(canonicalJson(v))).map((v): FieldChange => ({ op: "add", path: change.path, after: v, member: true })),
    ...before.filter((v) => !has.has(canonicalJson(v))).map((v): FieldChange => ({ op: "remove", path: change.path, before: v, member: true })),
  ];
}

/** Fields by path, so the plan does not depend on the key order of its inputs; members: adds first, then by value. */
function byPath(a: FieldChange, b: FieldChange): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  if (a.op !== b.op) return a.op === "add" ? -1 : b.op === "add" ? 1 : a.op < b.op ? -1 : 1;
  const va = canonicalJson(a.after ?? a.before ?? null);
  const vb = canonicalJson(b.after ?? b.before ?? null);
  return va < vb ? -1 : va > vb ? 1 : 0;
}

function walk(changes: readonly IChange[], before: JsonValue | undefined, after: JsonValue | undefined, at: Segment[], out: FieldChange[]): void {
  for (const change of changes) {
    const key = change.key;
    const b = childOf(before, key);
    const a = childOf(after, key);
    const here = [...at, Array.isArray(before ?? after) ? { index: Number(key) } : { name: key }];
    if (change.embeddedKey !== undefined && change.changes) {
      arrayChanges(change, b, a, here, out);
    } else if (change.changes) {
      walk(change.changes, b, a, here, out);
    } else {
      out.push(leaf(change, here));
    }
  }
}

function arrayChanges(change: IChange, before: JsonValue | undefined, after: JsonValue | undefined, at: Segment[], out: FieldChange[]): void {
  const embeddedKey = change.embeddedKey;
  const subChanges = change.changes ?? [];
  if (embeddedKey === "$index" || typeof embeddedKey === "function") {
    // An ordered array: the element order is meaningful, so it is shown and written whole.
    out.push({ op: "update", path: render(at), before: before ?? null, after: after ?? null });
    return;
  }
  if (embeddedKey === SET_KEY) {
    for (const sub of subChanges) {
      const value = sub.value as JsonValue;
      out.push(sub.type === "ADD" ? { op: "add", path: render(at), after: value, member: true } : { op: "remove", path: render(at), before: value, member: true });
    }
    return;
  }
  const keyName = String(embeddedKey);
  for (const sub of subChanges) {
    const segment: Segment = { key: keyName, value: sub.key };
    const here = [...at, segment];
    if (sub.changes) {
      const b = findKeyed(before, keyName, sub.key);
      const a = findKeyed(after, keyName, sub.key);
      walk(sub.changes, b, a, here, out);
    } else {
      out.push(leaf(sub, here));
    }
  }
}

function leaf(change: IChange, at: Segment[]): FieldChange {
  const path = render(at);
  if (change.type === Operation.ADD) return { op: "add", path, after: change.value as JsonValue };
  if (change.type === Operation.REMOVE) return { op: "remove", path, before: change.value as JsonValue };
  return { op: "update", path, before: change.oldValue as JsonValue, after: change.value as JsonValue };
}

/** json-diff-ts reports a type change (string → object, ...) as remove + add of one path. */
function mergeTypeChanges(changes: FieldChange[]): FieldChange[] {
  const out: FieldChange[] = [];
  for (const change of changes) {
    const prev = out[out.length - 1];
    if (prev && !prev.member && !change.member && prev.path === change.path && prev.op === "remove" && change.op === "add") {
      out[out.length - 1] = { op: "update", path: change.path, before: prev.before ?? null, after: change.after ?? null };
    } else {
      out.push(change);
    }
  }
  return out;
}

function markCreateOnly(change: FieldChange, createOnly: readonly string[]): FieldChange {
  const plain = change.path.replace(/\[[^\]]*\]/g, "");
  const hit = createOnly.some((p) => plain === p || plain.startsWith(`${p}.`));
  return hit ? { ...change, createOnly: true } : change;
}

function childOf(value: JsonValue | undefined, key: string): JsonValue | undefined {
  if (Array.isArray(value)) return value[Number(key)];
  return isJsonObject(value) ? value[key] : undefined;
}

function findKeyed(value: JsonValue | undefined, keyName: string, keyValue: string): JsonValue | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.find((item) => isJsonObject(item) && String(item[keyName]) === keyValue);
}

function render(segments: readonly Segment[]): string {
  let text = "";
  for (const segment of segments) {
    if ("name" in segment) text += text ? `.${segment.name}` : segment.name;
    else if ("index" in segment) text += `[${segment.index}]`;
    else text += `[${segment.key}=${segment.value}]`;
  }
  return text;
}
