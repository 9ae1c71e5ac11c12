/**
 * A policy singleton as Graph serves it: one object at a fixed path, created with the tenant's
 * defaults on first read, read by GET and written by PATCH (204). Only the listed properties are
 * writable, each checked by its own rule; any other property (id, displayName, description, an
 * unknown one) is refused with 400 (docs/graph-behaviour.md, the row of each policy).
 */
import type { Entity } from "../../../core/entity.js";
import { badRequest } from "../../../core/errors.js";
import type { RequestContext } from "../../../core/context.js";
import { entityResponse, updateEntity } from "../../../core/crud.js";
import { defineResource } from "../../../core/resource.js";
import type { ApiVersion, ResourceDefinition } from "../../../core/resource.js";

/** Checks one written property and returns what is stored; throws the 400 Graph answers. */
export type PropertyRule = (value: unknown, invalid: () => Error) => unknown;

export interface SingletonPolicyResource {
  readonly path: string;
  readonly collection: string;
  /** CSDL type without the namespace. */
  readonly type: string;
  /** Graph's resource name in its error messages, e.g. `IdentitySecurityDefaultsEnforcementPolicy`. */
  readonly resourceName: string;
  readonly read: readonly string[];
  readonly write: readonly string[];
  /** The object in a new tenant (its `id` included). */
  readonly initial: Entity;
  readonly writable: Readonly<Record<string, PropertyRule>>;
  /** Entra's audit activity of a PATCH. */
  readonly auditUpdate: string;
  /** Properties every PATCH must carry (Graph's update page marks them required). */
  readonly requiredInPatch?: readonly string[];
  /** The API versions that serve the policy (default both; beta only for a beta-only policy). */
  readonly versions?: readonly ApiVersion[];
}

export const booleanRule: PropertyRule = (value, invalid) => {
  if (typeof value !== "boolean") throw invalid();
  return value;
};

export function singletonPolicyResource(options: SingletonPolicyResource): ResourceDefinition {
  const { path, resourceName } = options;
  const read = [...options.read];
  const write = [...options.write];
  const versions = options.versions ? { versions: options.versions } : {};
  const current = (ctx: RequestContext): Entity => {
    const existing = ctx.store.get(resource.collection, options.initial.id);
    if (existing) return existing;
    const entity = structuredClone(options.initial);
    ctx.store.put(resource.collection, entity);
    return entity;
  };
  const resource: ResourceDefinition = defineResource({
    collection: options.collection,
    entityType: `microsoft.graph.${options.type}`,
    resourceName,
    paths: [{ path, versions: [] }],
    permissions: { read, write },
    readOnly: { id: "ignore" },
    replicated: false,
    update: (_ctx, existing, patch) => {
      for (const key of options.requiredInPatch ?? []) {
        if (patch[key] === undefined) throw badRequest(`Property '${key}' is required in an update of resource '${resourceName}'.`, "Request_BadRequest");
      }
      const next: Entity = { ...existing };
      for (const [key, value] of Object.entries(patch)) {
        if (key === "@odata.type") continue;
        const rule = options.writable[key];
        if (!rule) throw badRequest(`Property '${key}' is read-only and cannot be set.`, "Request_BadRequest");
        next[key] = rule(value, () => badRequest(`Invalid value specified for property '${key}' of resource '${resourceName}'.`, "Request_BadRequest"));
      }
      return { ...next, id: existing.id };
    },
    audit: { service: "Core Directory", category: "Policy", targetType: "Policy", update: options.auditUpdate },
    routes: [
      { method: "GET", path, ...versions, permissions: [...read, ...write], handler: (ctx) => entityResponse(ctx, resource, current(ctx)) },
      {
        method: "PATCH",
        path,
        ...versions,
        permissions: write,
        handler: (ctx) => {
          updateEntity(ctx, resource, current(ctx), ctx.request.body);
          return { status: 204 };
        },
      },
    ],
  });
  return resource;
}
