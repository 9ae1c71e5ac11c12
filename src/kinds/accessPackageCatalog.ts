import { slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/identityGovernance/entitlementManagement/catalogs";

/** Microsoft Graph's app roles for entitlement management (docs/graph-behaviour.md §10). */
export const ENTITLEMENT_MANAGEMENT_PERMISSIONS = {
  read: ["EntitlementManagement.Read.All"],
  write: ["EntitlementManagement.ReadWrite.All"],
  ids: { "EntitlementManagement.Read.All": "c74fd47d-ed3c-45c3-9a9e-b8676de685d2", "EntitlementManagement.ReadWrite.All": "9acd699f-1e81-4958-b001-93b1d2506e19" },
} as const;

/**
 * Entitlement management catalogs (`accessPackageCatalog`): containers of access packages with
 * `displayName`, `description`, `state` (`published`, `unpublished`) and `isExternallyVisible`.
 * Only catalogs administrators made (`catalogType: userManaged`) are managed: the built-in
 * `General` catalog and the ones entitlement management keeps for itself are left alone. Created,
 * updated, deleted (docs/graph-behaviour.md, access package catalogs). Opt-in: reading needs
 * EntitlementManagement.Read.All, which no other kind needs.
 */
export const accessPackageCatalog = {
  kind: "accessPackageCatalog",
  reference: { prefix: "accessPackageCatalog" },
  // Not its resources' "Update access package catalog resource" (accessPackageCatalogResource).
  audit: { activity: /\bcatalog\b(?! resource)/i },
  detect: { odataTypes: ["accessPackageCatalog"], context: /entitlementManagement\/catalogs/i, shape: (o) => "catalogType" in o && "isExternallyVisible" in o },
  required: ["displayName"],
  title: "access package catalog",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.accessPackageCatalog",
  optIn: true,
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  naturalKey: "displayName",
  documentName: (spec) => slugOf(spec, "displayName", "catalog"),
  serverManaged: ["id", "catalogType", "createdDateTime", "modifiedDateTime"],
  createOnly: [],
  setArrays: [],
  references: [],
  dependsOn: [],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  // Graph fills both in when a create leaves them out: absent means "whatever the tenant has".
  keepWhenAbsent: ["state", "isExternallyVisible"],
  isManaged: (live) => live.catalogType === undefined || live.catalogType === "userManaged",
} satisfies KindDescriptor;
