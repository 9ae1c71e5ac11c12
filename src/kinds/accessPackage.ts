import type { JsonObject } from "../model/document.js";
import { isJsonObject } from "../model/json.js";
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from "./accessPackageCatalog.js";
import { slugOf } from "./common.js";
import { GUID_PATTERN_SOURCE } from "./reference-syntax.js";
import type { KindDescriptor } from "./types.js";
import type { SetCollection, SetCollectionReader } from "./descriptor-write.js";

const COLLECTION = "/identityGovernance/entitlementManagement/accessPackages";
const CATALOGS = "/identityGovernance/entitlementManagement/catalogs";
const SCOPES = "resourceRoleScopes";

/** A SharePoint Online site, named by its URL (README "Access packages"). */
const SITE_URL = /^https:\/\/\S+$/i;

/**
 * A role scope as documents hold it, `{ resource, role }`, from Graph's form (`role` and `scope`
 * objects: the resource is the root scope's `originId`, the role its display name) or as it is.
 */
function roleScopeItem(item: JsonObject): JsonObject {
  const role = item.role;
  const scope = item.scope;
  if (!isJsonObject(role) && !isJsonObject(scope)) return item;
  return { resource: isJsonObject(scope) ? (scope.originId ?? null) : null, role: isJsonObject(role) ? (role.displayName ?? null) : null };
}

/** What makes two role scopes the same: the resource and the role's name, case-insensitively. */
function roleScopeIdentity(item: JsonObject): string {
  const { resource, role } = roleScopeItem(item);
  return `${String(resource).toLowerCase()}|${String(role).toLowerCase()}`;
}

/** Graph's origin system of a resource a document names (a group, a service principal or a site). */
function originSystemOf(resource: string, index: readonly JsonObject[]): string | undefined {
  if (SITE_URL.test(resource)) return "SharePointOnline";
  const found = index.find((r) => String(r.originId).toLowerCase() === resource.toLowerCase());
  return typeof found?.originSystem === "string" ? found.originSystem : undefined;
}

/**
 * The POST body of a role scope: Graph needs the catalog resource's id and the role's origin id,
 * read from the package's catalog (its resources, then the resource's roles by display name).
 * A resource not in the catalog or a role it lacks is refused before the first write.
 */
async function roleScopeBody(item: JsonObject, packageId: string, read: SetCollectionReader): Promise<JsonObject> {
  const resourceOrigin = String(item.resource);
  const roleName = String(item.role);
  const pkg = await read.get(`${COLLECTION}/${packageId}`, { $expand: "catalog" });
  const catalog = pkg?.catalog;
  const catalogId = isJsonObject(catalog) && typeof catalog.id === "string" ? catalog.id : undefined;
  if (catalogId === undefined) throw new Error(`${SCOPES}: Graph lists no catalog for access package ${packageId}`);
  const resources = await read.list(`${CATALOGS}/${catalogId}/resources`);
  const originSystem = originSystemOf(resourceOrigin, resources);
  const resource = resources.find((r) => String(r.originId).toLowerCase() === resourceOrigin.toLowerCase() && r.originSystem === originSystem);
  if (!resource || typeof resource.id !== "string" || originSystem === undefined) {
    throw new Error(`${SCOPES}: ${resourceOrigin} is not a resource of the package's catalog ${String(isJsonObject(catalog) ? catalog.displayName : catalogId)}: add it to the catalog first (an accessPackageCatalogResource document)`);
  }
  const roles = await read.list(`${CATALOGS}/${catalogId}/resourceRoles`, { $filter: `originSystem eq '${originSystem}' and resource/id eq '${resource.id}'`, $expand: "resource" });
  const matching = roles.filter((r) => String(r.displayName).toLowerCase() === roleName.toLowerCase());
  if (matching.length !== 1) {
    const names = roles.map((r) => String(r.displayName)).join(", ") || "none";
    throw new Error(`${SCOPES}: ${String(resource.displayName)} has ${matching.length === 0 ? "no role" : "several roles"} named "${roleName}" (its roles: ${names})`);
  }
  const role = matching[0] as JsonObject;
  return {
    role: { id: role.id ?? null, displayName: role.displayName ?? null, originSystem, originId: role.originId ?? null, resource: { id: resource.id, originId: resource.originId ?? null, originSystem } },
    scope: { displayName: "Root", description: "Root Scope", originId: resource.originId ?? null, originSystem, isRootScope: true },
  };
}

const roleScopes: SetCollection = {
  property: SCOPES,
  collectionPath: (id) => `${COLLECTION}/${id}/${SCOPES}`,
  itemPath: (id, scopeId) => `${COLLECTION}/${id}/${SCOPES}/${scopeId}`,
  identity: roleScopeIdentity,
  // A package never briefly delivers less than its document says.
  addFirst: true,
  expandedQuery: { $expand: `${SCOPES}($expand=role,scope)` },
  createBody: roleScopeBody,
};

const GUID = GUID_PATTERN_SOURCE.slice(1, -1);

/**
 * Entitlement management access packages (`accessPackage`): `displayName`, `description`,
 * `isHidden`, and the catalog that holds the package, `catalog: { id: accessPackageCatalog:<name> }`
 * (Graph reads it only through `$expand=catalog` and takes it only on create: moving a package to
 * another catalog is delete + create). Created, updated, deleted (docs/graph-behaviour.md, access
 * packages). Its resource role scopes, `resourceRoleScopes: [{ resource, role }]` (a group, a service
 * principal or a SharePoint site of the package's catalog, and a role of it by display name), are
 * added and removed through their own requests, never updated (`setCollections`); a document
 * without the list leaves the package's scopes alone (documents exported before the kind managed
 * them have none), `resourceRoleScopes: []` means none. Incompatible packages and groups are not
 * managed here. Opt-in with the other entitlement management kinds (EntitlementManagement.Read.All).
 */
export const accessPackage = {
  kind: "accessPackage",
  reference: { prefix: "accessPackage" },
  // Role scope changes ("… access package resource role scope") are the package's own.
  audit: { activity: /access package(?! (catalog|assignment policy|assignment request|resource(?! role scope)))/i },
  detect: { odataTypes: ["accessPackage"], context: /entitlementManagement\/accessPackages/i, shape: (o) => "isHidden" in o && "displayName" in o && !("catalogType" in o) },
  required: ["displayName", "catalog"],
  title: "access package",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.accessPackage",
  optIn: true,
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  listQuery: { $expand: `catalog,${SCOPES}($expand=role,scope)` },
  naturalKey: "displayName",
  documentName: (spec) => slugOf(spec, "displayName", "access-package"),
  serverManaged: ["id", "createdDateTime", "modifiedDateTime"],
  createOnly: ["catalog"],
  setArrays: [SCOPES],
  references: [
    { path: "catalog.id", targets: ["accessPackageCatalog"] },
    { path: `${SCOPES}.resource`, targets: ["group", "servicePrincipal"] },
  ],
  // A role scope needs its resource in the catalog first (accessPackageCatalogResource).
  dependsOn: ["accessPackageCatalog", "accessPackageCatalogResource", "group", "servicePrincipal"],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  setCollections: [roleScopes],
  // Graph refuses a role scope on a resource the package's catalog does not hold: plan says so
  // when the catalog resources are in scope (apply checks again in `createBody`).
  refuseAgainst(spec, specsOf) {
    const resources = specsOf("accessPackageCatalogResource");
    const catalog = isJsonObject(spec.catalog) ? spec.catalog.id : undefined;
    const scopes = spec[SCOPES];
    if (!resources || typeof catalog !== "string" || !Array.isArray(scopes)) return [];
    const held = new Set(resources.filter((r) => String(r.catalogId).toLowerCase() === catalog.toLowerCase()).map((r) => String(r.originId).toLowerCase()));
    return scopes
      .filter(isJsonObject)
      .filter((item) => typeof item.resource === "string" && !held.has(item.resource.toLowerCase()))
      .map((item) => `${SCOPES}: ${String(item.resource)} is not a resource of ${catalog}: add it to the catalog first (an accessPackageCatalogResource document)`);
  },
  // Graph fills it in when a create leaves it out: absent means "whatever the tenant has".
  keepWhenAbsent: ["isHidden"],
  // A repository exported before role scopes were managed must not plan the removal of every
  // scope (README "Access packages' resource role scopes"); `[]` is none.
  leftAloneWhenAbsent: [SCOPES],
  extraSpec: {
    [SCOPES]: {
      type: "array",
      description: "The roles the package delivers: a resource of its catalog (group:<name>, servicePrincipal:<name> or a SharePoint site's URL) and one of its roles by display name (Member, Owner, an app role, a site role).",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["resource", "role"],
        properties: {
          resource: { type: "string", pattern: `^(?:${GUID}|(?:group|servicePrincipal):\\S(?:.*\\S)?|https://\\S+)$`, "x-reference": { targets: ["group", "servicePrincipal"], sentinels: [] } },
          role: { type: "string", minLength: 1 },
        },
      },
    },
  },
  normalize(spec) {
    // `$expand=catalog` brings the whole catalog: the document keeps the link, `{ id }`.
    const catalog = spec.catalog;
    if (catalog !== null && typeof catalog === "object" && !Array.isArray(catalog)) {
      const id = (catalog as JsonObject).id;
      spec.catalog = id === undefined ? {} : { id };
    }
    const scopes = spec[SCOPES];
    if (Array.isArray(scopes)) spec[SCOPES] = scopes.filter(isJsonObject).map(roleScopeItem);
    return spec;
  },
} satisfies KindDescriptor;
