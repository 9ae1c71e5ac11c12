/**
 * One change of the plan written to Graph (ARCHITECTURE.md "Apply"): create (POST, upsert by
 * PATCH/PUT, or a schedule request), update (changed properties, links, then `write-extras.ts` and
 * `write-streams.ts`), replace, delete and restore. What every write shares is in `write-context.ts`.
 */
import type { JsonObject } from "../../model/document.js";
import { canonicalJson } from "../../model/json.js";
import { relationshipTargets, toGraph } from "../../kinds/toGraph.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { FixedObjects, WriteRequests } from "../../kinds/descriptor-write.js";
import { normalizeLive } from "../../kinds/normalize.js";
import { GraphError } from "../../graph/errors.js";
import { createPathOf, createsByPatch, liveIdOf } from "../../kinds/object-paths.js";
import { referenceNameOf } from "../../kinds/registry.js";
import type { CreateChange, DeleteChange, RestoreChange, UpdateChange } from "../../model/plan.js";
import type { ObjectId } from "../../model/kind.js";
import { readAttachments, withAttachmentContent } from "../attachments.js";
import { findByNaturalKey, postCreate } from "./create-once.js";
import { LinkWriteError, writeRelationships, type RelationshipContext } from "./relationships.js";
import { withReplicationRetry } from "./replication.js";
import { singletonWritePath } from "../snapshot/read-kind.js";
import { repeatable, versionOf, type WriteContext } from "./write-context.js";
import { writeExtras } from "./write-extras.js";
import { streamSourceOf, writeStreams } from "./write-streams.js";

/** Where a write of the object goes: its item path, or the singleton's (see `singletonWritePath`). */
async function pathOf(ctx: WriteContext, descriptor: KindDescriptor, id: string): Promise<string> {
  return descriptor.singleton ? singletonWritePath(ctx.gateway, descriptor) : descriptor.itemPath(id);
}

/** Remember a new object's id so later changes in the same run can reference it by name. */
function remember(ctx: WriteContext, descriptor: KindDescriptor, name: string, id: string, body: JsonObject, spec: JsonObject): void {
  ctx.created?.add(id.toLowerCase());
  if (typeof body.appId === "string") ctx.created?.add(body.appId.toLowerCase());
  const prefix = descriptor.reference?.prefix;
  const referenceName = referenceNameOf(descriptor.kind, name, spec);
  if (!prefix || referenceName === undefined) return;
  ctx.index.add(prefix, referenceName, id, typeof body.appId === "string" ? body.appId : undefined);
}

/** The relationship writer's view of the context: names for per-member messages. */
function linkContext(ctx: WriteContext): RelationshipContext {
  return {
    gateway: ctx.gateway,
    graphRoot: ctx.graphRoot,
    retry: ctx.retry,
    nameOf: (id, targets) => {
      const found = ctx.index.resolveId(id, targets, "id");
      return found && "prefix" in found ? `${found.prefix}:${found.name}` : undefined;
    },
    prefixOf: (id, targets) => {
      const found = ctx.index.resolveId(id, targets, "id");
      return found && "prefix" in found ? found.prefix : undefined;
    },
    ...(ctx.deleting ? { deleting: ctx.deleting } : {}),
  };
}

/**
 * The PATCH body of an update: only the top-level properties whose value differs from the live
 * object's (both as Graph bodies, so a reference compares as an id), including those `toGraph`
 * cleared because the document removed them. A changed complex property is sent whole, with its
 * own clears, so Graph's merge or replace semantics for complex values give the same result.
 * `@odata.type` stays (Graph needs it to tell subtypes apart, e.g. named locations). Returns `{}`
 * when no property changed. `always` (the descriptor's `alwaysWritten`) go with any change.
 */
export function changedProperties(body: JsonObject, live: JsonObject | undefined, always: readonly string[] = []): JsonObject {
  if (!live) return body;
  const out: JsonObject = {};
  let changed = false;
  for (const [key, value] of Object.entries(body)) {
    const differs = key !== "@odata.type" && (!(key in live) || canonicalJson(live[key] ?? null) !== canonicalJson(value));
    if (differs || key === "@odata.type" || always.includes(key)) out[key] = value;
    if (differs) changed = true;
  }
  return changed ? out : {};
}

/** The live object as a Graph update body, or undefined when its references cannot be resolved. */
function liveBody(ctx: WriteContext, descriptor: KindDescriptor, before: JsonObject, mode: "create" | "update" = "update"): JsonObject | undefined {
  try {
    return toGraph(descriptor, before, ctx.index, mode);
  } catch {
    return undefined; // send the whole body: correct, only larger
  }
}

/** The create body with the files kept beside the document (an agreement's PDFs), read now. */
async function withFiles(ctx: WriteContext, descriptor: KindDescriptor, change: CreateChange, body: JsonObject): Promise<JsonObject> {
  if (!descriptor.attachments) return body;
  if (!ctx.files) throw new Error(`${change.address} is created with the files beside its document, and this run has no configuration folder to read them from`);
  const read = await readAttachments(descriptor, change.name, change.after, ctx.files.configDir, ctx.files.rootDir);
  if (read.problems.length > 0) throw new Error(read.problems.join("; "));
  return withAttachmentContent(descriptor, body, read.files);
}

export async function applyCreate(ctx: WriteContext, descriptor: KindDescriptor, change: CreateChange): Promise<string> {
  if (descriptor.fixedObjects) return writeOverFixed(ctx, descriptor, descriptor.fixedObjects, change);
  const body = await withFiles(ctx, descriptor, change, toGraph(descriptor, change.after, ctx.index, "create"));
  if (descriptor.singleton) {
    const path = await singletonWritePath(ctx.gateway, descriptor);
    await withReplicationRetry(() => writeWhole(ctx, descriptor, path, body), repeatable(ctx));
    await writeExtras(ctx, descriptor, descriptor.kind, change.after, undefined);
    return descriptor.kind;
  }
  if (createsByPatch(descriptor, change.after) || descriptor.createByPut) return createByPatch(ctx, descriptor, change, body);
  if (descriptor.writeRequests && (descriptor.writeRequests.when?.(change.after) ?? true)) return createByRequest(ctx, descriptor, descriptor.writeRequests, change, body);
  const { object: created, adopted } = await postCreate(ctx, descriptor, change.after, body);
  const rawId = liveIdOf(descriptor, created);
  if (rawId === undefined) throw new Error(`Graph created ${change.address} but returned no id`);
  remember(ctx, descriptor, change.name, rawId, created, change.after);
  const targets = relationshipTargets(descriptor, change.after, ctx.index);
  // Links bound in the create body (a group with at most 20 members and owners) exist already,
  // unless the object was adopted after a lost answer: then they are written (existing ones count as done).
  const bound: Record<string, string[]> = {};
  for (const r of descriptor.relationships ?? []) if (!adopted && Array.isArray(body[`${r.property}@odata.bind`])) bound[r.property] = targets[r.property] ?? [];
  await writeRelationships(linkContext(ctx), descriptor, rawId, targets, bound);
  await writeExtras(ctx, descriptor, rawId, change.after, undefined);
  await writeStreams(ctx.gateway, descriptor, streamSourceOf(ctx), rawId, change.name, change.after, undefined);
  return rawId;
}

/**
 * The one object Graph keeps for a key (a role's PIM policy), listed with the kind's list query and
 * the descriptor's `find` clause; undefined when Graph lists none. More than one is an error.
 */
export async function findFixedObject(ctx: WriteContext, descriptor: KindDescriptor, fixed: FixedObjects, body: JsonObject): Promise<JsonObject | undefined> {
  const query: Record<string, string> = { ...descriptor.listQuery };
  const clause = fixed.find(body);
  query.$filter = query.$filter ? `${query.$filter} and ${clause}` : clause;
  const found = await ctx.gateway.list(descriptor.collectionPath, { version: descriptor.apiVersion, query });
  if (found.length > 1) throw new Error(`Graph lists ${found.length} ${descriptor.title} objects for ${clause}, expected one`);
  return found[0];
}

/**
 * A document for an object Graph keeps at its defaults (`fixedObjects`): nothing is created; the
 * object is found and the document written over it as an update from what it holds now.
 */
async function writeOverFixed(ctx: WriteContext, descriptor: KindDescriptor, fixed: FixedObjects, change: CreateChange): Promise<string> {
  const body = toGraph(descriptor, change.after, ctx.index, "create");
  const live = await findFixedObject(ctx, descriptor, fixed, body);
  const id = live ? liveIdOf(descriptor, live) : undefined;
  if (!live || id === undefined) throw new Error(`${change.address}: Graph lists no ${descriptor.title} for ${fixed.find(body)}`);
  const before = normalizeLive(descriptor, live, ctx.index).spec;
  await applyUpdate(ctx, descriptor, { ...change, action: "update", id: id as ObjectId, before, fields: [] }, before);
  return id;
}

/** Upsert on the item path with the administrator-chosen id (the id itself is not a writable property): PATCH, or PUT for `createByPut`. */
async function createByPatch(ctx: WriteContext, descriptor: KindDescriptor, change: CreateChange, body: JsonObject): Promise<string> {
  const id = change.after[descriptor.naturalKey];
  if (typeof id !== "string" || id === "") throw new Error(`${change.address} needs ${descriptor.naturalKey} to be created`);
  const { [descriptor.naturalKey]: _key, ...properties } = body;
  const path = descriptor.itemPath(id);
  if (descriptor.createByPut) await withReplicationRetry(() => ctx.gateway.put(path, properties, versionOf(descriptor)), repeatable(ctx));
  else await withReplicationRetry(() => ctx.gateway.patch(path, properties, versionOf(descriptor)), repeatable(ctx));
  remember(ctx, descriptor, change.name, id, { id }, change.after);
  await writeExtras(ctx, descriptor, id, change.after, undefined);
  await writeStreams(ctx.gateway, descriptor, streamSourceOf(ctx), id, change.name, change.after, undefined);
  return id;
}

/** The engine's id of an object found by its key (`{parentId}/{id}` under a parent). */
function liveIdOfFound(descriptor: KindDescriptor, found: JsonObject | undefined): string | undefined {
  return found ? liveIdOf(descriptor, found) : undefined;
}

/** A kind written through requests (PIM schedules): POST the create request; the new object's id comes from its answer. */
async function createByRequest(ctx: WriteContext, descriptor: KindDescriptor, requests: WriteRequests, change: CreateChange, body: JsonObject): Promise<string> {
  const { object, adopted } = await postCreate(ctx, descriptor, change.after, requests.body(body, "create"), requests.path);
  // Adopted after a lost answer: `object` is the schedule itself, found by its natural key.
  // A request's answer may name only the request (a role assignment): then the object is found by its key.
  const id = adopted ? object[descriptor.idProperty ?? "id"] : (requests.createdId(object) ?? liveIdOfFound(descriptor, await findByNaturalKey(ctx, descriptor, change.after, body, createPathOf(descriptor, body))));
  if (typeof id !== "string" || id === "") throw new Error(`Graph accepted the request for ${change.address} but named no object it made`);
  remember(ctx, descriptor, change.name, id, { id }, change.after);
  return id;
}

/**
 * An update or delete of a kind written through requests: the request carries the whole object
 * (principal, role and scope identify it; ids resolved), so it is built in create form.
 */
async function writeByRequest(ctx: WriteContext, descriptor: KindDescriptor, requests: WriteRequests, spec: JsonObject, action: "update" | "delete", id?: string): Promise<JsonObject> {
  const body = requests.body(toGraph(descriptor, spec, ctx.index, "create"), action, id);
  return withReplicationRetry(() => ctx.gateway.post(requests.path, body, versionOf(descriptor)), ctx.retry);
}

/** A whole-object write: PATCH, or PUT when the descriptor says Graph takes the whole object. */
async function writeWhole(ctx: WriteContext, descriptor: KindDescriptor, path: string, body: JsonObject): Promise<void> {
  if (descriptor.updateMethod === "PUT") await ctx.gateway.put(path, body, versionOf(descriptor));
  else await ctx.gateway.patch(path, body, versionOf(descriptor));
}

/**
 * An update Graph writes by PUT (a singleton, or an access package assignment policy): the whole
 * object, the live value of each property the document leaves out (PUT replaces, so an absent
 * property would be lost) and its create-only properties as they are (the links PUT repeats),
 * when anything changed.
 */
async function putWhole(ctx: WriteContext, descriptor: KindDescriptor, change: UpdateChange | RestoreChange, before: JsonObject): Promise<{ wroteProperties: boolean }> {
  const live = liveBody(ctx, descriptor, before) ?? {};
  const desired = toGraph(descriptor, change.after, ctx.index, "update", { actual: before });
  if (Object.keys(changedProperties(desired, live)).length === 0) return { wroteProperties: false };
  const whole = descriptor.createOnly.length > 0 ? (liveBody(ctx, descriptor, before, "create") ?? live) : live;
  const body = { ...whole, ...desired };
  const path = await pathOf(ctx, descriptor, change.id);
  await withReplicationRetry(() => writeWhole(ctx, descriptor, path, body), repeatable(ctx));
  return { wroteProperties: true };
}

/**
 * Writes what an update changes: the changed properties (one PATCH, none when only members or
 * owners changed), members and owners (see `writeRelationships`), property actions and nested
 * items. Returns whether any property was written (then the object is worth reading back).
 */
export async function applyUpdate(ctx: WriteContext, descriptor: KindDescriptor, change: UpdateChange | RestoreChange, before: JsonObject): Promise<{ wroteProperties: boolean; id?: string }> {
  if (descriptor.updateMethod === "PUT") return putWhole(ctx, descriptor, change, before);
  if (descriptor.writeRequests) {
    const answer = await writeByRequest(ctx, descriptor, descriptor.writeRequests, change.after, "update");
    // PIM for groups answers an update with a new schedule (its id ends with the request's): later reads use it.
    const moved = descriptor.writeRequests.createdId(answer);
    return { wroteProperties: true, ...(moved !== undefined && moved.toLowerCase() !== change.id.toLowerCase() ? { id: moved } : {}) };
  }
  const body = changedProperties(toGraph(descriptor, change.after, ctx.index, "update", { actual: before }), liveBody(ctx, descriptor, before), descriptor.alwaysWritten);
  const path = await pathOf(ctx, descriptor, change.id);
  // Some changes need an intermediate state first (an app role must be disabled before removal).
  const staged = Object.keys(body).length > 0 ? descriptor.stagedUpdate?.(body, before) : undefined;
  if (staged) await withReplicationRetry(() => ctx.gateway.patch(path, staged, versionOf(descriptor)), repeatable(ctx));
  if (Object.keys(body).length > 0) {
    await withReplicationRetry(() => ctx.gateway.patch(path, body, versionOf(descriptor)), repeatable(ctx));
  }
  let linkError: LinkWriteError | undefined;
  if ((descriptor.relationships ?? []).length > 0) {
    const desired = relationshipTargets(descriptor, change.after, ctx.index);
    const actual = relationshipTargets(descriptor, before, ctx.index);
    try {
      await writeRelationships(linkContext(ctx), descriptor, change.id, desired, actual);
    } catch (error) {
      if (!(error instanceof LinkWriteError)) throw error;
      linkError = error; // the other members were written; the rest of the object still is
    }
  }
  const extras = (await writeExtras(ctx, descriptor, change.id, change.after, before)) + (await writeStreams(ctx.gateway, descriptor, streamSourceOf(ctx), change.id, change.name, change.after, before));
  if (linkError) throw linkError;
  return { wroteProperties: Object.keys(body).length > 0 || extras > 0 };
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
  const fixed = descriptor.fixedObjects;
  if (fixed) {
    // Graph keeps the object: its defaults are written back instead.
    const { address, kind, name, dependsOn, references, notes, id, before } = change;
    await applyUpdate(ctx, descriptor, { action: "update", address, kind, name, dependsOn, references, notes, id, before, after: fixed.defaults(before), fields: [] }, before);
    return;
  }
  if (descriptor.writeRequests && (descriptor.writeRequests.when?.(change.before) ?? true)) {
    try {
      await writeByRequest(ctx, descriptor, descriptor.writeRequests, change.before, "delete", change.id);
    } catch (error) {
      // Already gone (removed with its principal, or by someone else): the delete is done.
      if (!(error instanceof GraphError && error.code === descriptor.writeRequests.missingCode)) throw error;
    }
    return;
  }
  const step = descriptor.beforeDelete;
  const path = await pathOf(ctx, descriptor, change.id);
  // Graph deletes a company branding only once its images are removed (docs/graph-behaviour.md).
  await writeStreams(ctx.gateway, descriptor, undefined, change.id, change.name, {}, change.before);
  if (step?.when(change.before)) {
    await withReplicationRetry(() => ctx.gateway.patch(path, step.patch(change.before), versionOf(descriptor)), { ...repeatable(ctx), attempts: 4 });
  }
  await withReplicationRetry(() => ctx.gateway.delete(path, { ...versionOf(descriptor), ignoreMissing: true }), { ...repeatable(ctx), attempts: 4 });
}

/** Soft-delete restore keeps the id (docs/graph-behaviour.md §8); then the document's differences are written. */
export async function applyRestore(ctx: WriteContext, descriptor: KindDescriptor, change: RestoreChange): Promise<void> {
  const softDelete = descriptor.softDelete;
  if (!softDelete) throw new Error(`${descriptor.title} objects cannot be restored`);
  const restored = await ctx.gateway.post(softDelete.restorePath(change.id), {}, { version: softDelete.apiVersion ?? descriptor.apiVersion });
  remember(ctx, descriptor, change.name, change.id, restored, change.after);
  if (change.fields.length > 0 || (descriptor.relationships ?? []).length > 0) {
    await applyUpdate(ctx, descriptor, change, change.before ?? {});
  }
}
