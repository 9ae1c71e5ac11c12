import { BUILTIN_ROLES } from "../facts/builtin-roles.js";

export { BUILTIN_ROLES };

/**
 * Earlier display names of built-in roles, as Azure AD PowerShell (Get-AzureADDirectoryRoleTemplate)
 * and older exports write them. Import accepts them and writes the current name; documents use the
 * current name only.
 */
const FORMER_NAMES: Readonly<Record<string, string>> = {
  "Company Administrator": "62e90394-69f5-4237-9190-012177145e10",
  "User Account Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
  "Exchange Service Administrator": "29232cdf-9323-42fd-ade2-1d097af3e4de",
  "SharePoint Service Administrator": "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
  "Lync Service Administrator": "75941009-915a-4869-abe7-691bff18279e",
  "Intune Service Administrator": "3a2c62db-5318-420d-8d74-23affee5d9d5",
  "CRM Service Administrator": "44367163-eba1-44c3-98af-f5787879f96a",
  "Power BI Service Administrator": "a9ea8996-122f-4c74-9520-8edcd192826c",
  "Device Administrators": "9f06204d-73c1-4d4c-880a-6edb90606fd8",
  "Application Proxy Service Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
};

const BY_NAME = new Map(Object.entries(BUILTIN_ROLES).map(([id, name]) => [name.toLowerCase(), id]));
const BY_FORMER_NAME = new Map(Object.entries(FORMER_NAMES).map(([name, id]) => [name.toLowerCase(), id]));

export function builtinRoleName(templateId: string): string | undefined {
  return BUILTIN_ROLES[templateId.toLowerCase()];
}

/** Template id of a built-in role by display name (case-insensitive). */
export function builtinRoleId(displayName: string): string | undefined {
  return BY_NAME.get(displayName.toLowerCase());
}

/** Template id of a built-in role by one of its former display names (`Company Administrator`). */
export function formerBuiltinRoleId(displayName: string): string | undefined {
  return BY_FORMER_NAME.get(displayName.toLowerCase());
}
