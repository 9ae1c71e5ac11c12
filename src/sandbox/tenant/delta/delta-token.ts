import { GraphHttpError, badRequest } from "../core/errors.js";
import type { RequestContext } from "../core/context.js";
import { DAY_MS } from "../core/clock.js";

/** State carried by delta `$skiptoken` / `$deltatoken` (opaque base64url JSON to clients). */
export interface DeltaState {
  /** Collection. */
  c: string;
  /** Changes after this sequence number are reported (0 with `full` = initial sync). */
  s: number;
  /** Round end: changes up to this sequence number. */
  e: number;
  /** Initial round: report every live object. */
  full: boolean;
  /** Offset within the round (nextLink pages). */
  o: number;
  /** `$select` of the first call. */
  sel?: string[];
  /** `$filter` of the first call. */
  f?: string;
  /** Sandbox time the token was issued (deltaLinks expire after 7 days). */
  t: number;
}

export const DELTA_TOKEN_LIFETIME_MS = 7 * DAY_MS;

export function encodeDeltaState(state: DeltaState): string {
  return Buffer.from(JSON.stringify(state)).toString("base64url");
}

export function decodeDeltaState(ctx: RequestContext, raw: string, collection: string, path: string): DeltaState {
  let state: DeltaState | undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (typeof parsed === "object" && parsed !== null && (parsed as DeltaState).c === collection && typeof (parsed as DeltaState).s === "number") {
      state = parsed as DeltaState;
    }
  } catch {
    state = undefined;
  }
  if (!state) throw badRequest("Badly formed token.", "Request_BadRequest");
  if (ctx.nowMs() - state.t > DELTA_TOKEN_LIFETIME_MS) {
    throw new GraphHttpError(
      410,
      "syncStateNotFound",
      "The sync state generation is not found. The delta token is expired and data must be synchronized again.",
      { location: `${ctx.request.serviceRoot}${path}?$deltatoken=` },
    );
  }
  return state;
}
