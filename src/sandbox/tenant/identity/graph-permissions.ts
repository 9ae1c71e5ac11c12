/**
 * Microsoft Graph's first-party application (same appId in every tenant) and the ids of the app
 * roles (application permissions) the sandbox grants. Ids are Microsoft's real ones.
 */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

export const GRAPH_APP_ROLE_IDS: Readonly<Record<string, string>> = {
  "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
  "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
  "Application.ReadWrite.OwnedBy": "18a4783c-866b-4cc7-a460-3d5e5662c884",
  "AdministrativeUnit.Read.All": "134fd756-38ce-4afd-ba33-e9623dbe66c2",
  "AdministrativeUnit.ReadWrite.All": "5eb59dd3-1da2-4329-8733-9dabdc435916",
  "AuditLog.Read.All": "b0afded3-3588-46d8-8b3d-9842eff778da",
  "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
  "Directory.ReadWrite.All": "19dbc75e-c2e2-444c-a770-ec69d8559fc7",
  "Group.Create": "bf7b1a76-6e77-406b-b258-bf5c7720e98f",
  "Group.Read.All": "5b567255-7703-4780-807c-7be8301ae99b",
  "Group.ReadWrite.All": "62a82d76-70ea-41e2-9197-370581804d09",
  "GroupMember.Read.All": "98830695-27a2-44f7-8c18-0c3ebc9698f6",
  "GroupMember.ReadWrite.All": "dbaae8cf-10b5-4b86-a4a1-f871c94c6695",
  "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68",
  "Policy.Read.ConditionalAccess": "37730810-e9ba-4e46-b07e-8ca78d182097",
  "Policy.ReadWrite.ConditionalAccess": "01c0a623-fc9b-48e9-b794-0756f8e8f067",
  "Policy.ReadWrite.Authorization": "fb221be6-99f2-473f-bd32-01c6a0e9ca3b",
  "Policy.ReadWrite.AuthenticationMethod": "29c18626-4985-4dcd-85c0-193eef327366",
  // UNVERIFIED id (not found in the sources searched); the name is what tokens carry.
  "Policy.Read.AuthenticationMethod": "8e3bc81b-d2d5-4cb7-a7c3-9a2c89dd6ab7",
  "Policy.ReadWrite.CrossTenantAccess": "338163d7-f101-4c92-94ba-ca46fe52447c",
  "CrossTenantInformation.ReadBasic.All": "cac88765-0581-4025-9725-5ebc13f729ee",
  "Policy.ReadWrite.ApplicationConfiguration": "be74164b-cff1-491c-8741-e671cb536e13",
  "Policy.ReadWrite.SecurityDefaults": "1c6e93a6-28e2-4cbb-9f64-1a46a821124d",
  "Policy.ReadWrite.AuthenticationFlows": "25f85f3c-f66c-4205-8cd5-de92dd7f0cec",
  "Policy.ReadWrite.ExternalIdentities": "03cc4f92-788e-4ede-b93f-199424d144a5",
  "IdentityProvider.Read.All": "e321f0bb-e7f7-481e-bb28-e3b0b32d4bd0",
  "IdentityProvider.ReadWrite.All": "90db2b9a-d928-4d33-a4dd-8442ae3d41e4",
  "Policy.ReadWrite.ConsentRequest": "999f8c63-0a38-4f1b-91fd-ed1947bdd1a9",
  "GroupSettings.ReadWrite.All": "546168c3-1183-4281-9491-fafb24dea37e",
  "RoleManagement.Read.Directory": "483bed4a-2ad3-4361-a73b-c83ccdbdc53c",
  "RoleManagement.ReadWrite.Directory": "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8",
  "RoleEligibilitySchedule.Read.Directory": "ff278e11-4a33-4d0c-83d2-d01dc58929a5",
  "RoleEligibilitySchedule.ReadWrite.Directory": "fee28b28-e1f3-4841-818e-2704dc62245f",
  "PrivilegedEligibilitySchedule.Read.AzureADGroup": "edb419d6-7edc-42a3-9345-509bfdf5d87c",
  "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup": "618b6020-bca8-4de6-99f6-ef445fa4d857",
  "PrivilegedAssignmentSchedule.Read.AzureADGroup": "cd4161cb-f098-48f8-a884-1eda9a42434c",
  "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup": "41202f2c-f7ab-45be-b001-85c9728b9d69",
  "RoleManagementPolicy.Read.Directory": "fdc4c997-9942-4479-bfcb-75a36d1138df",
  "RoleManagementPolicy.ReadWrite.Directory": "31e08e0a-d3f7-4ca2-ac39-7343fb83e8ad",
  "RoleManagementPolicy.Read.AzureADGroup": "69e67828-780e-47fd-b28c-7b27d14864e6",
  "RoleManagementPolicy.ReadWrite.AzureADGroup": "b38dcc4d-a239-4ed6-aa84-6c65b284f97c",
  "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
  "User.ReadWrite.All": "741f803b-c850-494e-b5df-cde7c675a1ca",
  "AppRoleAssignment.ReadWrite.All": "06b708a9-e830-4db3-a914-8e69da51d44f",
  "DelegatedPermissionGrant.Read.All": "81b4724a-58aa-41c1-8a55-84ef97466587",
  "DelegatedPermissionGrant.ReadWrite.All": "8e8e4742-1d95-4f68-9d56-6ee75648c72a",
  "Policy.Read.PermissionGrant": "9e640839-a198-48fb-8b9a-013fd6f6cbcd",
  "Policy.ReadWrite.PermissionGrant": "a402ca1c-2696-4531-972d-6e5ee4aa11ea",
  "CustomSecAttributeDefinition.Read.All": "b185aa14-d8d2-42c1-a685-0f5596613624",
  "CustomSecAttributeDefinition.ReadWrite.All": "12338004-21f4-4896-bf5e-b75dfaf1016d",
  "EntitlementManagement.Read.All": "c74fd47d-ed3c-45c3-9a9e-b8676de685d2",
  "EntitlementManagement.ReadWrite.All": "9acd699f-1e81-4958-b001-93b1d2506e19",
  "Organization.Read.All": "498476ce-e0fe-48b0-b801-37ba7e2685c6",
  "Organization.ReadWrite.All": "292d869f-3427-49a8-9dab-8c70152b74e9",
  // UNVERIFIED ids: from a third-party permission table, not Microsoft Graph's service principal; the names are what tokens carry.
  "Agreement.Read.All": "2f3e6f8c-093b-4c57-a58b-ba5ce494a169",
  "Agreement.ReadWrite.All": "c9090d00-6101-42f0-a729-c41074260d47",
};

export function appRoleName(id: string): string | undefined {
  const lower = id.toLowerCase();
  return Object.entries(GRAPH_APP_ROLE_IDS).find(([, v]) => v === lower)?.[0];
}

/** The app roles Microsoft Graph's service principal publishes in the sandbox. */
export function graphAppRoles(): Record<string, unknown>[] {
  return Object.entries(GRAPH_APP_ROLE_IDS).map(([value, id]) => ({
    id,
    value,
    displayName: value,
    description: `Allows the app to use ${value} without a signed-in user.`,
    allowedMemberTypes: ["Application"],
    isEnabled: true,
    origin: "Application",
  }));
}

/**
 * Delegated permissions (OAuth2 scopes) Microsoft Graph's service principal publishes in the
 * sandbox, with Microsoft's real ids (docs/graph-behaviour.md §11): what `requiredResourceAccess`
 * entries of `type: Scope` point at.
 */
export const GRAPH_SCOPE_IDS: Readonly<Record<string, string>> = {
  "User.Read": "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
  "User.ReadBasic.All": "b340eb25-3456-403f-be2f-af7a0d370277",
  "User.Read.All": "a154be20-db9c-4678-8ab7-66f6cc099a59",
};

/** The delegated permission scopes of Microsoft Graph's service principal in the sandbox. */
export function graphPermissionScopes(): Record<string, unknown>[] {
  return Object.entries(GRAPH_SCOPE_IDS).map(([value, id]) => ({
    id,
    value,
    type: value === "User.Read" ? "User" : "Admin",
    adminConsentDisplayName: value,
    adminConsentDescription: `Allows the app to use ${value} on behalf of the signed-in user.`,
    userConsentDisplayName: value,
    userConsentDescription: `Allows the app to use ${value} on your behalf.`,
    isEnabled: true,
    origin: "Application",
  }));
}
