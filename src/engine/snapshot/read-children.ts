/**
 * Objects of a kind that Graph lists only under each object of another collection (`parent` of
 * the descriptor: app role assignments under `/servicePrincipals/{id}/appRoleAssignedTo`): the
 * parents' ids in one list (`$select=id`), then every parent's first page through `$batch` (20
 * lists a request) and the `@odata.nextLink` pages of the long ones. A parent deleted between the
 * two reads (404) has no objects; any other failure fails the kind's read.
 */
import type { JsonObject, JsonValue } from "../../model/document.js";
import type { GraphGateway } from "../../graph/types.js";
import { childCollectionPath } from "../../kinds/object-paths.js";
import type { KindDescriptor } from "../../kinds/types.js";

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every object under every parent, as Graph returned them (each carries its parent's id in `parent.property`). */
export async function readChildren(gateway: GraphGateway, descriptor: KindDescriptor, parentPageSize: number | undefined): Promise<JsonObject[]> {
  const parent = descriptor.parent;
  if (parent === undefined) throw new Error(`${descriptor.kind} has no parent collection`);
  const version = descriptor.apiVersion;
  const parents = await gateway.list(parent.collectionPath, { version, query: { $select: "id", ...(parentPageSize !== undefined ? { $top: String(parentPageSize) } : {}) } });
  const ids = parents.map((p) => p.id).filter((id): id is string => typeof id === "string");
  const query = descriptor.listQuery ? { query: { ...descriptor.listQuery } } : {};
  const requests = ids.map((id, i) => ({ id: String(i), path: childCollectionPath(descriptor, id), options: { version, ...query } }));
  const results = await gateway.batchGet(requests);
  const out: JsonObject[] = [];
  const rest: Promise<JsonObject[]>[] = [];
  for (const request of requests) {
    const result = results.get(request.id);
    if (!result) throw new Error(`no batch answer for ${request.path}`);
    if (!result.ok) {
      if (result.status === 404) continue;
      throw new Error(`reading ${request.path}: ${result.status} ${result.code} ${result.message}`);
    }
    const page = isObject(result.value) ? result.value : {};
    for (const item of Array.isArray(page.value) ? page.value : []) if (isObject(item)) out.push(item);
    const next = page["@odata.nextLink"];
    if (typeof next === "string") rest.push(gateway.list(next, { version }));
  }
  for (const items of await Promise.all(rest)) out.push(...items);
  return out;
}
