/**
 * Objects of a kind that Graph lists only per object of another collection: under each parent
 * (`parent` of the descriptor: app role assignments under `/servicePrincipals/{id}/appRoleAssignedTo`)
 * or in the kind's own collection filtered to one scope (`scopedList`: PIM for groups,
 * `eligibilitySchedules?$filter=groupId eq '{id}'`). The parents' (scopes') ids in one list
 * (`$select=id`), then every one's first page through `$batch` (20 lists a request) and the
 * `@odata.nextLink` pages of the long ones. A parent deleted between the two reads (404) has no
 * objects; any other failure fails the kind's read.
 */
import type { JsonObject, JsonValue } from "../../model/document.js";
import type { BatchGet, GraphGateway } from "../../graph/types.js";
import { childCollectionPath, scopeFilter } from "../../kinds/object-paths.js";
import type { KindDescriptor } from "../../kinds/types.js";

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every object under every parent, as Graph returned them (each carries its parent's id in `parent.property`). */
export async function readChildren(gateway: GraphGateway, descriptor: KindDescriptor, parentPageSize: number | undefined): Promise<JsonObject[]> {
  const parent = descriptor.parent;
  if (parent === undefined) throw new Error(`${descriptor.kind} has no parent collection`);
  const version = descriptor.apiVersion;
  const key = parent.parentIdProperty ?? "id";
  const parents = await gateway.list(parent.collectionPath, { version, query: { $select: key, ...(parentPageSize !== undefined ? { $top: String(parentPageSize) } : {}) } });
  const ids = parents.map((p) => p[key]).filter((id): id is string => typeof id === "string");
  const query = descriptor.listQuery ? { query: { ...descriptor.listQuery } } : {};
  const requests = ids.map((id, i) => ({ id: String(i), path: childCollectionPath(descriptor, id), options: { version, ...query } }));
  return parent.single ? readSingles(gateway, requests) : readLists(gateway, descriptor, requests, ids);
}

/** Every object of a `scopedList` kind: its collection filtered to each scope `includes` accepts. */
export async function readScoped(gateway: GraphGateway, descriptor: KindDescriptor, scopePageSize: number | undefined): Promise<JsonObject[]> {
  const scoped = descriptor.scopedList;
  if (scoped === undefined) throw new Error(`${descriptor.kind} is not listed per scope`);
  const version = descriptor.apiVersion;
  const select = ["id", ...(scoped.select ?? [])].join(",");
  const scopes = await gateway.list(scoped.collectionPath, { version, query: { $select: select, ...(scopePageSize !== undefined ? { $top: String(scopePageSize) } : {}) } });
  const ids = scopes.filter((s) => scoped.includes?.(s) ?? true).map((s) => s.id).filter((id): id is string => typeof id === "string");
  return readLists(gateway, descriptor, ids.map((id, i) => ({ id: String(i), path: descriptor.collectionPath, options: { version, query: { ...descriptor.listQuery, $filter: scopeFilter(scoped, id) } } })));
}

/** One object per parent through `$batch`; a parent without one answers 404. */
async function readSingles(gateway: GraphGateway, requests: BatchGet[]): Promise<JsonObject[]> {
  const results = await gateway.batchGet(requests);
  const out: JsonObject[] = [];
  for (const request of requests) {
    const result = results.get(request.id);
    if (!result) throw new Error(`no batch answer for ${request.path}`);
    if (!result.ok) {
      if (result.status === 404) continue;
      throw new Error(`reading ${request.path}: ${result.status} ${result.code} ${result.message}`);
    }
    if (isObject(result.value)) out.push(result.value);
  }
  return out;
}

/** The lists through `$batch`, then the next pages of the long ones. */
async function readLists(gateway: GraphGateway, descriptor: KindDescriptor, requests: BatchGet[], parentIds?: readonly string[]): Promise<JsonObject[]> {
  // An object Graph lists without its parent's id (a catalog's resources) is given it, as `parent.property`.
  const property = descriptor.parent?.property;
  const withParent = (item: JsonObject, index: number): JsonObject => {
    const parentId = parentIds?.[index];
    return property !== undefined && parentId !== undefined && item[property] === undefined ? { ...item, [property]: parentId } : item;
  };
  const results = await gateway.batchGet(requests);
  const out: JsonObject[] = [];
  const rest: Promise<JsonObject[]>[] = [];
  for (const [index, request] of requests.entries()) {
    const result = results.get(request.id);
    if (!result) throw new Error(`no batch answer for ${request.path}`);
    if (!result.ok) {
      if (result.status === 404) continue;
      throw new Error(`reading ${request.path}: ${result.status} ${result.code} ${result.message}`);
    }
    const page = isObject(result.value) ? result.value : {};
    for (const item of Array.isArray(page.value) ? page.value : []) if (isObject(item)) out.push(withParent(item, index));
    const next = page["@odata.nextLink"];
    if (typeof next === "string") rest.push(gateway.list(next, { version: descriptor.apiVersion }).then((items) => items.map((item) => withParent(item, index))));
  }
  for (const items of await Promise.all(rest)) out.push(...items);
  return out;
}
