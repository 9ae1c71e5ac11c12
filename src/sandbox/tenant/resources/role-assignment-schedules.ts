/**
 * PIM active role assignment schedules (docs/graph-behaviour.md, PIM active assignments and
 * activation): requests POSTed to `/roleManagement/directory/roleAssignmentScheduleRequests`.
 * - An administrator assigns (`adminAssign`), changes (`adminUpdate`) or removes (`adminRemove`) an
 *   active assignment, permanent or with an end, as the role's `Expiration_Admin_Assignment` rule
 *   allows; Graph then lists it under `/roleAssignments`.
 * - An eligible user activates their role (`selfActivate`, delegated, at most 8 hours or the role's
 *   lower maximum, with the justification and ticket its PIM settings require) or ends the
 *   activation (`selfDeactivate`); while it lasts `/roleAssignments` lists it too.
 * An assignment or activation ends on its own at its end time. The instances at
 * `/roleManagement/directory/roleAssignmentScheduleInstances` tell an activation
 * (`assignmentType: Activated`) from an assignment (`Assigned`, with its end when it has one);
 * `roleAssignmentOriginId` is the role assignment's id. The schedule of each assignment made
 * through a request lives in its own collection, keyed by the role assignment's id; an assignment
 * made directly through `/roleAssignments` has none (permanent).
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { isRecord, stringProp } from "../core/entity.js";
import { badRequest, forbidden, refuseUnknownProperties } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import { listResponse } from "../odata/list.js";
import { findRoleDefinition } from "./role-definitions.js";
import { validateRoleTarget } from "./role-assignments.js";
import { checkAdminExpiration, durationMs, endOf, policyRulesFailed, requestRecord, requireRoleTarget, ROLE_REQUEST_PROPERTIES, roleRequestDefaults, scheduleOf } from "./pim-requests.js";
import { EDM_DURATION } from "../odata/duration.js";
import { activationSettings, roleAdminExpiration } from "./role-management-policies.js";

const SCHEDULES = "roleAssignmentScheduleRecords";
const ASSIGNMENTS = "roleAssignments";
const REQUEST_RESOURCE = "UnifiedRoleAssignmentScheduleRequest";
const INSTANCES_PATH = "/roleManagement/directory/roleAssignmentScheduleInstances";
const READ = ["RoleAssignmentSchedule.Read.Directory", "RoleAssignmentSchedule.ReadWrite.Directory", "RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory"];
const WRITE = ["RoleAssignmentSchedule.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"];
const SUPPORTED = new Set(["adminAssign", "adminUpdate", "adminRemove", "selfActivate", "selfDeactivate"]);
const ALL_ACTIONS = new Set([...SUPPORTED, "adminExtend", "adminRenew", "selfExtend", "selfRenew", "unknownFutureValue"]);
/** PIM's ceiling for one activation; role settings can only lower it. */
const MAX_ACTIVATION_MS = 8 * 3_600_000;
/** Roles whose holders may assign directory roles (template ids): Global and Privileged Role Administrator. */
const ROLE_ADMINS = new Set(["62e90394-69f5-4237-9190-012177145e10", "e8611ab8-c189-46e8-94e1-60213ab1f814"]);

function sameTarget(a: Entity, b: Entity): boolean {
  return (
    String(a["principalId"]).toLowerCase() === String(b["principalId"]).toLowerCase() &&
    String(a["roleDefinitionId"]).toLowerCase() === String(b["roleDefinitionId"]).toLowerCase() &&
    String(a["directoryScopeId"] ?? "/") === String(b["directoryScopeId"] ?? "/")
  );
}

/** The end as Graph writes it: as the request gave it, or computed from a duration (whole seconds). */
function endText(schedule: Record<string, unknown> | null, end: number): string {
  const expiration = schedule && isRecord(schedule["expiration"]) ? schedule["expiration"] : {};
  return typeof expiration["endDateTime"] === "string" ? expiration["endDateTime"] : new Date(end).toISOString().replace(/\.000Z$/, "Z");
}

/**
 * An activation as the role's PIM settings allow it (role-management-policies.ts): time-bound
 * within the role's maximum (`Expiration_EndUser_Assignment`, 8 hours unless lowered, never more),
 * with the justification and ticket its `Enablement_EndUser_Assignment` requires.
 */
function checkActivation(ctx: RequestContext, request: Entity, schedule: Record<string, unknown> | null): void {
  const { maximumDuration, enabledRules } = activationSettings(ctx, String(request["roleDefinitionId"]));
  const failed: string[] = [];
  const justification = request["justification"];
  if (enabledRules.includes("Justification") && (typeof justification !== "string" || justification.trim() === "")) failed.push("JustificationRule");
  const ticket = isRecord(request["ticketInfo"]) ? request["ticketInfo"]["ticketNumber"] : undefined;
  if (enabledRules.includes("Ticketing") && (typeof ticket !== "string" || ticket.trim() === "")) failed.push("TicketingRule");
  const end = schedule ? endOf(schedule) : undefined;
  const maximum = Math.min(MAX_ACTIVATION_MS, maximumDuration ? durationMs(maximumDuration) : MAX_ACTIVATION_MS);
  if (end === undefined || end - Date.parse(String(schedule?.["startDateTime"])) > maximum) failed.push("ExpirationRule");
  if (failed.length > 0) throw policyRulesFailed(failed);
}

function audit(ctx: RequestContext, assignment: Entity, activity: string, operationType: "Assign" | "Unassign" | "Update"): void {
  const role = findRoleDefinition(ctx.store, String(assignment["roleDefinitionId"]));
  const principal = ctx.core.findDirectoryObject(String(assignment["principalId"]));
  ctx.audit({
    activity,
    category: "RoleManagement",
    service: "PIM",
    operationType,
    targets: [
      { id: String(role?.id ?? assignment["roleDefinitionId"]), displayName: role ? stringProp(role, "displayName") ?? null : null, type: "Role", modifiedProperties: [] },
      {
        id: String(assignment["principalId"]),
        displayName: principal ? stringProp(principal.entity, "displayName") ?? null : null,
        type: principal?.collection === "groups" ? "Group" : principal?.collection === "servicePrincipals" ? "ServicePrincipal" : "User",
        userPrincipalName: principal ? stringProp(principal.entity, "userPrincipalName") ?? null : null,
        modifiedProperties: [],
      },
    ],
  });
}

/** Ends assignments and activations whose time is up, and forgets schedules of assignments deleted another way. */
function expireSchedules(ctx: RequestContext): void {
  const now = ctx.nowMs();
  for (const schedule of ctx.store.list(SCHEDULES)) {
    const assignment = ctx.store.get(ASSIGNMENTS, schedule.id);
    const end = schedule["endMs"];
    if (assignment && (typeof end !== "number" || end > now)) continue;
    // PIM's own removal at the end of a schedule is not written to the sandbox's audit log.
    if (assignment) ctx.store.remove(ASSIGNMENTS, assignment.id, "deleted");
    ctx.store.remove(SCHEDULES, schedule.id, "deleted");
  }
}

/** Who may send the action: an activation is a signed-in user's own act; admin actions need an app permission or a role administrator. */
function authorize(ctx: RequestContext, action: string, principalId: unknown): void {
  const principal = ctx.request.principal;
  if (action.startsWith("self")) {
    if (principal.type !== "user") throw forbidden();
    if (String(principalId ?? "").toLowerCase() !== String(principal.userId ?? "").toLowerCase()) throw badRequest("A user can only activate or deactivate their own role assignments (principalId must be the signed-in user).", "InvalidRequest");
    return;
  }
  if (principal.type === "user" && ctx.core.delegatedRoleChecks && ![...ctx.userRoles()].some((role) => ROLE_ADMINS.has(role))) throw forbidden();
}

/** `/roleManagement/directory/roleAssignmentScheduleRequests`: active assignments and activations through PIM. */
export const roleAssignmentScheduleRequests = defineResource({
  collection: "roleAssignmentScheduleRequests",
  entityType: "microsoft.graph.unifiedRoleAssignmentScheduleRequest",
  resourceName: REQUEST_RESOURCE,
  paths: [{ path: "/roleManagement/directory/roleAssignmentScheduleRequests" }],
  permissions: { read: WRITE, write: WRITE },
  paging: { defaultTop: 100, maxTop: 999 },
  methods: { update: false, delete: false },
  readOnly: { status: "ignore", createdDateTime: "ignore", completedDateTime: "ignore", approvalId: "ignore", createdBy: "ignore", targetScheduleId: "ignore" },
  filter: { id: ["eq"], principalId: ["eq", "ne"], roleDefinitionId: ["eq", "ne"], action: ["eq", "ne"], status: ["eq", "ne"] },
  orderBy: {},
  housekeeping: expireSchedules,
  create(ctx, body, id) {
    refuseUnknownProperties(body, ROLE_REQUEST_PROPERTIES);
    const action = body["action"];
    if (typeof action !== "string" || !ALL_ACTIONS.has(action)) throw badRequest("The request needs an action: adminAssign, selfActivate, …", "InvalidRequest");
    if (!SUPPORTED.has(action)) throw badRequest(`The action '${action}' is not supported by the sandbox (adminAssign, adminUpdate, adminRemove, selfActivate, selfDeactivate).`, "InvalidRequest");
    authorize(ctx, action, body["principalId"]);
    requireRoleTarget(body);
    const removal = action === "adminRemove" || action === "selfDeactivate";
    const info = isRecord(body["scheduleInfo"]) ? body["scheduleInfo"] : undefined;
    if (!removal && !info) throw badRequest("The request needs scheduleInfo.", "InvalidScheduleInfo");
    const expiration = info && isRecord(info["expiration"]) ? info["expiration"] : {};
    if (typeof expiration["duration"] === "string" && !EDM_DURATION.test(expiration["duration"])) throw badRequest("An expiration of type afterDuration needs an ISO 8601 duration.", "InvalidScheduleInfo");
    const scheduleInfo = removal || !info ? null : scheduleOf(ctx, { ...info, expiration });
    if (scheduleInfo && Date.parse(String(scheduleInfo["startDateTime"])) > ctx.nowMs()) throw badRequest("The sandbox starts schedules now only (a schedule starting later is not modelled).", "InvalidScheduleInfo");
    const now = ctx.nowIso();
    const fields = { id, principalId: String(body["principalId"]).toLowerCase(), roleDefinitionId: String(body["roleDefinitionId"]).toLowerCase(), scheduleInfo };
    return requestRecord(ctx, now, roleRequestDefaults(), body, fields, removal);
  },
  validate(ctx, request) {
    const action = String(request["action"]);
    const active = ctx.store.list(ASSIGNMENTS).find((a) => sameTarget(a, request));
    const schedule = request["scheduleInfo"] as Record<string, unknown> | null;
    if (action === "selfDeactivate") {
      if (!active || ctx.store.get(SCHEDULES, active.id)?.["assignmentType"] !== "Activated") throw badRequest("The Role assignment does not exist.", "RoleAssignmentDoesNotExist");
      return;
    }
    if (action === "selfActivate") {
      if (!ctx.store.list("roleEligibilitySchedules").some((e) => sameTarget(e, request))) throw badRequest("The Role assignment does not exist.", "RoleAssignmentDoesNotExist");
      if (active) throw badRequest("The Role assignment already exists.", "RoleAssignmentExists");
      checkActivation(ctx, request, schedule);
      return;
    }
    validateRoleTarget(ctx, request, REQUEST_RESOURCE);
    if (action === "adminAssign" && active) throw badRequest("The Role assignment already exists.", "RoleAssignmentExists");
    if (action !== "adminAssign" && !active) throw badRequest("The Role assignment does not exist.", "RoleAssignmentDoesNotExist");
    const end = schedule ? endOf(schedule) : undefined;
    if (end !== undefined && end <= Date.parse(String(schedule?.["startDateTime"]))) throw badRequest("The expiration endDateTime must be later than the start of the schedule.", "InvalidScheduleInfo");
    // The role's PIM settings bound what an administrator may assign (Expiration_Admin_Assignment).
    if (action !== "adminRemove") checkAdminExpiration(roleAdminExpiration(ctx, String(request["roleDefinitionId"]), "Assignment"), schedule);
  },
  afterCreate(ctx, request) {
    if (request["isValidationOnly"] === true) return;
    const action = String(request["action"]);
    const active = ctx.store.list(ASSIGNMENTS).find((a) => sameTarget(a, request));
    const schedule = request["scheduleInfo"] as Record<string, unknown> | null;
    const end = schedule ? endOf(schedule) : undefined;
    const bound = end === undefined ? "permanent" : "timebound";
    if (action === "selfDeactivate" || action === "adminRemove") {
      if (!active) return;
      const removed = typeof ctx.store.get(SCHEDULES, active.id)?.["endMs"] === "number" ? "timebound" : "permanent";
      ctx.store.remove(ASSIGNMENTS, active.id, "deleted");
      ctx.store.remove(SCHEDULES, active.id, "deleted");
      audit(ctx, active, action === "selfDeactivate" ? "Remove member from role completed (PIM deactivate)" : `Remove member from role in PIM completed (${removed})`, "Unassign");
      return;
    }
    const record = (assignmentId: string): Entity => ({
      id: assignmentId,
      requestId: request.id,
      assignmentType: action === "selfActivate" ? "Activated" : "Assigned",
      startDateTime: schedule?.["startDateTime"] ?? ctx.nowIso(),
      endDateTime: end === undefined ? null : endText(schedule, end),
      endMs: end ?? null,
    });
    if (action === "adminUpdate" && active) {
      ctx.store.put(SCHEDULES, record(active.id));
      ctx.store.put("roleAssignmentScheduleRequests", { ...request, targetScheduleId: request.id });
      audit(ctx, active, `Update member of role in PIM completed (${bound})`, "Update");
      return;
    }
    const assignment: Entity = {
      id: ctx.store.newId(),
      principalId: request["principalId"],
      roleDefinitionId: request["roleDefinitionId"],
      directoryScopeId: request["directoryScopeId"] ?? "/",
      appScopeId: request["appScopeId"] ?? null,
      condition: null,
    };
    ctx.store.put(ASSIGNMENTS, assignment);
    ctx.store.put(SCHEDULES, record(assignment.id));
    ctx.store.put("roleAssignmentScheduleRequests", { ...request, targetScheduleId: request.id });
    audit(ctx, assignment, action === "selfActivate" ? "Add member to role completed (PIM activation)" : `Add member to role in PIM completed (${bound})`, "Assign");
  },
});

/** An instance per active assignment: its schedule's type and end, or `Assigned` with no end for one made directly. */
function instances(ctx: RequestContext): Entity[] {
  return ctx.store.listSorted(ASSIGNMENTS).map((assignment) => {
    const schedule = ctx.store.get(SCHEDULES, assignment.id);
    return {
      id: assignment.id,
      principalId: assignment["principalId"],
      roleDefinitionId: assignment["roleDefinitionId"],
      directoryScopeId: assignment["directoryScopeId"] ?? null,
      appScopeId: assignment["appScopeId"] ?? null,
      startDateTime: schedule ? schedule["startDateTime"] : null,
      endDateTime: schedule ? schedule["endDateTime"] : null,
      assignmentType: schedule ? schedule["assignmentType"] : "Assigned",
      memberType: "Direct",
      roleAssignmentOriginId: assignment.id,
      roleAssignmentScheduleId: schedule ? schedule["requestId"] : assignment.id,
    } as Entity;
  });
}

/** `GET /roleManagement/directory/roleAssignmentScheduleInstances`: computed from the active assignments. */
export const roleAssignmentScheduleInstances = defineResource({
  collection: "roleAssignmentScheduleInstances",
  entityType: "microsoft.graph.unifiedRoleAssignmentScheduleInstance",
  resourceName: "UnifiedRoleAssignmentScheduleInstance",
  paths: [],
  permissions: { read: READ, write: [] },
  paging: { defaultTop: 100, maxTop: 999 },
  methods: { create: false, update: false, delete: false },
  filter: { id: ["eq"], principalId: ["eq", "ne"], roleDefinitionId: ["eq", "ne"], directoryScopeId: ["eq", "ne"], assignmentType: ["eq", "ne"], memberType: ["eq", "ne"] },
  orderBy: {},
  routes: [
    {
      method: "GET",
      path: INSTANCES_PATH,
      handler: (ctx) => listResponse(ctx, roleAssignmentScheduleInstances, instances(ctx), { contextPath: "roleManagement/directory/roleAssignmentScheduleInstances", presorted: true }),
      permissions: READ,
    },
  ],
});
