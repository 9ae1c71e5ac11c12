import type { AuditNames } from "./descriptor-read.js";

/**
 * PIM's audit activity names (docs/graph-behaviour.md, "Audit activity names"): Microsoft's audit
 * activity reference lists the same names for directory roles (category `RoleManagement`, a few under
 * `ApplicationManagement`), groups (`GroupManagement`) and Azure resources (`ResourceManagement`),
 * e.g. "Add eligible member to role in PIM completed (permanent)", "Update member in PIM requested
 * (extend)", "Remove permanent direct role assignment", "Update role setting in PIM"; member and
 * owner of a group alike are a "member" there. The category tells them apart.
 */
const DIRECTORY = /^(?!(Group|Resource)Management$)/i;
const GROUPS = /^GroupManagement$/i;

/** Eligibilities: "… eligible member …", "Remove permanent eligible role assignment", "Add EligibleRoleAssignment to RoleDefinition". */
const ELIGIBLE = /\beligible (member|role assignment)\b|\bEligibleRoleAssignment\b/i;
/** Active assignments, direct or through PIM (not eligibilities): "Add member to role", "Update member in PIM requested (extend)", "Remove permanent direct role assignment". */
const ACTIVE = /(?<!eligible )\b(scoped )?member (to|from|of) role\b|(?<!eligible )\bmember in PIM\b|\bdirect role assignment\b/i;
const SETTING = /\brole setting\b/i;

export const DIRECTORY_ROLE_ASSIGNMENT_AUDIT: AuditNames = { activity: ACTIVE, category: DIRECTORY };
export const DIRECTORY_ROLE_ELIGIBILITY_AUDIT: AuditNames = { activity: ELIGIBLE, category: DIRECTORY };
export const DIRECTORY_ROLE_SETTING_AUDIT: AuditNames = { activity: SETTING, category: DIRECTORY };
export const GROUP_ASSIGNMENT_AUDIT: AuditNames = { activity: ACTIVE, category: GROUPS };
export const GROUP_ELIGIBILITY_AUDIT: AuditNames = { activity: ELIGIBLE, category: GROUPS };
export const GROUP_SETTING_AUDIT: AuditNames = { activity: SETTING, category: GROUPS };
