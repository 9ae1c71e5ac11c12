import type { ReferenceField } from "./types.js";

/**
 * Shared by the cross-tenant access default and partner configurations: the B2B settings blocks
 * and their targets (`{ target, targetType }`), which are sets. Targets of the local tenant become
 * references; those of the other tenant are unknown GUIDs and stay.
 */
const BLOCKS = [
  "b2bCollaborationInbound",
  "b2bCollaborationOutbound",
  "b2bDirectConnectInbound",
  "b2bDirectConnectOutbound",
  "tenantRestrictions",
] as const;

export const CROSS_TENANT_SET_ARRAYS: readonly string[] = BLOCKS.flatMap((b) => [
  `${b}.usersAndGroups.targets`,
  `${b}.applications.targets`,
]);

export const CROSS_TENANT_REFERENCES: readonly ReferenceField[] = BLOCKS.flatMap((b) => [
  { path: `${b}.usersAndGroups.targets.target`, targets: ["group", "user"], sentinels: ["AllUsers"] },
  {
    path: `${b}.applications.targets.target`,
    targets: ["application", "servicePrincipal"],
    by: "appId" as const,
    sentinels: ["AllApplications", "Office365"],
  },
]);

export const CROSS_TENANT_ARRAY_KEYS: Readonly<Record<string, string>> = { targets: "target" };

export const CROSS_TENANT_PERMISSIONS = {
  read: ["Policy.Read.All"],
  write: ["Policy.ReadWrite.CrossTenantAccess"],
  ids: { "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68", "Policy.ReadWrite.CrossTenantAccess": "338163d7-f101-4c92-94ba-ca46fe52447c" },
} as const;
