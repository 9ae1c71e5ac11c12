import { slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/policies/appManagementPolicies";

/**
 * Per-app management policies (`appManagementPolicy`, `/policies/appManagementPolicies`): credential
 * restrictions (`restrictions`: `passwordCredentials`, `keyCredentials`) for the applications and
 * service principals a policy is assigned to, overriding the tenant default
 * (`tenantAppManagementPolicy`). Created, updated and deleted, never soft-deleted
 * (docs/graph-behaviour.md, app management policies). Assigning a policy to applications
 * (`appliesTo`) is not managed here.
 */
export const appManagementPolicy = {
  kind: "appManagementPolicy",
  audit: { activity: /app(lication)? management policy/i },
  detect: { odataTypes: ["appManagementPolicy"], context: /policies\/appManagementPolicies\b/i },
  required: ["displayName"],
  title: "app management policy",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.appManagementPolicy",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  naturalKey: "displayName",
  documentName: (spec) => slugOf(spec),
  serverManaged: ["id", "deletedDateTime"],
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
