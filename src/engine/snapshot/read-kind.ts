import type { JsonObject, JsonValue } from "../../model/document.js";
import type { BatchGet, BatchResult, GraphGateway } from "../../graph/types.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { LinkCompanion } from "../../kinds/descriptor-read.js";
import type { Kind } from "../../model/kind.js";
import { liveIdOf } from "../../kinds/object-paths.js";
import { readChildren, readScoped } from "./read-children.js";

/** One live object as Graph returned it, with its relationships read as id lists. */
export interface RawObject {
  id: string;
  /** The Graph object; relationship properties (`members`, `owners`) hold the related ids. */
  body: JsonObject;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function idOf(descriptor: KindDescriptor, body: JsonObject): string | undefined {
  return liveIdOf(descriptor, body);
}

/**
 * Collections whose documented maximum page size is 999 (docs/graph-behaviour.md §1; 100 by default): asking
 * for it cuts the list requests tenfold. Others keep the service's default page size.
 */
const MAX_PAGE_SIZE: ReadonlyMap<string, number> = new Map([
  ["/users", 999],
  ["/groups", 999],
  ["/applications", 999],
  ["/servicePrincipals", 999],
]);

/** The query for listing a kind: its `listQuery`, plus the largest page the collection allows. */
export function listQueryOf(descriptor: KindDescriptor): Record<string, string> | undefined {
  const query: Record<string, string> = { ...descriptor.listQuery };
  const top = descriptor.singleton ? undefined : MAX_PAGE_SIZE.get(descriptor.collectionPath);
  if (top !== undefined && query.$top === undefined) query.$top = String(top);
  return Object.keys(query).length > 0 ? query : undefined;
}

/** The kind's companion items by the lower-cased id of the object each belongs to; undefined when it has none. */
async function companionItems(gateway: GraphGateway, descriptor: KindDescriptor): Promise<Map<string, JsonObject> | undefined> {
  const companion = descriptor.companion;
  if (!companion) return undefined;
  const items = await gateway.list(companion.path, { version: descriptor.apiVersion, query: { ...companion.query } });
  const byId = new Map<string, JsonObject>();
  for (const item of items) {
    const id = item[companion.idProperty];
    if (typeof id === "string") byId.set(id.toLowerCase(), item);
  }
  return byId;
}

/** The listed objects completed by their companion items, without those it drops. */
function withCompanions(descriptor: KindDescriptor, bodies: JsonObject[], items: Map<string, JsonObject> | undefined): JsonObject[] {
  const companion = descriptor.companion;
  if (!companion || !items) return bodies;
  const out: JsonObject[] = [];
  for (const body of bodies) {
    const merged = companion.merge(body, items.get(String(idOf(descriptor, body) ?? "").toLowerCase()));
    if (merged) out.push(merged);
  }
  return out;
}

/** One object read on its own (a read-back after a write), completed by its companion item like a list read. */
export async function completeObject(gateway: GraphGateway, descriptor: KindDescriptor, body: JsonObject | undefined): Promise<JsonObject | undefined> {
  if (!body || !descriptor.companion) return body;
  return withCompanions(descriptor, [body], await companionItems(gateway, descriptor))[0];
}

/** Hooks of `readKind`, e.g. for an export that writes documents while the read goes on. */
export interface ReadHooks {
  /** The kind's objects as listed, before their relationships are read. */
  onListed?: (objects: readonly RawObject[]) => void;
  /** One object whose relationships are all read (only for kinds with relationships). */
  onObject?: (object: RawObject) => void;
}

/**
 * The singleton as Graph returns it: a GET of its path, or the one item of its collection for a
 * `listedSingleton` (the organization, `GET /organization`).
 */
export async function readSingleton(gateway: GraphGateway, descriptor: KindDescriptor, options: { version: KindDescriptor["apiVersion"]; query?: Record<string, string> }): Promise<JsonObject | undefined> {
  if (!descriptor.listedSingleton) return gateway.get(descriptor.collectionPath, options);
  return (await gateway.list(descriptor.collectionPath, options))[0];
}

/** Where a singleton is written: its path, or a listed singleton's item path (its id listed first). */
export async function singletonWritePath(gateway: GraphGateway, descriptor: KindDescriptor): Promise<string> {
  if (!descriptor.listedSingleton) return descriptor.collectionPath;
  const live = await readSingleton(gateway, descriptor, { version: descriptor.apiVersion, query: { $select: "id" } });
  const id = live?.id;
  if (typeof id !== "string" || id === "") throw new Error(`${descriptor.kind}: ${descriptor.collectionPath} listed no object to write`);
  return descriptor.itemPath(id);
}

/** Whether a kind's objects come from one plain list of its collection (what `listKind` asks for). */
export function listsPlainly(descriptor: KindDescriptor): boolean {
  return !descriptor.singleton && !descriptor.parent && !descriptor.scopedList;
}

/** The objects of a kind read by a plain list (`listsPlainly`): its collection, completed by its companion items. */
export async function listKind(gateway: GraphGateway, descriptor: KindDescriptor): Promise<JsonObject[]> {
  const query = listQueryOf(descriptor);
  const options = { version: descriptor.apiVersion, ...(query ? { query } : {}) };
  const [listed, items] = await Promise.all([gateway.list(descriptor.collectionPath, options), companionItems(gateway, descriptor)]);
  return withCompanions(descriptor, listed, items);
}

/**
 * Reads every object of one kind (or the singleton), then its relationships. `listed`: the kind's
 * `listKind`, asked for already (an export lists the next kind while this one is read). `scope`:
 * the kinds read with it (its `linkCompanion` is read when it names one of them).
 */
export async function readKind(gateway: GraphGateway, descriptor: KindDescriptor, hooks: ReadHooks = {}, listed?: Promise<JsonObject[]>, scope: ReadonlySet<Kind> = new Set()): Promise<RawObject[]> {
  const query = listQueryOf(descriptor);
  const options = { version: descriptor.apiVersion, ...(query ? { query } : {}) };
  let bodies: JsonObject[];
  if (descriptor.singleton) {
    const body = await readSingleton(gateway, descriptor, options);
    bodies = body ? [body] : [];
  } else if (descriptor.parent) {
    bodies = await readChildren(gateway, descriptor, MAX_PAGE_SIZE.get(descriptor.parent.collectionPath));
  } else if (descriptor.scopedList) {
    bodies = await readScoped(gateway, descriptor, MAX_PAGE_SIZE.get(descriptor.scopedList.collectionPath));
  } else {
    bodies = await (listed ?? listKind(gateway, descriptor));
  }
  const objects = bodies
    .filter((body) => descriptor.isManaged?.(body) ?? true)
    .map((body) => ({ id: idOf(descriptor, body) ?? descriptor.kind, body: { ...body } }));
  hooks.onListed?.(objects);
  await readRelationships(gateway, descriptor, objects, hooks.onObject, scope);
  return objects;
}

/** The kind's link companion when a kind it names is in scope. */
function linkCompanionIn(descriptor: KindDescriptor, scope: ReadonlySet<Kind>): LinkCompanion | undefined {
  const companion = descriptor.linkCompanion;
  return companion && companion.kinds.some((kind) => scope.has(kind)) ? companion : undefined;
}

/** The object's relationships without the links its companion items hold (ids compared case-insensitively). */
function withoutHeldLinks(object: RawObject, companion: LinkCompanion, items: readonly JsonValue[], scope: ReadonlySet<Kind>): void {
  for (const item of items) {
    if (!isObject(item)) continue;
    const held = companion.held(item, scope);
    const links = held ? object.body[held.property] : undefined;
    if (!held || !Array.isArray(links)) continue;
    object.body[held.property] = links.filter((id) => typeof id !== "string" || id.toLowerCase() !== held.id.toLowerCase());
  }
}

/**
 * Members and owners: the first page (999 ids) of every object's relationships through `$batch`
 * (20 a request), then the `@odata.nextLink` pages of the long ones, each chain in order but the
 * chains side by side (the gateway's limiter bounds the concurrency). Never `$expand`, which stops
 * at 20 items. Each object goes to `onObject` as soon as all its relationships are read; a failed
 * item fails the whole read (after the batch), and its object is never handed over.
 */
async function readRelationships(gateway: GraphGateway, descriptor: KindDescriptor, objects: RawObject[], onObject?: (object: RawObject) => void, scope: ReadonlySet<Kind> = new Set()): Promise<void> {
  const relationships = descriptor.relationships ?? [];
  if (relationships.length === 0 || objects.length === 0) return;
  const companion = linkCompanionIn(descriptor, scope);
  const requests: BatchGet[] = [];
  const targets = new Map<string, { object: RawObject; property: string }>();
  /** Relationship reads still open per object. */
  const open = new Map<RawObject, number>();
  /** Each object's link companion items, taken out of its relationships once all are read. */
  const held = new Map<RawObject, JsonValue[]>();
  for (const object of objects) {
    const asked = companion !== undefined && (companion.includes?.(object.body) ?? true);
    open.set(object, relationships.length + (asked ? 1 : 0));
    for (const relationship of relationships) {
      const id = `${requests.length}`;
      requests.push({
        id,
        path: `${descriptor.itemPath(object.id)}/${relationship.segment}`,
        options: { version: descriptor.apiVersion, query: { $select: "id", $top: "999" } },
      });
      targets.set(id, { object, property: relationship.property });
    }
    if (companion && asked) {
      const id = `${requests.length}`;
      requests.push({ id, path: companion.path, options: { version: descriptor.apiVersion, query: { $filter: companion.filter(object.id), $select: companion.select } } });
      targets.set(id, { object, property: HELD });
    }
  }
  let failed = false;
  const done = (object: RawObject): void => {
    const left = (open.get(object) ?? 1) - 1;
    open.set(object, left);
    if (left !== 0) return;
    if (companion) withoutHeldLinks(object, companion, held.get(object) ?? [], scope);
    if (!failed) onObject?.(object);
  };
  const store = (target: { object: RawObject; property: string }, items: JsonValue[]): void => {
    if (target.property === HELD) held.set(target.object, items);
    else target.object.body[target.property] = idsOf(items);
  };
  const pending: Promise<void>[] = [];
  const accept = (result: BatchResult): void => {
    const target = targets.get(result.id);
    if (!target || failed) return;
    if (!result.ok) {
      failed = true;
      return;
    }
    const page = isObject(result.value) ? result.value : {};
    const items: JsonValue[] = Array.isArray(page.value) ? [...page.value] : [];
    const next = page["@odata.nextLink"];
    store(target, items);
    if (typeof next !== "string") return done(target.object);
    pending.push(
      gateway.list(next, { version: descriptor.apiVersion }).then((rest) => {
        store(target, [...items, ...rest]);
        done(target.object);
      }),
    );
  };
  const results = await gateway.batchGet(requests, { onResult: accept });
  // The first failure in request order (a result never settled stays "not sent").
  for (const [id, target] of targets) {
    const result = results.get(id);
    const reason = !result ? "no batch answer" : result.ok ? undefined : `${result.status} ${result.code} ${result.message}`;
    if (reason === undefined) continue;
    failed = true;
    await Promise.allSettled(pending);
    const what = target.property === HELD ? companion?.path ?? HELD : target.property;
    throw new Error(result ? `reading ${what} of ${descriptor.kind} ${target.object.id}: ${reason}` : `no batch answer for ${what} of ${descriptor.kind} ${target.object.id}`);
  }
  await Promise.all(pending);
}

/** The target property of a link companion request (never a relationship's name). */
const HELD = "\u0000held";

function idsOf(items: readonly JsonValue[]): string[] {
  return items
    .map((item) => (isObject(item) && typeof item.id === "string" ? item.id : undefined))
    .filter((item): item is string => item !== undefined);
}

/** Ids a `$filter=id in (…)` list asks for at once (docs/graph-behaviour.md §2: 15 values). */
const IDS_PER_FILTER = 15;

/**
 * Some objects of one kind by id (an incremental read, README "Incremental sync"): listed with
 * `$filter=id in (…)`, 15 ids a request, with the kind's `$select`, then their relationships as a
 * full read reads them. Lists show new objects at once, where a GET by id can still answer 404
 * during replication (docs/graph-behaviour.md §6). Ids that no longer exist are simply absent.
 */
export async function readObjectsById(gateway: GraphGateway, descriptor: KindDescriptor, ids: readonly string[], scope: ReadonlySet<Kind> = new Set()): Promise<RawObject[]> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))].sort();
  const select = descriptor.listQuery?.$select;
  const bodies: JsonObject[] = [];
  const pages: Promise<JsonObject[]>[] = [];
  for (let start = 0; start < unique.length; start += IDS_PER_FILTER) {
    const chunk = unique.slice(start, start + IDS_PER_FILTER);
    const query: Record<string, string> = { $filter: `id in (${chunk.map((id) => `'${id}'`).join(",")})` };
    if (select !== undefined) query.$select = select;
    pages.push(gateway.list(descriptor.collectionPath, { version: descriptor.apiVersion, query }));
  }
  const items = companionItems(gateway, descriptor);
  for (const page of await Promise.all(pages)) bodies.push(...page);
  const objects = withCompanions(descriptor, bodies, await items)
    .filter((body) => descriptor.isManaged?.(body) ?? true)
    .map((body) => ({ id: idOf(descriptor, body) ?? descriptor.kind, body: { ...body } }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await readRelationships(gateway, descriptor, objects, undefined, scope);
  return objects;
}
