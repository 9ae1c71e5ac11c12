/**
 * PIM eligible directory role assignments (docs/graph-behaviour.md, PIM): the schedules are read at
 * `/roleManagement/directory/roleEligibilitySchedules` (no POST, PATCH or DELETE there) and written
 * only by POSTing a request to `/roleManagement/directory/roleEligibilityScheduleRequests`:
 * `adminAssign` makes a schedule (its id is the request's, `targetScheduleId`), `adminUpdate`
 * changes its schedule, `adminRemove` ends it. Principal, role and scope are checked as for an
 * active assignment; one eligibility per principal, role and scope (`RoleAssignmentExists`); an
 * update or removal of none is `RoleAssignmentDoesNotExist`; an expiration needs its end or
 * duration, and an end in the future.
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { isRecord, stringProp } from "../core/entity.js";
import { badRequest } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import { typedView } from "./directory-objects.js";
import { findRoleDefinition } from "./role-definitions.js";
import { validateRoleTarget } from "./role-assignments.js";

const SCHEDULES = "roleEligibilitySchedules";
const REQUEST_RESOURCE = "UnifiedRoleEligibilityScheduleRequest";
const READ = ["RoleEligibilitySchedule.Read.Directory", "RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory"];
const WRITE = ["RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"];
const ADMIN_ACTIONS = new Set(["adminAssign", "adminUpdate", "adminRemove"]);
const ALL_ACTIONS = new Set([...ADMIN_ACTIONS, "selfActivate", "selfDeactivate", "adminExtend", "adminRenew", "selfExtend", "selfRenew", "unknownFutureValue"]);
const REQUEST_PROPERTIES = new Set(["action", "principalId", "roleDefinitionId", "directoryScopeId", "appScopeId", "justification", "scheduleInfo", "ticketInfo", "isValidationOnly", "customData"]);
const EXPIRATION_TYPES = new Set(["notSpecified", "noExpiration", "afterDateTime", "afterDuration"]);
/** ISO 8601 duration as Graph's `Edm.Duration` takes it (P90D, PT8H, P1Y2M). */
export const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

function sameTarget(schedule: Entity, request: Entity): boolean {
  return (
    String(schedule["principalId"]).toLowerCase() === String(request["principalId"]).toLowerCase() &&
    String(schedule["roleDefinitionId"]).toLowerCase() === String(request["roleDefinitionId"]).toLowerCase() &&
    String(schedule["directoryScopeId"] ?? null) === String(request["directoryScopeId"] ?? null) &&
    String(schedule["appScopeId"] ?? null) === String(request["appScopeId"] ?? null)
  );
}

function existingSchedule(ctx: RequestContext, request: Entity): Entity | undefined {
  return ctx.store.list(SCHEDULES).find((s) => sameTarget(s, request));
}

/** The schedule a request asks for: its start (never before now), expiration with nulls filled in. */
export function scheduleOf(ctx: RequestContext, info: Record<string, unknown>): Record<string, unknown> {
  const expiration = isRecord(info["expiration"]) ? info["expiration"] : { type: "noExpiration" };
  const type = expiration["type"] ?? "notSpecified";
  if (typeof type !== "string" || !EXPIRATION_TYPES.has(type)) throw badRequest(`Invalid value '${String(type)}' for scheduleInfo.expiration.type.`, "InvalidScheduleInfo");
  const nowMs = ctx.nowMs();
  const requestedStart = typeof info["startDateTime"] === "string" ? Date.parse(info["startDateTime"]) : Number.NaN;
  if (info["startDateTime"] != null && Number.isNaN(requestedStart)) throw badRequest("The scheduleInfo.startDateTime is not a valid date and time.", "InvalidScheduleInfo");
  const startMs = Number.isNaN(requestedStart) || requestedStart < nowMs ? nowMs : requestedStart;
  let endDateTime: string | null = null;
  let duration: string | null = null;
  if (type === "afterDateTime") {
    const end = typeof expiration["endDateTime"] === "string" ? Date.parse(expiration["endDateTime"]) : Number.NaN;
    if (Number.isNaN(end)) throw badRequest("An expiration of type afterDateTime needs endDateTime.", "InvalidScheduleInfo");
    if (end <= startMs) throw badRequest("The expiration endDateTime must be later than the start of the schedule.", "InvalidScheduleInfo");
    endDateTime = String(expiration["endDateTime"]);
  } else if (type === "afterDuration") {
    if (typeof expiration["duration"] !== "string" || !DURATION.test(expiration["duration"])) throw badRequest("An expiration of type afterDuration needs an ISO 8601 duration.", "InvalidScheduleInfo");
    duration = expiration["duration"];
  }
  return { startDateTime: new Date(startMs).toISOString(), recurrence: null, expiration: { type, endDateTime, duration } };
}

/** Who made a request (`identitySet`): the calling app, and the signed-in user of a delegated token. */
export function createdBy(ctx: RequestContext): Record<string, unknown> {
  const principal = ctx.request.principal;
  const user = principal.type === "user" ? { id: principal.userId ?? null, displayName: principal.userDisplayName ?? null } : null;
  return { application: { id: principal.appId, displayName: principal.appDisplayName }, device: null, user };
}

function audit(ctx: RequestContext, schedule: Entity, verb: "Add" | "Update" | "Remove"): void {
  const role = findRoleDefinition(ctx.store, String(schedule["roleDefinitionId"]));
  const principal = ctx.core.findDirectoryObject(String(schedule["principalId"]));
  const expiration = isRecord(schedule["scheduleInfo"]) && isRecord(schedule["scheduleInfo"]["expiration"]) ? schedule["scheduleInfo"]["expiration"] : {};
  const bound = expiration["type"] === "noExpiration" ? "permanent" : "timebound";
  const activity = verb === "Add" ? `Add eligible member to role in PIM completed (${bound})` : verb === "Remove" ? `Remove eligible member from role in PIM completed (${bound})` : `Update eligible member of role in PIM completed (${bound})`;
  ctx.audit({
    activity,
    category: "RoleManagement",
    service: "PIM",
    operationType: verb === "Add" ? "Assign" : verb === "Remove" ? "Unassign" : "Update",
    targets: [
      { id: String(role?.id ?? schedule["roleDefinitionId"]), displayName: role ? stringProp(role, "displayName") ?? null : null, type: "Role", modifiedProperties: [] },
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

/** `GET /roleManagement/directory/roleEligibilitySchedules`: read-only, written through requests. */
export const roleEligibilitySchedules = defineResource({
  collection: SCHEDULES,
  entityType: "microsoft.graph.unifiedRoleEligibilitySchedule",
  resourceName: "UnifiedRoleEligibilitySchedule",
  paths: [{ path: "/roleManagement/directory/roleEligibilitySchedules" }],
  permissions: { read: READ, write: WRITE },
  paging: { defaultTop: 100, maxTop: 999 },
  methods: { create: false, update: false, delete: false },
  filter: {
    id: ["eq"],
    principalId: ["eq", "ne"],
    roleDefinitionId: ["eq", "ne"],
    directoryScopeId: ["eq", "ne"],
    appScopeId: ["eq", "ne"],
    createdUsing: ["eq", "ne"],
    memberType: ["eq", "ne"],
    status: ["eq", "ne"],
  },
  orderBy: {},
  expand: {
    principal: (ctx, entity) => {
      const found = ctx.core.findDirectoryObject(String(entity["principalId"]));
      return found ? typedView(ctx, found.collection, found.entity) : null;
    },
    roleDefinition: (ctx, entity) => findRoleDefinition(ctx.store, String(entity["roleDefinitionId"])) ?? null,
  },
});

/** `/roleManagement/directory/roleEligibilityScheduleRequests`: POST a request (admin actions), GET them. */
export const roleEligibilityScheduleRequests = defineResource({
  collection: "roleEligibilityScheduleRequests",
  entityType: "microsoft.graph.unifiedRoleEligibilityScheduleRequest",
  resourceName: REQUEST_RESOURCE,
  paths: [{ path: "/roleManagement/directory/roleEligibilityScheduleRequests" }],
  // Listing requests needs a ReadWrite permission, read permissions are refused (docs/graph-behaviour.md, PIM).
  permissions: { read: WRITE, write: WRITE },
  paging: { defaultTop: 100, maxTop: 999 },
  methods: { update: false, delete: false },
  readOnly: { status: "ignore", createdDateTime: "ignore", completedDateTime: "ignore", approvalId: "ignore", createdBy: "ignore", targetScheduleId: "ignore" },
  filter: { id: ["eq"], principalId: ["eq", "ne"], roleDefinitionId: ["eq", "ne"], directoryScopeId: ["eq", "ne"], action: ["eq", "ne"], status: ["eq", "ne"] },
  orderBy: {},
  create(ctx, body, id) {
    for (const key of Object.keys(body)) if (!REQUEST_PROPERTIES.has(key) && !key.startsWith("@odata.")) throw badRequest(`Invalid property '${key}'.`);
    const action = body["action"];
    if (typeof action !== "string" || !ALL_ACTIONS.has(action)) throw badRequest("The request needs an action: adminAssign, adminUpdate, adminRemove, …", "InvalidRequest");
    // An app has no eligibility of its own to activate, extend or renew (self*), and the sandbox models only assign, update and remove.
    if (!ADMIN_ACTIONS.has(action)) throw badRequest(`The action '${action}' is not supported by the sandbox (adminAssign, adminUpdate, adminRemove only).`, "InvalidRequest");
    for (const key of ["principalId", "roleDefinitionId"]) {
      if (typeof body[key] !== "string" || body[key] === "") throw badRequest(`The request needs ${key}.`, "InvalidRequest");
    }
    if (typeof body["directoryScopeId"] !== "string" && typeof body["appScopeId"] !== "string") throw badRequest("Either directoryScopeId or appScopeId is required.", "InvalidRequest");
    const now = ctx.nowIso();
    return {
      appScopeId: null,
      directoryScopeId: null,
      justification: null,
      ticketInfo: { ticketNumber: null, ticketSystem: null },
      customData: null,
      isValidationOnly: false,
      ...body,
      id,
      principalId: String(body["principalId"]).toLowerCase(),
      roleDefinitionId: String(body["roleDefinitionId"]).toLowerCase(),
      scheduleInfo: action === "adminRemove" ? null : scheduleOf(ctx, isRecord(body["scheduleInfo"]) ? body["scheduleInfo"] : {}),
      status: action === "adminRemove" ? "Revoked" : "Provisioned",
      createdDateTime: now,
      completedDateTime: now,
      approvalId: null,
      createdBy: createdBy(ctx),
      targetScheduleId: null,
    } as Entity;
  },
  validate(ctx, request) {
    validateRoleTarget(ctx, request, REQUEST_RESOURCE);
    const existing = existingSchedule(ctx, request);
    if (request["action"] === "adminAssign") {
      if (!isRecord(request["scheduleInfo"])) throw badRequest("The request needs scheduleInfo.", "InvalidScheduleInfo");
      if (existing) throw badRequest("The Role assignment already exists.", "RoleAssignmentExists");
    } else if (!existing) {
      throw badRequest("The Role assignment does not exist.", "RoleAssignmentDoesNotExist");
    }
  },
  afterCreate(ctx, request) {
    if (request["isValidationOnly"] === true) return;
    const existing = existingSchedule(ctx, request);
    if (request["action"] === "adminRemove") {
      if (!existing) return;
      ctx.store.remove(SCHEDULES, existing.id, "deleted");
      audit(ctx, existing, "Remove");
      return;
    }
    const now = ctx.nowIso();
    const schedule: Entity = existing
      ? { ...existing, scheduleInfo: request["scheduleInfo"], modifiedDateTime: now }
      : {
          id: request.id,
          principalId: request["principalId"],
          roleDefinitionId: request["roleDefinitionId"],
          directoryScopeId: request["directoryScopeId"],
          appScopeId: request["appScopeId"],
          createdUsing: request.id,
          createdDateTime: now,
          modifiedDateTime: null,
          status: "Provisioned",
          memberType: "Direct",
          scheduleInfo: request["scheduleInfo"],
        };
    ctx.store.put(SCHEDULES, schedule);
    ctx.store.put("roleEligibilityScheduleRequests", { ...request, targetScheduleId: schedule.id });
    audit(ctx, schedule, existing ? "Update" : "Add");
  },
});
