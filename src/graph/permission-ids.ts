/**
 * Microsoft Graph's app id (the same in every tenant) and the ids of the application permissions
 * (app roles) entra-gitops asks for beyond the kinds (sync reads the audit log, export names
 * unmanaged ids): each kind's own permissions and their ids are in its descriptor
 * (`KindDescriptor.permissions`). A permission with no known id is listed by name only, to be
 * added in the portal.
 */
export const MICROSOFT_GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

export const EXTRA_PERMISSION_IDS: Readonly<Record<string, string>> = {
  "AuditLog.Read.All": "b0afded3-3588-46d8-8b3d-9842eff778da",
  "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61",
};
