import { SINGLETON_NAME } from "./common.js";
import type { KindDescriptor } from "./types.js";

const PATH = "/policies/authorizationPolicy";

/**
 * The tenant's authorization policy (singleton, PATCH only). `guestUserRoleId` is one of three
 * built-in guest roles and reads `role:Guest User`, `role:Restricted Guest User` or `role:User`.
 */
export const authorizationPolicy = {
  kind: "authorizationPolicy",
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
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.Authorization"] },
} satisfies KindDescriptor;
