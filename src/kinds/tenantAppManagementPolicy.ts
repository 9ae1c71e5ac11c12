import { SINGLETON_NAME } from "./common.js";
import type { KindDescriptor } from "./types.js";

const PATH = "/policies/defaultAppManagementPolicy";

/**
 * The tenant's default app management policy (`tenantAppManagementPolicy`, singleton, GET and
 * PATCH): credential restrictions for applications and service principals (`applicationRestrictions`,
 * `servicePrincipalRestrictions`) and `isEnabled`. Per-app policies are the `appManagementPolicy` kind.
 */
export const tenantAppManagementPolicy = {
  kind: "tenantAppManagementPolicy",
  audit: { activity: /app(lication)? management policy/i },
  detect: { odataTypes: ["tenantAppManagementPolicy"], context: /defaultAppManagementPolicy/i },
  title: "tenant app management policy",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.tenantAppManagementPolicy",
  singleton: true,
  collectionPath: PATH,
  itemPath: () => PATH,
  naturalKey: "displayName",
  documentName: () => SINGLETON_NAME,
  serverManaged: ["id", "deletedDateTime", "displayName", "description"],
  createOnly: [],
  setArrays: [],
  references: [],
  dependsOn: [],
  permissions: {
    read: ["Policy.Read.All"],
    write: ["Policy.ReadWrite.ApplicationConfiguration"],
    ids: { "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68", "Policy.ReadWrite.ApplicationConfiguration": "be74164b-cff1-491c-8741-e671cb536e13" },
  },
} satisfies KindDescriptor;
