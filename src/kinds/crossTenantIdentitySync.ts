import { CROSS_TENANT_PERMISSIONS } from "./crossTenantShared.js";
import { slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

const PARTNERS = "/policies/crossTenantAccessPolicy/partners";

/**
 * Cross-tenant user synchronization from a partner tenant (`crossTenantIdentitySyncPolicyPartner`,
 * one per partner at `/policies/crossTenantAccessPolicy/partners/{tenantId}/identitySynchronization`):
 * `displayName` and `userSyncInbound.isSyncAllowed`. Created by PUT (the partner configuration must
 * exist first: the kind depends on crossTenantAccessPolicyPartner), updated by PATCH, deleted
 * (docs/graph-behaviour.md, cross-tenant identity synchronization). The document's `tenantId` is
 * the partner's, so the engine's id is the partner's tenant id. Read with Policy.Read.All, as the
 * partners, so it is in the default scope.
 */
export const crossTenantIdentitySync = {
  kind: "crossTenantIdentitySync",
  audit: { activity: /identity ?synchroni[sz]ation|user sync(hronization)? policy|cross-tenant sync/i },
  detect: { odataTypes: ["crossTenantIdentitySyncPolicyPartner"], context: /identitySynchronization/i, shape: (o) => "userSyncInbound" in o },
  required: ["tenantId"],
  title: "cross-tenant identity synchronization",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.crossTenantIdentitySyncPolicyPartner",
  singleton: false,
  collectionPath: PARTNERS,
  itemPath: (tenantId) => `${PARTNERS}/${tenantId}/identitySynchronization`,
  parent: { collectionPath: PARTNERS, segment: "identitySynchronization", property: "tenantId", parentIdProperty: "tenantId", single: true },
  idProperty: "tenantId",
  naturalKey: "tenantId",
  createByPut: true,
  documentName: (spec) => slugOf(spec, "tenantId"),
  // Named like the partner's document: from the partner tenant's public name.
  nameFromReferences: true,
  otherTenantIdProperty: "tenantId",
  serverManaged: [],
  createOnly: ["tenantId"],
  setArrays: [],
  references: [],
  dependsOn: ["crossTenantAccessPolicyPartner"],
  permissions: CROSS_TENANT_PERMISSIONS,
  normalize(spec) {
    if (typeof spec.tenantId === "string") spec.tenantId = spec.tenantId.toLowerCase();
    return spec;
  },
} satisfies KindDescriptor;
