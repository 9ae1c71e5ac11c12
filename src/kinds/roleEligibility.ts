import { DIRECTORY_ROLE_ELIGIBILITY_AUDIT } from "./pim-audit.js";
import { normalizeExpiration, PIM_JUSTIFICATION, roleRequestTarget } from "./pim-schedule.js";
import { roleAssignment } from "./roleAssignment.js";
import { roleScheduleRefusals } from "./pim-admin-expiration.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/roleManagement/directory/roleEligibilitySchedules";
const REQUESTS = "/roleManagement/directory/roleEligibilityScheduleRequests";

/**
 * PIM eligible directory role assignments (`unifiedRoleEligibilitySchedule`): a principal
 * (`user:`, `group:` (role-assignable), `servicePrincipal:`) may activate a role (`role:` built-in,
 * `roleDefinition:` custom) at a scope (`/` or `administrativeUnit:`) for as long as
 * `scheduleInfo.expiration` says (`noExpiration`, `afterDateTime` with `endDateTime`,
 * `afterDuration` with an ISO 8601 `duration`). Read from `roleEligibilitySchedules`; written only
 * through `roleEligibilityScheduleRequests` (`adminAssign`, `adminUpdate`, `adminRemove`;
 * docs/graph-behaviour.md, PIM). Principal, role and scope are create-only (a change is remove +
 * assign); the start is the tenant's (`startDateTime` is when the assignment was made). Only direct
 * eligibilities are managed: those a principal holds through a group are the group's.
 * `roleAssignment` holds the active assignments; an eligibility is not one until it is activated.
 * Opt-in: PIM needs a Microsoft Entra ID P2 (or ID Governance) licence, without which Graph refuses
 * the read (README "Coverage").
 */
export const roleEligibility = {
  kind: "roleEligibility",
  optIn: true,
  audit: DIRECTORY_ROLE_ELIGIBILITY_AUDIT,
  detect: {
    odataTypes: ["unifiedRoleEligibilitySchedule"],
    context: /roleEligibilitySchedules/i,
    shape: (o) => "scheduleInfo" in o && "principalId" in o && "roleDefinitionId" in o && !("assignmentType" in o) && !("action" in o),
  },
  required: ["roleDefinitionId", "principalId", "scheduleInfo"],
  title: "eligible directory role assignment (PIM)",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.unifiedRoleEligibilitySchedule",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  naturalKey: "roleDefinitionId+principalId+directoryScopeId",
  nameFromReferences: true,
  // Named as an active assignment would be (role, principal, scope): `global-administrator-alex`.
  documentName: (spec) => roleAssignment.documentName(spec),
  serverManaged: ["id", "createdUsing", "createdDateTime", "modifiedDateTime", "status", "memberType", "scheduleInfo.startDateTime"],
  createOnly: ["roleDefinitionId", "principalId", "directoryScopeId", "appScopeId"],
  setArrays: [],
  references: roleAssignment.references,
  dependsOn: roleAssignment.dependsOn,
  permissions: {
    read: ["RoleEligibilitySchedule.Read.Directory"],
    write: ["RoleEligibilitySchedule.ReadWrite.Directory"],
    ids: { "RoleEligibilitySchedule.Read.Directory": "ff278e11-4a33-4d0c-83d2-d01dc58929a5", "RoleEligibilitySchedule.ReadWrite.Directory": "fee28b28-e1f3-4841-818e-2704dc62245f" },
  },
  // Inherited (through a group) eligibilities are the group's own schedule, not this principal's.
  isManaged: (live) => live.memberType === undefined || live.memberType === null || live.memberType === "Direct",
  writeRequests: {
    path: REQUESTS,
    body(object, action) {
      const target = roleRequestTarget(object, action);
      if (action === "delete") return target;
      const { scheduleInfo } = object;
      return { ...target, justification: PIM_JUSTIFICATION, scheduleInfo: scheduleInfo ?? null };
    },
    createdId: (answer) => (typeof answer.targetScheduleId === "string" ? answer.targetScheduleId : undefined),
    missingCode: "RoleAssignmentDoesNotExist",
  },
  normalize(spec) {
    // Graph needs a scope; "/" (the whole directory) is what an unscoped eligibility means.
    if (spec.directoryScopeId == null && spec.appScopeId == null) spec.directoryScopeId = "/";
    return normalizeExpiration(spec);
  },
  // The role's settings bound an administrator's eligibility: refused at plan, not halfway through apply.
  refuseAgainst: roleScheduleRefusals("Eligibility"),
} satisfies KindDescriptor;
