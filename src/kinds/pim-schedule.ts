/**
 * What PIM schedule kinds share (README "Coverage": `roleEligibility`, `groupEligibility`): the
 * canonical form of a `scheduleInfo` (the start is the tenant's; an end written the way Graph
 * returns it; no end or duration on a schedule that never expires).
 */
import type { JsonObject } from "../model/document.js";
import { isJsonObject } from "../model/json.js";

/** What the requests apply sends say about themselves (Graph stores it with the request). */
export const PIM_JUSTIFICATION = "entra-gitops apply";

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
