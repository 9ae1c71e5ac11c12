import type { JsonObject } from "../model/document.js";
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from "./accessPackageCatalog.js";
import { slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/identityGovernance/entitlementManagement/accessPackages";

/**
 * Entitlement management access packages (`accessPackage`): `displayName`, `description`,
 * `isHidden`, and the catalog that holds the package, `catalog: { id: accessPackageCatalog:<name> }`
 * (Graph reads it only through `$expand=catalog` and takes it only on create: moving a package to
 * another catalog is delete + create). Created, updated, deleted (docs/graph-behaviour.md, access
 * packages). The package's resource role scopes and incompatible packages and groups are not
 * managed here. Opt-in with the other entitlement management kinds (EntitlementManagement.Read.All).
 */
export const accessPackage = {
  kind: "accessPackage",
  reference: { prefix: "accessPackage" },
  audit: { activity: /access package(?! (catalog|assignment policy|assignment request|resource))/i },
  detect: { odataTypes: ["accessPackage"], context: /entitlementManagement\/accessPackages/i, shape: (o) => "isHidden" in o && "displayName" in o && !("catalogType" in o) },
  required: ["displayName", "catalog"],
  title: "access package",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.accessPackage",
  optIn: true,
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  listQuery: { $expand: "catalog" },
  naturalKey: "displayName",
  documentName: (spec) => slugOf(spec, "displayName", "access-package"),
  serverManaged: ["id", "createdDateTime", "modifiedDateTime"],
  createOnly: ["catalog"],
  setArrays: [],
  references: [{ path: "catalog.id", targets: ["accessPackageCatalog"] }],
  dependsOn: ["accessPackageCatalog"],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  // Graph fills it in when a create leaves it out: absent means "whatever the tenant has".
  keepWhenAbsent: ["isHidden"],
  normalize(spec) {
    // `$expand=catalog` brings the whole catalog: the document keeps the link, `{ id }`.
    const catalog = spec.catalog;
    if (catalog !== null && typeof catalog === "object" && !Array.isArray(catalog)) {
      const id = (catalog as JsonObject).id;
      spec.catalog = id === undefined ? {} : { id };
    }
    return spec;
  },
} satisfies KindDescriptor;
