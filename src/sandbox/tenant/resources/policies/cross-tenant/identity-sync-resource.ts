/**
 * `/policies/crossTenantAccessPolicy/partners/{tenantId}/identitySynchronization`: a partner's
 * cross-tenant user synchronization policy (docs/graph-behaviour.md, cross-tenant identity
 * synchronization). At most one per partner, and only under an existing partner configuration
 * (404 otherwise). PUT creates or replaces it (204), PATCH updates it (204), DELETE removes it (204),
 * GET reads it (404 when there is none). Writable: `displayName` (a string or null) and
 * `userSyncInbound` (`{ isSyncAllowed: boolean }`); `tenantId` is read-only (the partner's).
 */
import type { Entity } from "../../../core/entity.js";
import { isRecord } from "../../../core/entity.js";
import { badRequest, notFound } from "../../../core/errors.js";
import type { RequestContext } from "../../../core/context.js";
import { auditTarget, requireBody } from "../../../core/crud.js";
import { defineResource } from "../../../core/resource.js";
import type { ResourceDefinition } from "../../../core/resource.js";
import { diffModifiedProperties } from "../../../audit/audit-log.js";
import { COLLECTIONS } from "../policy-context.js";

const PATH = "/policies/crossTenantAccessPolicy/partners/{tenantId}/identitySynchronization";
const RESOURCE = "CrossTenantIdentitySyncPolicyPartner";
const READ = ["Policy.Read.All"];
const WRITE = ["Policy.ReadWrite.CrossTenantAccess"];
const COLLECTION = "crossTenantIdentitySync";

/** The partner's tenant id, lower case; 404 when the tenant has no partner configuration for it. */
function partnerOf(ctx: RequestContext, params: Readonly<Record<string, string>>): string {
  const tenantId = (params["tenantId"] ?? "").toLowerCase();
  if (!ctx.store.get(COLLECTIONS.crossTenantPartners, tenantId)) throw notFound(tenantId);
  return tenantId;
}

/** The written properties, checked: displayName and userSyncInbound only. */
function checked(body: Record<string, unknown>, tenantId: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "@odata.type") continue;
    if (key === "tenantId") {
      if (typeof value !== "string" || value.toLowerCase() !== tenantId) throw badRequest(`Property 'tenantId' is read-only and cannot be set.`);
    } else if (key === "displayName") {
      if (value !== null && typeof value !== "string") throw badRequest(`Invalid value specified for property 'displayName' of resource '${RESOURCE}'.`);
      out[key] = value;
    } else if (key === "userSyncInbound") {
      if (value === null) {
        out[key] = null;
        continue;
      }
      if (!isRecord(value)) throw badRequest(`Invalid value specified for property 'userSyncInbound' of resource '${RESOURCE}'.`);
      for (const inner of Object.keys(value)) {
        if (inner !== "isSyncAllowed" && inner !== "@odata.type") throw badRequest(`Property '${inner}' does not exist on type 'microsoft.graph.crossTenantUserSyncInbound'.`);
      }
      if (value["isSyncAllowed"] !== undefined && value["isSyncAllowed"] !== null && typeof value["isSyncAllowed"] !== "boolean") {
        throw badRequest(`Invalid value specified for property 'userSyncInbound.isSyncAllowed' of resource '${RESOURCE}'.`);
      }
      out[key] = { isSyncAllowed: value["isSyncAllowed"] ?? null };
    } else {
      throw badRequest(`Property '${key}' does not exist on type 'microsoft.graph.crossTenantIdentitySyncPolicyPartner'.`);
    }
  }
  return out;
}

function shown(ctx: RequestContext, entity: Entity): Record<string, unknown> {
  const { id: _id, ...rest } = entity;
  return { "@odata.context": `${ctx.request.serviceRoot}/$metadata#policies/crossTenantAccessPolicy/partners('${entity.id}')/identitySynchronization/$entity`, ...rest };
}

function audit(ctx: RequestContext, activity: string, before: Entity | undefined, after: Entity | undefined): void {
  const target = after ?? before;
  if (!target) return;
  ctx.audit({
    activity,
    category: "Policy",
    service: "Core Directory",
    operationType: after === undefined ? "Delete" : before === undefined ? "Add" : "Update",
    targets: [{ ...auditTarget(crossTenantIdentitySync, target), modifiedProperties: diffModifiedProperties(before, after) }],
  });
}

export const crossTenantIdentitySync: ResourceDefinition = defineResource({
  collection: COLLECTION,
  entityType: "microsoft.graph.crossTenantIdentitySyncPolicyPartner",
  resourceName: RESOURCE,
  paths: [],
  permissions: { read: READ, write: WRITE },
  replicated: false,
  audit: { service: "Core Directory", category: "Policy", targetType: "Policy" },
  routes: [
    {
      method: "GET",
      path: PATH,
      permissions: [...READ, ...WRITE],
      handler: (ctx, params) => {
        const tenantId = partnerOf(ctx, params);
        const entity = ctx.store.get(COLLECTION, tenantId);
        if (!entity) throw notFound(tenantId);
        return { status: 200, body: shown(ctx, entity) };
      },
    },
    {
      method: "PUT",
      path: PATH,
      permissions: WRITE,
      handler: (ctx, params) => {
        const tenantId = partnerOf(ctx, params);
        const before = ctx.store.get(COLLECTION, tenantId);
        const entity: Entity = { id: tenantId, tenantId, displayName: null, userSyncInbound: null, ...checked(requireBody(ctx.request.body), tenantId) };
        ctx.store.put(COLLECTION, entity);
        audit(ctx, before ? "Update cross-tenant identity synchronization policy" : "Create cross-tenant identity synchronization policy", before, entity);
        return { status: 204 };
      },
    },
    {
      method: "PATCH",
      path: PATH,
      permissions: WRITE,
      handler: (ctx, params) => {
        const tenantId = partnerOf(ctx, params);
        const before = ctx.store.get(COLLECTION, tenantId);
        if (!before) throw notFound(tenantId);
        const entity: Entity = { ...before, ...checked(requireBody(ctx.request.body), tenantId), id: tenantId, tenantId };
        ctx.store.put(COLLECTION, entity);
        audit(ctx, "Update cross-tenant identity synchronization policy", before, entity);
        return { status: 204 };
      },
    },
    {
      method: "DELETE",
      path: PATH,
      permissions: WRITE,
      handler: (ctx, params) => {
        const tenantId = partnerOf(ctx, params);
        const before = ctx.store.get(COLLECTION, tenantId);
        if (!before) throw notFound(tenantId);
        ctx.store.remove(COLLECTION, tenantId, "deleted");
        audit(ctx, "Delete cross-tenant identity synchronization policy", before, undefined);
        return { status: 204 };
      },
    },
  ],
});
