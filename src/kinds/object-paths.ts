/**
 * Where an object of a kind lives in Graph, for kinds whose objects sit under a parent
 * (`ParentCollection`: app role assignments under their resource service principal) as for the
 * others: its id as the engine keeps it, and the collection a create is POSTed to.
 */
import type { JsonObject } from "../model/document.js";
import type { KindDescriptor } from "./types.js";
import type { ScopedList } from "./descriptor-read.js";

/**
 * The engine's id of a live object (Graph form): its `id` (or the kind's `idProperty`), and for a
 * kind with a parent `{parentId}/{id}`, so `itemPath` addresses it without the spec.
 */
export function liveIdOf(descriptor: KindDescriptor, live: JsonObject): string | undefined {
  const raw = live[descriptor.idProperty ?? "id"];
  if (typeof raw !== "string") return undefined;
  const parent = descriptor.parent;
  if (parent === undefined || parent.single || raw.includes("/")) return raw;
  const parentId = live[parent.property];
  return typeof parentId === "string" && parentId !== "" ? `${parentId}/${raw}` : undefined;
}

/** `{parentId}/{id}` → its two parts; undefined when the id has no parent part. */
export function splitChildId(id: string): { parentId: string; id: string } | undefined {
  const slash = id.indexOf("/");
  return slash > 0 && slash < id.length - 1 ? { parentId: id.slice(0, slash), id: id.slice(slash + 1) } : undefined;
}

/** The list of one parent's objects (a `single` parent's one object): `{parent collection}/{parentId}/{segment}`. */
export function childCollectionPath(descriptor: KindDescriptor, parentId: string): string {
  const parent = descriptor.parent;
  if (parent === undefined) return descriptor.collectionPath;
  return `${parent.collectionPath}/${encodeURIComponent(parentId)}/${parent.segment}`;
}

/**
 * Where a create is POSTed: the kind's collection, or for a kind with a parent the parent's list
 * named by the body (Graph form, ids resolved), e.g. `/servicePrincipals/{resourceId}/appRoleAssignedTo`.
 */
export function createPathOf(descriptor: KindDescriptor, body: JsonObject): string {
  const parent = descriptor.parent;
  if (parent === undefined) return descriptor.collectionPath;
  const parentId = body[parent.property];
  if (typeof parentId !== "string" || parentId === "") throw new Error(`${descriptor.title}: ${parent.property} is needed to create it`);
  return childCollectionPath(descriptor, parentId);
}

/** The `$filter` that lists one scope's objects of a `scopedList` kind, e.g. `groupId eq '{id}'`. */
export function scopeFilter(scoped: ScopedList, scopeId: string): string {
  const scope = `${scoped.property} eq '${scopeId.replace(/'/g, "''")}'`;
  return scoped.clause ? `${scope} and ${scoped.clause}` : scope;
}

/** Whether an object of the kind is created by PATCH of its item path (`createByPatch`, per spec when a function). */
export function createsByPatch(descriptor: KindDescriptor, spec: JsonObject): boolean {
  const byPatch = descriptor.createByPatch;
  return typeof byPatch === "function" ? byPatch(spec) : byPatch === true;
}
