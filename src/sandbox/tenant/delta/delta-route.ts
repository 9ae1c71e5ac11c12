import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { badRequest } from "../core/errors.js";
import type { RouteSpec } from "../core/resource.js";
import type { ChangeRecord } from "../core/store.js";
import { evaluateFilter } from "../odata/filter-eval.js";
import { parseFilter } from "../odata/filter-parser.js";
import { queryParam, splitList } from "../odata/query-options.js";
import { contextUrl, selectProperties } from "../odata/shape.js";
import type { LinkSpec } from "../resources/links.js";
import { DIRECTORY_TYPES } from "../resources/directory-objects.js";
import { decodeDeltaState, encodeDeltaState } from "./delta-token.js";
import type { DeltaState } from "./delta-token.js";

export interface DeltaOptions {
  /** A relation reported as `<property>@delta` (groups: members). */
  members?: LinkSpec;
}

type Row =
  /** `changed`: the properties written in the round; undefined when the object is new to the client (created or restored). */
  | { kind: "object"; id: string; links: { id: string; added: boolean }[]; changed?: Set<string> }
  | { kind: "removed"; id: string; reason: "changed" | "deleted" };

/** Whether a property is tracked by the round's `$select` (every property without one). */
function tracked(select: readonly string[] | undefined, property: string): boolean {
  return select === undefined || select.some((s) => s.toLowerCase() === property.toLowerCase());
}

function rowsFor(ctx: RequestContext, collection: string, state: DeltaState, members: LinkSpec | undefined): Row[] {
  const store = ctx.store;
  if (state.full) {
    return store.listSorted(collection)
      .map((entity) => ({
        kind: "object" as const,
        id: entity.id,
        links: members ? store.linkTargets(members.relation, entity.id).map((id) => ({ id, added: true })) : [],
      }));
  }
  const changes = store.changesSince(state.s, collection).filter((c) => c.seq <= state.e);
  const byId = new Map<string, ChangeRecord[]>();
  for (const change of changes) {
    const key = change.id.toLowerCase();
    byId.set(key, [...(byId.get(key) ?? []), change]);
  }
  const rows: Row[] = [];
  for (const [id, list] of [...byId.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const live = store.get(collection, id);
    if (!live) {
      const removal = [...list].reverse().find((c) => c.kind === "removed");
      if (removal && removal.kind === "removed") rows.push({ kind: "removed", id: removal.id, reason: removal.reason });
      continue;
    }
    const linkState = new Map<string, boolean>();
    for (const change of list) {
      if (change.kind === "link" && members && change.relation === members.relation) linkState.set(change.targetId.toLowerCase(), change.added);
    }
    // Created or restored in the round (or removed and back): the whole object; otherwise only
    // writes to properties the `$select` tracks count (docs/graph-behaviour.md §7).
    const isNew = list.some((c) => c.kind === "removed" || (c.kind === "upsert" && c.props === undefined));
    const changed = new Set<string>();
    for (const change of list) if (change.kind === "upsert" && change.props) for (const prop of change.props) if (prop !== "id" && tracked(state.sel, prop)) changed.add(prop);
    if (!isNew && changed.size === 0 && linkState.size === 0) continue;
    rows.push({ kind: "object", id: live.id, links: [...linkState].map(([target, added]) => ({ id: target, added })), ...(isNew ? {} : { changed }) });
  }
  return rows;
}

function memberType(ctx: RequestContext, members: LinkSpec, id: string): string {
  const found = ctx.store.findAnywhere(id, members.targets);
  return (found && DIRECTORY_TYPES[found.collection]) ?? "#microsoft.graph.directoryObject";
}

/** `GET {collection}/delta` (docs/graph-behaviour.md §7): nextLink pages, then a deltaLink; `@removed`; `members@delta`. */
export function deltaRoute(collection: string, options: DeltaOptions = {}): RouteSpec {
  return {
    method: "GET",
    path: "delta",
    handler: (ctx) => {
      const def = ctx.core.resource(collection);
      const path = ctx.request.path;
      const skip = queryParam(ctx.request.query, "$skiptoken");
      const delta = queryParam(ctx.request.query, "$deltatoken");
      let state: DeltaState;
      if (skip) {
        state = decodeDeltaState(ctx, skip, collection, path);
      } else if (delta !== undefined && delta.toLowerCase() === "latest") {
        // Query options of the request (`$select`) carry into the link, as on a first call.
        const selectRaw = queryParam(ctx.request.query, "$select");
        const latest: DeltaState = { c: collection, s: ctx.store.currentSeq(), e: ctx.store.currentSeq(), full: false, o: 0, t: ctx.nowMs(), ...(selectRaw ? { sel: splitList(selectRaw) } : {}) };
        return {
          status: 200,
          body: {
            "@odata.context": contextUrl(ctx, collection),
            "@odata.deltaLink": `${ctx.request.serviceRoot}${path}?$deltatoken=${encodeDeltaState(latest)}`,
            value: [],
          },
        };
      } else if (delta !== undefined && delta !== "") {
        const previous = decodeDeltaState(ctx, delta, collection, path);
        state = { ...previous, s: previous.e, e: ctx.store.currentSeq(), full: false, o: 0 };
      } else {
        for (const option of ["$expand", "$top", "$orderby"]) {
          if (queryParam(ctx.request.query, option) !== undefined) throw badRequest(`The query option '${option}' is not supported with delta.`);
        }
        const selectRaw = queryParam(ctx.request.query, "$select");
        const filterRaw = queryParam(ctx.request.query, "$filter");
        state = { c: collection, s: 0, e: ctx.store.currentSeq(), full: true, o: 0, t: ctx.nowMs() };
        if (selectRaw) state.sel = splitList(selectRaw);
        if (filterRaw) state.f = filterRaw;
      }
      const filter = state.f ? parseFilter(state.f) : undefined;
      const withMembers = options.members && (!state.sel || state.sel.some((s) => s.toLowerCase() === options.members?.property.toLowerCase()));
      const rows = rowsFor(ctx, collection, state, withMembers ? options.members : undefined).filter((row) => {
        if (row.kind === "removed" || !filter) return true;
        const entity = ctx.store.get(collection, row.id);
        return entity !== undefined && evaluateFilter(filter, entity);
      });
      const pageSize = ctx.core.pageSizeFor(def);
      const page = rows.slice(state.o, state.o + pageSize);
      const value = page.map((row): Record<string, unknown> => {
        if (row.kind === "removed") return { id: row.id, "@removed": { reason: row.reason } };
        const entity = ctx.store.get(collection, row.id) as Entity;
        const viewed = def.view ? def.view(ctx, entity) : entity;
        const select = state.sel?.filter((s) => s.toLowerCase() !== options.members?.property.toLowerCase());
        const shown = select && select.length > 0 ? select : def.defaultSelect?.[ctx.request.version];
        // An update carries its id and the changed properties it would show, nothing else (§7).
        const changed = row.changed;
        const properties = changed === undefined ? shown : [...changed].filter((p) => shown === undefined || shown.some((s) => s.toLowerCase() === p.toLowerCase()));
        const out: Record<string, unknown> = changed !== undefined && properties?.length === 0 ? { id: entity.id } : { ...selectProperties(viewed, properties), id: entity.id };
        if (withMembers && options.members && (state.full || row.links.length > 0)) {
          const members = options.members;
          out[`${members.property}@delta`] = row.links.map((link) =>
            link.added
              ? { "@odata.type": memberType(ctx, members, link.id), id: link.id }
              : { "@odata.type": memberType(ctx, members, link.id), id: link.id, "@removed": { reason: "deleted" } },
          );
        }
        return out;
      });
      const body: Record<string, unknown> = { "@odata.context": contextUrl(ctx, collection, state.sel) };
      if (state.o + pageSize < rows.length) {
        body["@odata.nextLink"] = `${ctx.request.serviceRoot}${path}?$skiptoken=${encodeDeltaState({ ...state, o: state.o + pageSize })}`;
      } else {
        const next: DeltaState = { ...state, s: state.e, full: false, o: 0, t: ctx.nowMs() };
        body["@odata.deltaLink"] = `${ctx.request.serviceRoot}${path}?$deltatoken=${encodeDeltaState(next)}`;
      }
      body["value"] = value;
      return { status: 200, body };
    },
  };
}
