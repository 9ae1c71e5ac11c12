import { badRequest, invalidPropertyValue } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import type { Store } from "../core/store.js";
import type { Entity } from "../core/entity.js";
import { BUILT_IN_ROLES } from "./builtin-roles.js";

export const ROLE_READ = ["RoleManagement.Read.Directory", "RoleManagement.Read.All", "Directory.Read.All"];
export const ROLE_WRITE = ["RoleManagement.ReadWrite.Directory"];

/** A role definition by id or template id. */
export function findRoleDefinition(store: Store, id: string): Entity | undefined {
  const lower = id.toLowerCase();
  return store.get("roleDefinitions", id) ?? store.list("roleDefinitions").find((r) => String(r["templateId"]).toLowerCase() === lower);
}

/** `/roleManagement/directory/roleDefinitions`: built-ins (read-only) and custom roles. */
export const roleDefinitions = defineResource({
  collection: "roleDefinitions",
  entityType: "microsoft.graph.unifiedRoleDefinition",
  resourceName: "UnifiedRoleDefinition",
  paths: [{ path: "/roleManagement/directory/roleDefinitions" }],
  permissions: { read: ROLE_READ, write: ROLE_WRITE },
  paging: { defaultTop: 1000, maxTop: 1000 },
  readOnly: { isBuiltIn: "reject", templateId: "ignore" },
  filter: { id: ["eq", "in"], displayName: ["eq", "startsWith"], isBuiltIn: ["eq"], templateId: ["eq", "in"], isEnabled: ["eq"] },
  orderBy: "any",
  audit: {
    service: "Core Directory", category: "RoleManagement", targetType: "Role",
    add: "Add role definition", update: "Update role definition", delete: "Delete role definition",
  },
  initial: () =>
    BUILT_IN_ROLES.map((role) => ({
      id: role.id,
      description: role.description,
      displayName: role.displayName,
      isBuiltIn: true,
      isEnabled: true,
      isPrivileged: role.isPrivileged,
      resourceScopes: ["/"],
      templateId: role.id,
      version: "1",
      rolePermissions: [{ allowedResourceActions: [], condition: null }],
      inheritsPermissionsFrom: [],
    })),
  create(ctx, body, id) {
    if (ctx.system && body["isBuiltIn"] === true) return { ...body, id };
    if (typeof body["displayName"] !== "string" || body["displayName"] === "") throw invalidPropertyValue("displayName", "UnifiedRoleDefinition");
    if (!Array.isArray(body["rolePermissions"])) throw invalidPropertyValue("rolePermissions", "UnifiedRoleDefinition");
    return { description: null, isEnabled: true, resourceScopes: ["/"], version: null, inheritsPermissionsFrom: [], ...body, id, isBuiltIn: false, isPrivileged: false, templateId: id };
  },
  validate(_ctx, _entity, previous) {
    if (previous?.["isBuiltIn"] === true) throw badRequest("Built-in role definitions cannot be modified.");
  },
  beforeDelete(_ctx, entity) {
    if (entity["isBuiltIn"] === true) throw badRequest("Built-in role definitions cannot be deleted.");
  },
});
