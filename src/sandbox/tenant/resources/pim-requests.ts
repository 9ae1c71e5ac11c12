/**
 * What the sandbox's PIM schedule request resources share (docs/graph-behaviour.md, PIM and PIM for
 * groups): directory roles' eligibility and assignment requests (`role-eligibility.ts`,
 * `role-assignment-schedules.ts`) and PIM for groups' (`pim-groups.ts`). A request names only
 * properties Graph documents, carries the ids it needs, and is stored with Graph's read-only fields
 * (status, dates, who made it).
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { isRecord } from "../core/entity.js";
import { badRequest } from "../core/errors.js";
import { EDM_DURATION } from "../odata/duration.js";

const EXPIRATION_TYPES = new Set(["notSpecified", "noExpiration", "afterDateTime", "afterDuration"]);

/** The properties a directory role's schedule request may carry (eligibility and assignment alike). */
export const ROLE_REQUEST_PROPERTIES = new Set(["action", "principalId", "roleDefinitionId", "directoryScopeId", "appScopeId", "justification", "scheduleInfo", "ticketInfo", "isValidationOnly", "customData"]);

/** 400 unless each of `keys` is a non-empty string. */
export function requireIds(body: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) {
    if (typeof body[key] !== "string" || body[key] === "") throw badRequest(`The request needs ${key}.`, "InvalidRequest");
  }
}

/** A directory role request's principal, role and scope (a directory or an app scope), else 400. */
export function requireRoleTarget(body: Record<string, unknown>): void {
  requireIds(body, ["principalId", "roleDefinitionId"]);
  if (typeof body["directoryScopeId"] !== "string" && typeof body["appScopeId"] !== "string") throw badRequest("Either directoryScopeId or appScopeId is required.", "InvalidRequest");
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
    if (typeof expiration["duration"] !== "string" || !EDM_DURATION.test(expiration["duration"])) throw badRequest("An expiration of type afterDuration needs an ISO 8601 duration.", "InvalidScheduleInfo");
    duration = expiration["duration"];
  }
  return { startDateTime: new Date(startMs).toISOString(), recurrence: null, expiration: { type, endDateTime, duration } };
}

/** Who made a request (`identitySet`): the calling app, and the signed-in user of a delegated token. */
function createdBy(ctx: RequestContext): Record<string, unknown> {
  const principal = ctx.request.principal;
  const user = principal.type === "user" ? { id: principal.userId ?? null, displayName: principal.userDisplayName ?? null } : null;
  return { application: { id: principal.appId, displayName: principal.appDisplayName }, device: null, user };
}

/**
 * The stored request: `defaults` for what the body leaves out, the body, `fields` (the id and the
 * ids and schedule as the sandbox keeps them), and Graph's read-only fields: provisioned at once
 * (created and completed `now`), or revoked for a removal.
 */
export function requestRecord(ctx: RequestContext, now: string, defaults: Record<string, unknown>, body: Record<string, unknown>, fields: { id: string } & Record<string, unknown>, removal: boolean): Entity {
  return {
    ...defaults,
    ...body,
    ...fields,
    status: removal ? "Revoked" : "Provisioned",
    createdDateTime: now,
    completedDateTime: now,
    approvalId: null,
    createdBy: createdBy(ctx),
    targetScheduleId: null,
  };
}

/** What a directory role request holds when its body leaves it out (a new object each time). */
export function roleRequestDefaults(): Record<string, unknown> {
  return {
    appScopeId: null,
    directoryScopeId: null,
    justification: null,
    ticketInfo: { ticketNumber: null, ticketSystem: null },
    customData: null,
    isValidationOnly: false,
  };
}

/** Milliseconds of an ISO 8601 duration with days, hours, minutes and seconds. */
export function durationMs(duration: string): number {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!match) return Number.POSITIVE_INFINITY;
  const [, d, h, m, s] = match;
  return ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(m ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
}

/** The end of a schedule in sandbox milliseconds; undefined when it has none (`noExpiration`). */
export function endOf(schedule: Record<string, unknown>): number | undefined {
  const expiration = isRecord(schedule["expiration"]) ? schedule["expiration"] : {};
  const start = Date.parse(String(schedule["startDateTime"]));
  if (expiration["type"] === "afterDuration" && typeof expiration["duration"] === "string") return start + durationMs(expiration["duration"]);
  if (expiration["type"] === "afterDateTime" && typeof expiration["endDateTime"] === "string") return Date.parse(expiration["endDateTime"]);
  return undefined;
}

/** Graph's refusal of a request its role's PIM settings do not allow, naming the rules it failed. */
export function policyRulesFailed(rules: readonly string[]): Error {
  return badRequest(`The following policy rules failed: ${JSON.stringify(rules)}`, "RoleAssignmentRequestPolicyValidationFailed");
}


/** What an administrator's request must respect (`Expiration_Admin_Eligibility` / `Expiration_Admin_Assignment`). */
export interface AdminExpiration {
  isExpirationRequired: boolean;
  maximumDuration: string | undefined;
}

/**
 * Graph checks an administrator's `adminAssign` / `adminUpdate` against the expiration rule of the
 * role's or group relationship's PIM settings (docs/graph-behaviour.md, "PIM role settings govern
 * administrators' requests"): a schedule without an end when `isExpirationRequired`, or one
 * longer than `maximumDuration` (counted from its start), is refused with
 * `RoleAssignmentRequestPolicyValidationFailed` naming `ExpirationRule`.
 */
export function checkAdminExpiration(settings: AdminExpiration, schedule: Record<string, unknown> | null): void {
  if (!schedule) return;
  const end = endOf(schedule);
  if (end === undefined) {
    if (settings.isExpirationRequired) throw policyRulesFailed(["ExpirationRule"]);
    return;
  }
  if (settings.maximumDuration !== undefined && end - Date.parse(String(schedule["startDateTime"])) > durationMs(settings.maximumDuration)) throw policyRulesFailed(["ExpirationRule"]);
}
