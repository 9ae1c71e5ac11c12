import type { JsonObject } from "../model/document.js";
import { GraphError } from "./errors.js";
import type { GraphHttp } from "./http.js";
import type { DeltaResult } from "./types.js";


/** Codes with which directory delta rejects a stale or unknown token. */
const RESYNC_CODES = new Set(["syncStateNotFound", "resyncRequired", "SyncStateNotFound", "ResyncRequired"]);

/**
 * Runs a delta query from its first URL or a saved deltaLink: follows `@odata.nextLink` (empty
 * pages included) to the page with `@odata.deltaLink`. 410 Gone, or a 400/404 naming a lost sync
 * state, means the token is no longer usable: `resync` is set and the caller runs a full round.
 */
export async function collectDelta(http: GraphHttp, firstUrl: string, headers?: Record<string, string>): Promise<DeltaResult> {
  const items: JsonObject[] = [];
  const seen = new Set<string>();
  let url = firstUrl;
  for (;;) {
    seen.add(url);
    let body;
    try {
      const result = await http.send("GET", url, { headers, allow: [410] });
      if (result.status === 410) return { items: [], resync: true };
      body = result.body;
    } catch (error) {
      if (error instanceof GraphError && (error.status === 400 || error.status === 404) && needsResync(error)) {
        return { items: [], resync: true };
      }
      throw error;
    }
    if (!body || typeof body !== "object" || Array.isArray(body) || !Array.isArray(body.value)) {
      throw new Error(`expected a delta page from ${http.pathOf(url)}`);
    }
    for (const item of body.value) {
      if (item && typeof item === "object" && !Array.isArray(item)) items.push(item);
    }
    const next = body["@odata.nextLink"];
    const delta = body["@odata.deltaLink"];
    if (typeof delta === "string" && delta !== "") return { items, deltaLink: delta, resync: false };
    if (typeof next !== "string" || next === "") throw new Error(`delta page from ${http.pathOf(url)} has neither nextLink nor deltaLink`);
    if (seen.has(next)) throw new Error(`Graph returned the same delta nextLink twice (${http.pathOf(next)})`);
    url = next;
  }
}

function needsResync(error: GraphError): boolean {
  return RESYNC_CODES.has(error.code) || (error.innerCode !== undefined && RESYNC_CODES.has(error.innerCode));
}
