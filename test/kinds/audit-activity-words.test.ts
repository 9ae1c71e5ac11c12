import { describe, expect, it } from "vitest";
import { auditNames } from "../../src/kinds/descriptor-read.js";
import { allKinds } from "../../src/kinds/registry.js";

/**
 * A kind's audit words decide when an incremental sync reads a kind without delta again, and which
 * audit entries explain a drift (README "Incremental sync"): they must name its own activities and
 * not its neighbours'. The activities and categories are those of Microsoft's audit activity
 * reference (docs/graph-behaviour.md, "Audit activity names") unless marked as the sandbox's own.
 */
const cases: readonly { activity: string; category: string; kinds: readonly string[] }[] = [
  // Directory roles (Core Directory and PIM, RoleManagement).
  { activity: "Add member to role", category: "RoleManagement", kinds: ["roleAssignment"] },
  { activity: "Remove member from role", category: "RoleManagement", kinds: ["roleAssignment"] },
  { activity: "Add scoped member to role", category: "RoleManagement", kinds: ["roleAssignment"] },
  { activity: "Remove scoped member from role", category: "RoleManagement", kinds: ["roleAssignment"] },
  { activity: "Add member to role in PIM completed (permanent)", category: "RoleManagement", kinds: ["roleAssignment"] },
  { activity: "Add member to role in PIM completed (timebound)", category: "ApplicationManagement", kinds: ["roleAssignment"] },
  { activity: "Remove member from role in PIM completed (timebound)", category: "RoleManagement", kinds: ["roleAssignment"] },
  { activity: "Update member in PIM requested (extend)", category: "RoleManagement", kinds: ["roleAssignment"] },
  { activity: "Remove permanent direct role assignment", category: "RoleManagement", kinds: ["roleAssignment"] },
  { activity: "Add member to role completed (PIM activation)", category: "RoleManagement", kinds: ["roleAssignment"] },
  { activity: "Remove member from role completed (PIM deactivate)", category: "RoleManagement", kinds: ["roleAssignment"] },
  { activity: "Update member of role in PIM completed (timebound)", category: "RoleManagement", kinds: ["roleAssignment"] }, // the sandbox's
  { activity: "Add eligible member to role in PIM completed (permanent)", category: "RoleManagement", kinds: ["roleEligibility"] },
  { activity: "Remove eligible member from role in PIM completed (timebound)", category: "RoleManagement", kinds: ["roleEligibility"] },
  { activity: "Update eligible member in PIM requested (extend)", category: "RoleManagement", kinds: ["roleEligibility"] },
  { activity: "Remove permanent eligible role assignment", category: "RoleManagement", kinds: ["roleEligibility"] },
  { activity: "Add EligibleRoleAssignment to RoleDefinition", category: "RoleManagement", kinds: ["roleEligibility"] },
  { activity: "Update eligible member of role in PIM completed (permanent)", category: "RoleManagement", kinds: ["roleEligibility"] }, // the sandbox's
  { activity: "Update role setting in PIM", category: "RoleManagement", kinds: ["roleSetting"] },
  { activity: "Add role definition", category: "RoleManagement", kinds: ["roleDefinition"] },
  // PIM for groups: the same names under GroupManagement.
  { activity: "Add member to role in PIM completed (permanent)", category: "GroupManagement", kinds: ["groupAssignmentSchedule"] },
  { activity: "Remove member from role in PIM completed (timebound)", category: "GroupManagement", kinds: ["groupAssignmentSchedule"] },
  { activity: "Update member in PIM requested (extend)", category: "GroupManagement", kinds: ["groupAssignmentSchedule"] },
  { activity: "Update member of role in PIM completed (timebound)", category: "GroupManagement", kinds: ["groupAssignmentSchedule"] }, // the sandbox's
  { activity: "Add member to role completed (PIM activation)", category: "GroupManagement", kinds: ["groupAssignmentSchedule"] },
  { activity: "Add eligible member to role in PIM completed (permanent)", category: "GroupManagement", kinds: ["groupEligibility"] },
  { activity: "Remove eligible member from role in PIM completed (timebound)", category: "GroupManagement", kinds: ["groupEligibility"] },
  { activity: "Update eligible member in PIM requested (extend)", category: "GroupManagement", kinds: ["groupEligibility"] },
  { activity: "Update role setting in PIM", category: "GroupManagement", kinds: ["groupRoleSetting"] },
  // PIM for Azure resources: none of ours.
  { activity: "Add eligible member to role in PIM completed (permanent)", category: "ResourceManagement", kinds: [] },
  { activity: "Update role setting in PIM", category: "ResourceManagement", kinds: [] },
  // Groups themselves.
  { activity: "Add member to group", category: "GroupManagement", kinds: ["group"] },
  // Policy objects (token lifetime, token issuance, claims mapping, home realm discovery,
  // activity-based timeout, app management) and their assignments: the names do not say the type.
  ...["Add policy", "Update policy", "Delete policy"].map((activity) => ({ activity, category: "Policy", kinds: ["activityBasedTimeoutPolicy", "appManagementPolicy", "claimsMappingPolicy", "homeRealmDiscoveryPolicy", "tokenIssuancePolicy", "tokenLifetimePolicy"] })),
  ...["Add policy to application", "Remove policy from application"].map((activity) => ({ activity, category: "ApplicationManagement", kinds: ["appManagementPolicy", "tokenIssuancePolicy", "tokenLifetimePolicy"] })),
  ...["Add policy to service principal", "Remove policy from service principal"].map((activity) => ({ activity, category: "ApplicationManagement", kinds: ["appManagementPolicy", "claimsMappingPolicy", "homeRealmDiscoveryPolicy", "tokenLifetimePolicy"] })),
  { activity: "Update application", category: "ApplicationManagement", kinds: ["application"] },
  { activity: "Update service principal", category: "ApplicationManagement", kinds: ["servicePrincipal"] },
  // Entitlement management.
  { activity: "Create access package", category: "EntitlementManagement", kinds: ["accessPackage"] },
  { activity: "Update access package", category: "EntitlementManagement", kinds: ["accessPackage"] },
  { activity: "Create access package resource role scope", category: "EntitlementManagement", kinds: ["accessPackage"] }, // the sandbox's
  { activity: "Create access package catalog", category: "EntitlementManagement", kinds: ["accessPackageCatalog"] },
  { activity: "Update access package catalog", category: "EntitlementManagement", kinds: ["accessPackageCatalog"] },
  { activity: "Create resource request", category: "EntitlementManagement", kinds: ["accessPackageCatalogResource"] },
  { activity: "Create resource remove request", category: "EntitlementManagement", kinds: ["accessPackageCatalogResource"] },
  { activity: "Update access package catalog resource", category: "EntitlementManagement", kinds: ["accessPackageCatalogResource"] },
  { activity: "Update access package assignment policy", category: "EntitlementManagement", kinds: ["accessPackageAssignmentPolicy"] },
  // Company branding: the sandbox's own names (the reference lists none).
  { activity: "Update company branding", category: "DirectoryManagement", kinds: ["organizationalBranding"] },
];

describe("audit words: each activity names its own kind and no other", () => {
  it.each(cases)("$category: $activity → $kinds", ({ activity, category, kinds }) => {
    const matched = allKinds()
      .filter((d) => auditNames(d.audit, { activityDisplayName: activity, category }))
      .map((d) => d.kind)
      .sort();
    expect(matched).toEqual([...kinds].sort());
  });

  it("an entry without a category is matched by its activity alone (both PIM kinds read again)", () => {
    const matched = allKinds().filter((d) => auditNames(d.audit, { activityDisplayName: "Update role setting in PIM" })).map((d) => d.kind).sort();
    expect(matched).toEqual(["groupRoleSetting", "roleSetting"]);
  });
});
