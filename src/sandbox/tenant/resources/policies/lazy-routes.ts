/**
 * The generic collection and singleton routes, preceded by `ensurePolicyDefaults`: resources whose
 * built-in objects (the three authentication strengths, the settings singletons) must exist in every
 * tenant register these instead of plain `paths`, so no seed has to create them.
 */
import { RequestContext } from "../../core/context.js";
import type { Entity } from "../../core/entity.js";
import { notFound } from "../../core/errors.js";
import { auditTarget, createEntity, deleteEntity, entityResponse, getVisible, updateEntity } from "../../core/crud.js";
import type { ApiVersion, ResourceDefinition, RouteSpec } from "../../core/resource.js";
import { listResponse } from "../../odata/list.js";
import { contextPathOf } from "../../odata/shape.js";
import { ensurePolicyDefaults } from "./policy-context.js";

export interface LazyCollectionOptions {
  /** Permissions (any of) for reads and for writes; routes are checked by the router with these. */
  read: readonly string[];
  write: readonly string[];
  create?: boolean;
  update?: boolean;
  delete?: boolean;
  versions?: readonly ApiVersion[];
}

/** GET list, POST, GET/PATCH/DELETE item under `path`, for `def()` (late-bound to allow self-reference). */
export function lazyCollectionRoutes(path: string, def: () => ResourceDefinition, options: LazyCollectionOptions): RouteSpec[] {
  const read = [...options.read, ...options.write];
  const write = options.write;
  const versions = options.versions;
  const guarded = (run: (ctx: RequestContext, params: Readonly<Record<string, string>>) => ReturnType<RouteSpec["handler"]>): RouteSpec["handler"] =>
    (ctx, params) => {
      ensurePolicyDefaults(ctx);
      return run(ctx, params);
    };
  const routes: RouteSpec[] = [
    { method: "GET", path, permissions: read, handler: guarded((ctx) => listResponse(ctx, def(), ctx.store.list(def().collection), { contextPath: contextPathOf(path) })) },
    { method: "GET", path: `${path}/{id}`, permissions: read, handler: guarded((ctx, p) => entityResponse(ctx, def(), getVisible(ctx, def(), p["id"] ?? ""))) },
  ];
  if (options.create !== false) {
    routes.push({ method: "POST", path, permissions: write, handler: guarded((ctx) => createEntity(ctx, def(), ctx.request.body).response) });
  }
  if (options.update !== false) {
    routes.push({
      method: "PATCH",
      path: `${path}/{id}`,
      permissions: write,
      handler: guarded((ctx, p) => {
        updateEntity(ctx, def(), getVisible(ctx, def(), p["id"] ?? ""), ctx.request.body);
        return { status: 204 };
      }),
    });
  }
  if (options.delete !== false) {
    routes.push({
      method: "DELETE",
      path: `${path}/{id}`,
      permissions: write,
      handler: guarded((ctx, p) => {
        deleteEntity(ctx, def(), getVisible(ctx, def(), p["id"] ?? ""));
        return { status: 204 };
      }),
    });
  }
  return versions ? routes.map((r) => ({ ...r, versions })) : routes;
}

/** The one object of a singleton collection. */
export function singletonEntity(ctx: RequestContext, def: ResourceDefinition): Entity {
  ensurePolicyDefaults(ctx);
  const entity = ctx.store.list(def.collection)[0];
  if (!entity) throw notFound(def.collection);
  return entity;
}

/** GET and PATCH (204) on a singleton path. */
export function lazySingletonRoutes(path: string, def: () => ResourceDefinition, permissions: { read: readonly string[]; write: readonly string[] }, versions?: readonly ApiVersion[]): RouteSpec[] {
  const routes: RouteSpec[] = [
    {
      method: "GET",
      path,
      permissions: [...permissions.read, ...permissions.write],
      handler: (ctx) => entityResponse(ctx, def(), singletonEntity(ctx, def())),
    },
    {
      method: "PATCH",
      path,
      permissions: permissions.write,
      handler: (ctx) => {
        updateEntity(ctx, def(), singletonEntity(ctx, def()), ctx.request.body);
        return { status: 204 };
      },
    },
  ];
  return versions ? routes.map((r) => ({ ...r, versions })) : routes;
}

/** POST whose id comes from the body or URL (cross-tenant partners by tenantId, contexts c1…c99), audited as the caller. */
export function createWithId(ctx: RequestContext, def: ResourceDefinition, body: Record<string, unknown>, id: string): Entity {
  const system = new RequestContext(ctx.core, ctx.request, true);
  const { entity } = createEntity(system, def, { ...body, id });
  if (def.audit?.add) {
    ctx.audit({
      activity: def.audit.add,
      category: def.audit.category,
      service: def.audit.service,
      operationType: "Add",
      targets: [{ ...auditTarget(def, entity), modifiedProperties: [] }],
    });
  }
  return entity;
}
