/**
 * PIM for groups (docs/graph-behaviour.md, PIM for groups): eligible membership and ownership,
 * read at `/identityGovernance/privilegedAccess/group/eligibilitySchedules` (GET only, and only with
 * a `$filter` on `groupId` or `principalId`) and written only by POSTing a request to
 * `…/eligibilityScheduleRequests`: `adminAssign` makes a schedule (id
 * `{groupId}_{accessId}_{requestId}`, the answer's `targetScheduleId`), `adminUpdate` replaces it
 * with one named after the update request, `adminRemove` ends it. The group must be one PIM
 * governs (not dynamic, not synchronized from on-premises); the principal a user, group or service
 * principal; `accessId` `member` or `owner`; one schedule per group, relationship and principal;
 * an administrator's schedule within the relationship's `Expiration_Admin_*` rule (by default it
 * must end, within a year for an eligibility and 180 days for an active assignment).
 * Active assignments (`assignmentSchedules`, `assignmentScheduleRequests`) work the same way, and
 * each is also a member or owner of the group while it lasts (pim-group-assignments.ts).
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { isRecord, stringProp } from "../core/entity.js";
import { badRequest, refuseUnknownProperties } from "../core/errors.js";
import type { ResourceDefinition } from "../core/resource.js";
import { defineResource } from "../core/resource.js";
import { typedView } from "./directory-objects.js";
import { checkAdminExpiration, requestRecord, requireIds, scheduleOf } from "./pim-requests.js";
import { groupAdminExpiration } from "./pim-group-policies.js";
import { activeAssignments } from "./pim-group-assignments.js";

const BASE = "/identityGovernance/privilegedAccess/group";
const PRINCIPALS = ["users", "groups", "servicePrincipals"];
const ALL_ACTIONS = new Set(["adminassign", "adminupdate", "adminremove", "selfactivate", "selfdeactivate", "adminextend", "adminrenew", "selfextend", "selfrenew", "unknownfuturevalue"]);
const CANONICAL_ACTION: Readonly<Record<string, string>> = { adminassign: "adminAssign", adminupdate: "adminUpdate", adminremove: "adminRemove", selfactivate: "selfActivate", selfdeactivate: "selfDeactivate" };
const REMOVALS = new Set(["adminRemove", "selfDeactivate"]);
const ACCESS_IDS = new Set(["member", "owner"]);
const REQUEST_PROPERTIES = new Set(["action", "accessId", "groupId", "principalId", "justification", "scheduleInfo", "ticketInfo", "isValidationOnly"]);
const SCHEDULE_FILTER = { id: ["eq"], groupId: ["eq"], principalId: ["eq"], accessId: ["eq"], memberType: ["eq"], createdUsing: ["eq", "ne"], status: ["eq", "ne"], assignmentType: ["eq"] } as const;

/** The store collections of PIM for groups eligibilities and active assignments (core/crud.ts removes a deleted principal's or group's). */
export const GROUP_ELIGIBILITY_SCHEDULES = "privilegedAccessGroupEligibilitySchedules";
export const GROUP_ASSIGNMENT_SCHEDULES = "privilegedAccessGroupAssignmentSchedules";

/**
 * What an active assignment adds to the requests (pim-group-assignments.ts): self-activation, and
 * the membership or ownership of the group each schedule is while it lasts.
 */
export interface ActiveAssignments {
  /** Who may send the action (an activation is the signed-in user's own act); throws when refused. */
  authorize(ctx: RequestContext, action: string, principalId: unknown): void;
  /** The membership or ownership exists without a schedule of its own (a member added directly). */
  linked(ctx: RequestContext, request: Entity): boolean;
  /** The rules of a self action, given the schedule that stands (throws Graph's refusal). */
  checkSelf(ctx: RequestContext, request: Entity, existing: Entity | undefined): void;
  /** The group's member or owner link after a request: `schedule` the new one, undefined when it ended. */
  link(ctx: RequestContext, request: Entity, schedule: Entity | undefined): void;
  /** Ends schedules whose time is up, and forgets those whose link was removed another way. */
  housekeeping(ctx: RequestContext): void;
}

interface PimGroupsKind {
  /** Store collection of the schedules. */
  schedules: string;
  /** Path segments under `/identityGovernance/privilegedAccess/group`. */
  schedulesSegment: string;
  requestsSegment: string;
  scheduleType: string;
  requestType: string;
  read: readonly string[];
  write: readonly string[];
  /** The level of the relationship's `Expiration_Admin_*` rule that bounds an administrator's request. */
  level: "Eligibility" | "Assignment";
  /** Audit words: "eligible member", "member". */
  auditNoun: string;
  /** Actions carried out (Graph's names); the others are refused as not modelled. */
  actions: ReadonlySet<string>;
  /** Active assignments only. */
  active?: ActiveAssignments;
}

function sameTarget(schedule: Entity, request: Entity): boolean {
  return (
    String(schedule["groupId"]).toLowerCase() === String(request["groupId"]).toLowerCase() &&
    String(schedule["principalId"]).toLowerCase() === String(request["principalId"]).toLowerCase() &&
    String(schedule["accessId"]) === String(request["accessId"])
  );
}

/** The group must exist and be one PIM for groups governs. */
function checkGroup(ctx: RequestContext, groupId: string): void {
  ctx.core.requireReference(groupId, ["groups"]);
  const group = ctx.store.get("groups", groupId);
  if (!group) return;
  const types = Array.isArray(group["groupTypes"]) ? group["groupTypes"] : [];
  if (types.includes("DynamicMembership")) throw badRequest("PIM for Groups cannot govern a dynamic group.", "InvalidRoleAssignmentRequest");
  if (group["onPremisesSyncEnabled"] === true) throw badRequest("PIM for Groups cannot govern a group synchronized from on-premises.", "InvalidRoleAssignmentRequest");
}

function audit(ctx: RequestContext, kind: PimGroupsKind, schedule: Entity, verb: "Add" | "Update" | "Remove", self = false): void {
  const group = ctx.store.get("groups", String(schedule["groupId"]));
  const principal = ctx.core.findDirectoryObject(String(schedule["principalId"]));
  const expiration = isRecord(schedule["scheduleInfo"]) && isRecord(schedule["scheduleInfo"]["expiration"]) ? schedule["scheduleInfo"]["expiration"] : {};
  const bound = expiration["type"] === "noExpiration" ? "permanent" : "timebound";
  const admin = verb === "Add" ? `Add ${kind.auditNoun} to role in PIM completed (${bound})` : verb === "Remove" ? `Remove ${kind.auditNoun} from role in PIM completed (${bound})` : `Update ${kind.auditNoun} of role in PIM completed (${bound})`;
  const activity = !self ? admin : verb === "Remove" ? `Remove ${kind.auditNoun} from role completed (PIM deactivate)` : `Add ${kind.auditNoun} to role completed (PIM activation)`;
  const access = String(schedule["accessId"]);
  ctx.audit({
    activity,
    category: "GroupManagement",
    service: "PIM",
    operationType: verb === "Add" ? "Assign" : verb === "Remove" ? "Unassign" : "Update",
    targets: [
      { id: access, displayName: access === "owner" ? "Owner" : "Member", type: "Role", modifiedProperties: [] },
      { id: String(schedule["groupId"]), displayName: group ? stringProp(group, "displayName") ?? null : null, type: "Group", modifiedProperties: [] },
      {
        id: String(schedule["principalId"]),
        displayName: principal ? stringProp(principal.entity, "displayName") ?? null : null,
        type: principal?.collection === "groups" ? "Group" : principal?.collection === "servicePrincipals" ? "ServicePrincipal" : "User",
        userPrincipalName: principal ? stringProp(principal.entity, "userPrincipalName") ?? null : null,
        modifiedProperties: [],
      },
      { id: schedule.id, displayName: null, type: "Other", modifiedProperties: [] },
    ],
  });
}

function schedulesResource(kind: PimGroupsKind): ResourceDefinition {
  return defineResource({
    collection: kind.schedules,
    entityType: `microsoft.graph.${kind.scheduleType}`,
    resourceName: kind.scheduleType,
    paths: [{ path: `${BASE}/${kind.schedulesSegment}` }],
    permissions: { read: kind.read, write: kind.write },
    paging: { defaultTop: 100, maxTop: 999 },
    methods: { create: false, update: false, delete: false },
    requiredFilter: ["groupId", "principalId"],
    filter: SCHEDULE_FILTER,
    orderBy: {},
    expand: {
      principal: (ctx, entity) => {
        const found = ctx.core.findDirectoryObject(String(entity["principalId"]));
        return found ? typedView(ctx, found.collection, found.entity) : null;
      },
      group: (ctx, entity) => ctx.store.get("groups", String(entity["groupId"])) ?? null,
    },
  });
}

function requestsResource(kind: PimGroupsKind): ResourceDefinition {
  const requests = `${kind.schedules}Requests`;
  return defineResource({
    collection: requests,
    entityType: `microsoft.graph.${kind.requestType}`,
    resourceName: kind.requestType,
    paths: [{ path: `${BASE}/${kind.requestsSegment}` }],
    permissions: { read: kind.write, write: kind.write },
    paging: { defaultTop: 100, maxTop: 999 },
    methods: { update: false, delete: false },
    ...(kind.active ? { housekeeping: kind.active.housekeeping } : {}),
    requiredFilter: ["groupId", "principalId"],
    readOnly: { status: "ignore", createdDateTime: "ignore", completedDateTime: "ignore", approvalId: "ignore", createdBy: "ignore", targetScheduleId: "ignore" },
    filter: { ...SCHEDULE_FILTER, action: ["eq", "ne"], targetScheduleId: ["eq"] },
    orderBy: {},
    create(ctx, body, id) {
      refuseUnknownProperties(body, REQUEST_PROPERTIES);
      const raw = typeof body["action"] === "string" ? body["action"].toLowerCase() : "";
      if (!ALL_ACTIONS.has(raw)) throw badRequest("The request needs an action: adminAssign, adminUpdate, adminRemove, …", "InvalidRequest");
      // Extend and renew are not modelled, nor activations of an eligibility's own request collection.
      const action = CANONICAL_ACTION[raw];
      if (action === undefined || !kind.actions.has(action)) throw badRequest(`The action '${String(body["action"])}' is not supported by the sandbox (${[...kind.actions].join(", ")} only).`, "InvalidRequest");
      kind.active?.authorize(ctx, action, body["principalId"]);
      requireIds(body, ["groupId", "principalId"]);
      if (typeof body["accessId"] !== "string" || !ACCESS_IDS.has(body["accessId"])) throw badRequest("The request needs accessId: member or owner.", "InvalidRequest");
      const now = ctx.nowIso();
      const removal = REMOVALS.has(action);
      const defaults = { justification: null, ticketInfo: { ticketNumber: null, ticketSystem: null }, isValidationOnly: false };
      const fields = {
        id,
        action,
        groupId: String(body["groupId"]).toLowerCase(),
        principalId: String(body["principalId"]).toLowerCase(),
        scheduleInfo: removal ? null : isRecord(body["scheduleInfo"]) ? scheduleOf(ctx, body["scheduleInfo"]) : null,
      };
      return requestRecord(ctx, now, defaults, body, fields, removal);
    },
    validate(ctx, request) {
      checkGroup(ctx, String(request["groupId"]));
      if (!ctx.system) ctx.core.requireReference(String(request["principalId"]), PRINCIPALS);
      const existing = ctx.store.list(kind.schedules).find((s) => sameTarget(s, request));
      if (String(request["action"]).startsWith("self")) {
        kind.active?.checkSelf(ctx, request, existing);
        return;
      }
      const linked = kind.active?.linked(ctx, request) ?? false;
      if (request["action"] === "adminAssign") {
        if (!isRecord(request["scheduleInfo"])) throw badRequest("The request needs scheduleInfo.", "InvalidScheduleInfo");
        if (existing || linked) throw badRequest("The Role assignment already exists.", "RoleAssignmentExists");
      } else if (!existing && !linked) {
        throw badRequest("The Role assignment does not exist.", "RoleAssignmentDoesNotExist");
      } else if (request["action"] === "adminUpdate" && !isRecord(request["scheduleInfo"])) {
        throw badRequest("The request needs scheduleInfo.", "InvalidScheduleInfo");
      }
      // The relationship's PIM settings bound what an administrator may assign (Expiration_Admin_Eligibility / _Assignment).
      if (request["action"] !== "adminRemove") checkAdminExpiration(groupAdminExpiration(ctx, String(request["groupId"]), String(request["accessId"]), kind.level), request["scheduleInfo"] as Record<string, unknown> | null);
    },
    afterCreate(ctx, request) {
      if (request["isValidationOnly"] === true) return;
      const existing = ctx.store.list(kind.schedules).find((s) => sameTarget(s, request));
      const self = String(request["action"]).startsWith("self");
      if (REMOVALS.has(String(request["action"]))) {
        kind.active?.link(ctx, request, undefined);
        if (!existing) return;
        ctx.store.remove(kind.schedules, existing.id, "deleted");
        ctx.store.put(requests, { ...request, targetScheduleId: existing.id });
        audit(ctx, kind, existing, "Remove", self);
        return;
      }
      // An assignment or update makes the schedule the request names (Graph's update answers with a new id).
      if (existing) ctx.store.remove(kind.schedules, existing.id, "deleted");
      const now = ctx.nowIso();
      const schedule: Entity = {
        id: `${String(request["groupId"])}_${String(request["accessId"])}_${request.id}`,
        accessId: request["accessId"],
        groupId: request["groupId"],
        principalId: request["principalId"],
        memberType: "direct",
        ...(kind.active ? { assignmentType: self ? "activated" : "assigned" } : {}),
        createdUsing: request.id,
        createdDateTime: existing ? existing["createdDateTime"] : now,
        modifiedDateTime: existing ? now : null,
        status: "Provisioned",
        scheduleInfo: request["scheduleInfo"],
      };
      ctx.store.put(kind.schedules, schedule);
      ctx.store.put(requests, { ...request, targetScheduleId: schedule.id });
      kind.active?.link(ctx, request, schedule);
      audit(ctx, kind, schedule, existing ? "Update" : "Add", self);
    },
  });
}

const ELIGIBILITY: PimGroupsKind = {
  schedules: GROUP_ELIGIBILITY_SCHEDULES,
  schedulesSegment: "eligibilitySchedules",
  requestsSegment: "eligibilityScheduleRequests",
  scheduleType: "privilegedAccessGroupEligibilitySchedule",
  requestType: "privilegedAccessGroupEligibilityScheduleRequest",
  read: ["PrivilegedEligibilitySchedule.Read.AzureADGroup", "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup", "PrivilegedAccess.Read.AzureADGroup", "PrivilegedAccess.ReadWrite.AzureADGroup"],
  write: ["PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup", "PrivilegedAccess.ReadWrite.AzureADGroup"],
  level: "Eligibility",
  auditNoun: "eligible member",
  actions: new Set(["adminAssign", "adminUpdate", "adminRemove"]),
};

const ASSIGNMENT: PimGroupsKind = {
  schedules: GROUP_ASSIGNMENT_SCHEDULES,
  schedulesSegment: "assignmentSchedules",
  requestsSegment: "assignmentScheduleRequests",
  scheduleType: "privilegedAccessGroupAssignmentSchedule",
  requestType: "privilegedAccessGroupAssignmentScheduleRequest",
  read: ["PrivilegedAssignmentSchedule.Read.AzureADGroup", "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup", "PrivilegedAccess.Read.AzureADGroup", "PrivilegedAccess.ReadWrite.AzureADGroup"],
  write: ["PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup", "PrivilegedAccess.ReadWrite.AzureADGroup"],
  level: "Assignment",
  auditNoun: "member",
  actions: new Set(["adminAssign", "adminUpdate", "adminRemove", "selfActivate", "selfDeactivate"]),
  active: activeAssignments({ schedules: GROUP_ASSIGNMENT_SCHEDULES, eligibilities: GROUP_ELIGIBILITY_SCHEDULES, sameTarget }),
};

/** The PIM for groups resources (schedules, then their requests; eligibilities, then active assignments). */
export const pimGroupsResources: readonly ResourceDefinition[] = [schedulesResource(ELIGIBILITY), requestsResource(ELIGIBILITY), schedulesResource(ASSIGNMENT), requestsResource(ASSIGNMENT)];
