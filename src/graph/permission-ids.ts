/**
 * Microsoft Graph's app id (the same in every tenant) and the ids of the application permissions
 * (app roles) entra-gitops asks for, for `requiredResourceAccess` in an app manifest. A permission
 * missing here is listed by name only, to be added in the portal.
 */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

export const GRAPH_APPLICATION_PERMISSION_IDS: Readonly<Record<string, string>> = {
  "AdministrativeUnit.Read.All": "134fd756-38ce-4afd-ba33-e9623dbe66c2",
  "AdministrativeUnit.ReadWrite.All": "5eb59dd3-1da2-4329-8733-9dabdc435916",
  "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30",
  "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9",
  "AuditLog.Read.All": "b0afded3-3588-46d8-8b3d-9842eff778da",
  "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
  "Group.Read.All": "5b567255-7703-4780-807c-7be8301ae99b",
  "Group.ReadWrite.All": "62a82d76-70ea-41e2-9197-370581804d09",
  "GroupMember.Read.All": "98830695-27a2-44f7-8c18-0c3ebc9698f6",
  "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68",
  "Policy.Read.ConditionalAccess": "37730810-e9ba-4e46-b07e-8ca78d182097",
  "Policy.ReadWrite.AuthenticationMethod": "29c18626-4985-4dcd-85c0-193eef327366",
  "Policy.ReadWrite.Authorization": "fb221be6-99f2-473f-bd32-01c6a0e9ca3b",
  "Policy.ReadWrite.ConditionalAccess": "01c0a623-fc9b-48e9-b794-0756f8e8f067",
  "Policy.ReadWrite.CrossTenantAccess": "338163d7-f101-4c92-94ba-ca46fe52447c",
  "CrossTenantInformation.ReadBasic.All": "cac88765-0581-4025-9725-5ebc13f729ee",
  "GroupSettings.ReadWrite.All": "546168c3-1183-4281-9491-fafb24dea37e",
  "RoleManagement.Read.Directory": "483bed4a-2ad3-4361-a73b-c83ccdbdc53c",
  "RoleManagement.ReadWrite.Directory": "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8",
  "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
  "User.ReadWrite.All": "741f803b-c850-494e-b5df-cde7c675a1ca",
};
