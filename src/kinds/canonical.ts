import type { JsonObject, JsonValue } from "../model/document.js";
import { visitPath } from "./paths.js";
import { canonicalJson, compareText, isJsonObject } from "../model/json.js";

/** The generic steps shared by live objects and documents (see normalize.ts for the order). */

/** Where `@odata.type` is kept, as a tree of property names (`""` in `keepODataType` is the root). */
export interface TypeTrie {
  keep: boolean;
  children: Map<string, TypeTrie>;
}

export function typeTrie(paths: readonly string[]): TypeTrie {
  const root: TypeTrie = { keep: false, children: new Map() };
  for (const path of paths) {
    let node = root;
    for (const segment of path === "" ? [] : path.split(".")) {
      let child = node.children.get(segment);
      if (child === undefined) node.children.set(segment, (child = { keep: false, children: new Map() }));
      node = child;
    }
    node.keep = true;
  }
  return root;
}

/**
 * Copies a Graph object or spec without its noise, in one pass: `@odata.*` control information
 * (kept only for `@odata.type` where `trie` says so), per-property annotations
 * (`createdDateTime@odata.type`, `x@odata.navigationLink`), advertised actions
 * (`#microsoft.graph.restore`), top-level properties `skipAtRoot` names (server-managed ones), and
 * everything `prune` removes. Returns undefined when nothing is left.
 */
export function stripAnnotations(
  value: JsonValue,
  trie: TypeTrie | undefined,
  skipAtRoot?: (key: string) => boolean,
): JsonValue | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value) {
      const kept = typeof item === "object" ? stripAnnotations(item, trie) : item;
      if (kept !== undefined) items.push(kept);
    }
    return items.length > 0 ? items : undefined;
  }
  if (typeof value !== "object") return value;
  const out: JsonObject = {};
  let empty = true;
  for (const key in value) {
    const child = value[key];
    if (child === undefined || child === null || key.charCodeAt(0) === 35 /* # */) continue;
    if (skipAtRoot !== undefined && skipAtRoot(key)) continue;
    if (key.includes("@")) {
      if (key === "@odata.type" && trie?.keep === true && typeof child === "string") {
        out[key] = canonicalODataType(child);
        empty = false;
      }
      continue;
    }
    const kept = typeof child === "object" ? stripAnnotations(child, trie?.children.get(key)) : child;
    if (kept !== undefined) {
      out[key] = kept;
      empty = false;
    }
  }
  return empty ? undefined : out;
}

/** `microsoft.graph.x` and `#microsoft.graph.x` → `#microsoft.graph.x` (Graph's own spelling). */
export function canonicalODataType(value: string): string {
  if (value.startsWith("#")) return value;
  return value.includes(".") ? `#${value}` : `#microsoft.graph.${value}`;
}

/** `"b, a"` → `"a,b"`: members trimmed, de-duplicated and sorted. */
export function canonicalFlags(value: string): string {
  const members = value
    .split(",")
    .map((m) => m.trim())
    .filter((m) => m.length > 0);
  return [...new Set(members)].sort(compareText).join(",");
}

export function canonicalizeFlagEnums(spec: JsonObject, paths: readonly string[]): void {
  for (const path of paths) {
    visitPath(spec, path, (parent, key, value) => {
      if (typeof value === "string") parent[key] = canonicalFlags(value);
      else if (Array.isArray(value)) parent[key] = value.map((v) => (typeof v === "string" ? canonicalFlags(v) : v));
    });
  }
}

/**
 * The one canonical form of "nothing": nulls, empty arrays and objects left empty are removed
 * (recursively), so `sessionControls: null`, `sessionControls: {}` and no `sessionControls` are
 * the same. Returns undefined when the whole value is empty.
 */
export function prune(value: JsonValue): JsonValue | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value) {
      const kept = typeof item === "object" ? prune(item) : item;
      if (kept !== undefined) items.push(kept);
    }
    return items.length > 0 ? items : undefined;
  }
  if (typeof value === "object") {
    const out: JsonObject = {};
    let empty = true;
    for (const key in value) {
      const child = value[key];
      if (child === undefined) continue;
      const kept = typeof child === "object" ? prune(child) : child;
      if (kept !== undefined) {
        out[key] = kept;
        empty = false;
      }
    }
    return empty ? undefined : out;
  }
  return value;
}

/**
 * `prune` in place, for a value that was pruned once and may have lost properties since (kind
 * rules, Graph defaults): allocates nothing when nothing is empty. Returns true when `value` is
 * itself empty now.
 */
export function pruneInPlace(value: JsonValue): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) {
    let write = 0;
    for (const item of value) if (!pruneInPlace(item)) value[write++] = item;
    value.length = write;
    return write === 0;
  }
  if (typeof value !== "object") return false;
  let empty = true;
  for (const key in value) {
    const child = value[key];
    if (child === undefined || pruneInPlace(child)) delete value[key];
    else empty = false;
  }
  return empty;
}

/** Removes properties equal to the value Graph fills in when they are absent. */
export function dropDefaults(spec: JsonObject, defaults: readonly (readonly [string, string])[]): void {
  for (const [path, text] of defaults) {
    visitPath(spec, path, (parent, key, value) => {
      if ((typeof value === "object" ? canonicalJson(value) : JSON.stringify(value)) === text) delete parent[key];
    });
  }
}

/**
 * Sorts and de-duplicates set-like arrays: strings in code-unit order, objects by their key from
 * `arrayKeys` (the last path segment or the full path) and then by their canonical JSON.
 */
export interface SetPlan {
  path: string;
  key: string | undefined;
}

/** The order `sortSets` works in: deepest paths first, so nested sets are canonical before their parents are ordered. */
export function planSets(setArrays: readonly string[], arrayKeys: Readonly<Record<string, string>>): SetPlan[] {
  return [...setArrays]
    .sort((a, b) => b.split(".").length - a.split(".").length)
    .map((path) => ({ path, key: arrayKeys[path] ?? arrayKeys[path.slice(path.lastIndexOf(".") + 1)] }));
}

export function sortSets(spec: JsonObject, plan: readonly SetPlan[]): void {
  for (const { path, key } of plan) {
    visitPath(spec, path, (parent, prop, value) => {
      if (Array.isArray(value) && value.length > 0) parent[prop] = sortedSet(value, key);
    });
  }
}

function sortedSet(items: readonly JsonValue[], key: string | undefined): JsonValue[] {
  if (items.length < 2) return items as JsonValue[];
  if (items.every((item) => typeof item === "string")) {
    return [...new Set(items as readonly string[])].sort(compareText);
  }
  const numeric = key !== undefined && items.every((item) => isJsonObject(item) && typeof item[key] === "number");
  if (key !== undefined && (numeric || items.every((item) => isJsonObject(item) && typeof item[key] === "string"))) {
    // Keyed objects: order by key (numbers numerically); only items sharing a key need their full text compared.
    const keyOf = (item: JsonValue): string | number => (item as JsonObject)[key] as string | number;
    const sorted = [...items].sort((a, b) => {
      const x = keyOf(a);
      const y = keyOf(b);
      return typeof x === "number" && typeof y === "number" ? x - y : compareText(String(x), String(y));
    });
    const out: JsonValue[] = [];
    for (let i = 0; i < sorted.length; ) {
      let j = i + 1;
      while (j < sorted.length && keyOf(sorted[j] as JsonValue) === keyOf(sorted[i] as JsonValue)) j++;
      if (j - i === 1) out.push(sorted[i] as JsonValue);
      else out.push(...sortedSet(sorted.slice(i, j), undefined));
      i = j;
    }
    return out;
  }
  const seen = new Map<string, { sortKey: string; item: JsonValue }>();
  for (const item of items) {
    const text = typeof item === "string" ? `s${item}` : canonicalJson(item);
    if (seen.has(text)) continue;
    const keyValue = key !== undefined && isJsonObject(item) ? item[key] : undefined;
    const sortKey = typeof item === "string" ? item : `${keyValue === undefined ? "" : canonicalJson(keyValue)}\u0000${text}`;
    seen.set(text, { sortKey, item });
  }
  return [...seen.values()].sort((a, b) => compareText(a.sortKey, b.sortKey)).map((e) => e.item);
}

/** A test for top-level server-managed names (exact or `prefix*`), to skip them while copying. */
export function topLevelSkip(serverManaged: readonly string[]): (key: string) => boolean {
  const names = new Set(serverManaged.filter((p) => !p.includes(".") && !p.endsWith("*")));
  const prefixes = serverManaged.filter((p) => !p.includes(".") && p.endsWith("*")).map((p) => p.slice(0, -1));
  return (key) => names.has(key) || prefixes.some((prefix) => key.startsWith(prefix));
}
