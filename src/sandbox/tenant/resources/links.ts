import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { badRequest, notFound } from "../core/errors.js";
import type { RouteSpec } from "../core/resource.js";
import { countResponse, listResponse } from "../odata/list.js";
import { queryParam } from "../odata/query-options.js";
import { directoryObjectList, idFromODataUrl, typedView } from "./directory-objects.js";
import { DIRECTORY_TYPES } from "./directory-objects.js";
import { auditTarget } from "../core/crud.js";

/** A many-to-many relation between directory objects, e.g. group members or application owners. */
export interface LinkSpec {
  /** Store relation name, e.g. "groups/members". */
  relation: string;
  /** Collection of the source object (delta change records go there). */
  sourceCollection: string;
  /** Navigation property, e.g. "members". */
  property: string;
  /** Collections a target may come from. */
  targets: readonly string[];
  /** Extra write permissions (beyond the source resource's). */
  writePermissions?: readonly string[];
  readPermissions?: readonly string[];
  /** Throw to refuse a link (e.g. nested groups in a role-assignable group). */
  beforeAdd?: (ctx: RequestContext, source: Entity, target: Entity, targetCollection: string) => void;
  audit?: { category: string; add: string; remove: string; sourceType: string };
}

function typeName(collection: string): string {
  const type = DIRECTORY_TYPES[collection] ?? "#microsoft.graph.directoryObject";
  const short = type.replace("#microsoft.graph.", "");
  return short.charAt(0).toUpperCase() + short.slice(1);
}

/** The live targets of a relation, with their collection. */
export function linkedObjects(ctx: RequestContext, spec: LinkSpec, sourceId: string): { collection: string; entity: Entity }[] {
  const out: { collection: string; entity: Entity }[] = [];
  for (const id of ctx.store.linkTargets(spec.relation, sourceId)) {
    const found = ctx.store.findAnywhere(id, spec.targets);
    if (found) out.push(found);
  }
  return out;
}

/** Add a link by id with Graph's checks; used by `$ref` POST and by `@odata.bind`. */
export function addLink(ctx: RequestContext, spec: LinkSpec, source: Entity, targetId: string): void {
  if (!ctx.system) ctx.core.requireReference(targetId, spec.targets);
  const target = ctx.store.findAnywhere(targetId, spec.targets);
  if (!target) throw notFound(targetId);
  if (ctx.store.hasLink(spec.relation, source.id, target.entity.id)) {
    throw badRequest(`One or more added object references already exist for the following modified properties: '${spec.property}'.`);
  }
  spec.beforeAdd?.(ctx, source, target.entity, target.collection);
  ctx.store.addLink(spec.relation, source.id, target.entity.id, spec.sourceCollection);
  if (spec.audit) {
    const sourceName = typeof source["displayName"] === "string" ? source["displayName"] : null;
    ctx.audit({
      activity: spec.audit.add,
      category: spec.audit.category,
      operationType: "Add",
      targets: [
        {
          ...auditTarget(ctx.core.resource(target.collection), target.entity),
          type: typeName(target.collection),
          modifiedProperties: [
            { displayName: `${spec.audit.sourceType}.ObjectID`, oldValue: null, newValue: JSON.stringify(source.id) },
            { displayName: `${spec.audit.sourceType}.DisplayName`, oldValue: null, newValue: JSON.stringify(sourceName) },
          ],
        },
        { id: source.id, displayName: sourceName, type: spec.audit.sourceType, modifiedProperties: [] },
      ],
    });
  }
}

export function removeLink(ctx: RequestContext, spec: LinkSpec, source: Entity, targetId: string): void {
  if (!ctx.store.removeLink(spec.relation, source.id, targetId, spec.sourceCollection)) throw notFound(targetId);
  if (spec.audit) {
    const target = ctx.store.findAnywhere(targetId, spec.targets);
    const sourceName = typeof source["displayName"] === "string" ? source["displayName"] : null;
    ctx.audit({
      activity: spec.audit.remove,
      category: spec.audit.category,
      operationType: "Delete",
      targets: [
        {
          id: targetId,
          displayName: typeof target?.entity["displayName"] === "string" ? target.entity["displayName"] : null,
          type: target ? typeName(target.collection) : "Other",
          modifiedProperties: [
            { displayName: `${spec.audit.sourceType}.ObjectID`, oldValue: JSON.stringify(source.id), newValue: null },
            { displayName: `${spec.audit.sourceType}.DisplayName`, oldValue: JSON.stringify(sourceName), newValue: null },
          ],
        },
        { id: source.id, displayName: sourceName, type: spec.audit.sourceType, modifiedProperties: [] },
      ],
    });
  }
}

/** Graph takes at most 20 link changes (members and owners together) in one create or update. */
export const MAX_BOUND_LINKS = 20;

/**
 * Checks every `prop@odata.bind` of a create/update body before anything is written, because Graph
 * adds all of them or none ("no members are added in a request if an error condition exists",
 * group-post-members): at most 20 links over all properties ("A resource cannot contain more than
 * 20 link changes", group-post-groups), each target existing, not linked yet (Graph's "One or more
 * added object references already exist") and accepted by the relation's own rules.
 */
export function checkBinds(ctx: RequestContext, specs: readonly LinkSpec[], source: Entity, body: Record<string, unknown>): void {
  const bound = specs.map((spec) => ({ spec, urls: bindValue(spec, body) }));
  const total = bound.reduce((n, b) => n + (b.urls?.length ?? 0), 0);
  if (total > MAX_BOUND_LINKS) throw badRequest(`A resource cannot contain more than ${MAX_BOUND_LINKS} link changes.`);
  for (const { spec, urls } of bound) {
    if (urls === undefined) continue;
    const seen = new Set<string>();
    for (const url of urls) {
      const target = ctx.store.findAnywhere(idFromODataUrl(url, spec.property), spec.targets);
      if (!target) throw notFound(idFromODataUrl(url, spec.property));
      const key = target.entity.id.toLowerCase();
      if (seen.has(key) || ctx.store.hasLink(spec.relation, source.id, target.entity.id)) {
        throw badRequest(`One or more added object references already exist for the following modified properties: '${spec.property}'.`);
      }
      seen.add(key);
      spec.beforeAdd?.(ctx, source, target.entity, target.collection);
    }
  }
}

function bindValue(spec: LinkSpec, body: Record<string, unknown>): unknown[] | undefined {
  const key = Object.keys(body).find((k) => k.toLowerCase() === `${spec.property}@odata.bind`.toLowerCase());
  if (key === undefined) return undefined;
  const value = body[key];
  if (!Array.isArray(value)) throw badRequest(`Invalid URL format specified in @odata.bind for ${spec.property}`);
  return value;
}

/** `prop@odata.bind` arrays on create/update (after `checkBinds` passed). */
export function applyBinds(ctx: RequestContext, spec: LinkSpec, source: Entity, body: Record<string, unknown>): void {
  const urls = bindValue(spec, body);
  for (const url of urls ?? []) addLink(ctx, spec, source, idFromODataUrl(url, spec.property));
}

/** The ids a create/update body binds, for reference checks before anything is written. */
export function boundIds(spec: LinkSpec, body: Record<string, unknown>): string[] {
  const key = Object.keys(body).find((k) => k.toLowerCase() === `${spec.property}@odata.bind`.toLowerCase());
  const value = key === undefined ? undefined : body[key];
  return Array.isArray(value) ? value.map((url) => idFromODataUrl(url, spec.property)) : [];
}

/** The navigation routes for a relation, relative to the source item. */
export function linkRoutes(spec: LinkSpec, sourceOf: (ctx: RequestContext, id: string) => Entity): RouteSpec[] {
  const p = spec.property;
  const list = (ctx: RequestContext, id: string, cast?: string) => {
    const source = sourceOf(ctx, id);
    const items = linkedObjects(ctx, spec, source.id)
      .filter((t) => !cast || (DIRECTORY_TYPES[t.collection] ?? "").toLowerCase() === `#${cast}`.toLowerCase())
      .map((t) => typedView(ctx, t.collection, t.entity));
    return items;
  };
  const contextPath = (ctx: RequestContext, id: string) => `${ctx.request.path.split("/").filter(Boolean)[0] ?? ""}('${id}')/${p}`;
  const read = spec.readPermissions ? { permissions: spec.readPermissions } : {};
  const write = spec.writePermissions ? { permissions: spec.writePermissions } : {};
  return [
    { method: "GET", path: p, ...read, handler: (ctx, params) => listResponse(ctx, directoryObjectList, list(ctx, params["id"] ?? ""), { contextPath: contextPath(ctx, params["id"] ?? "") }) },
    {
      method: "GET",
      path: `${p}/$count`,
      ...read,
      handler: (ctx, params) => {
        if ((ctx.header("consistencylevel") ?? "").toLowerCase() !== "eventual") throw badRequest("$count is not currently supported.");
        return countResponse(ctx, directoryObjectList, list(ctx, params["id"] ?? ""));
      },
    },
    {
      method: "GET",
      path: `${p}/{cast}`,
      ...read,
      handler: (ctx, params) =>
        listResponse(ctx, directoryObjectList, list(ctx, params["id"] ?? "", params["cast"]), {
          contextPath: `${contextPath(ctx, params["id"] ?? "")}/${params["cast"] ?? ""}`,
        }),
    },
    {
      method: "POST",
      path: `${p}/$ref`,
      ...write,
      handler: (ctx, params) => {
        const body = ctx.request.body;
        const url = typeof body === "object" && body !== null ? (body as Record<string, unknown>)["@odata.id"] : undefined;
        addLink(ctx, spec, sourceOf(ctx, params["id"] ?? ""), idFromODataUrl(url, p));
        return { status: 204 };
      },
    },
    {
      method: "DELETE",
      path: `${p}/{targetId}/$ref`,
      ...write,
      handler: (ctx, params) => {
        removeLink(ctx, spec, sourceOf(ctx, params["id"] ?? ""), params["targetId"] ?? "");
        return { status: 204 };
      },
    },
    {
      method: "DELETE",
      path: `${p}/$ref`,
      ...write,
      handler: (ctx, params) => {
        const ref = queryParam(ctx.request.query, "$id");
        if (!ref) throw badRequest("The $id query parameter is required.");
        removeLink(ctx, spec, sourceOf(ctx, params["id"] ?? ""), idFromODataUrl(ref, p));
        return { status: 204 };
      },
    },
  ];
}
