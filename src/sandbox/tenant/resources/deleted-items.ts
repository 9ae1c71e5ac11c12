import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { stringProp } from "../core/entity.js";
import { badRequest, notFound } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import type { ResourceDefinition } from "../core/resource.js";
import type { BinEntry } from "../core/store.js";
import { auditTarget, purgeExpired } from "../core/crud.js";
import { listResponse } from "../odata/list.js";
import { contextUrl } from "../odata/shape.js";
import { DIRECTORY_TYPES, collectionForCast, typedView } from "./directory-objects.js";
import { findUserByUpn } from "./users.js";

const BIN = "directory";

/** Deleted objects read back typed, with their deletedDateTime. */
function deletedView(ctx: RequestContext, collection: string, entity: Entity): Entity {
  return { ...typedView(ctx, collection, entity), deletedDateTime: entity["deletedDateTime"] ?? null };
}

function entryOrThrow(ctx: RequestContext, id: string): BinEntry {
  purgeExpired(ctx, BIN);
  const entry = ctx.store.bin(BIN).get(id.toLowerCase());
  if (!entry) throw notFound(id);
  return entry;
}

function requireFor(ctx: RequestContext, collection: string, write: boolean): ResourceDefinition {
  const def = ctx.core.resource(collection);
  ctx.requirePermission(write ? def.permissions.write : [...def.permissions.read, ...def.permissions.write]);
  return def;
}

function restore(ctx: RequestContext, entry: BinEntry): Entity {
  const def = ctx.core.resource(entry.collection);
  if (entry.collection === "users") {
    const upn = stringProp(entry.entity, "userPrincipalName");
    if (upn && findUserByUpn(ctx.store, upn)) {
      throw badRequest("Another object with the same value for property userPrincipalName already exists.");
    }
  }
  const restored: Entity = { ...entry.entity, deletedDateTime: null };
  ctx.store.bin(BIN).delete(entry.entity.id.toLowerCase());
  ctx.store.put(entry.collection, restored);
  if (def.audit?.restore) {
    ctx.audit({
      activity: def.audit.restore, category: def.audit.category, service: def.audit.service, operationType: "Add",
      targets: [{ ...auditTarget(def, restored), modifiedProperties: [] }],
    });
  }
  return restored;
}

/** `/directory/deletedItems`: soft-deleted directory objects for 30 sandbox days (docs/graph-behaviour.md §8). */
export const deletedItems = defineResource({
  collection: "$deletedItems",
  entityType: "microsoft.graph.directoryObject",
  resourceName: "DirectoryObject",
  paths: [],
  permissions: { read: [], write: [] },
  paging: { defaultTop: 100, maxTop: 999 },
  routes: [
    {
      method: "GET",
      path: "/directory/deletedItems/{cast}",
      permissions: [],
      handler: (ctx, params) => {
        const cast = params["cast"] ?? "";
        const collection = collectionForCast(cast);
        if (!collection) throw badRequest(`Type '${cast}' is not supported by /directory/deletedItems.`);
        const def = requireFor(ctx, collection, false);
        purgeExpired(ctx, BIN);
        const items = [...ctx.store.bin(BIN).values()].filter((e) => e.collection === collection).map((e) => e.entity);
        const listDef: ResourceDefinition = { ...def, defaultSelect: {}, view: (c, e) => deletedView(c, collection, e) };
        return listResponse(ctx, listDef, items, { contextPath: `directoryObjects/${cast}` });
      },
    },
    {
      method: "GET",
      path: "/directory/deletedItems",
      permissions: [],
      handler: () => {
        throw badRequest("The type of the deleted items must be specified with a cast segment, e.g. /directory/deletedItems/microsoft.graph.group.");
      },
    },
    {
      method: "GET",
      path: "/directory/deletedItems/{id}",
      permissions: [],
      handler: (ctx, params) => {
        const entry = entryOrThrow(ctx, params["id"] ?? "");
        requireFor(ctx, entry.collection, false);
        return { status: 200, body: { "@odata.context": contextUrl(ctx, "directoryObjects", undefined, true), ...deletedView(ctx, entry.collection, entry.entity) } };
      },
    },
    {
      method: "POST",
      path: "/directory/deletedItems/{id}/restore",
      permissions: [],
      handler: (ctx, params) => {
        const entry = entryOrThrow(ctx, params["id"] ?? "");
        requireFor(ctx, entry.collection, true);
        const restored = restore(ctx, entry);
        return { status: 200, body: { "@odata.context": contextUrl(ctx, "directoryObjects", undefined, true), ...typedView(ctx, entry.collection, restored) } };
      },
    },
    {
      method: "DELETE",
      path: "/directory/deletedItems/{id}",
      permissions: [],
      handler: (ctx, params) => {
        const entry = entryOrThrow(ctx, params["id"] ?? "");
        const def = requireFor(ctx, entry.collection, true);
        ctx.store.bin(BIN).delete(entry.entity.id.toLowerCase());
        ctx.store.dropLinksOf(entry.entity.id);
        ctx.store.dropInternal(entry.entity.id);
        ctx.store.logRemoved(entry.collection, entry.entity.id, "deleted");
        if (def.audit?.hardDelete) {
          ctx.audit({
            activity: def.audit.hardDelete, category: def.audit.category, service: def.audit.service, operationType: "Delete",
            targets: [{ ...auditTarget(def, entry.entity), modifiedProperties: [] }],
          });
        }
        return { status: 204 };
      },
    },
  ],
});

export const DELETED_ITEM_TYPES = Object.values(DIRECTORY_TYPES);
