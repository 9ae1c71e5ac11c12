import { singletonPolicy } from "./singletonPolicy.js";
import { CROSS_TENANT_PERMISSIONS } from "./crossTenantShared.js";

/** The root's own audit activity (the sandbox's words, docs/graph-behaviour.md): the default kind leaves it to this kind. */
export const CROSS_TENANT_ROOT_ACTIVITY = /^update cross-?tenant access policy$/i;

/**
 * The cross-tenant access policy itself (`crossTenantAccessPolicy`, singleton, GET and PATCH):
 * `allowedCloudEndpoints` (the Microsoft clouds the tenant collaborates with) is the configuration;
 * id, displayName and the deprecated `definition` are not managed. Its `default` and `partners`
 * below the same path are the kinds crossTenantAccessPolicyDefault and crossTenantAccessPolicyPartner,
 * so import tells this object only by its own context, never by the path prefix
 * (docs/graph-behaviour.md, cross-tenant access policy).
 */
export const crossTenantAccessPolicy = singletonPolicy({
  kind: "crossTenantAccessPolicy",
  path: "/policies/crossTenantAccessPolicy",
  title: "cross-tenant access policy",
  type: "crossTenantAccessPolicy",
  activity: CROSS_TENANT_ROOT_ACTIVITY,
  write: { permission: "Policy.ReadWrite.CrossTenantAccess", id: CROSS_TENANT_PERMISSIONS.ids["Policy.ReadWrite.CrossTenantAccess"] },
  detect: { odataTypes: ["crossTenantAccessPolicy"], context: /crossTenantAccessPolicy\/\$entity$|crossTenantAccessPolicy\(/i, shape: (o) => "allowedCloudEndpoints" in o },
  serverManaged: ["id", "deletedDateTime", "displayName", "description", "definition"],
  setArrays: ["allowedCloudEndpoints"],
});
