import { isJsonObject } from "../model/json.js";
import { GROUP_ASSIGNMENT_AUDIT } from "./pim-audit.js";
import { pimGroupSchedule } from "./pim-group-schedule.js";
import { endAsDate, endDateSchema, endedSchedule } from "./pim-schedule.js";

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
 * like groupEligibility (`pimGroupSchedule`), written only through `assignmentScheduleRequests`
 * (`adminAssign`, `adminUpdate`, `adminRemove`; docs/graph-behaviour.md, PIM for groups active
 * assignments); an update answers with a new schedule id. Only an end date is accepted, as for
 * roleAssignment's time-bound assignments: a duration would read back as a date. Opt-in:
 * PrivilegedAssignmentSchedule.Read.AzureADGroup, which no default kind needs, and PIM's licence.
 */
export const groupAssignmentSchedule = pimGroupSchedule({
  kind: "groupAssignmentSchedule",
  optIn: true,
  schedules: "assignment",
  type: "privilegedAccessGroupAssignmentSchedule",
  title: "time-bound group membership or ownership (PIM for groups)",
  audit: GROUP_ASSIGNMENT_AUDIT,
  shape: (o) => "assignmentType" in o,
  nameFallback: "group-assignment",
  moreServerManaged: ["assignmentType"],
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
  // Only the end goes in a request: the start is the tenant's.
  requestSchedule: (scheduleInfo) => ({ expiration: isJsonObject(scheduleInfo) && isJsonObject(scheduleInfo.expiration) ? scheduleInfo.expiration : null }),
  // The membership is this document's, not a `members`/`owners` entry of the group's too.
  heldLink: { kind: "group", object: "groupId", relationship: (spec) => (spec.accessId === "owner" ? "owners" : spec.accessId === "member" ? "members" : undefined), target: "principalId" },
  ended: endedSchedule,
  extraSpec: { scheduleInfo: endDateSchema("When the membership or ownership ends (PIM for groups, Entra ID P2). A permanent one is a member or owner in the group's document.") },
  normalize: (spec) => endAsDate(spec),
});
