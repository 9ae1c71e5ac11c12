import type { JsonObject, JsonValue } from "../model/document.js";
import { GUID_PATTERN_SOURCE } from "./reference-syntax.js";
import { referenceName } from "./common.js";
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from "./accessPackageCatalog.js";
import { slugify } from "./naming.js";
import { splitChildId } from "./object-paths.js";
import type { KindDescriptor } from "./types.js";

const CATALOGS = "/identityGovernance/entitlementManagement/catalogs";
const REQUESTS = "/identityGovernance/entitlementManagement/resourceRequests";
const GUID = GUID_PATTERN_SOURCE.slice(1, -1);

/** What names a resource in its document's name: the reference's name, or a site URL's path after the host. */
function originName(value: JsonValue | undefined): string {
  const site = typeof value === "string" ? /^https:\/\/[^/]+\/(?:sites\/|teams\/)?(.+?)\/*$/i.exec(value) : null;
  return site?.[1] ?? referenceName(value);
}

/**
 * Resources of an access package catalog (Microsoft's TCM
 * `entitlementManagementAccessPackageCatalogResource`): a group (`originSystem: AadGroup`), an
 * application's service principal (`AadApplication`) or a SharePoint Online site (`SharePointOnline`,
 * its URL) whose roles the catalog's access packages may grant. Graph lists them under each catalog
 * (`parent`) and adds or removes them only through `resourceRequests` (`adminAdd`, `adminRemove`);
 * there is no update (docs/graph-behaviour.md, catalog resources). Documents name the catalog and
 * the group or service principal by name, a site by its URL. Opt-in like the other entitlement management kinds.
 */
export const accessPackageCatalogResource = {
  kind: "accessPackageCatalogResource",
  // Added and removed through resource requests: "Create resource request", "Create resource remove
  // request", "Update access package catalog resource" (docs/graph-behaviour.md, "Audit activity names").
  audit: { activity: /^Create resource (remove )?request$|\baccess package catalog resource\b/i },
  detect: { odataTypes: ["accessPackageResource"], context: /catalogs\/[^/]+\/resources|accessPackageResources/i, shape: (o) => "originSystem" in o && "originId" in o },
  required: ["catalogId", "originId", "originSystem"],
  title: "access package catalog resource",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.accessPackageResource",
  optIn: true,
  singleton: false,
  collectionPath: `${CATALOGS}/{catalogId}/resources`,
  parent: { collectionPath: CATALOGS, segment: "resources", property: "catalogId" },
  itemPath(id) {
    const parts = splitChildId(id);
    if (!parts) throw new Error(`catalog resource id "${id}" does not name its catalog ({catalogId}/{id})`);
    return `${CATALOGS}/${parts.parentId}/resources/${parts.id}`;
  },
  naturalKey: "catalogId+originId",
  nameFromReferences: true,
  documentName: (spec) => slugify(`${referenceName(spec.catalogId)}-${originName(spec.originId)}`, "catalog-resource"),
  serverManaged: ["id", "displayName", "description", "createdDateTime", "modifiedDateTime", "attributes", "roles", "scopes", "environment"],
  createOnly: ["catalogId", "originId", "originSystem"],
  setArrays: [],
  references: [
    { path: "catalogId", targets: ["accessPackageCatalog"] },
    { path: "originId", targets: ["group", "servicePrincipal"] },
  ],
  dependsOn: ["accessPackageCatalog", "group", "servicePrincipal"],
  // Graph also asks an application adding a group for Group.ReadWrite.All, one adding an
  // application for Application.ReadWrite.All (docs/graph-behaviour.md, catalog resources).
  permissions: {
    read: ENTITLEMENT_MANAGEMENT_PERMISSIONS.read,
    write: [...ENTITLEMENT_MANAGEMENT_PERMISSIONS.write, "Group.ReadWrite.All", "Application.ReadWrite.All"],
    ids: { ...ENTITLEMENT_MANAGEMENT_PERMISSIONS.ids, "Group.ReadWrite.All": "62a82d76-70ea-41e2-9197-370581804d09", "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9" },
  },
  extraSpec: {
    catalogId: { type: "string", description: "The catalog (accessPackageCatalog:<name>) the resource belongs to." },
    // A SharePoint Online site is named by its URL (no object of the tenant to reference by name).
    originId: {
      type: "string",
      pattern: `^(?:${GUID}|(?:group|servicePrincipal):\\S(?:.*\\S)?|https://\\S+)$`,
      description: "The group (group:<name>), the application's service principal (servicePrincipal:<name>) or the SharePoint Online site's URL (https://<tenant>.sharepoint.com/sites/<site>).",
      "x-reference": { targets: ["group", "servicePrincipal"], sentinels: [] },
    },
  },
  writeRequests: {
    path: REQUESTS,
    body(object, action, id): JsonObject {
      const catalog: JsonObject = { id: object.catalogId ?? null };
      if (action === "delete") {
        const resource: JsonObject = { id: (id !== undefined ? splitChildId(id)?.id : undefined) ?? null };
        return { requestType: "adminRemove", catalog, resource };
      }
      const resource: JsonObject = { originId: object.originId ?? null, originSystem: object.originSystem ?? null };
      return { requestType: "adminAdd", catalog, resource };
    },
    // The answer is the request: the resource is found in the catalog's list by its key.
    createdId: () => undefined,
    missingCode: "ResourceNotFound",
  },
} satisfies KindDescriptor;
