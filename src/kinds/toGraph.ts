import { resolveSecrets } from "./secret-references.js";
import type { JsonObject, JsonValue } from "../model/document.js";
import { deleteAt, visitPath } from "./paths.js";
import { canonicalJson, isJsonObject } from "../model/json.js";
import { nonClearable } from "./non-clearable.js";
import { appRoleNameToId, permissionNamesToIds } from "./api-permissions.js";
import { namesToIds, resolveReference } from "./references.js";
import type { NameResolver } from "./references.js";
import type { KindDescriptor } from "./types.js";

export type WriteMode = "create" | "update";

export interface ToGraphOptions {
  /**
   * The live object in document form (`normalizeLive(...).spec`). In update mode, properties it has
   * and the spec lacks are sent cleared (their Graph default, `[]` for arrays, else `null`), because
   * PATCH keeps absent properties: without this, deleting a line from a document would change nothing.
   * Properties Graph cannot clear (`nonClearable`) are left out instead, never sent as `null`.
   */
  actual?: JsonObject;
}

/**
 * A document spec → a Graph request body: references resolved to ids (an unknown one throws
 * `UnresolvedReferenceError` naming its path), then the kind's `toGraphBody`. Relationships,
 * nested collections and property actions are left out (the engine writes them with their own
 * requests; see `relationshipTargets`), as are create-only properties in update mode.
 */
export function toGraph(
  descriptor: KindDescriptor,
  spec: JsonObject,
  resolver: NameResolver,
  mode: WriteMode,
  options: ToGraphOptions = {},
): JsonObject {
  let body = structuredClone(spec);
  // Before references: the resource is still a name, which the index knows the app roles of.
  if (descriptor.appRoleField !== undefined) appRoleNameToId(body, descriptor.appRoleField, resolver);
  namesToIds(body, descriptor.references, resolver);
  if (descriptor.apiPermissionsPath !== undefined) permissionNamesToIds(body, descriptor.apiPermissionsPath, resolver);
  const relationships = descriptor.relationships ?? [];
  for (const r of relationships) {
    const value = body[r.property];
    if (Array.isArray(value)) {
      body[r.property] = value.map((v, i) =>
        typeof v === "string" ? resolveReference(v, { path: r.property, targets: r.targets }, resolver, `${r.property}[${i}]`) : v,
      );
    }
  }
  if (mode === "update" && options.actual) clearRemoved(body, options.actual, descriptor, "");
  // Write-only secrets: the value of the variable the document names (never logged or kept).
  resolveSecrets(descriptor, body);
  if (descriptor.toGraphBody) body = descriptor.toGraphBody(body, mode);
  for (const r of relationships) delete body[r.property];
  for (const n of descriptor.nestedCollections ?? []) delete body[n.property];
  for (const c of descriptor.setCollections ?? []) delete body[c.property];
  // Stream properties (images) are PUT to their own paths, never sent with other properties.
  for (const s of descriptor.streams?.properties ?? []) delete body[s.property];
  if (mode === "update") {
    for (const a of descriptor.propertyActions ?? []) delete body[a.property];
    for (const path of descriptor.createOnly) deleteAt(body, path);
  }
  return body;
}

/** Relationship targets of a spec as ids, by relationship property (for `$ref` writes). */
export function relationshipTargets(
  descriptor: KindDescriptor,
  spec: JsonObject,
  resolver: NameResolver,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const r of descriptor.relationships ?? []) {
    const value = spec[r.property];
    const field = { path: r.property, targets: r.targets };
    out[r.property] = Array.isArray(value)
      ? value.filter((v): v is string => typeof v === "string").map((v, i) => resolveReference(v, field, resolver, `${r.property}[${i}]`))
      : [];
  }
  return out;
}

/**
 * What clears a property: its Graph default, `[]` for a collection, else `null`. Non-nullable
 * booleans never get here (they have a `defaults` entry, like isTrusted, or are non-clearable):
 * sending `false` for a nullable one would leave `false` in the tenant, which the next plan shows
 * as a removal again, forever.
 */
function clearValue(descriptor: KindDescriptor, path: string, live: JsonValue): JsonValue {
  const fallback = descriptor.defaults?.[path];
  if (fallback !== undefined) return fallback;
  return Array.isArray(live) ? [] : null;
}

/**
 * Sets what `actual` has and `body` lacks to its cleared value, except properties Graph cannot
 * clear (non-clearable.ts): those stay out of the body (PATCH keeps them). A plan's `after`
 * already holds their live values (`resultingSpec`), so apply sends them unchanged anyway.
 */
function clearRemoved(body: JsonObject, actual: JsonObject, descriptor: KindDescriptor, path: string): void {
  const skip = new Set([
    ...descriptor.serverManaged,
    ...(descriptor.relationships ?? []).map((r) => r.property),
    ...(descriptor.nestedCollections ?? []).map((n) => n.property),
    ...(descriptor.setCollections ?? []).map((c) => c.property),
  ]);
  const keep = nonClearable(descriptor);
  const kept = new Set(keep.paths);
  for (const [key, live] of Object.entries(actual)) {
    const childPath = path === "" ? key : `${path}.${key}`;
    if (skip.has(childPath) || key === "@odata.type") continue;
    const desired = body[key];
    if (desired === undefined && kept.has(childPath)) continue;
    if (desired === undefined && keep.containers.has(childPath) && isJsonObject(live)) {
      const emptied: JsonObject = {};
      body[key] = emptied;
      clearRemoved(emptied, live, descriptor, childPath);
    } else if (desired === undefined) {
      body[key] = clearValue(descriptor, childPath, live);
    } else if (isJsonObject(desired) && isJsonObject(live)) {
      clearRemoved(desired, live, descriptor, childPath);
    }
  }
}

/**
 * One item of a nested collection (e.g. an authentication method configuration) → its PATCH body:
 * the references under `property.` resolved to ids. The item keeps its `@odata.type`, which Graph
 * needs to tell the configuration types apart.
 */
export function toGraphNestedItem(
  descriptor: KindDescriptor,
  property: string,
  item: JsonObject,
  resolver: NameResolver,
): JsonObject {
  const prefix = `${property}.`;
  const fields = descriptor.references
    .filter((f) => f.path.startsWith(prefix))
    .map((f) => ({ ...f, path: f.path.slice(prefix.length) }));
  const body = structuredClone(item);
  namesToIds(body, fields, resolver);
  return body;
}

/**
 * Create-only properties whose desired value differs from the live one (both in document form):
 * such a change cannot be PATCHed, the object must be replaced. Returns their paths.
 */
export function createOnlyChanges(descriptor: KindDescriptor, desired: JsonObject, actual: JsonObject): string[] {
  return descriptor.createOnly.filter((path) => {
    const read = (root: JsonObject): string => {
      const values: JsonValue[] = [];
      visitPath(root, path, (_parent, _key, value) => values.push(value));
      return canonicalJson(values);
    };
    return read(desired) !== read(actual);
  });
}
