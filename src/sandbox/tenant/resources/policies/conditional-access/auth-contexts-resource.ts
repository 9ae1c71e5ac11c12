/**
 * `/identity/conditionalAccess/authenticationContextClassReferences`: ids `c1`…`c99`; PATCH to an id
 * that does not exist yet creates it (upsert, as the portal does); DELETE refuses a context a
 * Conditional Access policy still uses.
 */
import { isRecord } from "../../../core/entity.js";
import type { Entity } from "../../../core/entity.js";
import { GraphHttpError, badRequest } from "../../../core/errors.js";
import { getVisible, updateEntity } from "../../../core/crud.js";
import { createWithId } from "../lazy-routes.js";
import { defineResource } from "../../../core/resource.js";
import type { ResourceDefinition } from "../../../core/resource.js";
import { checkShape, unknownPropertyMessage } from "../schema/shape.js";
import { COLLECTIONS, apiVersion } from "../policy-context.js";

const PATH = "/identity/conditionalAccess/authenticationContextClassReferences";
const READ = ["Policy.Read.All", "Policy.Read.ConditionalAccess"];
const WRITE = ["Policy.ReadWrite.ConditionalAccess"];

export function isContextId(id: string): boolean {
  return /^c([1-9]|[1-9][0-9])$/.test(id);
}

function checked(body: Record<string, unknown>, version: "v1.0" | "beta"): Record<string, unknown> {
  const shaped = checkShape(body, "authenticationContextClassReference", { version, includeUnknownEnumMembers: true });
  if (!shaped.ok) {
    const p = shaped.problem;
    throw p.kind === "unknownProperty" ? new GraphHttpError(400, "BadRequest", unknownPropertyMessage(p.property, p.type)) : badRequest(`Invalid value for property '${p.path}'.`, "BadRequest");
  }
  return shaped.value;
}

function usedBy(ctx: Parameters<NonNullable<ResourceDefinition["beforeDelete"]>>[0], id: string): boolean {
  return ctx.store.list(COLLECTIONS.conditionalAccessPolicies).some((p) => {
    const conditions = p["conditions"];
    const apps = isRecord(conditions) ? conditions["applications"] : undefined;
    const refs = isRecord(apps) ? apps["includeAuthenticationContextClassReferences"] : undefined;
    return Array.isArray(refs) && refs.includes(id);
  });
}

export const authenticationContextClassReferences: ResourceDefinition = defineResource({
  collection: COLLECTIONS.authenticationContextClassReferences,
  entityType: "microsoft.graph.authenticationContextClassReference",
  resourceName: "AuthenticationContextClassReference",
  paths: [{ path: PATH }],
  permissions: { read: READ, write: WRITE },
  methods: { create: false, update: false },
  replicated: false,
  create: (ctx, body, id) => {
    if (!isContextId(id)) throw badRequest(`Invalid authentication context id '${id}': use c1 through c99.`, "BadRequest");
    return { id, displayName: null, description: null, isAvailable: false, ...checked(body, apiVersion(ctx)) };
  },
  update: (ctx, existing, patch) => ({ ...existing, ...checked(patch, apiVersion(ctx)), id: existing.id }),
  beforeDelete: (ctx, entity) => {
    if (usedBy(ctx, entity.id)) throw badRequest(`Authentication context '${entity.id}' is used by a Conditional Access policy and cannot be deleted.`, "BadRequest");
  },
  defaultOrder: (a: Entity, b: Entity) => Number(a.id.slice(1)) - Number(b.id.slice(1)),
  audit: {
    service: "Conditional Access",
    category: "Policy",
    targetType: "Policy",
    add: "Add AuthenticationContextClassReference",
    update: "Update AuthenticationContextClassReference",
    delete: "Delete AuthenticationContextClassReference",
  },
  routes: [
    {
      method: "PATCH",
      path: `${PATH}/{id}`,
      permissions: WRITE,
      handler: (ctx, params) => {
        const id = params["id"] ?? "";
        const existing = ctx.store.get(COLLECTIONS.authenticationContextClassReferences, id);
        if (existing) updateEntity(ctx, authenticationContextClassReferences, getVisible(ctx, authenticationContextClassReferences, id), ctx.request.body);
        else {
          createWithId(ctx, authenticationContextClassReferences, isRecord(ctx.request.body) ? ctx.request.body : {}, id);
        }
        return { status: 204 };
      },
    },
  ],
});
