import { singletonPolicy } from "./singletonPolicy.js";

/**
 * The tenant's authorization policy (singleton, PATCH only). `guestUserRoleId` is one of three
 * built-in guest roles and reads `role:Guest User`, `role:Restricted Guest User` or `role:User`.
 * displayName and description are fixed by Graph ("Authorization Policy").
 */
export const authorizationPolicy = singletonPolicy({
  kind: "authorizationPolicy",
  path: "/policies/authorizationPolicy",
  title: "authorization policy",
  type: "authorizationPolicy",
  activity: /authorization policy/i,
  write: { permission: "Policy.ReadWrite.Authorization", id: "fb221be6-99f2-473f-bd32-01c6a0e9ca3b" },
  detect: { odataTypes: ["authorizationPolicy"], context: /authorizationPolicy/i, shape: (o) => "defaultUserRolePermissions" in o },
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
});
