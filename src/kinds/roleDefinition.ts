import type { JsonObject } from "../model/document.js";
import { slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/roleManagement/directory/roleDefinitions";

/**
 * Custom directory roles (`unifiedRoleDefinition` with `isBuiltIn: false`): `displayName`,
 * `description`, `isEnabled`, `rolePermissions[].allowedResourceActions` (kept as a sorted set)
 * and `templateId` (the id another tenant's copy of the role shares; Graph sets it to the role's id
 * when a create leaves it out). Built-in
 * roles are never exported or written: they are `role:<display name>`, the same in every tenant.
 * A custom role is referenced as `roleDefinition:<name>` (a role assignment's `roleDefinitionId`).
 * Created, updated, deleted (docs/graph-behaviour.md, custom role definitions).
 */
export const roleDefinition = {
  kind: "roleDefinition",
  reference: { prefix: "roleDefinition" },
  audit: { activity: /role definition/i },
  detect: { odataTypes: ["unifiedRoleDefinition"], context: /roleDefinitions/i, shape: (o) => "rolePermissions" in o && "isBuiltIn" in o },
  required: ["displayName", "isEnabled", "rolePermissions"],
  title: "custom directory role",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.unifiedRoleDefinition",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  naturalKey: "displayName",
  documentName: (spec) => slugOf(spec),
  serverManaged: ["id", "isBuiltIn", "isPrivileged", "version", "resourceScopes", "inheritsPermissionsFrom"],
  createOnly: [],
  setArrays: [],
  references: [],
  dependsOn: [],
  permissions: { read: ["RoleManagement.Read.Directory"], write: ["RoleManagement.ReadWrite.Directory"], ids: { "RoleManagement.Read.Directory": "483bed4a-2ad3-4361-a73b-c83ccdbdc53c", "RoleManagement.ReadWrite.Directory": "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8" } },
  // Graph sets templateId to the id when a create leaves it out: absent means "whatever the tenant has".
  keepWhenAbsent: ["templateId"],
  isManaged: (live) => live.isBuiltIn !== true,
  normalize(spec) {
    // Actions are a set: one order, so a reordered list is no change.
    if (Array.isArray(spec.rolePermissions)) {
      for (const permission of spec.rolePermissions) {
        if (permission !== null && typeof permission === "object" && !Array.isArray(permission)) {
          const p = permission as JsonObject;
          if (Array.isArray(p.allowedResourceActions)) p.allowedResourceActions = [...p.allowedResourceActions].sort();
        }
      }
    }
    if (typeof spec.templateId === "string") spec.templateId = spec.templateId.toLowerCase();
    return spec;
  },
} satisfies KindDescriptor;
