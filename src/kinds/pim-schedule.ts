/**
 * What PIM schedule kinds share (README "Coverage": `roleEligibility`, `groupEligibility`,
 * `roleAssignment`'s time-bound assignments, `groupAssignmentSchedule`): the
 * canonical form of a `scheduleInfo` (the start is the tenant's; an end written the way Graph
 * returns it; no end or duration on a schedule that never expires).
 */
import type { JsonObject } from "../model/document.js";
import { isJsonObject } from "../model/json.js";

/** What the requests apply sends say about themselves (Graph stores it with the request). */
export const PIM_JUSTIFICATION = "entra-gitops apply";

/** The request action an administrator's create, update and delete of a schedule send. */
export const ADMIN_ACTIONS = { create: "adminAssign", update: "adminUpdate", delete: "adminRemove" } as const;

/**
 * What a directory role schedule request names (`roleEligibility`, `roleAssignment`'s time-bound
 * assignments): the action, principal, role and the scope that is set (directory or app).
 */
export function roleRequestTarget(object: JsonObject, action: keyof typeof ADMIN_ACTIONS): JsonObject {
  const { principalId, roleDefinitionId, directoryScopeId, appScopeId } = object;
  const target: JsonObject = { action: ADMIN_ACTIONS[action], principalId: principalId ?? null, roleDefinitionId: roleDefinitionId ?? null };
  if (directoryScopeId != null) target.directoryScopeId = directoryScopeId;
  if (appScopeId != null) target.appScopeId = appScopeId;
  return target;
}

/**
 * An instant written the way Graph returns one: `2027-06-30T00:00:00Z` (whole seconds without
 * `.000`), whatever form the document used (`2027-06-30`, an offset, milliseconds). Not a date: as given.
 */
export function canonicalInstant(value: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/** A spec's `scheduleInfo.expiration` in canonical form (in place). */
export function normalizeExpiration(spec: JsonObject): JsonObject {
  const expiration = isJsonObject(spec.scheduleInfo) ? spec.scheduleInfo.expiration : undefined;
  if (isJsonObject(expiration)) {
    if (typeof expiration.endDateTime === "string") expiration.endDateTime = canonicalInstant(expiration.endDateTime);
    // A schedule without expiry has neither an end nor a duration, whatever else was written.
    if (expiration.type === "noExpiration") {
      delete expiration.endDateTime;
      delete expiration.duration;
    }
  }
  return spec;
}

/** Why a schedule with an end date (`scheduleInfo.expiration.endDateTime`) has run its course at `now`, or undefined. */
export function endedSchedule(spec: JsonObject, now: string): string | undefined {
  const expiration = isJsonObject(spec.scheduleInfo) ? spec.scheduleInfo.expiration : undefined;
  const end = isJsonObject(expiration) && typeof expiration.endDateTime === "string" ? expiration.endDateTime : undefined;
  return end !== undefined && Date.parse(end) <= Date.parse(now) ? `ended at ${end} (scheduleInfo.expiration.endDateTime)` : undefined;
}

/** The document schema of a `scheduleInfo` that ends at a date (the only end documents take: a duration would read back as a date). */
export function endDateSchema(description: string): JsonObject {
  return {
    type: "object",
    additionalProperties: false,
    required: ["expiration"],
    description,
    properties: {
      expiration: {
        type: "object",
        additionalProperties: false,
        required: ["type", "endDateTime"],
        properties: { type: { const: "afterDateTime" }, endDateTime: { type: "string", format: "date-time" } },
      },
    },
  };
}

/** Milliseconds of an ISO 8601 duration in weeks, days, hours, minutes and seconds; undefined for months or years (no fixed length). */
export function durationMs(duration: string): number | undefined {
  const match = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!match || duration === "P" || duration.endsWith("T")) return undefined;
  const [, w, d, h, m, s] = match;
  return (((Number(w ?? 0) * 7 + Number(d ?? 0)) * 24 + Number(h ?? 0)) * 60 + Number(m ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
}

/**
 * A live schedule's `scheduleInfo` as a document holds it: its end as a date (a duration counted
 * from the start Graph reports, since a document never holds the start), without the start and
 * recurrence (in place).
 */
export function endAsDate(spec: JsonObject): JsonObject {
  const info = spec.scheduleInfo;
  if (!isJsonObject(info)) return spec;
  const expiration = info.expiration;
  if (isJsonObject(expiration) && expiration.type === "afterDuration" && typeof expiration.duration === "string" && typeof info.startDateTime === "string") {
    const length = durationMs(expiration.duration);
    const start = Date.parse(info.startDateTime);
    if (length !== undefined && !Number.isNaN(start)) info.expiration = { type: "afterDateTime", endDateTime: new Date(start + length).toISOString() };
  }
  delete info.startDateTime;
  delete info.recurrence;
  if (isJsonObject(info.expiration) && info.expiration.type === "afterDateTime") delete info.expiration.duration;
  return normalizeExpiration(spec);
}
