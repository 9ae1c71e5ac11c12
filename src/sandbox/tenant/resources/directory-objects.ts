import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { badRequest, notFound } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import type { ResourceDefinition } from "../core/resource.js";
import { effectiveSelect, selectProperties } from "../odata/shape.js";

/** Directory collections and their `@odata.type`. */
export const DIRECTORY_TYPES: Readonly<Record<string, string>> = {
  users: "#microsoft.graph.user",
  groups: "#microsoft.graph.group",
  applications: "#microsoft.graph.application",
  servicePrincipals: "#microsoft.graph.servicePrincipal",
  administrativeUnits: "#microsoft.graph.administrativeUnit",
};

export function collectionForCast(cast: string): string | undefined {
  const wanted = `#${cast}`.toLowerCase();
  return Object.entries(DIRECTORY_TYPES).find(([, type]) => type.toLowerCase() === wanted)?.[0];
}

/** A directory object as it appears in a mixed list (members, owners, deleted items): typed and viewed. */
export function typedView(ctx: RequestContext, collection: string, entity: Entity): Entity {
  const def = ctx.core.resources.get(collection);
  const viewed = def?.view ? def.view(ctx, entity) : entity;
  const selected = def ? selectProperties(viewed, effectiveSelect(ctx, def, undefined)) : viewed;
  return { "@odata.type": DIRECTORY_TYPES[collection] ?? "#microsoft.graph.directoryObject", ...selected, id: entity.id } as Entity;
}

/** Read permissions that let a caller list any directory object. */
export const DIRECTORY_READ = ["Directory.Read.All", "Directory.ReadWrite.All"] as const;

/** The pseudo-resource used for mixed directory-object lists (members, owners, memberOf). */
export const directoryObjectList: ResourceDefinition = defineResource({
  collection: "$directoryObjects",
  entityType: "microsoft.graph.directoryObject",
  resourceName: "DirectoryObject",
  paths: [],
  permissions: { read: DIRECTORY_READ, write: ["Directory.ReadWrite.All"] },
  paging: { defaultTop: 100, maxTop: 999 },
  directoryObject: true,
  filter: "any",
  search: ["displayName", "userPrincipalName", "mail"],
});

/** Actions on `/directoryObjects`. */
export const directoryObjectActions: ResourceDefinition = defineResource({
  collection: "$directoryObjectActions",
  entityType: "microsoft.graph.directoryObject",
  resourceName: "DirectoryObject",
  paths: [],
  permissions: { read: DIRECTORY_READ, write: [] },
  routes: [
    {
      method: "POST",
      path: "/directoryObjects/getByIds",
      // Application permission: Directory.Read.All, "higher privileged: not available" (docs/graph-behaviour.md).
      permissions: [...DIRECTORY_READ],
      handler: (ctx) => getByIds(ctx),
    },
    {
      method: "GET",
      path: "/directoryObjects/{id}",
      permissions: DIRECTORY_READ,
      handler: (ctx, params) => {
        const id = params["id"] ?? "";
        const found = ctx.core.findDirectoryObject(id);
        if (!found) throw notFound(id);
        const def = ctx.core.resource(found.collection);
        if ((def.replicated ?? def.directoryObject) && !ctx.core.replication.isVisible(found.entity.id)) throw notFound(id);
        return { status: 200, body: { "@odata.context": `${ctx.request.serviceRoot}/$metadata#directoryObjects/$entity`, ...typedView(ctx, found.collection, found.entity) } };
      },
    },
  ],
});

/**
 * `POST /directoryObjects/getByIds` `{ ids, types? }`: up to 1,000 ids, objects of any directory
 * type (or only `types`), in no particular order; ids that name nothing are left out.
 */
function getByIds(ctx: RequestContext): { status: number; body: unknown } {
  const body = ctx.request.body;
  const input = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const ids = input["ids"];
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== "string")) throw badRequest("Invalid value for parameter 'ids'.");
  if (ids.length > 1000) throw badRequest("Too many ids: at most 1000 ids can be requested at once.");
  const types = Array.isArray(input["types"]) ? input["types"].map((t) => String(t).toLowerCase()) : undefined;
  const value: Entity[] = [];
  for (const id of ids as string[]) {
    for (const [collection, type] of Object.entries(DIRECTORY_TYPES)) {
      if (types && !types.includes(type.replace("#microsoft.graph.", "").toLowerCase())) continue;
      const entity = ctx.store.get(collection, id.toLowerCase()) ?? ctx.store.get(collection, id);
      if (entity) {
        value.push(typedView(ctx, collection, entity));
        break;
      }
    }
  }
  return { status: 200, body: { "@odata.context": `${ctx.request.serviceRoot}/$metadata#directoryObjects`, value } };
}

/** The object id at the end of an `@odata.id` / `@odata.bind` URL. */
export function idFromODataUrl(url: unknown, property: string): string {
  if (typeof url !== "string" || url.trim() === "") throw badRequest(`Invalid URL format specified in @odata.bind for ${property}`);
  const trimmed = url.trim().replace(/\/$/, "");
  const keyMatch = /\('([^']+)'\)$/.exec(trimmed) ?? /\(([0-9a-fA-F-]{36})\)$/.exec(trimmed);
  const id = keyMatch?.[1] ?? trimmed.split("/").pop() ?? "";
  if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(id)) {
    throw badRequest(`Invalid URL format specified in @odata.bind for ${property}`);
  }
  return id;
}
