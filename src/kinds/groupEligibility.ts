import type { JsonObject } from "../model/document.js";
import { referenceName } from "./common.js";
import { slugify } from "./naming.js";
import { normalizeExpiration, PIM_JUSTIFICATION } from "./pim-schedule.js";
import type { KindDescriptor } from "./types.js";
import type { ScopedList } from "./descriptor-read.js";

const COLLECTION = "/identityGovernance/privilegedAccess/group/eligibilitySchedules";
const REQUESTS = "/identityGovernance/privilegedAccess/group/eligibilityScheduleRequests";
const ACTIONS = { create: "adminAssign", update: "adminUpdate", delete: "adminRemove" } as const;

/**
 * The groups PIM for Groups can govern (docs/graph-behaviour.md, PIM for groups): every security
 * and Microsoft 365 group except dynamic ones and those synchronized from on-premises. Graph lists
 * schedules only per group, so these are the groups read.
 */
export const PIM_GROUPS: ScopedList = {
  collectionPath: "/groups",
  property: "groupId",
  select: ["groupTypes", "onPremisesSyncEnabled"],
  includes: (group) => !(Array.isArray(group.groupTypes) && group.groupTypes.includes("DynamicMembership")) && group.onPremisesSyncEnabled !== true,
};

/** `tier0-admins-member-alex`: group, member or owner, principal (a user by the part of the UPN before the domain). */
export function pimGroupDocumentName(spec: JsonObject, fallback: string): string {
  const principal = spec.principalId;
  const principalName = typeof principal === "string" && principal.startsWith("user:") ? referenceName(principal).replace(/@.*$/, "") : referenceName(principal);
  return slugify([referenceName(spec.groupId), typeof spec.accessId === "string" ? spec.accessId : "", principalName].join("-"), fallback);
}

/**
 * PIM for Groups eligibility (`privilegedAccessGroupEligibilitySchedule`): a principal (`user:`,
 * `group:`, `servicePrincipal:`) may activate membership or ownership (`accessId: member | owner`)
 * of a group (`group:`) for as long as `scheduleInfo.expiration` says (`noExpiration`,
 * `afterDateTime` with `endDateTime`, `afterDuration` with an ISO 8601 `duration`). Graph lists
 * the schedules only filtered to one group or principal, so the kind reads every group PIM can
 * govern (`PIM_GROUPS`) and each one's schedules through `$batch`; written only through
 * `eligibilityScheduleRequests` (`adminAssign`, `adminUpdate`, `adminRemove`; docs/graph-behaviour.md,
 * PIM for groups). Group, relationship and principal are create-only (a change is remove + assign);
 * an update answers with a new schedule id. Only direct eligibilities are managed. The group's own
 * `members` and `owners` are the active ones; an eligibility is not one until it is activated, and
 * an activation is not one of the group's `members`/`owners` while this kind is in scope (group.ts).
 * Opt-in: PrivilegedEligibilitySchedule.Read.AzureADGroup, which no default kind needs, and PIM's licence.
 */
export const groupEligibility = {
  kind: "groupEligibility",
  optIn: true,
  audit: { activity: /eligible (member|owner)/i },
  detect: {
    odataTypes: ["privilegedAccessGroupEligibilitySchedule"],
    context: /privilegedAccess\/group\/eligibilitySchedules/i,
    shape: (o) => "accessId" in o && "groupId" in o && "principalId" in o && "scheduleInfo" in o && !("assignmentType" in o) && !("action" in o),
  },
  required: ["groupId", "accessId", "principalId", "scheduleInfo"],
  title: "eligible group membership or ownership (PIM for groups)",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.privilegedAccessGroupEligibilitySchedule",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  scopedList: PIM_GROUPS,
  naturalKey: "groupId+accessId+principalId",
  nameFromReferences: true,
  documentName: (spec) => pimGroupDocumentName(spec, "group-eligibility"),
  serverManaged: ["id", "createdUsing", "createdDateTime", "modifiedDateTime", "status", "memberType", "scheduleInfo.startDateTime"],
  createOnly: ["groupId", "accessId", "principalId"],
  setArrays: [],
  references: [
    { path: "groupId", targets: ["group"] },
    { path: "principalId", targets: ["user", "group", "servicePrincipal"] },
  ],
  dependsOn: ["group", "user", "servicePrincipal"],
  // PrivilegedAssignmentSchedule.Read.AzureADGroup: with this kind in scope, the group kind reads
  // each group's active assignments to leave activations out of its members (group.ts PIM_LINKS).
  permissions: {
    read: ["PrivilegedEligibilitySchedule.Read.AzureADGroup", "PrivilegedAssignmentSchedule.Read.AzureADGroup"],
    write: ["PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup"],
    ids: {
      "PrivilegedEligibilitySchedule.Read.AzureADGroup": "edb419d6-7edc-42a3-9345-509bfdf5d87c",
      "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup": "618b6020-bca8-4de6-99f6-ef445fa4d857",
      "PrivilegedAssignmentSchedule.Read.AzureADGroup": "cd4161cb-f098-48f8-a884-1eda9a42434c",
    },
  },
  // Eligibilities a principal holds through a group (memberType group) are that group's own schedule.
  isManaged: (live) => live.memberType == null || String(live.memberType).toLowerCase() === "direct",
  writeRequests: {
    path: REQUESTS,
    body(object, action) {
      const { accessId, principalId, groupId, scheduleInfo } = object;
      const target: JsonObject = { action: ACTIONS[action], accessId: accessId ?? null, principalId: principalId ?? null, groupId: groupId ?? null };
      if (action === "delete") return target;
      return { ...target, justification: PIM_JUSTIFICATION, scheduleInfo: scheduleInfo ?? null };
    },
    createdId: (answer) => (typeof answer.targetScheduleId === "string" ? answer.targetScheduleId : undefined),
    missingCode: "RoleAssignmentDoesNotExist",
  },
  normalize: (spec) => normalizeExpiration(spec),
} satisfies KindDescriptor;
