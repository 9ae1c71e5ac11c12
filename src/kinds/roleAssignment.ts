import type { JsonObject } from "../model/document.js";
import { DIRECTORY_ROLE_ASSIGNMENT_AUDIT } from "./pim-audit.js";
import { isJsonObject } from "../model/json.js";
import { builtinRoleName } from "./builtinRoles.js";
import { referenceName } from "./common.js";
import { canonicalInstant, endDateSchema, endedSchedule, PIM_JUSTIFICATION, roleRequestTarget } from "./pim-schedule.js";
import { slugify } from "./naming.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/roleManagement/directory/roleAssignments";
const REQUESTS = "/roleManagement/directory/roleAssignmentScheduleRequests";

/** Whether the object (spec or Graph body) has an end: then PIM's schedule requests write it. */
function timeBound(object: JsonObject): boolean {
  return isJsonObject(object.scheduleInfo);
}

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
  // Entra's words for a direct role assignment: "Add member to role", "Remove scoped member from
  // role", PIM's "… member to role in PIM completed (…)", "Update member of role in PIM …" and
  // activations; not the words of role settings ("Update role setting in PIM"), role definitions or
  // eligibilities, which change no assignment (an incremental sync would read assignments again for them).
  audit: DIRECTORY_ROLE_ASSIGNMENT_AUDIT,
  detect: { odataTypes: ["unifiedRoleAssignment"], context: /roleAssignments/i, shape: (o) => "roleDefinitionId" in o && "principalId" in o },
  required: ["roleDefinitionId", "principalId"],
  title: "directory role assignment",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.unifiedRoleAssignment",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  // PIM's schedule instances tell an assignment's end, and name the activations `/roleAssignments`
  // lists while they last: those are the eligibility's (roleEligibility), not assignments to manage
  // (README "PIM activations", "Time-bound assignments").
  companion: {
    path: "/roleManagement/directory/roleAssignmentScheduleInstances",
    query: { $select: "roleAssignmentOriginId,assignmentType,endDateTime" },
    idProperty: "roleAssignmentOriginId",
    merge(body, instance) {
      if (instance?.assignmentType === "Activated") return undefined;
      const end = instance?.endDateTime;
      return typeof end === "string" ? { ...body, scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: end } } } : body;
    },
  },
  // A time-bound assignment is written through PIM's requests (which need Entra ID P2); a permanent
  // one through /roleAssignments, as always. Its expiration is the only property an update changes.
  writeRequests: {
    path: REQUESTS,
    when: timeBound,
    body(object, action) {
      const target = roleRequestTarget(object, action);
      if (action === "delete") return target;
      const { scheduleInfo } = object;
      const expiration = isJsonObject(scheduleInfo) && isJsonObject(scheduleInfo.expiration) ? scheduleInfo.expiration : { type: "noExpiration" };
      return { ...target, justification: PIM_JUSTIFICATION, scheduleInfo: { expiration } };
    },
    // The answer names the request's schedule, not the role assignment: apply looks that up by its key.
    createdId: () => undefined,
    missingCode: "RoleAssignmentDoesNotExist",
  },
  ended: endedSchedule,
  extraSpec: { scheduleInfo: endDateSchema("When the assignment ends (PIM, Entra ID P2). Leave it out for a permanent assignment.") },
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
    const expiration = isJsonObject(spec.scheduleInfo) ? spec.scheduleInfo.expiration : undefined;
    if (isJsonObject(expiration) && typeof expiration.endDateTime === "string") expiration.endDateTime = canonicalInstant(expiration.endDateTime);
    return spec;
  },
} satisfies KindDescriptor;
