/**
 * An access package's resource role scopes (docs/graph-behaviour.md, access package resource role
 * scopes): which role of which catalog resource the package delivers. Added by POST to
 * `…/accessPackages/{id}/resourceRoleScopes` with `role` (its `originId` and `originSystem`, and
 * `resource.id`, the catalog resource) and `scope`; removed by DELETE of
 * `…/resourceRoleScopes/{id}`; never updated. Read only through the package,
 * `$expand=resourceRoleScopes($expand=role,scope)`. The resource must be in the package's catalog
 * (else 404 `ResourceNotFound`) and the role one of its roles (else 404 `RoleNotFound`). The id is
 * `<role id>_<scope id>`. The sandbox keeps them on the package entity (`resourceRoleScopes`,
 * with the catalog resource's id), which the package's view hides.
 */
import type { RequestContext } from "../../core/context.js";
import type { Entity } from "../../core/entity.js";
import { isRecord } from "../../core/entity.js";
import { badRequest, GraphHttpError, methodNotAllowed } from "../../core/errors.js";
import type { RouteSpec } from "../../core/resource.js";
import { queryParam } from "../../odata/query-options.js";
import type { ResourceRole, ResourceScope } from "./resource-roles.js";
import { storedRoles, storedScopes } from "./resource-roles.js";
import { EM_PERMISSIONS, EM_ROOT } from "./shared.js";

const PACKAGES = "accessPackages";
const BODY_PROPERTIES = new Set(["role", "scope"]);

/** A stored role scope: Graph's properties plus the catalog resource it belongs to. */
export interface StoredRoleScope {
  id: string;
  createdDateTime: string;
  role: ResourceRole;
  scope: ResourceScope;
  resourceId: string;
}

export function roleScopesOf(entity: Entity): StoredRoleScope[] {
  return Array.isArray(entity["resourceRoleScopes"]) ? (entity["resourceRoleScopes"] as StoredRoleScope[]) : [];
}

/** `$expand=resourceRoleScopes`: the role and scope come along only with a nested `$expand=role,scope`. */
export function expandRoleScopes(ctx: RequestContext, entity: Entity): Entity[] {
  const expand = queryParam(ctx.request.query, "$expand") ?? "";
  const nested = /resourceRoleScopes\s*\(\s*\$expand\s*=\s*([^)]*)\)/i.exec(expand)?.[1] ?? "";
  const withRole = /\brole\b/i.test(nested);
  const withScope = /\bscope\b/i.test(nested);
  return roleScopesOf(entity).map((s) => ({ id: s.id, createdDateTime: s.createdDateTime, ...(withRole ? { role: s.role } : {}), ...(withScope ? { scope: s.scope } : {}) }) as unknown as Entity);
}

function packageOf(ctx: RequestContext, id: string | undefined): Entity {
  const found = id === undefined ? undefined : ctx.store.get(PACKAGES, id);
  if (!found) throw new GraphHttpError(404, "ResourceNotFound", `Access package '${String(id)}' was not found.`);
  return found;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The role scope a POST body names, checked against the package's catalog. */
function added(ctx: RequestContext, pkg: Entity, body: Record<string, unknown>): StoredRoleScope {
  for (const key of Object.keys(body)) {
    if (!BODY_PROPERTIES.has(key) && !key.startsWith("@odata.") && key !== "id" && key !== "createdDateTime") throw badRequest(`The property '${key}' does not exist on type 'microsoft.graph.accessPackageResourceRoleScope'.`, "BadRequest");
  }
  const role = isRecord(body["role"]) ? body["role"] : undefined;
  const scope = isRecord(body["scope"]) ? body["scope"] : undefined;
  if (!role || !scope) throw badRequest("A resource role scope needs a role and a scope.", "BadRequest");
  const roleOrigin = text(role["originId"]);
  const originSystem = text(role["originSystem"]);
  if (!roleOrigin || !originSystem) throw badRequest("The role needs its originId and originSystem.", "BadRequest");
  const resourceRef = isRecord(role["resource"]) ? text(role["resource"]["id"]) : undefined;
  // docs/graph-behaviour.md: the resource must already be in the package's catalog, named by its id.
  const resource = resourceRef === undefined ? undefined : ctx.store.get("accessPackageResources", resourceRef);
  if (!resource || resource["catalogId"] !== pkg["catalogId"]) throw new GraphHttpError(404, "ResourceNotFound", "The resource was not found.");
  const found = storedRoles(resource).find((r) => r.originSystem === originSystem && r.originId.toLowerCase() === roleOrigin.toLowerCase());
  if (!found) throw new GraphHttpError(404, "RoleNotFound", "The role was not found.");
  const scopeOrigin = text(scope["originId"]);
  const root = storedScopes(resource).find((s) => s.originSystem === text(scope["originSystem"]) && scopeOrigin !== undefined && s.originId.toLowerCase() === scopeOrigin.toLowerCase());
  if (!root) throw badRequest("The scope is not a scope of the resource.", "BadRequest");
  const id = `${found.id}_${root.id}`;
  if (roleScopesOf(pkg).some((s) => s.id === id)) throw new GraphHttpError(409, "Conflict", "The access package already has this resource role scope.");
  return { id, createdDateTime: ctx.nowIso(), role: found, scope: root, resourceId: resource.id };
}

function audit(ctx: RequestContext, pkg: Entity, action: "Create" | "Delete"): void {
  ctx.audit({
    activity: `${action} access package resource role scope`,
    category: "EntitlementManagement",
    service: "Entitlement Management",
    operationType: action === "Create" ? "Add" : "Delete",
    targets: [{ id: pkg.id, displayName: String(pkg["displayName"] ?? ""), type: "Other", modifiedProperties: [] }],
  });
}

const PATH = `${EM_ROOT}/accessPackages/{id}/resourceRoleScopes`;

/** POST and DELETE of a package's role scopes; no list or PATCH of their own (read through the package). */
export const roleScopeRoutes: readonly RouteSpec[] = [
  {
    method: "POST",
    path: PATH,
    permissions: EM_PERMISSIONS.write,
    handler: (ctx, params) => {
      const pkg = packageOf(ctx, params["id"]);
      const body = isRecord(ctx.request.body) ? ctx.request.body : {};
      const scope = added(ctx, pkg, body);
      ctx.store.put(PACKAGES, { ...pkg, resourceRoleScopes: [...roleScopesOf(pkg), scope] } as unknown as Entity);
      audit(ctx, pkg, "Create");
      return { status: 201, body: { "@odata.context": `${ctx.request.serviceRoot}/$metadata#identityGovernance/entitlementManagement/accessPackages('${pkg.id}')/resourceRoleScopes/$entity`, id: scope.id, createdDateTime: scope.createdDateTime } };
    },
  },
  {
    method: "DELETE",
    path: `${PATH}/{scopeId}`,
    permissions: EM_PERMISSIONS.write,
    handler: (ctx, params) => {
      const pkg = packageOf(ctx, params["id"]);
      const list = roleScopesOf(pkg);
      if (!list.some((s) => s.id === params["scopeId"])) throw new GraphHttpError(404, "ResourceNotFound", "The resource was not found.");
      ctx.store.put(PACKAGES, { ...pkg, resourceRoleScopes: list.filter((s) => s.id !== params["scopeId"]) } as unknown as Entity);
      audit(ctx, pkg, "Delete");
      return { status: 204 };
    },
  },
  {
    method: "PATCH",
    path: `${PATH}/{scopeId}`,
    permissions: EM_PERMISSIONS.write,
    handler: () => {
      throw methodNotAllowed();
    },
  },
];
