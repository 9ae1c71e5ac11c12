/**
 * Soft-deleted policy objects (`policyDeletableItem`, docs/graph-behaviour.md §8): list and get under a
 * `deletedItems` path, `restore` (same id, `deletedDateTime` back to null, 200 with the object),
 * permanent DELETE (204), and purge after the retention period on the sandbox clock. As in the
 * docs, these endpoints exist in beta only (v1.0 answers 400 for the segment), and app-only tokens
 * are refused where the docs say "Not supported" (cross-tenant partners), or everywhere when the
 * tenant's `deletedItemsAppOnly` is "refuse" (docs/graph-behaviour.md, "Sandbox behaviour table").
 */
import type { RequestContext } from "../../core/context.js";
import type { Entity } from "../../core/entity.js";
import { forbidden, notFound } from "../../core/errors.js";
import { auditTarget, purgeExpired } from "../../core/crud.js";
import type { ResourceDefinition, RouteSpec } from "../../core/resource.js";
import type { BinEntry } from "../../core/store.js";
import { listResponse } from "../../odata/list.js";
import { contextPathOf, contextUrl, shapeEntity } from "../../odata/shape.js";

export interface BinRouteOptions {
  /** e.g. `/identity/conditionalAccess/deletedItems/policies`. */
  path: string;
  bin: string;
  /** The live resource the bin belongs to (view, permissions, audit names). */
  def: () => ResourceDefinition;
  read: readonly string[];
  write: readonly string[];
  /** The docs list no application permission for these endpoints: app-only tokens are always refused. */
  appOnlyUnsupported?: boolean;
  /** Refuse a restore (e.g. a conflicting live object); throw a GraphHttpError. */
  beforeRestore?: (ctx: RequestContext, entity: Entity) => void;
}

const BETA_ONLY = ["beta"] as const;

/** 403 for an app-only token where the docs (or the tenant's option) refuse one. */
function checkAppOnly(ctx: RequestContext, options: BinRouteOptions): void {
  if (ctx.request.principal.type !== "app" || ctx.system) return;
  if (options.appOnlyUnsupported === true || ctx.core.deletedItemsAppOnly === "refuse") throw forbidden();
}

/** The routes wrapped: beta only, app-only checked first. */
function guarded(options: BinRouteOptions, routes: RouteSpec[]): RouteSpec[] {
  return routes.map((route) => ({
    ...route,
    versions: BETA_ONLY,
    handler: (ctx, params) => {
      checkAppOnly(ctx, options);
      return route.handler(ctx, params);
    },
  }));
}

function entryOf(ctx: RequestContext, options: BinRouteOptions, id: string): BinEntry {
  purgeExpired(ctx, options.bin);
  const entry = ctx.store.bin(options.bin).get(id.toLowerCase());
  if (!entry) throw notFound(id);
  return entry;
}

function audit(ctx: RequestContext, def: ResourceDefinition, entity: Entity, activity: string | undefined, operationType: "Add" | "Delete"): void {
  if (!activity || !def.audit) return;
  ctx.audit({
    activity,
    category: def.audit.category,
    service: def.audit.service,
    operationType,
    targets: [{ ...auditTarget(def, entity), modifiedProperties: [] }],
  });
}

export function policyBinRoutes(options: BinRouteOptions): RouteSpec[] {
  const read = [...options.read, ...options.write];
  const contextPath = contextPathOf(options.path);
  return guarded(options, [
    {
      method: "GET",
      path: options.path,
      permissions: read,
      handler: (ctx) => {
        const def = options.def();
        purgeExpired(ctx, options.bin);
        const items = [...ctx.store.bin(options.bin).values()].map((e) => e.entity);
        return listResponse(ctx, def, items, { contextPath });
      },
    },
    {
      method: "GET",
      path: `${options.path}/{deletedId}`,
      permissions: read,
      handler: (ctx, params) => {
        const entry = entryOf(ctx, options, params["deletedId"] ?? "");
        const body = shapeEntity(ctx, options.def(), entry.entity, undefined);
        return { status: 200, body: { "@odata.context": contextUrl(ctx, contextPath, undefined, true), ...body } };
      },
    },
    {
      method: "POST",
      path: `${options.path}/{deletedId}/restore`,
      permissions: options.write,
      handler: (ctx, params) => {
        const def = options.def();
        const entry = entryOf(ctx, options, params["deletedId"] ?? "");
        options.beforeRestore?.(ctx, entry.entity);
        const restored: Entity = { ...entry.entity, deletedDateTime: null };
        ctx.store.bin(options.bin).delete(restored.id.toLowerCase());
        ctx.store.put(entry.collection, restored);
        audit(ctx, def, restored, def.audit?.restore, "Add");
        const body = shapeEntity(ctx, def, restored, undefined);
        return { status: 200, body: { "@odata.context": contextUrl(ctx, contextPathOf(def.paths[0]?.path ?? options.path), undefined, true), ...body } };
      },
    },
    {
      method: "DELETE",
      path: `${options.path}/{deletedId}`,
      permissions: options.write,
      handler: (ctx, params) => {
        const def = options.def();
        const entry = entryOf(ctx, options, params["deletedId"] ?? "");
        ctx.store.bin(options.bin).delete(entry.entity.id.toLowerCase());
        ctx.store.logRemoved(entry.collection, entry.entity.id, "deleted");
        audit(ctx, def, entry.entity, def.audit?.hardDelete, "Delete");
        return { status: 204 };
      },
    },
  ]);
}
