import type { HttpMethod } from "../../types.js";
import type { ApiVersion, ResourceDefinition, RouteSpec } from "./resource.js";
import type { TenantCore } from "./tenant-core.js";
import { badRequest } from "./errors.js";
import { authorizedItems, createEntity, deleteEntity, entityResponse, getVisible, updateEntity } from "./crud.js";
import { countResponse, listResponse } from "../odata/list.js";
import { contextPathOf } from "../odata/shape.js";

const BOTH: readonly ApiVersion[] = ["v1.0", "beta"];

function readPermissions(def: ResourceDefinition): readonly string[] {
  return [...def.permissions.read, ...def.permissions.write];
}

function permissionsFor(def: ResourceDefinition, method: HttpMethod): readonly string[] {
  return method === "GET" ? readPermissions(def) : def.permissions.write;
}

/** Wire the generic handlers and the resource's own routes into the router. */
export function registerResourceRoutes(core: TenantCore, def: ResourceDefinition): void {
  const methods = { create: true, update: true, delete: true, ...(def.methods ?? {}) };
  for (const { path, versions = BOTH } of def.paths) {
    const contextPath = contextPathOf(path);
    if (def.singleton) {
      core.router.add("GET", path, versions, (ctx) => entityResponse(ctx, def, singletonOf(ctx.core, def)), readPermissions(def));
      if (methods.update) {
        core.router.add("PATCH", path, versions, (ctx) => {
          updateEntity(ctx, def, singletonOf(ctx.core, def), ctx.request.body);
          return { status: 204 };
        }, def.permissions.write);
      }
      addRelative(core, def, path, def.itemRoutes ?? [], versions, true);
      continue;
    }
    core.router.add("GET", path, versions, (ctx) => listResponse(ctx, def, authorizedItems(ctx, def, ctx.store.listSorted(def.collection)), { contextPath, presorted: true }), readPermissions(def));
    core.router.add("GET", `${path}/$count`, versions, (ctx) => {
      if (def.directoryObject && (ctx.header("consistencylevel") ?? "").toLowerCase() !== "eventual") {
        throw badRequest("$count is not currently supported.");
      }
      return countResponse(ctx, def, authorizedItems(ctx, def, ctx.store.list(def.collection)));
    }, readPermissions(def));
    core.router.add("GET", `${path}/{cast}`, versions, (ctx, params) => {
      const cast = `#${params["cast"] ?? ""}`.toLowerCase();
      const items = authorizedItems(ctx, def, ctx.store.list(def.collection)).filter((e) => String(e["@odata.type"] ?? `#${def.entityType}`).toLowerCase() === cast);
      return listResponse(ctx, def, items, { contextPath: `${contextPath}/${params["cast"] ?? ""}` });
    }, readPermissions(def));
    if (methods.create) {
      core.router.add("POST", path, versions, (ctx) => createEntity(ctx, def, ctx.request.body).response, def.permissions.create ?? def.permissions.write);
    }
    core.router.add("GET", `${path}/{id}`, versions, (ctx, params) => entityResponse(ctx, def, getVisible(ctx, def, params["id"] ?? "")), readPermissions(def));
    if (methods.update) {
      core.router.add("PATCH", `${path}/{id}`, versions, (ctx, params) => {
        updateEntity(ctx, def, getVisible(ctx, def, params["id"] ?? "", "write"), ctx.request.body);
        return { status: 204 };
      }, def.permissions.write);
    }
    if (methods.delete) {
      core.router.add("DELETE", `${path}/{id}`, versions, (ctx, params) => {
        deleteEntity(ctx, def, getVisible(ctx, def, params["id"] ?? "", "write"));
        return { status: 204 };
      }, def.permissions.delete ?? def.permissions.write);
    }
    addRelative(core, def, `${path}/{id}`, def.itemRoutes ?? [], versions, true);
    addRelative(core, def, path, def.collectionRoutes ?? [], versions, false);
  }
  for (const route of def.routes ?? []) {
    core.router.add(route.method, route.path, route.versions ?? BOTH, route.handler, route.permissions ?? permissionsFor(def, route.method));
  }
}

function addRelative(core: TenantCore, def: ResourceDefinition, base: string, routes: readonly RouteSpec[], versions: readonly ApiVersion[], item: boolean): void {
  for (const route of routes) {
    const routeVersions = route.versions ? versions.filter((v) => route.versions?.includes(v)) : versions;
    const handler = item && !def.singleton
      ? (ctx: Parameters<RouteSpec["handler"]>[0], params: Readonly<Record<string, string>>) => {
          getVisible(ctx, def, params["id"] ?? "", route.method === "GET" ? "read" : "write");
          return route.handler(ctx, params);
        }
      : route.handler;
    core.router.add(route.method, `${base}/${route.path}`, routeVersions, handler, route.permissions ?? permissionsFor(def, route.method));
  }
}

function singletonOf(core: TenantCore, def: ResourceDefinition) {
  const entity = core.store.list(def.collection)[0];
  if (!entity) throw new Error(`singleton '${def.collection}' has no object; seed it`);
  return entity;
}
