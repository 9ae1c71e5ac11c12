import type { JsonObject } from "../../model/document.js";
import { keepNonClearable, nonClearable } from "../../kinds/non-clearable.js";
import { normalizeDocument, normalizeLive } from "../../kinds/normalize.js";
import { canonicalJson } from "../../model/json.js";
import type { KindDescriptor } from "../../kinds/types.js";
import { secretPaths } from "../../kinds/secret-references.js";
import { childCollectionPath, liveIdOf, splitChildId } from "../../kinds/object-paths.js";
import { completeObject } from "../snapshot/read-kind.js";
import { realSleep } from "./replication.js";
import { readSingleton } from "../snapshot/read-kind.js";
import { findFixedObject } from "./write-change.js";
import type { WriteContext } from "./write-context.js";
import { toGraph } from "../../kinds/toGraph.js";

/**
 * Graph sometimes accepts a write and ignores a field (docs/design.md §8): read the object back and name
 * every top-level property that differs from what was written. Relationships were confirmed by
 * their own answers and are not compared here.
 */
export async function verifyWrite(ctx: WriteContext, descriptor: KindDescriptor, id: string, after: JsonObject): Promise<string[]> {
  const options = { version: descriptor.apiVersion, ...(descriptor.listQuery ? { query: { ...descriptor.listQuery } } : {}) };
  const fixed = descriptor.fixedObjects;
  // An object Graph keeps per key (a role's PIM policy) is read back from the list it was found in.
  const read = fixed
    ? () => findFixedObject(ctx, descriptor, fixed, toGraph(descriptor, after, ctx.index, "create"))
    : descriptor.parent && !descriptor.parent.single
      ? () => readChild(ctx, descriptor, id, options)
      : descriptor.singleton
        ? () => readSingleton(ctx.gateway, descriptor, options)
        : () => ctx.gateway.get(descriptor.itemPath(id), options);
  const live = await readBack(ctx, async () => completeObject(ctx.gateway, descriptor, await read()));
  if (!live) return ["(the object could not be read back)"];
  return notTakenFields(ctx, descriptor, live, after);
}

/** The top-level properties of `after` that the live object (as Graph returned it) does not have. */
export function notTakenFields(ctx: WriteContext, descriptor: KindDescriptor, live: JsonObject, after: JsonObject): string[] {
  const skip = new Set([...(descriptor.relationships ?? []).map((r) => r.property), ...(descriptor.propertyActions ?? []).map((a) => a.property), ...(descriptor.nestedCollections ?? []).map((n) => n.property), ...(descriptor.streams?.properties ?? []).map((s) => s.property), ...secretPaths(descriptor)]);
  const actual = normalizeLive(descriptor, live, ctx.index).spec;
  // A property the document leaves out and Graph cannot clear keeps the tenant's value: not a miss.
  const desired = keepNonClearable(normalizeDocument(descriptor, after, ctx.index), actual, nonClearable(descriptor));
  const keys = new Set([...Object.keys(actual), ...Object.keys(desired)]);
  const differing: string[] = [];
  for (const key of [...keys].sort()) {
    if (skip.has(key)) continue;
    if (canonicalJson(actual[key] ?? null) !== canonicalJson(desired[key] ?? null)) differing.push(key);
  }
  return differing;
}

/**
 * An object under a parent (an app role assignment): Graph documents no GET of one, so its
 * parent's list is read and the object found in it; undefined while the list does not show it.
 */
async function readChild(ctx: WriteContext, descriptor: KindDescriptor, id: string, options: { version: KindDescriptor["apiVersion"]; query?: Record<string, string> }): Promise<JsonObject | undefined> {
  const parts = splitChildId(id);
  if (!parts) return undefined;
  const list = await ctx.gateway.list(childCollectionPath(descriptor, parts.parentId), options);
  // Objects listed without their parent's id (a catalog's resources) are given it.
  const property = descriptor.parent?.property;
  const complete = (o: JsonObject): JsonObject => (property !== undefined && o[property] === undefined ? { ...o, [property]: parts.parentId } : o);
  return list.map(complete).find((o) => liveIdOf(descriptor, o)?.toLowerCase() === id.toLowerCase());
}

/** A read after a write; a fresh object may 404 for a while (replication), so a few tries with backoff. */
async function readBack(ctx: WriteContext, read: () => Promise<JsonObject | undefined>): Promise<JsonObject | undefined> {
  const sleep = ctx.retry.sleep ?? realSleep;
  let delay = ctx.retry.baseDelayMs ?? 500;
  const attempts = ctx.retry.attempts ?? 8;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const body = await read();
    if (body) return body;
    if (attempt < attempts) await sleep(delay);
    delay = Math.min(delay * 2, 10_000);
  }
  return undefined;
}
