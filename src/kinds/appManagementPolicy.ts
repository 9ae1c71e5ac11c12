import { slugOf } from "./common.js";
import { APPLICATION_READ, appliesTo, policyAuditActivity } from "./policy-assignment.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/policies/appManagementPolicies";

/**
 * Per-app management policies (`appManagementPolicy`, `/policies/appManagementPolicies`): credential
 * restrictions (`restrictions`: `passwordCredentials`, `keyCredentials`) for the applications and
 * service principals a policy is assigned to, overriding the tenant default
 * (`tenantAppManagementPolicy`). Created, updated and deleted, never soft-deleted
 * (docs/graph-behaviour.md, app management policies). `appliesTo`: the applications and service
 * principals it is assigned to, at most one policy each (`policy-assignment.ts`).
 */
export const appManagementPolicy = {
  kind: "appManagementPolicy",
  // Its own names are the sandbox's (unverified); the generic policy ones are the reference's.
  audit: { activity: policyAuditActivity(/app(lication)? management policy/i, { application: true, servicePrincipal: true }) },
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
  relationships: [appliesTo({ application: "appManagementPolicies", servicePrincipal: "appManagementPolicies" }, true)],
  // The applications and service principals a policy is assigned to are written first.
  dependsOn: ["application", "servicePrincipal"],
  permissions: {
    // appliesTo: Application.Read.All beside the policy permission, to read and to assign alike.
    read: ["Policy.Read.All", "Application.Read.All"],
    write: ["Policy.ReadWrite.ApplicationConfiguration", "Application.Read.All"],
    ids: { "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68", "Policy.ReadWrite.ApplicationConfiguration": "be74164b-cff1-491c-8741-e671cb536e13", ...APPLICATION_READ },
  },
} satisfies KindDescriptor;
