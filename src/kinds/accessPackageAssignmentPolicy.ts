import type { JsonObject } from "../model/document.js";
import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from "./accessPackageCatalog.js";
import { referenceName } from "./common.js";
import { slugify } from "./naming.js";
import type { KindDescriptor, ReferenceField } from "./types.js";

const COLLECTION = "/identityGovernance/entitlementManagement/assignmentPolicies";

/** Every list of subject sets (`singleUser`, `groupMembers`, sponsors, managers, …) a policy holds. */
const SUBJECT_SETS = [
  "specificAllowedTargets",
  "requestorSettings.onBehalfRequestors",
  "requestApprovalSettings.stages.primaryApprovers",
  "requestApprovalSettings.stages.fallbackPrimaryApprovers",
  "requestApprovalSettings.stages.escalationApprovers",
  "requestApprovalSettings.stages.fallbackEscalationApprovers",
  "reviewSettings.primaryReviewers",
  "reviewSettings.fallbackReviewers",
] as const;

/** The users, groups, service principals and connected organizations of each subject set, by name. */
const SUBJECT_REFERENCES: ReferenceField[] = SUBJECT_SETS.flatMap((path) => [
  { path: `${path}.userId`, targets: ["user"] },
  { path: `${path}.groupId`, targets: ["group"] },
  { path: `${path}.servicePrincipalId`, targets: ["servicePrincipal"] },
  { path: `${path}.connectedOrganizationId`, targets: ["connectedOrganization"] },
]);

/**
 * Entitlement management assignment policies (`accessPackageAssignmentPolicy`): who may be
 * assigned an access package (`allowedTargetScope`, `specificAllowedTargets`), who may request it
 * (`requestorSettings`), the approval stages (`requestApprovalSettings.stages`), expiration,
 * access reviews and automatic assignment. The package is `accessPackage: { id:
 * accessPackage:<name> }` (create-only); users and groups in subject sets (targets, on-behalf
 * requestors, approvers, reviewers) are `user:`, `group:`, `servicePrincipal:` and `connectedOrganization:` references. Graph updates a policy
 * by PUT of the whole object (`updateMethod: "PUT"`). Created, updated, deleted
 * (docs/graph-behaviour.md, access package assignment policies). Opt-in with the other
 * entitlement management kinds. Questions and custom extension stages are not managed here.
 */
export const accessPackageAssignmentPolicy = {
  kind: "accessPackageAssignmentPolicy",
  audit: { activity: /assignment policy/i },
  detect: { odataTypes: ["accessPackageAssignmentPolicy"], context: /entitlementManagement\/assignmentPolicies/i, shape: (o) => "allowedTargetScope" in o && "requestorSettings" in o },
  required: ["displayName", "accessPackage"],
  title: "access package assignment policy",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.accessPackageAssignmentPolicy",
  optIn: true,
  singleton: false,
  updateMethod: "PUT",
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  listQuery: { $expand: "accessPackage" },
  // Two packages' policies may share a display name: export writes ids, which pair first.
  naturalKey: "displayName",
  nameFromReferences: true,
  documentName(spec) {
    const link = spec.accessPackage;
    const packageName = link !== null && typeof link === "object" && !Array.isArray(link) ? referenceName((link as JsonObject).id) : "";
    const displayName = typeof spec.displayName === "string" ? spec.displayName : "";
    return slugify([packageName, displayName].filter((p) => p !== "").join("-"), "assignment-policy");
  },
  serverManaged: ["id", "createdDateTime", "modifiedDateTime"],
  createOnly: ["accessPackage"],
  setArrays: [],
  references: [{ path: "accessPackage.id", targets: ["accessPackage"] }, ...SUBJECT_REFERENCES],
  dependsOn: ["accessPackage", "user", "group", "servicePrincipal", "connectedOrganization"],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  keepODataType: [...SUBJECT_SETS],
  normalize(spec) {
    // `$expand=accessPackage` brings the whole package: the document keeps the link, `{ id }`.
    const link = spec.accessPackage;
    if (link !== null && typeof link === "object" && !Array.isArray(link)) {
      const id = (link as JsonObject).id;
      spec.accessPackage = id === undefined ? {} : { id };
    }
    return spec;
  },
} satisfies KindDescriptor;
