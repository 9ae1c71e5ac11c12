import { badRequest, invalidPropertyValue, refuseUnknownProperties } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import type { Store } from "../core/store.js";
import type { Entity } from "../core/entity.js";
import { BUILT_IN_ROLES } from "./builtin-roles.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** `microsoft.directory/<entity>/<property>/<action>`, the form of a directory resource action. */
const ACTION = /^microsoft\.directory\/[A-Za-z0-9.]+(\/[A-Za-z0-9.*]+)+$/;
const CUSTOM_PROPERTIES = new Set(["id", "description", "displayName", "isEnabled", "rolePermissions", "templateId", "version", "isBuiltIn", "isPrivileged", "resourceScopes", "inheritsPermissionsFrom"]);

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
  readOnly: { isBuiltIn: "reject" },
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
    if (typeof body["isEnabled"] !== "boolean") throw invalidPropertyValue("isEnabled", "UnifiedRoleDefinition");
    if (!Array.isArray(body["rolePermissions"])) throw invalidPropertyValue("rolePermissions", "UnifiedRoleDefinition");
    const templateId = typeof body["templateId"] === "string" ? body["templateId"].toLowerCase() : id;
    return { description: null, resourceScopes: ["/"], version: null, inheritsPermissionsFrom: [], ...body, id, isBuiltIn: false, isPrivileged: false, templateId };
  },
  validate(ctx, entity, previous) {
    if (previous?.["isBuiltIn"] === true) throw badRequest("Built-in role definitions cannot be modified.");
    if (entity["isBuiltIn"] === true) return;
    // Custom roles (docs/graph-behaviour.md, custom role definitions): displayName, isEnabled and
    // rolePermissions (each with a non-empty allowedResourceActions) are required; templateId a GUID no other role has.
    refuseUnknownProperties(entity, CUSTOM_PROPERTIES);
    if (typeof entity["displayName"] !== "string" || entity["displayName"] === "") throw invalidPropertyValue("displayName", "UnifiedRoleDefinition");
    if (typeof entity["isEnabled"] !== "boolean") throw invalidPropertyValue("isEnabled", "UnifiedRoleDefinition");
    const permissions = entity["rolePermissions"];
    if (!Array.isArray(permissions) || permissions.length === 0) throw invalidPropertyValue("rolePermissions", "UnifiedRoleDefinition");
    for (const permission of permissions) {
      const actions = permission !== null && typeof permission === "object" && !Array.isArray(permission) ? (permission as Record<string, unknown>)["allowedResourceActions"] : undefined;
      if (!Array.isArray(actions) || actions.length === 0 || actions.some((a) => typeof a !== "string" || !ACTION.test(a))) throw invalidPropertyValue("rolePermissions", "UnifiedRoleDefinition");
    }
    const templateId = String(entity["templateId"]).toLowerCase();
    if (!GUID.test(templateId)) throw invalidPropertyValue("templateId", "UnifiedRoleDefinition");
    if (ctx.store.list("roleDefinitions").some((r) => r.id !== entity.id && String(r["templateId"]).toLowerCase() === templateId)) throw invalidPropertyValue("templateId", "UnifiedRoleDefinition");
  },
  beforeDelete(_ctx, entity) {
    if (entity["isBuiltIn"] === true) throw badRequest("Built-in role definitions cannot be deleted.");
  },
});
