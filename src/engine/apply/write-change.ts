import type { JsonObject, JsonValue } from "../../documents/types.js";
import { PREFIX_KIND } from "../../documents/references.js";
import type { GraphGateway } from "../../graph/types.js";
import type { Kind } from "../../kinds/kind-names.js";
import { stableStringify } from "../../kinds/paths.js";
import { relationshipTargets, toGraph, toGraphNestedItem } from "../../kinds/toGraph.js";
import type { KindDescriptor, ReferencePrefix } from "../../kinds/types.js";
import type { CreateChange, DeleteChange, RestoreChange, UpdateChange } from "../plan/types.js";
import type { DirectoryIndex } from "../snapshot/directory-index.js";
import { postCreate } from "./create-once.js";
import { writeRelationships } from "./relationships.js";
import { withReplicationRetry } from "./replication.js";
import type { RetryOptions } from "./replication.js";

export interface WriteContext {
  gateway: GraphGateway;
  index: DirectoryIndex;
  graphRoot: string;
  retry: RetryOptions;
  /** Ids and appIds created in this run (the same set as `retry.recentIds`). */
  created?: Set<string>;
}

const PREFIX_OF_KIND = new Map<Kind, ReferencePrefix>(
  (Object.entries(PREFIX_KIND) as [ReferencePrefix, Kind | undefined][])
    .filter((entry): entry is [ReferencePrefix, Kind] => entry[1] !== undefined)
    .map(([prefix, kind]) => [kind, prefix]),
);

function pathOf(descriptor: KindDescriptor, id: string): string {
  return descriptor.singleton ? descriptor.collectionPath : descriptor.itemPath(id);
}

/** The retry options for a write that is safe to repeat (PATCH of absolute values, DELETE). */
function repeatable(ctx: WriteContext): RetryOptions {
  return { ...ctx.retry, idempotent: true };
}

function versionOf(descriptor: KindDescriptor): { version: KindDescriptor["apiVersion"] } {
  return { version: descriptor.apiVersion };
}

/** Remember a new object's id so later changes in the same run can reference it by name. */
function remember(ctx: WriteContext, descriptor: KindDescriptor, name: string, id: string, body: JsonObject, spec: JsonObject): void {
  ctx.created?.add(id.toLowerCase());
  if (typeof body.appId === "string") ctx.created?.add(body.appId.toLowerCase());
  const prefix = PREFIX_OF_KIND.get(descriptor.kind);
  if (!prefix) return;
  if (descriptor.kind === "user") {
    const upn = typeof spec.userPrincipalName === "string" ? spec.userPrincipalName : undefined;
    if (upn) ctx.index.addUser(id, upn);
    return;
  }
  ctx.index.add(prefix, name, id, typeof body.appId === "string" ? body.appId : undefined);
}

async function writeExtras(
  ctx: WriteContext,
  descriptor: KindDescriptor,
  id: string,
  after: JsonObject,
  before: JsonObject | undefined,
): Promise<void> {
  for (const action of descriptor.propertyActions ?? []) {
    const value = after[action.property];
    if (value === undefined || (before && stableStringify(before[action.property] ?? null) === stableStringify(value))) continue;
    const body = action.body(value);
    const path = action.path(id);
    if (action.method === "POST") await ctx.gateway.post(path, body, versionOf(descriptor));
    else if (action.method === "PATCH") await withReplicationRetry(() => ctx.gateway.patch(path, body, versionOf(descriptor)), repeatable(ctx));
    else await withReplicationRetry(() => ctx.gateway.put(path, body, versionOf(descriptor)), repeatable(ctx));
  }
  for (const nested of descriptor.nestedCollections ?? []) {
    const items = after[nested.property];
    if (!Array.isArray(items)) continue;
    const old = new Map<string, string>();
    for (const item of asObjects(before?.[nested.property])) old.set(String(item[nested.key]), stableStringify(item));
    for (const item of asObjects(items)) {
      const key = String(item[nested.key]);
      if (old.get(key) === stableStringify(item)) continue;
      // The item's references (group:NAME in includeTargets) go to Graph as ids.
      const itemBody = toGraphNestedItem(descriptor, nested.property, item, ctx.index);
      await withReplicationRetry(() => ctx.gateway.patch(nested.itemPath(id, key), itemBody, versionOf(descriptor)), repeatable(ctx));
    }
  }
}

function asObjects(value: JsonValue | undefined): JsonObject[] {
  return Array.isArray(value) ? value.filter((v): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v)) : [];
}

export async function applyCreate(ctx: WriteContext, descriptor: KindDescriptor, change: CreateChange): Promise<string> {
  const body = toGraph(descriptor, change.after, ctx.index, "create");
  if (descriptor.singleton) {
    await withReplicationRetry(() => ctx.gateway.patch(descriptor.collectionPath, body, versionOf(descriptor)), repeatable(ctx));
    await writeExtras(ctx, descriptor, descriptor.kind, change.after, undefined);
    return descriptor.kind;
  }
  if (descriptor.createByPatch) return createByPatch(ctx, descriptor, change, body);
  const created = await postCreate(ctx, descriptor, change.after, body);
  const rawId = created[descriptor.idProperty ?? "id"];
  if (typeof rawId !== "string") throw new Error(`Graph created ${change.address} but returned no id`);
  remember(ctx, descriptor, change.name, rawId, created, change.after);
  const targets = relationshipTargets(descriptor, change.after, ctx.index);
  await writeRelationships(ctx.gateway, descriptor, rawId, targets, {}, ctx.graphRoot, ctx.retry);
  await writeExtras(ctx, descriptor, rawId, change.after, undefined);
  return rawId;
}

/** Upsert on the item path with the administrator-chosen id (the id itself is not a writable property). */
async function createByPatch(ctx: WriteContext, descriptor: KindDescriptor, change: CreateChange, body: JsonObject): Promise<string> {
  const id = change.after[descriptor.naturalKey];
  if (typeof id !== "string" || id === "") throw new Error(`${change.address} needs ${descriptor.naturalKey} to be created`);
  const { [descriptor.naturalKey]: _key, ...properties } = body;
  await withReplicationRetry(() => ctx.gateway.patch(descriptor.itemPath(id), properties, versionOf(descriptor)), repeatable(ctx));
  remember(ctx, descriptor, change.name, id, { id }, change.after);
  await writeExtras(ctx, descriptor, id, change.after, undefined);
  return id;
}

export async function applyUpdate(ctx: WriteContext, descriptor: KindDescriptor, change: UpdateChange | RestoreChange, before: JsonObject): Promise<void> {
  const body = toGraph(descriptor, change.after, ctx.index, "update", { actual: before });
  const path = pathOf(descriptor, change.id);
  // Some changes need an intermediate state first (an app role must be disabled before removal).
  const staged = Object.keys(body).length > 0 ? descriptor.stagedUpdate?.(body, before) : undefined;
  if (staged) await withReplicationRetry(() => ctx.gateway.patch(path, staged, versionOf(descriptor)), repeatable(ctx));
  if (Object.keys(body).length > 0) {
    await withReplicationRetry(() => ctx.gateway.patch(path, body, versionOf(descriptor)), repeatable(ctx));
  }
  if ((descriptor.relationships ?? []).length > 0) {
    const desired = relationshipTargets(descriptor, change.after, ctx.index);
    const actual = relationshipTargets(descriptor, before, ctx.index);
    await writeRelationships(ctx.gateway, descriptor, change.id, desired, actual, ctx.graphRoot, ctx.retry);
  }
  await writeExtras(ctx, descriptor, change.id, change.after, before);
}

/**
 * A create-only field changed (and re-creating was allowed): delete the object, then create it from
 * the document. The object gets a new id; later changes in this run resolve its name to that id.
 */
export async function applyReplace(ctx: WriteContext, descriptor: KindDescriptor, change: UpdateChange): Promise<string> {
  if (descriptor.singleton) throw new Error(`${change.address} exists once per tenant and cannot be re-created`);
  await applyDelete(ctx, descriptor, { ...change, action: "delete" });
  const { address, kind, name, dependsOn, references, notes, after } = change;
  return applyCreate(ctx, descriptor, { action: "create", address, kind, name, dependsOn, references, notes, after });
}

export async function applyDelete(ctx: WriteContext, descriptor: KindDescriptor, change: DeleteChange): Promise<void> {
  await withReplicationRetry(() => ctx.gateway.delete(pathOf(descriptor, change.id), { ...versionOf(descriptor), ignoreMissing: true }), { ...repeatable(ctx), attempts: 4 });
}

/** Soft-delete restore keeps the id (GRAPH-FACTS §8); then the document's differences are written. */
export async function applyRestore(ctx: WriteContext, descriptor: KindDescriptor, change: RestoreChange): Promise<void> {
  const softDelete = descriptor.softDelete;
  if (!softDelete) throw new Error(`${descriptor.title} objects cannot be restored`);
  const restored = await ctx.gateway.post(softDelete.restorePath(change.id), {}, { version: softDelete.apiVersion ?? descriptor.apiVersion });
  remember(ctx, descriptor, change.name, change.id, restored, change.after);
  if (change.fields.length > 0 || (descriptor.relationships ?? []).length > 0) {
    await applyUpdate(ctx, descriptor, change, change.before ?? {});
  }
}
