/**
 * `/identityGovernance/entitlementManagement/accessPackages` (docs/graph-behaviour.md, access
 * packages): POST with `displayName`, `description`, `isHidden` and the catalog as
 * `catalog: { id }` (required, an existing catalog); the catalog is a relationship, returned only
 * through `$expand=catalog`, and cannot be changed by PATCH; PATCH and DELETE by id. Its resource
 * role scopes are added and removed through their own requests (role-scopes.ts), never in the
 * package's body, and read through `$expand=resourceRoleScopes($expand=role,scope)`.
 */
import type { Entity } from "../../core/entity.js";
import { GraphHttpError, badRequest } from "../../core/errors.js";
import { defineResource } from "../../core/resource.js";
import { EM_PERMISSIONS, EM_ROOT, emAudit, onlyProperties, optionalBoolean, requireText } from "./shared.js";
import { expandRoleScopes, roleScopeRoutes } from "./role-scopes.js";

const TYPE = "accessPackage";
const PROPERTIES = new Set(["id", "displayName", "description", "isHidden", "createdDateTime", "modifiedDateTime", "catalogId", "resourceRoleScopes"]);
const CATALOGS = "accessPackageCatalogs";

/** The id in `catalog: { id }` of a request body, or undefined when the body has no catalog. */
function catalogIdOf(body: Record<string, unknown>): string | undefined {
  const catalog = body["catalog"];
  if (catalog === undefined) return undefined;
  const id = catalog !== null && typeof catalog === "object" && !Array.isArray(catalog) ? (catalog as Record<string, unknown>)["id"] : undefined;
  if (typeof id !== "string" || id === "") throw badRequest("The catalog of an access package is given as { \"id\": \"<catalog id>\" }.", "BadRequest");
  return id.toLowerCase();
}

export const accessPackages = defineResource({
  collection: "accessPackages",
  entityType: `microsoft.graph.${TYPE}`,
  resourceName: "AccessPackage",
  paths: [{ path: `${EM_ROOT}/accessPackages` }],
  permissions: EM_PERMISSIONS,
  readOnly: { id: "ignore", createdDateTime: "ignore", modifiedDateTime: "ignore" },
  filter: { id: ["eq"], displayName: ["eq", "contains"] },
  orderBy: "any",
  replicated: false,
  expand: {
    catalog: (ctx, entity) => ctx.store.get(CATALOGS, String(entity["catalogId"])) ?? null,
    resourceRoleScopes: expandRoleScopes,
  },
  routes: roleScopeRoutes,
  view: (_ctx, entity) => {
    const { catalogId: _catalog, resourceRoleScopes: _scopes, ...rest } = entity;
    return rest as Entity;
  },
  create(ctx, body, id) {
    const catalogId = catalogIdOf(body);
    if (catalogId === undefined) throw badRequest("The property 'catalog' is required to create an access package.", "BadRequest");
    if (!ctx.store.get(CATALOGS, catalogId)) throw new GraphHttpError(404, "ResourceNotFound", `The catalog '${catalogId}' was not found.`);
    const { catalog: _catalog, ...rest } = body;
    return { description: null, isHidden: false, ...rest, id, catalogId, resourceRoleScopes: [], createdDateTime: ctx.nowIso(), modifiedDateTime: ctx.nowIso() };
  },
  update(ctx, existing, patch) {
    if (patch["catalog"] !== undefined) throw badRequest("The catalog of an access package cannot be changed.", "BadRequest");
    return { ...existing, ...patch, modifiedDateTime: ctx.nowIso() };
  },
  validate(_ctx, entity, _previous, body) {
    // `catalogId` is the sandbox's own record of the relationship, never a property of a body.
    if ("catalogId" in body) onlyProperties({ catalogId: null }, new Set(), TYPE);
    if ("resourceRoleScopes" in body) throw badRequest("Add resource role scopes through the access package's resourceRoleScopes after it is created.", "BadRequest");
    onlyProperties(entity, PROPERTIES, TYPE);
    requireText(entity, "displayName", TYPE);
    optionalBoolean(entity, "isHidden", TYPE);
  },
  beforeDelete(ctx, entity) {
    // docs/graph-behaviour.md, access packages: not while assignments exist (none exist in the sandbox)
    // nor, in the sandbox, while assignment policies still point at the package.
    if (ctx.store.list("accessPackageAssignmentPolicies").some((p) => p["accessPackageId"] === entity.id)) throw new GraphHttpError(400, "BadRequest", "The access package cannot be deleted because it has assignment policies.");
  },
  audit: emAudit("access package"),
});
