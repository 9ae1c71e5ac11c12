/**
 * Built-in roles Graph lets an assignment scope to an administrative unit: Microsoft's list, whose
 * page the sandbox behaviour table in docs/graph-behaviour.md names. Any other built-in role at
 * `/administrativeUnits/{id}` is refused. Custom roles may be scoped there when their permissions
 * touch users, groups or devices.
 */
export const AU_SCOPABLE_ROLES: Readonly<Record<string, string>> = {
  "c4e39bd9-1100-46d3-8c65-fb160da0071f": "Authentication Administrator",
  "7698a772-787b-4ac8-901f-60d6b08affd2": "Cloud Device Administrator",
  "fdd7a751-b60b-444a-984c-02652fe8fa1c": "Groups Administrator",
  "729827e3-9c14-49f7-bb1b-9608f156bbb8": "Helpdesk Administrator",
  "4d6ac14f-3453-41d0-bef9-a3e0c569773a": "License Administrator",
  "966707d0-3269-4727-9be2-8c3a10f19b9d": "Password Administrator",
  "644ef478-e28f-4e28-b9dc-3fdde9aa0b1f": "Printer Administrator",
  "7be44c8a-adaf-4e2a-84d6-ab2649e08a13": "Privileged Authentication Administrator",
  "f28a1f50-f6e7-4571-818b-6a12f2af6b6c": "SharePoint Administrator",
  "69091246-20e8-4a56-aa4d-066075b2a7a8": "Teams Administrator",
  "3d762c5a-1b6c-493f-843e-55a3b42923d4": "Teams Devices Administrator",
  "fe930be7-5e62-47db-91af-98c3a49a38b1": "User Administrator",
};

const NAMES = new Set(Object.values(AU_SCOPABLE_ROLES).map((n) => n.toLowerCase()));

/** Whether a built-in role (by display name) may be assigned at administrative unit scope. */
export function isAuScopableRoleName(name: string): boolean {
  return NAMES.has(name.toLowerCase());
}
