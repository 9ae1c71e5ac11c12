/**
 * The writes of an object beyond its properties (ARCHITECTURE.md "Kinds"): property actions,
 * nested collection items (`nestedCollections`) and set collections (`setCollections`), each
 * written only when the document's value differs from the live object's.
 */
import type { JsonObject, JsonValue } from "../../model/document.js";
import { canonicalJson, isJsonObject, overlayJson } from "../../model/json.js";
import { toGraphNestedItem } from "../../kinds/toGraph.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { SetCollection, SetCollectionReader } from "../../kinds/descriptor-write.js";
import { withReplicationRetry } from "./replication.js";
import { repeatable, versionOf, type WriteContext } from "./write-context.js";

/** Writes property actions and nested collection items that changed; returns how many requests it sent. */
export async function writeExtras(
  ctx: WriteContext,
  descriptor: KindDescriptor,
  id: string,
  after: JsonObject,
  before: JsonObject | undefined,
): Promise<number> {
  let sent = 0;
  for (const action of descriptor.propertyActions ?? []) {
    const value = after[action.property];
    if (value === undefined || (before && canonicalJson(before[action.property] ?? null) === canonicalJson(value))) continue;
    const body = action.body(value);
    const path = action.path(id);
    sent++;
    if (action.method === "POST") await ctx.gateway.post(path, body, versionOf(descriptor));
    else if (action.method === "PATCH") await withReplicationRetry(() => ctx.gateway.patch(path, body, versionOf(descriptor)), repeatable(ctx));
    else await withReplicationRetry(() => ctx.gateway.put(path, body, versionOf(descriptor)), repeatable(ctx));
  }
  for (const nested of descriptor.nestedCollections ?? []) {
    const items = after[nested.property];
    if (!Array.isArray(items) && !nested.defaultItem) continue;
    const old = new Map<string, string>();
    for (const item of asObjects(before?.[nested.property])) old.set(String(item[nested.key]), canonicalJson(item));
    const listed = new Set<string>();
    for (const item of asObjects(items)) {
      const key = String(item[nested.key]);
      listed.add(key);
      const known = old.get(key);
      if (known === canonicalJson(item)) continue;
      // The item's references (group:NAME in includeTargets) go to Graph as ids; an item with a
      // default is written whole: the default with the document's values laid over it.
      const written = toGraphNestedItem(descriptor, nested.property, item, ctx.index);
      const base = nested.defaultItem?.(key);
      const itemBody = base ? (overlayJson(withEmptyLists(base), written) as JsonObject) : written;
      sent++;
      if (nested.createPath && known === undefined) {
        const createPath = nested.createPath(id);
        await ctx.gateway.post(createPath, itemBody, versionOf(descriptor));
        continue;
      }
      const { [nested.key]: _key, ...changed } = itemBody;
      const patchBody = nested.createPath ? changed : itemBody;
      await withReplicationRetry(() => ctx.gateway.patch(nested.itemPath(id, key), patchBody, versionOf(descriptor)), repeatable(ctx));
    }
    // Items the document leaves out go back to their defaults.
    for (const key of nested.defaultItem ? old.keys() : []) {
      const base = listed.has(key) ? undefined : nested.defaultItem?.(key);
      if (!base) continue;
      sent++;
      await withReplicationRetry(() => ctx.gateway.patch(nested.itemPath(id, key), base, versionOf(descriptor)), repeatable(ctx));
    }
  }
  sent += await writeSetCollections(ctx, descriptor, id, after, before);
  return sent;
}

/**
 * Set collections (condition sets): the live items are read at apply time (their ids are not in
 * documents), an item the document lacks is deleted, a missing one added; equal items stay.
 */
async function writeSetCollections(ctx: WriteContext, descriptor: KindDescriptor, id: string, after: JsonObject, before: JsonObject | undefined): Promise<number> {
  let sent = 0;
  for (const collection of descriptor.setCollections ?? []) {
    const desiredItems = asObjects(after[collection.property]);
    if (before && canonicalJson(before[collection.property] ?? []) === canonicalJson(after[collection.property] ?? [])) continue;
    const live = before ? await liveSetItems(ctx, descriptor, collection, id) : [];
    const wanted = new Map<string, JsonObject>();
    for (const item of desiredItems) {
      const body = toGraphNestedItem(descriptor, collection.property, item, ctx.index);
      wanted.set(collection.identity(body), body);
    }
    const kept = new Set<string>();
    const removed: string[] = [];
    for (const item of live) {
      const identity = collection.identity(item);
      if (wanted.has(identity) && !kept.has(identity)) kept.add(identity);
      else if (typeof item.id === "string") removed.push(item.id);
    }
    const remove = async (): Promise<void> => {
      for (const itemId of removed) {
        sent++;
        await withReplicationRetry(() => ctx.gateway.delete(collection.itemPath(id, itemId), { ...versionOf(descriptor), ignoreMissing: true }), repeatable(ctx));
      }
    };
    if (!collection.addFirst) await remove();
    // Every added item's body is built (and refused) before the first write of this collection.
    const added: JsonObject[] = [];
    for (const [identity, body] of wanted) if (!kept.has(identity)) added.push(collection.createBody ? await collection.createBody(body, id, setReader(ctx, descriptor)) : body);
    for (const body of added) {
      sent++;
      await ctx.gateway.post(collection.collectionPath(id), body, versionOf(descriptor));
    }
    if (collection.addFirst) await remove();
  }
  return sent;
}

/** The live items of a set collection: its own list, or the parent read with `expandedQuery`. */
async function liveSetItems(ctx: WriteContext, descriptor: KindDescriptor, collection: SetCollection, id: string): Promise<JsonObject[]> {
  if (collection.expandedQuery) {
    const parent = await ctx.gateway.get(descriptor.itemPath(id), { ...versionOf(descriptor), query: collection.expandedQuery });
    return asObjects(parent?.[collection.property]);
  }
  const listed = await ctx.gateway.get(collection.collectionPath(id), versionOf(descriptor));
  return asObjects(isJsonObject(listed) ? listed.value : undefined);
}

/** The reads a set collection's `createBody` may make, in the kind's API version. */
function setReader(ctx: WriteContext, descriptor: KindDescriptor): SetCollectionReader {
  return {
    get: (path, query) => ctx.gateway.get(path, { ...versionOf(descriptor), ...(query ? { query } : {}) }),
    list: (path, query) => ctx.gateway.list(path, { ...versionOf(descriptor), ...(query ? { query } : {}) }),
  };
}

/** An item's default with its lists emptied: a list the document's item leaves out is empty (documents cannot hold `[]`). */
function withEmptyLists(item: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(item)) out[key] = Array.isArray(value) ? [] : value;
  return out;
}

function asObjects(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter((v): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v)) : [];
}
