import type { JsonObject, JsonValue } from "../../model/document.js";
import { isJsonObject } from "../../model/json.js";

/**
 * A spec path as written in `ignoreDifferences`: a JSON pointer (`/conditions/clientAppTypes`,
 * `*` = any one segment) or, for convenience, a dotted path (`conditions.clientAppTypes`).
 */
export function parseSpecPath(path: string): string[] {
  if (path.startsWith("/")) {
    return path
      .slice(1)
      .split("/")
      .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  }
  return path.split(".").filter((s) => s.length > 0);
}

/**
 * A copy of `value` without the fields the paths name. Arrays along the way are traversed (a path
 * never needs an index, but `*` or a number also match elements).
 */
export function withoutPaths(value: JsonObject, paths: readonly string[][]): JsonObject {
  let result = value;
  for (const path of paths) result = stripPath(result, path) as JsonObject;
  return result;
}

function stripPath(value: JsonValue, path: readonly string[]): JsonValue {
  if (Array.isArray(value)) {
    const [head] = path;
    if (head !== undefined && (head === "*" || /^\d+$/.test(head))) {
      const rest = path.slice(1);
      return value.map((item, i) => (head === "*" || String(i) === head ? (rest.length ? stripPath(item, rest) : item) : item));
    }
    return value.map((item) => stripPath(item, path));
  }
  if (!isJsonObject(value) || path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  const keys = head === "*" ? Object.keys(value) : Object.hasOwn(value, head) ? [head] : [];
  if (keys.length === 0) return value;
  const copy: JsonObject = { ...value };
  for (const key of keys) {
    const child = copy[key];
    if (child === undefined) continue;
    if (rest.length === 0) delete copy[key];
    else copy[key] = stripPath(child, rest);
  }
  return copy;
}

/**
 * Copies the live values of ignored paths into `target` (objects only: a path through an array is
 * compared without that field but written as the document says). The tenant's value wins.
 */
export function overlayPaths(target: JsonObject, source: JsonObject, paths: readonly string[][]): JsonObject {
  let result = target;
  for (const path of paths) result = overlayPath(result, source, path);
  return result;
}

function overlayPath(target: JsonObject, source: JsonValue | undefined, path: readonly string[]): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined) return target;
  const keys =
    head === "*"
      ? [...new Set([...Object.keys(target), ...(isJsonObject(source) ? Object.keys(source) : [])])]
      : [head];
  const copy: JsonObject = { ...target };
  for (const key of keys) {
    const from = isJsonObject(source) ? source[key] : undefined;
    if (rest.length === 0) {
      if (from === undefined) delete copy[key];
      else copy[key] = from;
      continue;
    }
    const child = copy[key];
    if (isJsonObject(child)) copy[key] = overlayPath(child, from, rest);
    else if (child === undefined && isJsonObject(from)) copy[key] = overlayPath({}, from, rest);
  }
  return copy;
}

/** `desired` with every field it does not mention filled from `live` (objects merged, arrays whole). */
export function fillAbsent(desired: JsonObject, live: JsonObject): JsonObject {
  const result: JsonObject = { ...desired };
  for (const [key, value] of Object.entries(live)) {
    const mine = result[key];
    if (mine === undefined) result[key] = value;
    else if (isJsonObject(mine) && isJsonObject(value)) result[key] = fillAbsent(mine, value);
  }
  return result;
}

/**
 * Drops null, empty arrays and empty objects (recursively): Graph returns unset collections as
 * `[]` and unset complex values as `null`, and a document may leave them out; they mean the same.
 */
export function withoutEmpty(value: JsonObject): JsonObject {
  return (pruneValue(value) ?? {}) as JsonObject;
}

function pruneValue(value: JsonValue): JsonValue | undefined {
  if (value === null) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return value.map((item) => (isJsonObject(item) ? (pruneValue(item) ?? {}) : item));
  }
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  let any = false;
  for (const [key, child] of Object.entries(value)) {
    const pruned = pruneValue(child);
    if (pruned === undefined) continue;
    out[key] = pruned;
    any = true;
  }
  return any ? out : undefined;
}
