/**
 * PIM activation of an eligible directory role (docs/graph-behaviour.md, PIM activation): the
 * eligible user POSTs `selfActivate` to `/roleManagement/directory/roleAssignmentScheduleRequests`
 * with a delegated token; Graph then lists an active role assignment for the time asked (at most
 * 8 hours), which `selfDeactivate` or the end of that time removes. The instances at
 * `/roleManagement/directory/roleAssignmentScheduleInstances` tell an activation
 * (`assignmentType: Activated`, `roleAssignmentOriginId` the assignment's id) from an assignment
 * made directly (`Assigned`). Activation records live in their own collection, keyed by the id of
 * the role assignment they made.
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { isRecord, stringProp } from "../core/entity.js";
import { badRequest, forbidden } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import { listResponse } from "../odata/list.js";
import { findRoleDefinition } from "./role-definitions.js";
import { DURATION, createdBy, scheduleOf } from "./role-eligibility.js";

const ACTIVATIONS = "roleAssignmentActivations";
const ASSIGNMENTS = "roleAssignments";
const REQUEST_RESOURCE = "UnifiedRoleAssignmentScheduleRequest";
const INSTANCES_PATH = "/roleManagement/directory/roleAssignmentScheduleInstances";
const READ = ["RoleAssignmentSchedule.Read.Directory", "RoleAssignmentSchedule.ReadWrite.Directory", "RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory"];
const WRITE = ["RoleAssignmentSchedule.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"];
const SELF_ACTIONS = new Set(["selfActivate", "selfDeactivate"]);
const ALL_ACTIONS = new Set(["adminAssign", "adminUpdate", "adminRemove", "adminExtend", "adminRenew", "selfActivate", "selfDeactivate", "selfExtend", "selfRenew", "unknownFutureValue"]);
const REQUEST_PROPERTIES = new Set(["action", "principalId", "roleDefinitionId", "directoryScopeId", "appScopeId", "justification", "scheduleInfo", "ticketInfo", "isValidationOnly", "customData"]);
/** PIM's ceiling for one activation; role settings can only lower it. */
const MAX_ACTIVATION_MS = 8 * 3_600_000;

/** Milliseconds of an ISO 8601 duration with days, hours, minutes and seconds (what an activation asks for). */
function durationMs(duration: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!match) return Number.POSITIVE_INFINITY;
  const [, d, h, m, s] = match;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(m ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
}

function sameTarget(a: Entity, b: Entity): boolean {
  return (
    String(a["principalId"]).toLowerCase() === String(b["principalId"]).toLowerCase() &&
    String(a["roleDefinitionId"]).toLowerCase() === String(b["roleDefinitionId"]).toLowerCase() &&
    String(a["directoryScopeId"] ?? "/") === String(b["directoryScopeId"] ?? "/")
  );
}

/** The end of an activation, or a 400 when it is not time-bound within PIM's ceiling. */
function activationEnd(schedule: Record<string, unknown>): number {
  const expiration = isRecord(schedule["expiration"]) ? schedule["expiration"] : {};
  const start = Date.parse(String(schedule["startDateTime"]));
  let end = Number.POSITIVE_INFINITY;
  if (expiration["type"] === "afterDuration" && typeof expiration["duration"] === "string") end = start + durationMs(expiration["duration"]);
  if (expiration["type"] === "afterDateTime" && typeof expiration["endDateTime"] === "string") end = Date.parse(expiration["endDateTime"]);
  if (!(end - start <= MAX_ACTIVATION_MS)) throw badRequest("An activation must end within 8 hours of its start (scheduleInfo.expiration afterDuration or afterDateTime).", "ExpirationRule");
  return end;
}

function audit(ctx: RequestContext, assignment: Entity, activity: string, operationType: "Assign" | "Unassign"): void {
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
        type: "User",
        userPrincipalName: principal ? stringProp(principal.entity, "userPrincipalName") ?? null : null,
        modifiedProperties: [],
      },
    ],
  });
}

/** Ends activations whose time is up, and forgets records of assignments deleted another way. */
function expireActivations(ctx: RequestContext): void {
  const now = ctx.nowMs();
  for (const activation of ctx.store.list(ACTIVATIONS)) {
    const assignment = ctx.store.get(ASSIGNMENTS, activation.id);
    if (assignment && Number(activation["endMs"]) > now) continue;
    // PIM's own removal at the end of an activation is not written to the sandbox's audit log.
    if (assignment) ctx.store.remove(ASSIGNMENTS, assignment.id, "deleted");
    ctx.store.remove(ACTIVATIONS, activation.id, "deleted");
  }
}

/** `/roleManagement/directory/roleAssignmentScheduleRequests`: a user activates or deactivates an eligible role. */
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
  housekeeping: expireActivations,
  create(ctx, body, id) {
    for (const key of Object.keys(body)) if (!REQUEST_PROPERTIES.has(key) && !key.startsWith("@odata.")) throw badRequest(`Invalid property '${key}'.`);
    const action = body["action"];
    if (typeof action !== "string" || !ALL_ACTIONS.has(action)) throw badRequest("The request needs an action: adminAssign, selfActivate, …", "InvalidRequest");
    if (!SELF_ACTIONS.has(action)) throw badRequest(`The action '${action}' is not supported by the sandbox (selfActivate, selfDeactivate only).`, "InvalidRequest");
    const principal = ctx.request.principal;
    // Activation is a signed-in user's own act: an app has no eligibility of its own.
    if (principal.type !== "user") throw forbidden();
    if (String(body["principalId"] ?? "").toLowerCase() !== String(principal.userId ?? "").toLowerCase()) throw badRequest("A user can only activate or deactivate their own role assignments (principalId must be the signed-in user).", "InvalidRequest");
    if (typeof body["roleDefinitionId"] !== "string" || body["roleDefinitionId"] === "") throw badRequest("The request needs roleDefinitionId.", "InvalidRequest");
    if (typeof body["directoryScopeId"] !== "string" && typeof body["appScopeId"] !== "string") throw badRequest("Either directoryScopeId or appScopeId is required.", "InvalidRequest");
    if (action === "selfActivate" && (typeof body["justification"] !== "string" || body["justification"].trim() === "")) throw badRequest("Justification is required to activate a role.", "JustificationRule");
    const info = isRecord(body["scheduleInfo"]) ? body["scheduleInfo"] : {};
    const expiration = isRecord(info["expiration"]) ? info["expiration"] : {};
    if (typeof expiration["duration"] === "string" && !DURATION.test(expiration["duration"])) throw badRequest("An expiration of type afterDuration needs an ISO 8601 duration.", "InvalidScheduleInfo");
    const now = ctx.nowIso();
    const scheduleInfo = action === "selfActivate" ? scheduleOf(ctx, { ...info, expiration }) : null;
    if (scheduleInfo && Date.parse(String(scheduleInfo["startDateTime"])) > ctx.nowMs()) throw badRequest("The sandbox activates roles now only (a scheduled activation is not modelled).", "InvalidScheduleInfo");
    return {
      appScopeId: null,
      directoryScopeId: null,
      ticketInfo: { ticketNumber: null, ticketSystem: null },
      customData: null,
      isValidationOnly: false,
      ...body,
      id,
      principalId: String(body["principalId"]).toLowerCase(),
      roleDefinitionId: String(body["roleDefinitionId"]).toLowerCase(),
      scheduleInfo,
      status: action === "selfDeactivate" ? "Revoked" : "Provisioned",
      createdDateTime: now,
      completedDateTime: now,
      approvalId: null,
      createdBy: createdBy(ctx),
      targetScheduleId: null,
    } as Entity;
  },
  validate(ctx, request) {
    const active = ctx.store.list(ASSIGNMENTS).find((a) => sameTarget(a, request));
    if (request["action"] === "selfDeactivate") {
      if (!active || !ctx.store.get(ACTIVATIONS, active.id)) throw badRequest("The Role assignment does not exist.", "RoleAssignmentDoesNotExist");
      return;
    }
    const eligible = ctx.store.list("roleEligibilitySchedules").some((e) => sameTarget(e, request));
    if (!eligible) throw badRequest("The Role assignment does not exist.", "RoleAssignmentDoesNotExist");
    if (active) throw badRequest("The Role assignment already exists.", "RoleAssignmentExists");
    activationEnd(request["scheduleInfo"] as Record<string, unknown>);
  },
  afterCreate(ctx, request) {
    if (request["isValidationOnly"] === true) return;
    const active = ctx.store.list(ASSIGNMENTS).find((a) => sameTarget(a, request));
    if (request["action"] === "selfDeactivate") {
      if (!active) return;
      ctx.store.remove(ASSIGNMENTS, active.id, "deleted");
      ctx.store.remove(ACTIVATIONS, active.id, "deleted");
      audit(ctx, active, "Remove member from role completed (PIM deactivate)", "Unassign");
      return;
    }
    const schedule = request["scheduleInfo"] as Record<string, unknown>;
    const endMs = activationEnd(schedule);
    const assignment: Entity = {
      id: ctx.store.newId(),
      principalId: request["principalId"],
      roleDefinitionId: request["roleDefinitionId"],
      directoryScopeId: request["directoryScopeId"] ?? "/",
      appScopeId: request["appScopeId"] ?? null,
      condition: null,
    };
    ctx.store.put(ASSIGNMENTS, assignment);
    ctx.store.put(ACTIVATIONS, { id: assignment.id, requestId: request.id, startDateTime: schedule["startDateTime"], endDateTime: new Date(endMs).toISOString(), endMs });
    ctx.store.put("roleAssignmentScheduleRequests", { ...request, targetScheduleId: request.id });
    audit(ctx, assignment, "Add member to role completed (PIM activation)", "Assign");
  },
});

/** An instance per active assignment: an activation's, or one made directly (`Assigned`, no end). */
function instances(ctx: RequestContext): Entity[] {
  return ctx.store.listSorted(ASSIGNMENTS).map((assignment) => {
    const activation = ctx.store.get(ACTIVATIONS, assignment.id);
    return {
      id: assignment.id,
      principalId: assignment["principalId"],
      roleDefinitionId: assignment["roleDefinitionId"],
      directoryScopeId: assignment["directoryScopeId"] ?? null,
      appScopeId: assignment["appScopeId"] ?? null,
      startDateTime: activation ? activation["startDateTime"] : null,
      endDateTime: activation ? activation["endDateTime"] : null,
      assignmentType: activation ? "Activated" : "Assigned",
      memberType: "Direct",
      roleAssignmentOriginId: assignment.id,
      roleAssignmentScheduleId: activation ? activation["requestId"] : assignment.id,
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
