import { builtinRoleName } from "./builtinRoles.js";
import { referenceName } from "./common.js";
import { slugify } from "./naming.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/roleManagement/directory/roleAssignments";

/**
 * Active directory role assignments, tenant-wide (`directoryScopeId: /`) or scoped to an
 * administrative unit (`/administrativeUnits/{id}` ↔ `administrativeUnit:<name>`). Documents are
 * named role + principal (+ scope) by name (`helpdesk-administrator-rag-helpdesk-sales-au-sales`),
 * never by id, so a re-created principal keeps the name. Assignments
 * cannot be updated: every property is create-only, a change is delete + create. Built-in roles
 * are referenced by template id (`role:<display name>`), custom roles of the `roleDefinition` kind
 * as `roleDefinition:<name>` (a custom role not managed here stays a GUID).
 */
export const roleAssignment = {
  kind: "roleAssignment",
  audit: { activity: /\brole\b/i },
  detect: { odataTypes: ["unifiedRoleAssignment"], context: /roleAssignments/i, shape: (o) => "roleDefinitionId" in o && "principalId" in o },
  required: ["roleDefinitionId", "principalId"],
  title: "directory role assignment",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.unifiedRoleAssignment",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  // A PIM activation is listed as an active assignment while it lasts; it is the eligibility's
  // (roleEligibility), not an assignment to manage (README "PIM activations").
  exclude: { path: "/roleManagement/directory/roleAssignmentScheduleInstances", query: { $filter: "assignmentType eq 'Activated'", $select: "roleAssignmentOriginId" }, idProperty: "roleAssignmentOriginId" },
  naturalKey: "roleDefinitionId+principalId+directoryScopeId",
  nameFromReferences: true,
  documentName(spec) {
    const scope = spec.directoryScopeId;
    // Works on the normalized spec (references) and on a raw Graph object (ids).
    const role = spec.roleDefinitionId;
    const roleName = typeof role === "string" ? (builtinRoleName(role) ?? referenceName(role)) : "";
    const principal = spec.principalId;
    // A user by the part of the UPN before the domain: `global-administrator-breakglass01`.
    const principalName = typeof principal === "string" && principal.startsWith("user:") ? referenceName(principal).replace(/@.*$/, "") : referenceName(principal);
    const parts = [roleName, principalName];
    if (typeof scope === "string" && scope !== "/") parts.push(referenceName(scope.replace(/^\/administrativeUnits\//, "")));
    return slugify(parts.join("-"), "role-assignment");
  },
  serverManaged: ["id", "principalOrganizationId", "resourceScope"],
  createOnly: ["roleDefinitionId", "principalId", "directoryScopeId", "appScopeId", "condition"],
  setArrays: [],
  references: [
    { path: "roleDefinitionId", targets: ["role", "roleDefinition"] },
    { path: "principalId", targets: ["user", "group", "servicePrincipal"] },
    {
      path: "directoryScopeId",
      targets: ["administrativeUnit"],
      template: "/administrativeUnits/{id}",
      sentinels: ["/"],
    },
  ],
  dependsOn: ["user", "group", "servicePrincipal", "administrativeUnit", "roleDefinition"],
  permissions: { read: ["RoleManagement.Read.Directory"], write: ["RoleManagement.ReadWrite.Directory"], ids: { "RoleManagement.Read.Directory": "483bed4a-2ad3-4361-a73b-c83ccdbdc53c", "RoleManagement.ReadWrite.Directory": "9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8" } },
  normalize(spec) {
    // Graph needs a scope; "/" (the whole directory) is what an unscoped assignment means.
    if (spec.directoryScopeId == null && spec.appScopeId == null) spec.directoryScopeId = "/";
    return spec;
  },
} satisfies KindDescriptor;
