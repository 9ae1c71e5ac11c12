import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { badRequest } from "../core/errors.js";
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
