import type { GraphResponse } from "../../types.js";
import type { Entity } from "../core/entity.js";
import type { RequestContext } from "../core/context.js";
import type { ResourceDefinition } from "../core/resource.js";
import { evaluateFilter, resolvePath } from "./filter-eval.js";
import { readQueryOptions } from "./query-options.js";
import type { QueryOptions } from "./query-options.js";
import { matchesSearch } from "./search.js";
import { contextUrl, shapeEntity } from "./shape.js";
import { decodeSkipToken, nextPageLink } from "./paging.js";

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).toLowerCase().localeCompare(String(b).toLowerCase());
}

function byId(a: Entity, b: Entity): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function applyQuery(items: readonly Entity[], options: QueryOptions, def: ResourceDefinition, presorted = false): readonly Entity[] {
  let result = items;
  const filter = options.filter;
  if (filter) result = result.filter((e) => evaluateFilter(filter, e));
  const search = options.search;
  if (search) result = result.filter((e) => matchesSearch(e, search, def.search ?? []));
  const orderBy = options.orderBy;
  if (orderBy && orderBy.length > 0) {
    result = [...result].sort((a, b) => {
      for (const key of orderBy) {
        const c = compareValues(resolvePath(a, key.path), resolvePath(b, key.path));
        if (c !== 0) return key.desc ? -c : c;
      }
      return byId(a, b);
    });
  } else if (def.defaultOrder || !presorted) {
    result = [...result].sort(def.defaultOrder ?? byId);
  }
  return result;
}

export interface ListOptions {
  /** Context path for `@odata.context`, e.g. "users" or "groups('id')/members". */
  contextPath: string;
  /** Already-parsed options (default: read from the request). */
  options?: QueryOptions;
  /** The items are already in id order (store.listSorted). */
  presorted?: boolean;
}

/** A Graph collection response: filter, search, order, page (`@odata.nextLink`), count, select, expand. */
export function listResponse(ctx: RequestContext, def: ResourceDefinition, items: readonly Entity[], list: ListOptions): GraphResponse {
  const options = list.options ?? readQueryOptions(ctx, def);
  const matched = applyQuery(items, options, def, list.presorted === true);
  const pageSize = options.top ?? ctx.core.pageSizeFor(def);
  const start = options.skipToken ? decodeSkipToken(ctx, options.skipToken).o : 0;
  const page = matched.slice(start, start + pageSize);
  const body: Record<string, unknown> = { "@odata.context": contextUrl(ctx, list.contextPath, options.select) };
  if (options.count && !options.skipToken) body["@odata.count"] = matched.length;
  if (start + pageSize < matched.length) body["@odata.nextLink"] = nextPageLink(ctx, start + pageSize);
  body["value"] = page.map((e) => shapeEntity(ctx, def, e, options.select, options.expand));
  if (body["@odata.nextLink"] !== undefined) {
    // Graph puts nextLink before value; keep the conventional order for readability.
    const { value, ...rest } = body;
    return { status: 200, body: { ...rest, value } };
  }
  return { status: 200, body };
}

/** `GET {collection}/$count`: text/plain, advanced query only on directory objects. */
export function countResponse(ctx: RequestContext, def: ResourceDefinition, items: readonly Entity[]): GraphResponse {
  const options = readQueryOptions(ctx, def);
  const matched = applyQuery(items, options, def);
  return { status: 200, headers: { "content-type": "text/plain" }, body: String(matched.length) };
}
