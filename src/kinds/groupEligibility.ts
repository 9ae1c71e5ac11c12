import { normalizeExpiration } from "./pim-schedule.js";
import { GROUP_ELIGIBILITY_AUDIT } from "./pim-audit.js";
import { pimGroupSchedule } from "./pim-group-schedule.js";
import { groupScheduleRefusals } from "./pim-admin-expiration.js";

/**
 * PIM for Groups eligibility (`privilegedAccessGroupEligibilitySchedule`): a principal (`user:`,
 * `group:`, `servicePrincipal:`) may activate membership or ownership (`accessId: member | owner`)
 * of a group (`group:`) for as long as `scheduleInfo.expiration` says (`noExpiration`,
 * `afterDateTime` with `endDateTime`, `afterDuration` with an ISO 8601 `duration`). Graph lists
 * the schedules only filtered to one group or principal, so the kind reads every group PIM can
 * govern (`PIM_GROUPS`, kinds/pim-group-schedule.ts) and each one's schedules through `$batch`; written only through
 * `eligibilityScheduleRequests` (`adminAssign`, `adminUpdate`, `adminRemove`; docs/graph-behaviour.md,
 * PIM for groups). Group, relationship and principal are create-only (a change is remove + assign);
 * an update answers with a new schedule id. Only direct eligibilities are managed. The group's own
 * `members` and `owners` are the active ones; an eligibility is not one until it is activated, and
 * an activation is not one of the group's `members`/`owners` while this kind is in scope (group.ts).
 * Opt-in: PrivilegedEligibilitySchedule.Read.AzureADGroup, which no default kind needs, and PIM's licence.
 */
export const groupEligibility = pimGroupSchedule({
  kind: "groupEligibility",
  optIn: true,
  schedules: "eligibility",
  type: "privilegedAccessGroupEligibilitySchedule",
  title: "eligible group membership or ownership (PIM for groups)",
  audit: GROUP_ELIGIBILITY_AUDIT,
  shape: (o) => !("assignmentType" in o),
  nameFallback: "group-eligibility",
  moreServerManaged: ["scheduleInfo.startDateTime"],
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
  requestSchedule: (scheduleInfo) => scheduleInfo ?? null,
  normalize: (spec) => normalizeExpiration(spec),
  // The relationship's settings bound an administrator's eligibility: refused at plan, not halfway through apply.
  refuseAgainst: groupScheduleRefusals("Eligibility"),
});
