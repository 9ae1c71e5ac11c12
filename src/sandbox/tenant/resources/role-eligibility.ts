/**
 * PIM eligible directory role assignments (docs/graph-behaviour.md, PIM): the schedules are read at
 * `/roleManagement/directory/roleEligibilitySchedules` (no POST, PATCH or DELETE there) and written
 * only by POSTing a request to `/roleManagement/directory/roleEligibilityScheduleRequests`:
 * `adminAssign` makes a schedule (its id is the request's, `targetScheduleId`), `adminUpdate`
 * changes its schedule, `adminRemove` ends it. Principal, role and scope are checked as for an
 * active assignment; one eligibility per principal, role and scope (`RoleAssignmentExists`); an
 * update or removal of none is `RoleAssignmentDoesNotExist`; an expiration needs its end or
 * duration, and an end in the future; the role's `Expiration_Admin_Eligibility` rule bounds the
 * schedule (permanent only when the role allows it, never longer than its maximum).
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { isRecord, stringProp } from "../core/entity.js";
import { badRequest, refuseUnknownProperties } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import { typedView } from "./directory-objects.js";
import { findRoleDefinition } from "./role-definitions.js";
import { validateRoleTarget } from "./role-assignments.js";
import { checkAdminExpiration, requestRecord, requireRoleTarget, ROLE_REQUEST_PROPERTIES, roleRequestDefaults, scheduleOf } from "./pim-requests.js";
import { roleAdminExpiration } from "./role-management-policies.js";

const SCHEDULES = "roleEligibilitySchedules";
const REQUEST_RESOURCE = "UnifiedRoleEligibilityScheduleRequest";
const READ = ["RoleEligibilitySchedule.Read.Directory", "RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagement.ReadWrite.Directory"];
const WRITE = ["RoleEligibilitySchedule.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"];
const ADMIN_ACTIONS = new Set(["adminAssign", "adminUpdate", "adminRemove"]);
const ALL_ACTIONS = new Set([...ADMIN_ACTIONS, "selfActivate", "selfDeactivate", "adminExtend", "adminRenew", "selfExtend", "selfRenew", "unknownFutureValue"]);

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
    refuseUnknownProperties(body, ROLE_REQUEST_PROPERTIES);
    const action = body["action"];
    if (typeof action !== "string" || !ALL_ACTIONS.has(action)) throw badRequest("The request needs an action: adminAssign, adminUpdate, adminRemove, …", "InvalidRequest");
    // An app has no eligibility of its own to activate, extend or renew (self*), and the sandbox models only assign, update and remove.
    if (!ADMIN_ACTIONS.has(action)) throw badRequest(`The action '${action}' is not supported by the sandbox (adminAssign, adminUpdate, adminRemove only).`, "InvalidRequest");
    requireRoleTarget(body);
    const now = ctx.nowIso();
    const removal = action === "adminRemove";
    return requestRecord(
      ctx,
      now,
      roleRequestDefaults(),
      body,
      {
        id,
        principalId: String(body["principalId"]).toLowerCase(),
        roleDefinitionId: String(body["roleDefinitionId"]).toLowerCase(),
        scheduleInfo: removal ? null : scheduleOf(ctx, isRecord(body["scheduleInfo"]) ? body["scheduleInfo"] : {}),
      },
      removal,
    );
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
    // The role's PIM settings bound what an administrator may make eligible (Expiration_Admin_Eligibility).
    if (request["action"] !== "adminRemove") checkAdminExpiration(roleAdminExpiration(ctx, String(request["roleDefinitionId"]), "Eligibility"), request["scheduleInfo"] as Record<string, unknown> | null);
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
