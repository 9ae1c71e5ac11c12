import { randomUUID } from "node:crypto";
import type { Entity } from "./entity.js";
import { clone } from "./entity.js";

/** A soft-deleted object waiting in a recycle bin ("directory", or a policy bin). */
export interface BinEntry {
  collection: string;
  entity: Entity;
  deletedAtMs: number;
}

/** One change, for delta queries: an object written or removed, or a link added or removed. */
export type ChangeRecord =
  /** `props`: the properties a write changed (absent: the object was created or restored). */
  | { seq: number; collection: string; id: string; kind: "upsert"; props?: string[] }
  | { seq: number; collection: string; id: string; kind: "removed"; reason: "changed" | "deleted" }
  | { seq: number; collection: string; id: string; kind: "link"; relation: string; targetId: string; added: boolean };

function addToIndex(index: Map<string, Set<string>>, entity: Entity, property: string): void {
  const value = entity[property];
  if (typeof value !== "string") return;
  const key = value.toLowerCase();
  let ids = index.get(key);
  if (!ids) {
    ids = new Set();
    index.set(key, ids);
  }
  ids.add(entity.id.toLowerCase());
}

/** Top-level properties whose value differs between two versions of an object (removed ones included). */
function changedProperties(before: Entity, after: Entity): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key])).sort();
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface EntityMeta {
  createdAtMs: number;
  /** Remaining reads that will not see the object yet (replication delay by count). */
  hiddenReads: number;
}

export interface StoreState {
  version: 1;
  seq: number;
  collections: Record<string, Entity[]>;
  links: Record<string, Record<string, string[]>>;
  bins: Record<string, BinEntry[]>;
  internal: Record<string, Record<string, unknown>>;
  changes: ChangeRecord[];
}

/**
 * The tenant's in-memory state: collections of entities keyed by id, relations ("links", e.g.
 * group members), recycle bins, sandbox-internal data never returned by Graph (passwords, secret
 * texts), and the change log that delta queries read. Everything here is JSON-serializable.
 */
export class Store {
  private seq = 0;
  private readonly collections = new Map<string, Map<string, Entity>>();
  private readonly links = new Map<string, Map<string, Set<string>>>();
  private readonly bins = new Map<string, Map<string, BinEntry>>();
  private readonly internal = new Map<string, Record<string, unknown>>();
  private readonly meta = new Map<string, EntityMeta>();
  /** Secondary indexes: collection → property → lower-cased value → ids. Built on first lookup. */
  private readonly indexes = new Map<string, Map<string, Map<string, Set<string>>>>();
  /** Sorted id lists per collection, dropped when an object is added or removed. */
  private readonly sorted = new Map<string, Entity[]>();
  private readonly versions = new Map<string, number>();
  private changes: ChangeRecord[] = [];

  newId(): string {
    return randomUUID();
  }

  collection(name: string): Map<string, Entity> {
    let map = this.collections.get(name);
    if (!map) {
      map = new Map();
      this.collections.set(name, map);
    }
    return map;
  }

  get(collection: string, id: string): Entity | undefined {
    return this.collection(collection).get(id.toLowerCase());
  }

  list(collection: string): Entity[] {
    return [...this.collection(collection).values()];
  }

  /** Objects ordered by id (cached until an object is added or removed). */
  listSorted(collection: string): readonly Entity[] {
    let list = this.sorted.get(collection);
    if (!list) {
      list = [...this.collection(collection).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.sorted.set(collection, list);
    }
    return list;
  }

  /** Replace an object in the cached id order (same id, new object). */
  private replaceSorted(collection: string, entity: Entity): void {
    const list = this.sorted.get(collection);
    if (!list) return;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const id = list[mid]?.id ?? "";
      if (id === entity.id) {
        list[mid] = entity;
        return;
      }
      if (id < entity.id) lo = mid + 1;
      else hi = mid - 1;
    }
    this.sorted.delete(collection);
  }

  /** Changes whenever an object of the collection is written or removed (for caches). */
  version(collection: string): number {
    return this.versions.get(collection) ?? 0;
  }

  private bump(collection: string): void {
    this.versions.set(collection, this.version(collection) + 1);
  }

  /** Objects whose `property` equals `value` (case-insensitive), through a maintained index. */
  lookup(collection: string, property: string, value: string): Entity[] {
    let byProperty = this.indexes.get(collection);
    if (!byProperty) {
      byProperty = new Map();
      this.indexes.set(collection, byProperty);
    }
    let index = byProperty.get(property);
    if (!index) {
      index = new Map();
      byProperty.set(property, index);
      for (const entity of this.collection(collection).values()) addToIndex(index, entity, property);
    }
    const map = this.collection(collection);
    return [...(index.get(value.toLowerCase()) ?? [])].map((id) => map.get(id)).filter((e): e is Entity => e !== undefined);
  }

  private index(collection: string, entity: Entity): void {
    for (const [property, index] of this.indexes.get(collection) ?? []) addToIndex(index, entity, property);
  }

  private unindex(collection: string, entity: Entity): void {
    for (const [property, index] of this.indexes.get(collection) ?? []) {
      const value = entity[property];
      if (typeof value === "string") index.get(value.toLowerCase())?.delete(entity.id.toLowerCase());
    }
  }

  /** Find an object by id in any collection (directory objects share one id space). */
  findAnywhere(id: string, collections: readonly string[]): { collection: string; entity: Entity } | undefined {
    for (const collection of collections) {
      const entity = this.get(collection, id);
      if (entity) return { collection, entity };
    }
    return undefined;
  }

  put(collection: string, entity: Entity): void {
    const map = this.collection(collection);
    const key = entity.id.toLowerCase();
    const previous = map.get(key);
    if (previous) this.unindex(collection, previous);
    else this.sorted.delete(collection);
    map.set(key, entity);
    if (previous) this.replaceSorted(collection, entity);
    this.index(collection, entity);
    this.bump(collection);
    this.recordChange({ collection, id: entity.id, kind: "upsert", ...(previous ? { props: changedProperties(previous, entity) } : {}) });
  }

  /** Write an object that delta queries do not track (e.g. audit entries). */
  putUntracked(collection: string, entity: Entity): void {
    const map = this.collection(collection);
    const previous = map.get(entity.id.toLowerCase());
    if (previous) this.unindex(collection, previous);
    else this.sorted.delete(collection);
    map.set(entity.id.toLowerCase(), entity);
    if (previous) this.replaceSorted(collection, entity);
    this.index(collection, entity);
    this.bump(collection);
  }

  remove(collection: string, id: string, reason: "changed" | "deleted"): Entity | undefined {
    const map = this.collection(collection);
    const entity = map.get(id.toLowerCase());
    if (!entity) return undefined;
    map.delete(id.toLowerCase());
    this.unindex(collection, entity);
    this.sorted.delete(collection);
    this.bump(collection);
    this.recordChange({ collection, id: entity.id, kind: "removed", reason });
    return entity;
  }

  /** Record a permanent removal of an object that is no longer in its collection (e.g. purged from a bin). */
  logRemoved(collection: string, id: string, reason: "changed" | "deleted"): void {
    this.recordChange({ collection, id, kind: "removed", reason });
  }

  // ---- links (relations such as group members) ----

  linkTargets(relation: string, sourceId: string): string[] {
    return [...(this.links.get(relation)?.get(sourceId.toLowerCase()) ?? [])];
  }

  hasLink(relation: string, sourceId: string, targetId: string): boolean {
    return this.links.get(relation)?.get(sourceId.toLowerCase())?.has(targetId.toLowerCase()) ?? false;
  }

  addLink(relation: string, sourceId: string, targetId: string, collection: string): void {
    let rel = this.links.get(relation);
    if (!rel) {
      rel = new Map();
      this.links.set(relation, rel);
    }
    let targets = rel.get(sourceId.toLowerCase());
    if (!targets) {
      targets = new Set();
      rel.set(sourceId.toLowerCase(), targets);
    }
    targets.add(targetId.toLowerCase());
    this.recordChange({ collection, id: sourceId, kind: "link", relation, targetId, added: true });
  }

  removeLink(relation: string, sourceId: string, targetId: string, collection: string): boolean {
    const removed = this.links.get(relation)?.get(sourceId.toLowerCase())?.delete(targetId.toLowerCase()) ?? false;
    if (removed) this.recordChange({ collection, id: sourceId, kind: "link", relation, targetId, added: false });
    return removed;
  }

  /** Sources that link to `targetId` through `relation` (e.g. the groups a user is a member of). */
  linkSources(relation: string, targetId: string): string[] {
    const out: string[] = [];
    for (const [source, targets] of this.links.get(relation) ?? []) {
      if (targets.has(targetId.toLowerCase())) out.push(source);
    }
    return out;
  }

  /** Forget every link from or to an object (permanent deletion). */
  dropLinksOf(id: string): void {
    const key = id.toLowerCase();
    for (const rel of this.links.values()) {
      rel.delete(key);
      for (const targets of rel.values()) targets.delete(key);
    }
  }

  // ---- recycle bins ----

  bin(name: string): Map<string, BinEntry> {
    let bin = this.bins.get(name);
    if (!bin) {
      bin = new Map();
      this.bins.set(name, bin);
    }
    return bin;
  }

  // ---- sandbox-internal data (passwords, secret texts, certificates) ----

  internalOf(id: string): Record<string, unknown> {
    let data = this.internal.get(id.toLowerCase());
    if (!data) {
      data = {};
      this.internal.set(id.toLowerCase(), data);
    }
    return data;
  }

  peekInternal(id: string): Record<string, unknown> | undefined {
    return this.internal.get(id.toLowerCase());
  }

  dropInternal(id: string): void {
    this.internal.delete(id.toLowerCase());
  }

  // ---- replication metadata ----

  markCreated(id: string, nowMs: number, hiddenReads: number): void {
    this.meta.set(id.toLowerCase(), { createdAtMs: nowMs, hiddenReads });
  }

  metaOf(id: string): EntityMeta | undefined {
    return this.meta.get(id.toLowerCase());
  }

  // ---- change log for delta ----

  currentSeq(): number {
    return this.seq;
  }

  private recordChange(change: DistributiveOmit<ChangeRecord, "seq">): void {
    this.seq += 1;
    this.changes.push({ ...change, seq: this.seq });
  }

  changesSince(seq: number, collection: string): ChangeRecord[] {
    // Sequence numbers grow: find the first later change by bisection, not by a scan of the whole log.
    let low = 0;
    let high = this.changes.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.changes[mid]?.seq ?? 0) <= seq) low = mid + 1;
      else high = mid;
    }
    const out: ChangeRecord[] = [];
    for (let i = low; i < this.changes.length; i++) {
      const change = this.changes[i] as ChangeRecord;
      if (change.collection === collection) out.push(change);
    }
    return out;
  }

  // ---- persistence ----

  exportState(): StoreState {
    const collections: Record<string, Entity[]> = {};
    for (const [name, map] of this.collections) collections[name] = [...map.values()].map(clone);
    const links: Record<string, Record<string, string[]>> = {};
    for (const [relation, rel] of this.links) {
      const out: Record<string, string[]> = {};
      for (const [source, targets] of rel) if (targets.size > 0) out[source] = [...targets];
      links[relation] = out;
    }
    const bins: Record<string, BinEntry[]> = {};
    for (const [name, bin] of this.bins) bins[name] = [...bin.values()].map(clone);
    const internal: Record<string, Record<string, unknown>> = {};
    for (const [id, data] of this.internal) internal[id] = clone(data);
    return { version: 1, seq: this.seq, collections, links, bins, internal, changes: clone(this.changes) };
  }

  importState(state: StoreState): void {
    if (state.version !== 1) throw new Error(`unsupported sandbox state version ${String(state.version)}`);
    this.collections.clear();
    this.links.clear();
    this.bins.clear();
    this.internal.clear();
    this.meta.clear();
    this.indexes.clear();
    this.sorted.clear();
    this.versions.clear();
    this.seq = state.seq;
    for (const [name, entities] of Object.entries(state.collections)) {
      const map = this.collection(name);
      for (const entity of entities) map.set(entity.id.toLowerCase(), clone(entity));
    }
    for (const [relation, rel] of Object.entries(state.links)) {
      const map = new Map<string, Set<string>>();
      for (const [source, targets] of Object.entries(rel)) map.set(source, new Set(targets));
      this.links.set(relation, map);
    }
    for (const [name, entries] of Object.entries(state.bins)) {
      const bin = this.bin(name);
      for (const entry of entries) bin.set(entry.entity.id.toLowerCase(), clone(entry));
    }
    for (const [id, data] of Object.entries(state.internal)) this.internal.set(id, clone(data));
    this.changes = clone(state.changes);
  }
}
