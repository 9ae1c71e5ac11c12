import type { ResourceDefinition } from "../core/resource.js";
import { directoryAudits } from "../audit/directory-audits.js";
import { administrativeUnits } from "./administrative-units.js";
import { applications } from "./applications.js";
import { attributeSets } from "./attribute-sets.js";
import { customSecurityAttributeDefinitions } from "./custom-security-attribute-definitions.js";
import { deletedItems } from "./deleted-items.js";
import { directoryObjectActions } from "./directory-objects.js";
import { directoryRoles } from "./directory-roles.js";
import { domains } from "./domains.js";
import { entitlementManagementResources } from "./entitlement-management/index.js";
import { groupLifecyclePolicies } from "./group-lifecycle-policies.js";
import { groups } from "./groups.js";
import { identityProviders } from "./identity-providers.js";
import { me } from "./me.js";
import { oauth2PermissionGrants } from "./oauth2-permission-grants.js";
import { permissionGrantPolicies } from "./permission-grant-policies.js";
import { organization } from "./organization.js";
import { roleAssignmentScheduleInstances, roleAssignmentScheduleRequests } from "./role-assignment-schedules.js";
import { organizationalBranding } from "./organizational-branding.js";
import { roleAssignments } from "./role-assignments.js";
import { roleDefinitions } from "./role-definitions.js";
import { roleEligibilityScheduleRequests, roleEligibilitySchedules } from "./role-eligibility.js";
import { pimGroupsResources } from "./pim-groups.js";
import { roleManagementPolicies, roleManagementPolicyAssignments } from "./role-management-policies.js";
import { appRoleAssignments, servicePrincipals } from "./service-principals.js";
import { tenantInformation } from "./tenant-information.js";
import { agreements } from "./terms-of-use.js";
import { users } from "./users.js";

/** The directory resources, in the order their initial objects and seeds are created. */
export const directoryResources: readonly ResourceDefinition[] = [
  organization,
  organizationalBranding,
  domains,
  users,
  groups,
  groupLifecyclePolicies,
  identityProviders,
  attributeSets,
  customSecurityAttributeDefinitions,
  applications,
  servicePrincipals,
  appRoleAssignments,
  oauth2PermissionGrants,
  permissionGrantPolicies,
  administrativeUnits,
  roleDefinitions,
  roleAssignments,
  roleEligibilitySchedules,
  roleEligibilityScheduleRequests,
  roleAssignmentScheduleRequests,
  roleAssignmentScheduleInstances,
  ...pimGroupsResources,
  roleManagementPolicies,
  roleManagementPolicyAssignments,
  directoryRoles,
  deletedItems,
  me,
  directoryAudits,
  directoryObjectActions,
  tenantInformation,
  ...entitlementManagementResources,
  agreements,
];
