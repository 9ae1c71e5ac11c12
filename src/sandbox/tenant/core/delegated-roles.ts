/**
 * Delegated access in Graph is the intersection of the token's scopes and what the signed-in user
 * may do: a scope like Policy.ReadWrite.ConditionalAccess only works for a user who holds a
 * directory role that allows it. This table says which built-in roles (template ids, assigned
 * tenant-wide) unlock each privileged scope; scopes not listed need no role (default user
 * permissions, e.g. reading the directory). Object ownership (owners editing their own group or
 * app) and administrative-unit-scoped roles are not modelled.
 */
const GA = "62e90394-69f5-4237-9190-012177145e10";
const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
const PRIVILEGED_ROLE_ADMIN = "e8611ab8-c189-46e8-94e1-60213ab1f814";
const SECURITY_ADMIN = "194ae4cb-b126-40b2-bd5b-6091b380977d";
const SECURITY_READER = "5d6b6bb7-de71-4623-b4af-96380a352509";
const SECURITY_OPERATOR = "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f";
const CA_ADMIN = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9";
const AUTH_POLICY_ADMIN = "0526716b-113d-4c15-b2c8-68e3c22b9f80";
const APP_ADMIN = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
const CLOUD_APP_ADMIN = "158c047a-c907-4556-b7ef-446551a6b5f7";
const USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const GROUPS_ADMIN = "fdd7a751-b60b-444a-984c-02652fe8fa1c";
const REPORTS_READER = "4a5d8f65-41da-4de4-8968-e035b65339cf";
const DIRECTORY_WRITERS = "9360feb5-f418-4baa-8175-e2a00bac4301";

const POLICY_READERS = [GA, GLOBAL_READER, SECURITY_ADMIN, SECURITY_READER, SECURITY_OPERATOR, CA_ADMIN, AUTH_POLICY_ADMIN];

export const DELEGATED_ROLE_REQUIREMENTS: Readonly<Record<string, readonly string[]>> = {
  "Policy.Read.All": POLICY_READERS,
  "Policy.Read.ConditionalAccess": POLICY_READERS,
  "Policy.Read.AuthenticationMethod": POLICY_READERS,
  "Policy.ReadWrite.ConditionalAccess": [GA, SECURITY_ADMIN, CA_ADMIN],
  "Policy.ReadWrite.AuthenticationMethod": [GA, AUTH_POLICY_ADMIN],
  "Policy.ReadWrite.Authorization": [GA, PRIVILEGED_ROLE_ADMIN],
  "Policy.ReadWrite.CrossTenantAccess": [GA, SECURITY_ADMIN],
  "Group.ReadWrite.All": [GA, GROUPS_ADMIN, USER_ADMIN, DIRECTORY_WRITERS],
  "GroupMember.ReadWrite.All": [GA, GROUPS_ADMIN, USER_ADMIN, DIRECTORY_WRITERS],
  "GroupSettings.ReadWrite.All": [GA, GROUPS_ADMIN],
  "Application.ReadWrite.All": [GA, APP_ADMIN, CLOUD_APP_ADMIN],
  "AppRoleAssignment.ReadWrite.All": [GA, PRIVILEGED_ROLE_ADMIN, APP_ADMIN, CLOUD_APP_ADMIN],
  "User.ReadWrite.All": [GA, USER_ADMIN],
  "Directory.ReadWrite.All": [GA, DIRECTORY_WRITERS],
  "RoleManagement.ReadWrite.Directory": [GA, PRIVILEGED_ROLE_ADMIN],
  "AdministrativeUnit.ReadWrite.All": [GA, PRIVILEGED_ROLE_ADMIN],
  "Organization.ReadWrite.All": [GA],
  // Terms of use: Conditional Access or Security Administrator (the agreement API pages).
  "Agreement.Read.All": [GA, GLOBAL_READER, SECURITY_ADMIN, SECURITY_READER, CA_ADMIN],
  "Agreement.ReadWrite.All": [GA, SECURITY_ADMIN, CA_ADMIN],
  "AuditLog.Read.All": [GA, GLOBAL_READER, SECURITY_ADMIN, SECURITY_READER, SECURITY_OPERATOR, REPORTS_READER],
};
