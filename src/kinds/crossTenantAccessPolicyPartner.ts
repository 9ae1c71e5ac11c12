import {
  CROSS_TENANT_ARRAY_KEYS,
  CROSS_TENANT_PERMISSIONS,
  CROSS_TENANT_REFERENCES,
  CROSS_TENANT_SET_ARRAYS,
} from "./crossTenantShared.js";
import { slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/policies/crossTenantAccessPolicy/partners";

/**
 * A partner tenant's cross-tenant settings, keyed by its tenant id (create by POST with
 * `tenantId`, then `/partners/{tenantId}`). Identity sync (`identitySynchronization`) is a
 * separate navigation and not managed here. Soft delete and restore are beta-only.
 */
export const crossTenantAccessPolicyPartner = {
  kind: "crossTenantAccessPolicyPartner",
  audit: { activity: /partner.*(cross-?tenant|crosstenant)|(cross-?tenant|crosstenant).*partner/i },
  detect: {
    odataTypes: ["crossTenantAccessPolicyConfigurationPartner"],
    // A partner's identity synchronization (…/partners('{id}')/identitySynchronization) is its own kind.
    context: /crossTenantAccessPolicy\/partners(?!.*identitySynchronization)/i,
    shape: (o) => "tenantId" in o && !("isServiceDefault" in o) && ("b2bCollaborationInbound" in o || "inboundTrust" in o || "b2bDirectConnectInbound" in o),
  },
  required: ["tenantId"],
  title: "cross-tenant access partner",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.crossTenantAccessPolicyConfigurationPartner",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (tenantId) => `${COLLECTION}/${tenantId}`,
  idProperty: "tenantId",
  naturalKey: "tenantId",
  // Named from the partner tenant's public name (`fabrikam`), read by export; its id stays in the
  // spec with the name as a comment. Without CrossTenantInformation.ReadBasic.All: the tenant id.
  documentName: (spec) => slugOf(spec, "tenantId"),
  nameFromReferences: true,
  otherTenantIdProperty: "tenantId",
  // isInMultiTenantOrganization is set by multitenant-organization membership, not here.
  serverManaged: ["id", "deletedDateTime", "isInMultiTenantOrganization", "identitySynchronization"],
  createOnly: ["tenantId"],
  setArrays: CROSS_TENANT_SET_ARRAYS,
  arrayKeys: CROSS_TENANT_ARRAY_KEYS,
  references: CROSS_TENANT_REFERENCES,
  dependsOn: ["group", "user", "application", "servicePrincipal"],
  permissions: {
    read: [...CROSS_TENANT_PERMISSIONS.read, "CrossTenantInformation.ReadBasic.All"],
    write: [...CROSS_TENANT_PERMISSIONS.write, "CrossTenantInformation.ReadBasic.All"],
    ids: { ...CROSS_TENANT_PERMISSIONS.ids, "CrossTenantInformation.ReadBasic.All": "cac88765-0581-4025-9725-5ebc13f729ee" },
  },
  softDelete: {
    listPath: "/policies/deletedItems/crossTenantPartners",
    restorePath: (tenantId) => `/policies/deletedItems/crossTenantPartners/${tenantId}/restore`,
    apiVersion: "beta",
  },
  normalize(spec) {
    if (typeof spec.tenantId === "string") spec.tenantId = spec.tenantId.toLowerCase();
    return spec;
  },
} satisfies KindDescriptor;
