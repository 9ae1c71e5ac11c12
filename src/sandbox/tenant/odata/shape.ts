import type { Entity } from "../core/entity.js";
import type { RequestContext } from "../core/context.js";
import type { ResourceDefinition } from "../core/resource.js";
import type { ExpandOption } from "./query-options.js";

/** Graph returns at most 20 related objects through `$expand` on directory objects, and no nextLink. */
export const EXPAND_LIMIT = 20;

/** Apply `$select` (or the version's default property set) to one object. */
export function selectProperties(entity: Entity, select: readonly string[] | undefined): Entity {
  if (!select || select.length === 0 || select.includes("*")) return entity;
  const out: Record<string, unknown> = {};
  if (typeof entity["@odata.type"] === "string") out["@odata.type"] = entity["@odata.type"];
  const keys = Object.keys(entity);
  for (const name of select) {
    const key = keys.find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    out[key] = entity[key] ?? null;
  }
  return out as Entity;
}

export function effectiveSelect(ctx: RequestContext, def: ResourceDefinition, select: readonly string[] | undefined): readonly string[] | undefined {
  if (select && select.length > 0) return select;
  return def.defaultSelect?.[ctx.request.version];
}

/** Shape an object for output: the resource's view, `$select`, `$expand`. */
export function shapeEntity(
  ctx: RequestContext,
  def: ResourceDefinition,
  entity: Entity,
  select: readonly string[] | undefined,
  expand: readonly ExpandOption[] = [],
): Entity {
  const viewed = def.view ? def.view(ctx, entity) : entity;
  const shaped: Record<string, unknown> = { ...selectProperties(viewed, effectiveSelect(ctx, def, select)) };
  for (const option of expand) {
    const key = Object.keys(def.expand ?? {}).find((k) => k.toLowerCase() === option.name.toLowerCase());
    const loader = key ? def.expand?.[key] : undefined;
    if (!loader || !key) continue;
    const related = loader(ctx, entity);
    shaped[key] = Array.isArray(related)
      ? related.slice(0, EXPAND_LIMIT).map((r) => selectProperties(r, option.select))
      : related === null ? null : selectProperties(related, option.select);
  }
  return shaped as Entity;
}

/** `@odata.context` for a collection, an entity or a selection. */
export function contextUrl(ctx: RequestContext, contextPath: string, select?: readonly string[], entity = false): string {
  const selection = select && select.length > 0 ? `(${select.join(",")})` : "";
  return `${ctx.request.serviceRoot}/$metadata#${contextPath}${selection}${entity ? "/$entity" : ""}`;
}

export function contextPathOf(path: string): string {
  return path.replace(/^\//, "");
}
