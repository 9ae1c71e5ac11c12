import type { JsonObject, JsonValue } from "../documents/types.js";
import { compareText, deleteAt, isObject, stableStringify, visitPath } from "./paths.js";
import type { KindDescriptor } from "./types.js";

/** The generic steps shared by live objects and documents (see normalize.ts for the order). */

/**
 * Drops OData noise: `@odata.*` control information (kept only for `@odata.type` at the paths in
 * `keepTypeAt`), per-property annotations (`createdDateTime@odata.type`, `x@odata.navigationLink`),
 * and advertised actions (`#microsoft.graph.restore`). Returns a new value.
 */
export function stripAnnotations(value: JsonValue, keepTypeAt: ReadonlySet<string>, path = ""): JsonValue {
  if (Array.isArray(value)) return value.map((item) => stripAnnotations(item, keepTypeAt, path));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith("#")) continue;
    if (key.includes("@")) {
      if (key === "@odata.type" && keepTypeAt.has(path) && typeof child === "string") out[key] = canonicalODataType(child);
      continue;
    }
    out[key] = stripAnnotations(child, keepTypeAt, path === "" ? key : `${path}.${key}`);
  }
  return out;
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
    const items = value.map(prune).filter((v): v is JsonValue => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      const kept = prune(child);
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  return value;
}

/** Removes properties equal to the value Graph fills in when they are absent. */
export function dropDefaults(spec: JsonObject, defaults: Readonly<Record<string, JsonValue>>): void {
  for (const [path, fallback] of Object.entries(defaults)) {
    const text = stableStringify(fallback);
    visitPath(spec, path, (parent, key, value) => {
      if (stableStringify(value) === text) delete parent[key];
    });
  }
}

/**
 * Sorts and de-duplicates set-like arrays: strings in code-unit order, objects by their key from
 * `arrayKeys` (the last path segment or the full path) and then by their canonical JSON.
 */
export function sortSets(spec: JsonObject, setArrays: readonly string[], arrayKeys: Readonly<Record<string, string>>): void {
  // Deepest paths first, so nested sets are canonical before their parents are ordered.
  const paths = [...setArrays].sort((a, b) => b.split(".").length - a.split(".").length);
  for (const path of paths) {
    const key = arrayKeys[path] ?? arrayKeys[path.slice(path.lastIndexOf(".") + 1)];
    visitPath(spec, path, (parent, prop, value) => {
      if (Array.isArray(value)) parent[prop] = sortedSet(value, key);
    });
  }
}

function sortedSet(items: readonly JsonValue[], key: string | undefined): JsonValue[] {
  const seen = new Map<string, { sortKey: string; item: JsonValue }>();
  for (const item of items) {
    const text = stableStringify(item);
    if (seen.has(text)) continue;
    const keyValue = key !== undefined && isObject(item) ? item[key] : undefined;
    const sortKey = typeof item === "string" ? item : `${keyValue === undefined ? "" : stableStringify(keyValue)}\u0000${text}`;
    seen.set(text, { sortKey, item });
  }
  return [...seen.values()].sort((a, b) => compareText(a.sortKey, b.sortKey)).map((e) => e.item);
}

/** Drops server-managed paths (top-level names, dotted paths, `prefix*` wildcards). */
export function dropServerManaged(spec: JsonObject, descriptor: KindDescriptor): void {
  for (const path of descriptor.serverManaged) deleteAt(spec, path);
}
