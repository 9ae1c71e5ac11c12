import type { JsonObject, JsonValue } from "../model/document.js";
import { isJsonObject } from "../model/json.js";

/** Dotted spec paths (`conditions.users.includeGroups`) that traverse arrays without indexes. */

const splitCache = new Map<string, readonly string[]>();

/** `a.b.c` → `["a", "b", "c"]` (memoized: descriptors use a few hundred distinct paths). */
export function splitPath(path: string): readonly string[] {
  let segments = splitCache.get(path);
  if (segments === undefined) {
    segments = path === "" ? [] : path.split(".");
    splitCache.set(path, segments);
  }
  return segments;
}

/**
 * Calls `visit(parent, key, value)` for every object property reached by `path`, descending into
 * every element of arrays met on the way (but not into the leaf value itself).
 */
export function visitPath(
  root: JsonValue,
  path: string,
  visit: (parent: JsonObject, key: string, value: JsonValue) => void,
): void {
  const segments = splitPath(path);
  if (segments.length === 0) return;
  walk(root, segments, 0, visit);
}

function walk(
  node: JsonValue | undefined,
  segments: readonly string[],
  index: number,
  visit: (parent: JsonObject, key: string, value: JsonValue) => void,
): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, segments, index, visit);
    return;
  }
  if (!isJsonObject(node)) return;
  const key = segments[index];
  if (key === undefined) return;
  const value = node[key];
  if (value === undefined) return;
  if (index === segments.length - 1) {
    visit(node, key, value);
    return;
  }
  walk(value, segments, index + 1, visit);
}

/** Applies `fn` to every string at `path` (a string leaf or the strings of an array leaf). */
export function mapStringsAt(root: JsonValue, path: string, fn: (value: string, parent: JsonObject) => string): void {
  visitPath(root, path, (parent, key, value) => {
    if (typeof value === "string") parent[key] = fn(value, parent);
    else if (Array.isArray(value)) {
      parent[key] = value.map((item) => (typeof item === "string" ? fn(item, parent) : item));
    }
  });
}

/**
 * Like `mapStringsAt`, also giving each string's indexed path (`conditions.users.excludeGroups[2]`,
 * `targets[0].target`), for messages that point at one value.
 */
export function mapStringsAtIndexed(
  root: JsonValue,
  path: string,
  fn: (value: string, parent: JsonObject, indexedPath: string) => string,
): void {
  const segments = splitPath(path);
  const step = (node: JsonValue | undefined, depth: number, indexed: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => step(item, depth, `${indexed}[${i}]`));
      return;
    }
    if (!isJsonObject(node)) return;
    const key = segments[depth];
    if (key === undefined) return;
    const value = node[key];
    const here = indexed === "" ? key : `${indexed}.${key}`;
    if (depth < segments.length - 1) step(value, depth + 1, here);
    else if (typeof value === "string") node[key] = fn(value, node, here);
    else if (Array.isArray(value)) {
      node[key] = value.map((item, i) => (typeof item === "string" ? fn(item, node, `${here}[${i}]`) : item));
    }
  };
  if (segments.length > 0) step(root, 0, "");
}

/** `a[0].b[1].c` → `["a", 0, "b", 1, "c"]` (an indexed path as `mapStringsAtIndexed` gives it). */
export function parseIndexedPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split(".")) {
    const match = /^([^[]+)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      out.push(part);
      continue;
    }
    out.push(match[1] as string);
    for (const index of (match[2] ?? "").matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}

/** Sets the value at an indexed path (`a[0].b`) when every step on the way exists. */
export function setAtIndexedPath(root: JsonValue, path: string, value: JsonValue): void {
  const steps = parseIndexedPath(path);
  let node: JsonValue | undefined = root;
  for (const step of steps.slice(0, -1)) {
    if (typeof step === "number") node = Array.isArray(node) ? node[step] : undefined;
    else node = isJsonObject(node) ? node[step] : undefined;
  }
  const last = steps[steps.length - 1];
  if (typeof last === "number" && Array.isArray(node) && last < node.length) node[last] = value;
  else if (typeof last === "string" && isJsonObject(node) && last in node) node[last] = value;
}

/** Deletes the property at `path` wherever it is reached; a trailing `*` matches a name prefix. */
export function deleteAt(root: JsonValue, path: string): void {
  const segments = splitPath(path);
  const last = segments[segments.length - 1];
  if (last === undefined) return;
  const parents: JsonObject[] = [];
  if (segments.length === 1) {
    if (isJsonObject(root)) parents.push(root);
  } else {
    walk(root, segments.slice(0, -1), 0, (_parent, _key, value) => collectObjects(value, parents));
  }
  for (const parent of parents) {
    if (last.endsWith("*")) {
      const prefix = last.slice(0, -1);
      for (const key of Object.keys(parent)) if (key.startsWith(prefix)) delete parent[key];
    } else {
      delete parent[last];
    }
  }
}

function collectObjects(value: JsonValue, into: JsonObject[]): void {
  if (Array.isArray(value)) for (const item of value) collectObjects(item, into);
  else if (isJsonObject(value)) into.push(value);
}
