/**
 * What the PIM for groups schedule kinds share (`groupEligibility`, `groupAssignmentSchedule`;
 * docs/graph-behaviour.md, PIM for groups): the groups Graph lists schedules for, the document
 * name, and the descriptor fields of a schedule read per group and written only through its
 * schedule requests (`adminAssign`, `adminUpdate`, `adminRemove`).
 */
import type { JsonObject, JsonValue } from "../model/document.js";
import type { Kind } from "../model/kind.js";
import { referenceName } from "./common.js";
import type { AuditNames, ScopedList } from "./descriptor-read.js";
import { slugify } from "./naming.js";
import { ADMIN_ACTIONS, PIM_JUSTIFICATION } from "./pim-schedule.js";
import type { KindDescriptor } from "./types.js";

const BASE = "/identityGovernance/privilegedAccess/group";

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

/** What differs between the PIM for groups schedule kinds; any other descriptor field may be given too. */
export interface PimGroupScheduleOptions extends Partial<Omit<KindDescriptor, "kind" | "audit" | "detect" | "writeRequests">> {
  readonly kind: Kind;
  readonly permissions: KindDescriptor["permissions"];
  /** `eligibility` or `assignment`: the schedules are `{schedules}Schedules`, written through `{schedules}ScheduleRequests`. */
  readonly schedules: "eligibility" | "assignment";
  /** CSDL type without the namespace, e.g. `privilegedAccessGroupEligibilitySchedule`. */
  readonly type: string;
  readonly title: string;
  /** Entra's audit words for the schedules (`pim-audit.ts`: PIM's names, category GroupManagement). */
  readonly audit: AuditNames;
  /** What else tells an imported object of this kind apart (beside group, relationship, principal and schedule). */
  readonly shape: (o: JsonObject) => boolean;
  /** The document name when group and principal give none. */
  readonly nameFallback: string;
  /** Properties Graph keeps beside the shared ones (id, dates, status, memberType). */
  readonly moreServerManaged: readonly string[];
  /** The `scheduleInfo` a create or update request carries, from the document's. */
  readonly requestSchedule: (scheduleInfo: JsonValue | undefined) => JsonValue;
}

/**
 * A PIM for groups schedule kind: a principal (`user:`, `group:`, `servicePrincipal:`) and a
 * relationship (`accessId: member | owner`) to a group (`group:`), listed per governable group
 * (`PIM_GROUPS`), keyed and named by all three (create-only: a change is remove + assign), written
 * through the schedule requests; an update answers with a new schedule id (`targetScheduleId`).
 */
export function pimGroupSchedule(options: PimGroupScheduleOptions): KindDescriptor {
  const { kind, schedules, type, title, audit, shape, nameFallback, moreServerManaged, requestSchedule, ...overrides } = options;
  const collection = `${BASE}/${schedules}Schedules`;
  return {
    kind,
    audit,
    detect: {
      odataTypes: [type],
      context: new RegExp(`privilegedAccess\\/group\\/${schedules}Schedules`, "i"),
      shape: (o) => "accessId" in o && "groupId" in o && "principalId" in o && "scheduleInfo" in o && shape(o) && !("action" in o),
    },
    required: ["groupId", "accessId", "principalId", "scheduleInfo"],
    title,
    apiVersion: "v1.0",
    graphType: `microsoft.graph.${type}`,
    singleton: false,
    collectionPath: collection,
    itemPath: (id) => `${collection}/${id}`,
    scopedList: PIM_GROUPS,
    naturalKey: "groupId+accessId+principalId",
    nameFromReferences: true,
    documentName: (spec) => pimGroupDocumentName(spec, nameFallback),
    serverManaged: ["id", "createdUsing", "createdDateTime", "modifiedDateTime", "status", "memberType", ...moreServerManaged],
    createOnly: ["groupId", "accessId", "principalId"],
    setArrays: [],
    references: [
      { path: "groupId", targets: ["group"] },
      { path: "principalId", targets: ["user", "group", "servicePrincipal"] },
    ],
    dependsOn: ["group", "user", "servicePrincipal"],
    writeRequests: {
      path: `${BASE}/${schedules}ScheduleRequests`,
      body(object, action) {
        const { accessId, principalId, groupId, scheduleInfo } = object;
        const target: JsonObject = { action: ADMIN_ACTIONS[action], accessId: accessId ?? null, principalId: principalId ?? null, groupId: groupId ?? null };
        if (action === "delete") return target;
        return { ...target, justification: PIM_JUSTIFICATION, scheduleInfo: requestSchedule(scheduleInfo) };
      },
      createdId: (answer) => (typeof answer.targetScheduleId === "string" ? answer.targetScheduleId : undefined),
      missingCode: "RoleAssignmentDoesNotExist",
    },
    ...overrides,
  };
}
