import { MICROSOFT_GRAPH_APP_ID, graphAppRoles, graphPermissionScopes } from "./graph-permissions.js";

/** Microsoft's own tenant, owner of first-party applications. */
export const MICROSOFT_SERVICES_TENANT_ID = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

export interface FirstPartyApp {
  appId: string;
  displayName: string;
  appRoles?: () => Record<string, unknown>[];
  oauth2PermissionScopes?: () => Record<string, unknown>[];
}

/** First-party apps whose service principal can be created in any tenant (no application object here). */
export const FIRST_PARTY_APPS: readonly FirstPartyApp[] = [
  { appId: MICROSOFT_GRAPH_APP_ID, displayName: "Microsoft Graph", appRoles: graphAppRoles, oauth2PermissionScopes: graphPermissionScopes },
  { appId: "00000002-0000-0ff1-ce00-000000000000", displayName: "Office 365 Exchange Online" },
  { appId: "00000003-0000-0ff1-ce00-000000000000", displayName: "Office 365 SharePoint Online" },
  { appId: "00000002-0000-0000-c000-000000000000", displayName: "Windows Azure Active Directory" },
  { appId: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", displayName: "Azure Portal" },
  { appId: "797f4846-ba00-4fd7-ba43-dac1f8f63013", displayName: "Windows Azure Service Management API" },
  { appId: "00000007-0000-0000-c000-000000000000", displayName: "Dataverse" },
  { appId: "0000000a-0000-0000-c000-000000000000", displayName: "Microsoft Intune" },
  { appId: "d4ebce55-015a-49b5-a083-c84d1797ae8c", displayName: "Microsoft Intune Enrollment" },
  { appId: "499b84ac-1321-427f-aa17-267ca6975798", displayName: "Azure DevOps" },
];

export function firstPartyApp(appId: string): FirstPartyApp | undefined {
  return FIRST_PARTY_APPS.find((a) => a.appId === appId.toLowerCase());
}
