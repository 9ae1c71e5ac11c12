import type { GraphResponse } from "../../types.js";
import type { RequestContext } from "./context.js";
import type { Entity } from "./entity.js";
import { clone, isRecord } from "./entity.js";
import { badRequest, notFound, readOnlyProperty } from "./errors.js";
import type { ResourceDefinition } from "./resource.js";
import { diffModifiedProperties } from "../audit/audit-log.js";
import { contextPathOf, contextUrl, shapeEntity } from "../odata/shape.js";
import { queryParam, splitList } from "../odata/query-options.js";
import { DAY_MS } from "./clock.js";

export function requireBody(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw badRequest("Empty Payload. JSON content expected.");
  return body;
}

/** The live object, or Graph's 404 (also while the replication-delay fault hides it). */
export function getVisible(ctx: RequestContext, def: ResourceDefinition, id: string, access: "read" | "write" = "read"): Entity {
  const entity = ctx.store.get(def.collection, id) ?? byPathKey(ctx, def, id);
  if (!entity) throw notFound(id);
  const replicated = def.replicated ?? def.directoryObject ?? false;
  if (replicated && !ctx.system && !ctx.core.replication.isVisible(entity.id)) throw notFound(id);
  if (def.visible && !ctx.system && !def.visible(ctx, entity)) throw notFound(id);
  if (def.authorizeItem && !ctx.system) def.authorizeItem(ctx, entity, access);
  return entity;
}

/** `/users/alice@contoso.com`: an item addressed by one of its `pathKeys` (case-insensitive). */
function byPathKey(ctx: RequestContext, def: ResourceDefinition, key: string): Entity | undefined {
  if (!def.pathKeys || key.length === 0) return undefined;
  const wanted = key.toLowerCase();
  return ctx.store
    .list(def.collection)
    .find((entity) => def.pathKeys?.some((property) => typeof entity[property] === "string" && (entity[property] as string).toLowerCase() === wanted));
}

/** The objects of a list the caller may see (per `visible` and `authorizeItem`). */
export function authorizedItems(ctx: RequestContext, def: ResourceDefinition, items: readonly Entity[]): readonly Entity[] {
  const visible = def.visible;
  const shown = visible && !ctx.system ? items.filter((entity) => visible(ctx, entity)) : items;
  const authorize = def.authorizeItem;
  if (!authorize || ctx.system) return shown;
  return shown.filter((entity) => {
    try {
      authorize(ctx, entity, "read");
      return true;
    } catch {
      return false;
    }
  });
}

function checkOdataType(def: ResourceDefinition, body: Record<string, unknown>, existing: Entity | undefined): void {
  const type = body["@odata.type"];
  const allowed = def.odataType?.allowed;
  if (type === undefined) {
    if (!existing && def.odataType?.requiredOnCreate) {
      throw badRequest(`A type name must be specified for '${def.entityType}': @odata.type is required.`);
    }
    return;
  }
  if (typeof type !== "string") throw badRequest("Invalid @odata.type.");
  const normalized = type.startsWith("#") ? type : `#${type}`;
  const ok = allowed ? allowed.some((a) => a.toLowerCase() === normalized.toLowerCase()) : normalized.toLowerCase() === `#${def.entityType}`.toLowerCase();
  if (!ok) throw badRequest(`A type named '${type.replace(/^#/, "")}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`);
  if (existing && typeof existing["@odata.type"] === "string" && existing["@odata.type"].toLowerCase() !== normalized.toLowerCase()) {
    throw badRequest(`The type of the object cannot be changed from '${existing["@odata.type"]}' to '${normalized}'.`);
  }
}

/** Drop ignored read-only fields, reject the others (per resource, as Graph does). */
function stripReadOnly(def: ResourceDefinition, body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...body };
  for (const [field, mode] of Object.entries(def.readOnly ?? {})) {
    const key = Object.keys(out).find((k) => k.toLowerCase() === field.toLowerCase());
    if (key === undefined) continue;
    if (mode === "reject") throw readOnlyProperty(key);
    delete out[key];
  }
  return out;
}

function entityView(ctx: RequestContext, def: ResourceDefinition, entity: Entity): Entity {
  return shapeEntity(ctx, def, entity, undefined);
}

function withContext(ctx: RequestContext, def: ResourceDefinition, entity: Entity, select?: readonly string[]): Record<string, unknown> {
  const path = def.paths[0]?.path ?? `/${def.collection}`;
  return { "@odata.context": contextUrl(ctx, contextPathOf(path), select, !def.singleton), ...entity };
}

export function auditTarget(def: ResourceDefinition, entity: Entity): { id: string; displayName: string | null; type: string; userPrincipalName: string | null } {
  return {
    id: entity.id,
    displayName: typeof entity["displayName"] === "string" ? entity["displayName"] : null,
    type: def.audit?.targetType ?? "Other",
    userPrincipalName: typeof entity["userPrincipalName"] === "string" ? entity["userPrincipalName"] : null,
  };
}

/** POST to a collection: 201 with the full object. */
export function createEntity(ctx: RequestContext, def: ResourceDefinition, rawBody: unknown): { entity: Entity; response: GraphResponse } {
  const body0 = requireBody(rawBody);
  checkOdataType(def, body0, undefined);
  const suppliedId = typeof body0["id"] === "string" && ctx.system ? body0["id"] : undefined;
  const body = ctx.system ? { ...body0 } : stripReadOnly(def, body0);
  delete body["id"];
  const id = suppliedId ?? ctx.store.newId();
  const base = def.create ? def.create(ctx, clone(body), id) : ({ ...clone(body), id } as Entity);
  const entity: Entity = { ...base, id };
  for (const key of Object.keys(entity)) if (key.endsWith("@odata.bind")) delete entity[key];
  def.validate?.(ctx, entity, undefined, body);
  if (def.references && !ctx.system) ctx.requireReferences(def.references(entity, body));
  ctx.store.put(def.collection, entity);
  if (!ctx.system) ctx.core.replication.onCreate(entity.id);
  def.afterCreate?.(ctx, entity, body);
  if (def.audit?.add && !ctx.system) {
    const modifiedProperties = (def.audit.modifiedProperties ?? diffModifiedProperties)(undefined, entity);
    ctx.audit({
      activity: def.audit.add,
      category: def.audit.category,
      service: def.audit.service,
      operationType: "Add",
      targets: [{ ...auditTarget(def, entity), modifiedProperties }],
    });
  }
  const stored = ctx.store.get(def.collection, entity.id) ?? entity;
  return { entity: stored, response: { status: 201, body: withContext(ctx, def, entityView(ctx, def, stored)) } };
}

/** PATCH: 204, absent properties keep their values, arrays replaced whole. */
export function updateEntity(ctx: RequestContext, def: ResourceDefinition, existing: Entity, rawBody: unknown): Entity {
  const body0 = requireBody(rawBody);
  checkOdataType(def, body0, existing);
  const body = stripReadOnly(def, body0);
  for (const [field, message] of Object.entries(def.immutable ?? {})) {
    const key = Object.keys(body).find((k) => k.toLowerCase() === field.toLowerCase());
    if (key !== undefined && JSON.stringify(body[key]) !== JSON.stringify(existing[field] ?? null)) throw badRequest(message);
  }
  const patch = clone(body);
  delete patch["id"];
  const merged = def.update ? def.update(ctx, clone(existing), patch) : ({ ...clone(existing), ...patch } as Entity);
  const entity: Entity = { ...merged, id: existing.id };
  for (const key of Object.keys(entity)) if (key.endsWith("@odata.bind")) delete entity[key];
  def.validate?.(ctx, entity, existing, body);
  if (def.references && !ctx.system) ctx.requireReferences(def.references(entity, body));
  ctx.store.put(def.collection, entity);
  def.afterUpdate?.(ctx, entity, body);
  // A PATCH that only binds links (members@odata.bind) is audited per link ("Add member to group").
  const onlyBinds = Object.keys(body).length > 0 && Object.keys(body).every((key) => key.endsWith("@odata.bind"));
  if (def.audit?.update && !ctx.system && !onlyBinds) {
    const modifiedProperties = (def.audit.modifiedProperties ?? diffModifiedProperties)(existing, entity);
    ctx.audit({
      activity: def.audit.update,
      category: def.audit.category,
      service: def.audit.service,
      operationType: "Update",
      targets: [{ ...auditTarget(def, entity), modifiedProperties }],
    });
  }
  return entity;
}

/** DELETE: soft delete into the resource's bin when its policy says so, else permanent. */
export function deleteEntity(ctx: RequestContext, def: ResourceDefinition, existing: Entity): void {
  def.beforeDelete?.(ctx, existing);
  const policy = def.softDelete;
  const soft = policy !== undefined && (policy.when ? policy.when(existing) : true);
  ctx.store.remove(def.collection, existing.id, soft ? "changed" : "deleted");
  removeRoleAssignmentsOf(ctx, def.collection, existing.id);
  if (soft && policy) {
    const deleted: Entity = { ...existing, deletedDateTime: ctx.nowIso() };
    ctx.store.bin(policy.bin).set(existing.id.toLowerCase(), { collection: def.collection, entity: deleted, deletedAtMs: ctx.nowMs() });
  } else {
    ctx.store.dropLinksOf(existing.id);
    ctx.store.dropInternal(existing.id);
  }
  if (def.audit?.delete) {
    ctx.audit({
      activity: def.audit.delete,
      category: def.audit.category,
      service: def.audit.service,
      operationType: "Delete",
      targets: [{ ...auditTarget(def, existing), modifiedProperties: [] }],
    });
  }
}

/**
 * A deleted principal (user, group, service principal) loses its directory role assignments, active
 * and eligible (PIM), and its PIM for groups schedules (a deleted group its own too), as in Graph
 * (docs/graph-behaviour.md, "Sandbox behaviour table"); a restore does not bring them back. No audit entry of their own: the principal's delete is the record.
 */
function removeRoleAssignmentsOf(ctx: RequestContext, collection: string, principalId: string): void {
  if (!["users", "groups", "servicePrincipals"].includes(collection)) return;
  const id = principalId.toLowerCase();
  for (const assignments of ["roleAssignments", "roleEligibilitySchedules", "privilegedAccessGroupEligibilitySchedules", "privilegedAccessGroupAssignmentSchedules"]) {
    if (!ctx.core.resources.has(assignments)) continue;
    for (const assignment of ctx.store.list(assignments)) {
      // PIM for groups: the group's own schedules go with it too.
      if (String(assignment["principalId"]).toLowerCase() === id || String(assignment["groupId"] ?? "").toLowerCase() === id) ctx.store.remove(assignments, assignment.id, "deleted");
    }
  }
}

/** Purge bin entries older than their retention (on the sandbox clock). */
export function purgeExpired(ctx: RequestContext, bin: string, retentionDays = 30): void {
  const entries = ctx.store.bin(bin);
  for (const [key, entry] of entries) {
    const def = ctx.core.resources.get(entry.collection);
    const days = def?.softDelete?.retentionDays ?? retentionDays;
    if (ctx.nowMs() - entry.deletedAtMs >= days * DAY_MS) {
      entries.delete(key);
      ctx.store.dropLinksOf(entry.entity.id);
      ctx.store.dropInternal(entry.entity.id);
      ctx.store.logRemoved(entry.collection, entry.entity.id, "deleted");
    }
  }
}

/** GET of one object with `$select`/`$expand` and `@odata.context`. */
export function entityResponse(ctx: RequestContext, def: ResourceDefinition, entity: Entity): GraphResponse {
  const selectRaw = queryParam(ctx.request.query, "$select");
  const select = selectRaw ? splitList(selectRaw) : undefined;
  const expandRaw = queryParam(ctx.request.query, "$expand");
  const expand = expandRaw ? splitList(expandRaw).map((name) => ({ name: name.replace(/\(.*$/, "") })) : [];
  for (const e of expand) {
    if (!Object.keys(def.expand ?? {}).some((k) => k.toLowerCase() === e.name.toLowerCase())) {
      throw badRequest(`Could not find a property named '${e.name}' on type '${def.entityType}'.`);
    }
  }
  const shaped = shapeEntity(ctx, def, entity, select, expand);
  return { status: 200, body: withContext(ctx, def, shaped, select) };
}
