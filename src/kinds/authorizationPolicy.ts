import { SINGLETON_NAME } from "./common.js";
import type { KindDescriptor } from "./types.js";

const PATH = "/policies/authorizationPolicy";

/**
 * The tenant's authorization policy (singleton, PATCH only). `guestUserRoleId` is one of three
 * built-in guest roles and reads `role:Guest User`, `role:Restricted Guest User` or `role:User`.
 */
export const authorizationPolicy = {
  kind: "authorizationPolicy",
  audit: { activity: /authorization policy/i },
  detect: { odataTypes: ["authorizationPolicy"], context: /authorizationPolicy/i, shape: (o) => "defaultUserRolePermissions" in o },
  title: "authorization policy",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.authorizationPolicy",
  singleton: true,
  collectionPath: PATH,
  itemPath: () => PATH,
  naturalKey: "displayName",
  documentName: () => SINGLETON_NAME,
  // displayName/description are fixed by Graph ("Authorization Policy").
  serverManaged: ["id", "deletedDateTime", "displayName", "description"],
  createOnly: [],
  setArrays: ["defaultUserRolePermissions.permissionGrantPoliciesAssigned", "enabledPreviewFeatures"],
  references: [{ path: "guestUserRoleId", targets: ["role"] }],
  // Graph always holds a value for these and ignores null, though the CSDL calls them nullable
  // (the Nullable="false" ones come from the CSDL): a document that leaves one out keeps the tenant's.
  keepWhenAbsent: [
    "allowInvitesFrom",
    "allowUserConsentForRiskyApps",
    "blockMsolPowerShell",
    "guestUserRoleId",
    "defaultUserRolePermissions.allowedToCreateTenants",
    "defaultUserRolePermissions.allowedToReadBitlockerKeysForOwnedDevice",
  ],
  dependsOn: [],
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.Authorization"], ids: { "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68", "Policy.ReadWrite.Authorization": "fb221be6-99f2-473f-bd32-01c6a0e9ca3b" } },
} satisfies KindDescriptor;
