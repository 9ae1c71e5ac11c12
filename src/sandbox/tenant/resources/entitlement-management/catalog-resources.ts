/**
 * Resources of an access package catalog (docs/graph-behaviour.md, catalog resources): listed at
 * `/identityGovernance/entitlementManagement/catalogs/{id}/resources`, added and removed only by
 * POSTing a request to `/identityGovernance/entitlementManagement/resourceRequests`:
 * `adminAdd` with `resource` (`originSystem` `AadGroup` + a group's id, `AadApplication` + a
 * service principal's id, or `SharePointOnline` + a site's URL) and `catalog.id`; `adminRemove`
 * with the resource's `id`. A catalog's resources are removed with it. An application adding a group
 * also needs Group.ReadWrite.All, one adding an application Application.ReadWrite.All (else 400
 * `CallerNotResourceOwner`); a delegated caller's ownership or role is not modelled.
 */
import type { RequestContext } from "../../core/context.js";
import type { Entity } from "../../core/entity.js";
import { isRecord } from "../../core/entity.js";
import { badRequest, GraphHttpError } from "../../core/errors.js";
import { defineResource } from "../../core/resource.js";
import { listResponse } from "../../odata/list.js";
import { EM_PERMISSIONS, EM_ROOT } from "./shared.js";
import { queryParam } from "../../odata/query-options.js";
import { resourceRolesFilter, rolesOf, rootScopeOf, storedRoles, storedScopes } from "./resource-roles.js";
import { siteAt } from "./sharepoint-sites.js";

const RESOURCES = "accessPackageResources";
const ORIGINS: Readonly<Record<string, string | undefined>> = { AadGroup: "groups", AadApplication: "servicePrincipals", SharePointOnline: undefined };
const REQUEST_PROPERTIES = new Set(["requestType", "resource", "catalog"]);
/** What an application needs beside EntitlementManagement.ReadWrite.All to add an origin of this collection. */
const APP_WRITE: Readonly<Record<string, readonly string[]>> = { groups: ["Group.ReadWrite.All"], servicePrincipals: ["Application.ReadWrite.All"] };

function catalogOf(ctx: RequestContext, id: unknown): Entity {
  const catalog = typeof id === "string" ? ctx.store.get("accessPackageCatalogs", id) : undefined;
  if (!catalog) throw new GraphHttpError(404, "ResourceNotFound", `Catalog '${String(id)}' was not found.`);
  return catalog;
}

/** The resource an `adminAdd` makes: its origin checked, its display name the origin's. */
function added(ctx: RequestContext, catalogId: string, resource: Record<string, unknown>): Entity {
  const originSystem = resource["originSystem"];
  const originId = resource["originId"];
  if (typeof originSystem !== "string" || !(originSystem in ORIGINS)) throw badRequest("resource.originSystem must be AadGroup, AadApplication or SharePointOnline.", "InvalidResourceRequest");
  if (typeof originId !== "string" || originId === "") throw badRequest("resource.originId is required.", "InvalidResourceRequest");
  const collection = ORIGINS[originSystem];
  let displayName = typeof resource["displayName"] === "string" ? resource["displayName"] : originId;
  let id = originId;
  let origin: Entity | undefined;
  if (collection) {
    const needed = APP_WRITE[collection] ?? [];
    if (ctx.request.principal.type === "app" && !ctx.hasPermission(needed)) throw badRequest("The caller is not the resource owner.", "CallerNotResourceOwner");
    origin = ctx.store.get(collection, originId);
    if (!origin) throw badRequest(`The ${originSystem === "AadGroup" ? "group" : "service principal"} '${originId}' does not exist.`, "InvalidResourceRequest");
    if (collection === "groups" && Array.isArray(origin["groupTypes"]) && origin["groupTypes"].includes("DynamicMembership")) throw badRequest("A dynamic group cannot be added to a catalog.", "InvalidResourceRequest");
    displayName = String(origin["displayName"] ?? originId);
    id = String(origin.id);
  } else {
    if (!/^https:\/\/[^/]+\.sharepoint\.com\//i.test(originId)) throw badRequest("A SharePoint Online resource's originId is the site's URL.", "InvalidResourceRequest");
    // sharepoint-sites.ts: only a site of the tenant; the resource keeps the URL as given, named by the site.
    const site = siteAt(ctx, originId);
    if (!site) throw badRequest(`The SharePoint Online site '${originId}' does not exist.`, "InvalidResourceRequest");
    displayName = site.displayName;
  }
  if (ctx.store.list(RESOURCES).some((r) => r["catalogId"] === catalogId && String(r["originId"]).toLowerCase() === id.toLowerCase())) {
    throw new GraphHttpError(409, "ResourceAlreadyOnboarded", "The resource is already in the catalog.");
  }
  const now = ctx.nowIso();
  // Its roles and root scope exist from now on (resource-roles.ts); the view hides them unless expanded.
  const roles = rolesOf(ctx, originSystem, id, origin);
  const scopes = [rootScopeOf(ctx, originSystem, id)];
  return { id: ctx.store.newId(), catalogId, displayName, description: null, originId: id, originSystem, createdDateTime: now, modifiedDateTime: now, roles, scopes } as unknown as Entity;
}

/** A catalog's resources, as stored (the resource's `view` hides `catalogId`, `roles` and `scopes`). */
function resourcesOf(ctx: RequestContext, catalogId: string): Entity[] {
  return ctx.store.listSorted(RESOURCES).filter((r) => r["catalogId"] === catalogId);
}

/** A resource as Graph returns it: without the sandbox's own `catalogId`, roles and scopes only through `$expand`. */
function resourceView(resource: Entity): Entity {
  const { catalogId: _catalog, roles: _roles, scopes: _scopes, ...view } = resource;
  return view as Entity;
}

/** Whether an access package delivers a role of the resource (docs/graph-behaviour.md: such a resource cannot be removed). */
function inUse(ctx: RequestContext, resourceId: string): boolean {
  return ctx.store.list("accessPackages").some((p) => Array.isArray(p["resourceRoleScopes"]) && p["resourceRoleScopes"].some((s) => isRecord(s) && s["resourceId"] === resourceId));
}

/** `/identityGovernance/entitlementManagement/resourceRequests`: add (`adminAdd`) or remove (`adminRemove`) a catalog's resource. */
export const accessPackageResourceRequests = defineResource({
  collection: "accessPackageResourceRequests",
  entityType: "microsoft.graph.accessPackageResourceRequest",
  resourceName: "AccessPackageResourceRequest",
  paths: [{ path: `${EM_ROOT}/resourceRequests` }],
  permissions: EM_PERMISSIONS,
  methods: { update: false, delete: false },
  filter: { id: ["eq"], requestType: ["eq"], state: ["eq"] },
  orderBy: {},
  replicated: false,
  create(ctx, body, id) {
    for (const key of Object.keys(body)) if (!REQUEST_PROPERTIES.has(key) && !key.startsWith("@odata.")) throw badRequest(`The property '${key}' does not exist on type 'microsoft.graph.accessPackageResourceRequest'.`, "BadRequest");
    const requestType = body["requestType"];
    if (requestType !== "adminAdd" && requestType !== "adminRemove") throw badRequest("requestType must be adminAdd or adminRemove (the sandbox models no other).", "InvalidResourceRequest");
    const catalog = catalogOf(ctx, isRecord(body["catalog"]) ? body["catalog"]["id"] : undefined);
    const resource = isRecord(body["resource"]) ? body["resource"] : undefined;
    if (!resource) throw badRequest("The request needs a resource.", "InvalidResourceRequest");
    if (requestType === "adminRemove") {
      const existing = ctx.store.get(RESOURCES, String(resource["id"] ?? ""));
      if (!existing || existing["catalogId"] !== catalog.id) throw new GraphHttpError(404, "ResourceNotFound", `Resource '${String(resource["id"])}' is not in the catalog.`);
      if (inUse(ctx, existing.id)) throw new GraphHttpError(400, "InvalidDeleteResourceHasEntitlements", `The resource: ${String(existing["displayName"])} can not be deleted because there are active entitlements.`);
      return { id, requestType, state: "delivered", createdDateTime: ctx.nowIso(), removed: existing.id } as Entity;
    }
    const made = added(ctx, catalog.id, resource);
    return { id, requestType, state: "delivered", createdDateTime: ctx.nowIso(), made } as Entity;
  },
  afterCreate(ctx, request) {
    const made = request["made"];
    if (isRecord(made)) ctx.store.put(RESOURCES, made as Entity);
    if (typeof request["removed"] === "string") ctx.store.remove(RESOURCES, request["removed"], "deleted");
    const { made: _made, removed: _removed, ...view } = request;
    ctx.store.put("accessPackageResourceRequests", view as Entity);
    ctx.audit({
      // Microsoft's audit activity reference (Entitlement Management).
      activity: request["requestType"] === "adminAdd" ? "Create resource request" : "Create resource remove request",
      category: "EntitlementManagement",
      service: "Entitlement Management",
      operationType: request["requestType"] === "adminAdd" ? "Add" : "Delete",
      targets: [{ id: String(isRecord(made) ? made.id : request["removed"]), displayName: isRecord(made) ? String(made["displayName"]) : null, type: "Other", modifiedProperties: [] }],
    });
  },
});

/** `GET …/catalogs/{id}/resources`: the catalog's resources; cleans up after deleted catalogs. */
export const accessPackageResources = defineResource({
  collection: RESOURCES,
  entityType: "microsoft.graph.accessPackageResource",
  resourceName: "AccessPackageResource",
  paths: [],
  permissions: { read: EM_PERMISSIONS.read, write: [] },
  methods: { create: false, update: false, delete: false },
  filter: { id: ["eq"], originId: ["eq"], originSystem: ["eq"], displayName: ["eq", "startsWith"] },
  orderBy: {},
  replicated: false,
  view: (_ctx, entity) => resourceView(entity),
  expand: {
    roles: (_ctx, entity) => storedRoles(entity) as unknown as Entity[],
    scopes: (_ctx, entity) => storedScopes(entity) as unknown as Entity[],
  },
  housekeeping(ctx) {
    for (const resource of ctx.store.list(RESOURCES)) if (!ctx.store.get("accessPackageCatalogs", String(resource["catalogId"]))) ctx.store.remove(RESOURCES, resource.id, "deleted");
  },
  routes: [
    {
      method: "GET",
      path: `${EM_ROOT}/catalogs/{id}/resources`,
      handler: (ctx, params) => {
        const catalog = catalogOf(ctx, params["id"]);
        return listResponse(ctx, accessPackageResources, resourcesOf(ctx, catalog.id), { contextPath: `identityGovernance/entitlementManagement/catalogs('${catalog.id}')/resources`, presorted: true });
      },
      permissions: EM_PERMISSIONS.read,
    },
    {
      // docs/graph-behaviour.md, access package resource role scopes: one resource's roles, named in $filter.
      method: "GET",
      path: `${EM_ROOT}/catalogs/{id}/resourceRoles`,
      handler: (ctx, params) => {
        const catalog = catalogOf(ctx, params["id"]);
        const { originSystem, resourceId } = resourceRolesFilter(queryParam(ctx.request.query, "$filter"));
        const resource = ctx.store.get(RESOURCES, resourceId);
        const withResource = /\bresource\b/i.test(queryParam(ctx.request.query, "$expand") ?? "");
        const roles = resource && resource["catalogId"] === catalog.id && resource["originSystem"] === originSystem ? storedRoles(resource) : [];
        const value = roles.map((role) => (withResource && resource ? { ...role, resource: resourceView(resource) } : role));
        return { status: 200, body: { "@odata.context": `${ctx.request.serviceRoot}/$metadata#identityGovernance/entitlementManagement/catalogs('${catalog.id}')/resourceRoles`, value } };
      },
      permissions: EM_PERMISSIONS.read,
    },
  ],
});
