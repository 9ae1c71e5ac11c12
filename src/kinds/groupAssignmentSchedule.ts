import type { JsonObject } from "../model/document.js";
import { isJsonObject } from "../model/json.js";
import { PIM_GROUPS, pimGroupDocumentName } from "./groupEligibility.js";
import { endAsDate, endDateSchema, endedSchedule, PIM_JUSTIFICATION } from "./pim-schedule.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/identityGovernance/privilegedAccess/group/assignmentSchedules";
const REQUESTS = "/identityGovernance/privilegedAccess/group/assignmentScheduleRequests";
const ACTIONS = { create: "adminAssign", update: "adminUpdate", delete: "adminRemove" } as const;

const lower = (value: unknown): string => (typeof value === "string" ? value.toLowerCase() : "");

/**
 * PIM for Groups time-bound active membership and ownership (`privilegedAccessGroupAssignmentSchedule`)
 * made by an administrator: a principal (`user:`, `group:`, `servicePrincipal:`) is a member or owner
 * (`accessId: member | owner`) of a group (`group:`) until `scheduleInfo.expiration.endDateTime`.
 * Only direct assignments with an end are this kind's: a permanent one (`noExpiration`) stays a
 * `members`/`owners` entry of the group's document, an activation (`assignmentType: activated`)
 * belongs to the eligibility (README "Time-bound active membership and ownership of groups"); the
 * `group` kind leaves these principals out of its links while this kind is in scope
 * (`linkCompanion` in group.ts), so each membership is in exactly one document. Listed per group
 * like groupEligibility (`PIM_GROUPS`), written only through `assignmentScheduleRequests`
 * (`adminAssign`, `adminUpdate`, `adminRemove`; docs/graph-behaviour.md, PIM for groups active
 * assignments); an update answers with a new schedule id. Only an end date is accepted, as for
 * roleAssignment's time-bound assignments: a duration would read back as a date. Opt-in:
 * PrivilegedAssignmentSchedule.Read.AzureADGroup, which no default kind needs, and PIM's licence.
 */
export const groupAssignmentSchedule = {
  kind: "groupAssignmentSchedule",
  optIn: true,
  audit: { activity: /^(Add|Remove|Update) (member|owner) (to|from|of) role in PIM completed/i },
  detect: {
    odataTypes: ["privilegedAccessGroupAssignmentSchedule"],
    context: /privilegedAccess\/group\/assignmentSchedules/i,
    shape: (o) => "accessId" in o && "groupId" in o && "principalId" in o && "scheduleInfo" in o && "assignmentType" in o && !("action" in o),
  },
  required: ["groupId", "accessId", "principalId", "scheduleInfo"],
  title: "time-bound group membership or ownership (PIM for groups)",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.privilegedAccessGroupAssignmentSchedule",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  scopedList: PIM_GROUPS,
  naturalKey: "groupId+accessId+principalId",
  nameFromReferences: true,
  documentName: (spec) => pimGroupDocumentName(spec, "group-assignment"),
  serverManaged: ["id", "createdUsing", "createdDateTime", "modifiedDateTime", "status", "memberType", "assignmentType"],
  createOnly: ["groupId", "accessId", "principalId"],
  setArrays: [],
  references: [
    { path: "groupId", targets: ["group"] },
    { path: "principalId", targets: ["user", "group", "servicePrincipal"] },
  ],
  dependsOn: ["group", "user", "servicePrincipal"],
  permissions: {
    read: ["PrivilegedAssignmentSchedule.Read.AzureADGroup"],
    write: ["PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup"],
    ids: { "PrivilegedAssignmentSchedule.Read.AzureADGroup": "cd4161cb-f098-48f8-a884-1eda9a42434c", "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup": "41202f2c-f7ab-45be-b001-85c9728b9d69" },
  },
  // Direct assignments with an end only: not activations, not permanent ones, not those through a group.
  isManaged(live) {
    const info = live.scheduleInfo;
    const type = isJsonObject(info) && isJsonObject(info.expiration) ? info.expiration.type : undefined;
    const direct = live.memberType == null || lower(live.memberType) === "direct";
    return direct && lower(live.assignmentType) === "assigned" && (type === "afterDateTime" || type === "afterDuration");
  },
  writeRequests: {
    path: REQUESTS,
    body(object, action) {
      const { accessId, principalId, groupId, scheduleInfo } = object;
      const target: JsonObject = { action: ACTIONS[action], accessId: accessId ?? null, principalId: principalId ?? null, groupId: groupId ?? null };
      if (action === "delete") return target;
      const expiration = isJsonObject(scheduleInfo) && isJsonObject(scheduleInfo.expiration) ? scheduleInfo.expiration : null;
      return { ...target, justification: PIM_JUSTIFICATION, scheduleInfo: { expiration } };
    },
    createdId: (answer) => (typeof answer.targetScheduleId === "string" ? answer.targetScheduleId : undefined),
    missingCode: "RoleAssignmentDoesNotExist",
  },
  // The membership is this document's, not a `members`/`owners` entry of the group's too.
  heldLink: { kind: "group", object: "groupId", relationship: (spec) => (spec.accessId === "owner" ? "owners" : spec.accessId === "member" ? "members" : undefined), target: "principalId" },
  ended: endedSchedule,
  extraSpec: { scheduleInfo: endDateSchema("When the membership or ownership ends (PIM for groups, Entra ID P2). A permanent one is a member or owner in the group's document.") },
  normalize: (spec) => endAsDate(spec),
} satisfies KindDescriptor;
