import type { JsonObject } from "../../model/document.js";
import { normalizeDocument, normalizeLive } from "../../kinds/normalize.js";
import { naturalKeyValue } from "../../kinds/registry.js";
import type { KindDescriptor } from "../../kinds/types.js";
import { createPathOf, scopeFilter } from "../../kinds/object-paths.js";
import { isTransientError, withReplicationRetry } from "./replication.js";
import type { WriteContext } from "./write-context.js";

/** POSTs after a dropped connection or a 5xx before giving up. */
const CREATE_ATTEMPTS = 3;

/**
 * POST a new object, once. A create is not repeatable: after a dropped connection or a 500/502/504
 * the object may exist or not. So the collection is read and the object looked up by its natural
 * key (the key the plan matched on, so before this run no live object had it): found means the
 * first POST went through and it is adopted (`adopted`: what the body bound, such as members, may
 * not have been answered for, so it is written again); otherwise the POST is sent again. `path` is
 * where the POST goes: the collection (the parent's list for a kind with a `parent`), or a kind's
 * request collection (`writeRequests`).
 */
export async function postCreate(
  ctx: WriteContext,
  descriptor: KindDescriptor,
  desired: JsonObject,
  body: JsonObject,
  path?: string,
): Promise<{ object: JsonObject; adopted: boolean }> {
  const options = { version: descriptor.apiVersion };
  for (let attempt = 1; ; attempt++) {
    try {
      return { object: await withReplicationRetry(() => ctx.gateway.post(path ?? createPathOf(descriptor, body), body, options), ctx.retry), adopted: false };
    } catch (error) {
      if (!isTransientError(error) || attempt >= CREATE_ATTEMPTS) throw error;
      const existing = await findByNaturalKey(ctx, descriptor, desired, body, createPathOf(descriptor, body));
      if (existing) return { object: existing, adopted: true };
    }
  }
}

/** The live object with the desired natural key in `collection` (the kind's, or the parent's list the POST went to). */
export async function findByNaturalKey(ctx: WriteContext, descriptor: KindDescriptor, desired: JsonObject, body: JsonObject, collection: string): Promise<JsonObject | undefined> {
  const key = naturalKeyValue(descriptor, normalizeDocument(descriptor, desired, ctx.index));
  if (key === undefined) return undefined;
  // A kind listed per scope is looked for in the scope the body names (Graph refuses an unfiltered list).
  const scoped = descriptor.scopedList;
  const scope = scoped ? body[scoped.property] : undefined;
  if (scoped && typeof scope !== "string") return undefined;
  const query: Record<string, string> = { ...descriptor.listQuery };
  if (scoped && typeof scope === "string") query.$filter = scopeFilter(scoped, scope);
  const live = await ctx.gateway.list(collection, {
    version: descriptor.apiVersion,
    ...(Object.keys(query).length > 0 ? { query } : {}),
  });
  // Objects a parent's list gives without the parent's id (a catalog's resources) carry the body's.
  const property = descriptor.parent?.property;
  const parentId = property !== undefined ? body[property] : undefined;
  const complete = (raw: JsonObject): JsonObject => (property !== undefined && raw[property] === undefined && typeof parentId === "string" ? { ...raw, [property]: parentId } : raw);
  return live.map(complete).find((raw) => naturalKeyValue(descriptor, normalizeLive(descriptor, raw, ctx.index).spec) === key);
}
