import { badRequest, unsupportedQuery } from "../core/errors.js";
import type { ResourceDefinition } from "../core/resource.js";
import type { RequestContext } from "../core/context.js";
import type { FilterExpr } from "./filter-ast.js";
import { parseFilter } from "./filter-parser.js";
import { propertyUses } from "./filter-eval.js";

export interface ExpandOption {
  name: string;
  select?: string[];
}

export interface QueryOptions {
  top?: number;
  filter?: FilterExpr;
  select?: string[];
  orderBy?: { path: string[]; desc: boolean }[];
  search?: string;
  count: boolean;
  expand: ExpandOption[];
  skipToken?: string;
  advanced: boolean;
}

const KNOWN = new Set([
  "$top", "$skip", "$filter", "$select", "$orderby", "$search", "$count", "$expand", "$skiptoken", "$format",
  "$deltatoken",
]);

/** Read a query option, accepting Graph's `$`-less spelling for v1.0-era clients too. */
export function queryParam(query: URLSearchParams, name: string): string | undefined {
  for (const [key, value] of query) {
    if (key.toLowerCase() === name.toLowerCase() || key.toLowerCase() === name.slice(1).toLowerCase()) return value;
  }
  return undefined;
}

export function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of value) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      if (current.trim()) out.push(current.trim());
      current = "";
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function parseExpand(value: string): ExpandOption[] {
  return splitList(value).map((item) => {
    const open = item.indexOf("(");
    if (open < 0) return { name: item };
    const name = item.slice(0, open).trim();
    const inner = item.slice(open + 1, item.lastIndexOf(")"));
    const selectMatch = /\$select=([^;]*)/i.exec(inner);
    return selectMatch?.[1] ? { name, select: splitList(selectMatch[1]) } : { name };
  });
}

export function isAdvancedQuery(ctx: RequestContext, count: boolean): boolean {
  return (ctx.header("consistencylevel") ?? "").toLowerCase() === "eventual" && count;
}

function advancedOperatorError(op: string): Error {
  return unsupportedQuery(
    `Operator '${op}' is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information`,
  );
}

function unsupportedFilterProperty(path: string, def: ResourceDefinition): Error {
  return unsupportedQuery(`Unsupported or invalid query filter clause specified for property '${path}' of resource '${def.resourceName}'.`);
}

/** Parse and validate the OData system query options of a list request against a resource. */
export function readQueryOptions(ctx: RequestContext, def: ResourceDefinition): QueryOptions {
  const q = ctx.request.query;
  for (const key of q.keys()) {
    if (key.startsWith("$") && !KNOWN.has(key.toLowerCase())) {
      throw badRequest(`Query option '${key}' is not supported.`);
    }
  }
  const countRaw = queryParam(q, "$count");
  const count = countRaw?.toLowerCase() === "true";
  const advanced = isAdvancedQuery(ctx, count);
  const eventual = (ctx.header("consistencylevel") ?? "").toLowerCase() === "eventual";
  const directory = def.directoryObject === true;
  const options: QueryOptions = { count: directory ? advanced : count, expand: [], advanced };

  if (queryParam(q, "$skip") !== undefined && directory) {
    throw badRequest("'$skip' is not supported by the service.");
  }
  const topRaw = queryParam(q, "$top");
  if (topRaw !== undefined) {
    const max = def.paging?.maxTop ?? 999;
    const top = Number(topRaw);
    if (!Number.isInteger(top) || top < 1 || top > max) {
      throw badRequest(`Invalid page size specified: '${topRaw}'. Must be between 1 and ${max} inclusive.`);
    }
    options.top = top;
  }
  const search = queryParam(q, "$search");
  if (search !== undefined) {
    if (directory && !eventual) {
      throw unsupportedQuery("Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
    }
    if (!def.search || def.search.length === 0) throw badRequest("Search is not supported on this resource.", "Request_UnsupportedQuery");
    options.search = search;
  }
  const filterRaw = queryParam(q, "$filter");
  if (filterRaw !== undefined && filterRaw.trim() !== "") {
    options.filter = parseFilter(filterRaw);
    checkFilterSupport(options.filter, def, advanced);
  }
  if (def.requiredFilter) checkRequiredFilter(options.filter, def.requiredFilter);
  const selectRaw = queryParam(q, "$select");
  if (selectRaw !== undefined && selectRaw.trim() !== "") options.select = splitList(selectRaw);
  const expandRaw = queryParam(q, "$expand");
  if (expandRaw !== undefined && expandRaw.trim() !== "") {
    options.expand = parseExpand(expandRaw);
    for (const e of options.expand) {
      if (!def.expand?.[e.name] && !Object.keys(def.expand ?? {}).some((k) => k.toLowerCase() === e.name.toLowerCase())) {
        throw badRequest(`Could not find a property named '${e.name}' on type '${def.entityType}'.`);
      }
    }
    if (directory && advanced) throw unsupportedQuery("Unsupported Query.");
  }
  const orderRaw = queryParam(q, "$orderby");
  if (orderRaw !== undefined && orderRaw.trim() !== "") {
    options.orderBy = splitList(orderRaw).map((part) => {
      const [path = "", dir = "asc"] = part.split(/\s+/);
      return { path: path.split("/"), desc: dir.toLowerCase() === "desc" };
    });
    checkOrderBy(options, def, advanced);
  }
  options.skipToken = queryParam(q, "$skiptoken");
  return options;
}

/** Properties compared with `eq` to a literal in the filter's top-level conjunction. */
function equalityProperties(filter: FilterExpr | undefined, out: Set<string> = new Set()): Set<string> {
  if (!filter) return out;
  if (filter.kind === "and") {
    equalityProperties(filter.left, out);
    equalityProperties(filter.right, out);
  } else if (filter.kind === "cmp" && filter.op === "eq") {
    const prop = filter.left.kind === "prop" ? filter.left : filter.right.kind === "prop" ? filter.right : undefined;
    const lit = filter.left.kind === "lit" ? filter.left : filter.right.kind === "lit" ? filter.right : undefined;
    if (prop && lit && typeof lit.value === "string") out.add(prop.path.join("/").toLowerCase());
  }
  return out;
}

/** A list Graph answers only for one scope: refused unless the filter names one (docs/graph-behaviour.md, PIM for groups). */
function checkRequiredFilter(filter: FilterExpr | undefined, required: readonly string[]): void {
  const named = equalityProperties(filter);
  if (required.some((p) => named.has(p.toLowerCase()))) return;
  throw badRequest(`The request requires a $filter on ${required.join(" or ")} (eq).`, "BadRequest");
}

function checkFilterSupport(filter: FilterExpr, def: ResourceDefinition, advanced: boolean): void {
  const uses = propertyUses(filter);
  for (const use of uses) {
    if (def.directoryObject && !advanced && (use.op === "ne" || use.op === "not" || use.op === "endsWith")) {
      throw advancedOperatorError(use.op);
    }
    if (def.filter === undefined || def.filter === "any") continue;
    const path = use.path.toLowerCase();
    const find = (table: Readonly<Record<string, readonly string[]>> | undefined): readonly string[] | undefined =>
      Object.entries(table ?? {}).find(([k]) => k.toLowerCase() === path)?.[1];
    const allowed = find(def.filter);
    const advancedOnly = find(def.advancedFilter);
    const op = use.op === "not" || use.op === "ne" ? "eq" : use.op;
    if (allowed?.includes(op) || allowed?.includes(use.op)) continue;
    if (use.inLambda && allowed?.includes("any") && ["eq", "in", "startsWith"].includes(op)) continue;
    if (advancedOnly?.includes(op) || advancedOnly?.includes(use.op)) {
      if (advanced) continue;
      throw advancedOperatorError(use.op);
    }
    throw unsupportedFilterProperty(use.path, def);
  }
}

function checkOrderBy(options: QueryOptions, def: ResourceDefinition, advanced: boolean): void {
  if (!def.directoryObject) {
    if (def.orderBy === undefined || def.orderBy === "any") return;
  }
  if (def.directoryObject && options.filter && !advanced) throw unsupportedQuery("Sorting not supported for current query.");
  const table = def.orderBy === "any" ? undefined : def.orderBy;
  for (const key of options.orderBy ?? []) {
    const name = key.path.join("/").toLowerCase();
    const support = Object.entries(table ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
    if (def.orderBy === "any") continue;
    if (support === "default" || (support === "advanced" && advanced)) continue;
    throw unsupportedQuery("Sorting not supported for current query.");
  }
}
