/**
 * `/policies/crossTenantAccessPolicy` (root), `/default` (singleton, `resetToSystemDefault`) and
 * `/partners/{tenantId}` (keyed by tenant id; soft delete under
 * `/policies/deletedItems/crossTenantPartners`, restorable for 30 days).
 */
import type { Entity } from "../../../core/entity.js";
import { isRecord } from "../../../core/entity.js";
import { GraphHttpError, badRequest } from "../../../core/errors.js";
import { defineResource } from "../../../core/resource.js";
import type { ResourceDefinition } from "../../../core/resource.js";
import { createWithId, lazyCollectionRoutes, lazySingletonRoutes, singletonEntity } from "../lazy-routes.js";
import { policyBinRoutes } from "../policy-bin-routes.js";
import { BINS, COLLECTIONS, apiVersion } from "../policy-context.js";
import { isGuid } from "../references.js";
import { mergeSettingsPatch } from "../settings-body.js";
import { crossTenantRoot, partnerDefaults, serviceDefaultConfiguration } from "./cross-tenant-defaults.js";

const ROOT = "/policies/crossTenantAccessPolicy";
const READ = ["Policy.Read.All"];
const WRITE = ["Policy.ReadWrite.CrossTenantAccess"];
const AUDIT_BASE = { service: "Core Directory", category: "Policy", targetType: "Policy" };

/** The Microsoft clouds `allowedCloudEndpoints` may name (docs/graph-behaviour.md, cross-tenant access policy). */
const CLOUD_ENDPOINTS: readonly string[] = ["microsoftonline.com", "microsoftonline.us", "partner.microsoftonline.cn"];

function checkCloudEndpoints(value: unknown): void {
  if (!Array.isArray(value)) throw badRequest("Invalid value specified for property 'allowedCloudEndpoints' of resource 'CrossTenantAccessPolicy'.");
  for (const item of value) {
    if (typeof item !== "string" || !CLOUD_ENDPOINTS.includes(item.toLowerCase())) {
      throw badRequest(`Invalid value '${String(item)}' specified for property 'allowedCloudEndpoints' of resource 'CrossTenantAccessPolicy'. Supported values: ${CLOUD_ENDPOINTS.join(", ")}.`);
    }
  }
  if (new Set(value.map((v: string) => v.toLowerCase())).size !== value.length) throw badRequest("Property 'allowedCloudEndpoints' of resource 'CrossTenantAccessPolicy' names a cloud twice.");
}

export const crossTenantAccessPolicy: ResourceDefinition = defineResource({
  collection: COLLECTIONS.crossTenantAccessPolicy,
  entityType: "microsoft.graph.crossTenantAccessPolicy",
  resourceName: "CrossTenantAccessPolicy",
  paths: [{ path: ROOT, versions: [] }],
  permissions: { read: READ, write: WRITE },
  readOnly: { id: "ignore" },
  replicated: false,
  update: (ctx, existing, patch) => {
    const merged: Record<string, unknown> = { ...crossTenantRoot(), ...mergeSettingsPatch(existing, patch, "crossTenantAccessPolicy", "CrossTenantAccessPolicy", apiVersion(ctx)), id: existing.id };
    checkCloudEndpoints(merged["allowedCloudEndpoints"]);
    return merged as Entity;
  },
  audit: { ...AUDIT_BASE, update: "Update cross-tenant access policy" },
  routes: lazySingletonRoutes(ROOT, () => crossTenantAccessPolicy, { read: READ, write: WRITE }),
});

export const crossTenantDefault: ResourceDefinition = defineResource({
  collection: COLLECTIONS.crossTenantDefault,
  entityType: "microsoft.graph.crossTenantAccessPolicyConfigurationDefault",
  resourceName: "CrossTenantAccessPolicyConfigurationDefault",
  paths: [{ path: `${ROOT}/default`, versions: [] }],
  permissions: { read: READ, write: WRITE },
  readOnly: { id: "ignore", isServiceDefault: "ignore" },
  replicated: false,
  update: (ctx, existing, patch) => ({
    ...mergeSettingsPatch(existing, patch, "crossTenantAccessPolicyConfigurationDefault", "CrossTenantAccessPolicyConfigurationDefault", apiVersion(ctx)),
    id: existing.id,
    isServiceDefault: false,
  }) as Entity,
  view: (_ctx, entity) => {
    const { id: _id, ...rest } = entity;
    return rest as Entity;
  },
  audit: { ...AUDIT_BASE, update: "Update the company default cross-tenant access setting" },
  routes: [
    ...lazySingletonRoutes(`${ROOT}/default`, () => crossTenantDefault, { read: READ, write: WRITE }),
    {
      method: "POST",
      path: `${ROOT}/default/resetToSystemDefault`,
      permissions: WRITE,
      handler: (ctx) => {
        const existing = singletonEntity(ctx, crossTenantDefault);
        ctx.store.put(COLLECTIONS.crossTenantDefault, { id: existing.id, ...serviceDefaultConfiguration() });
        ctx.audit({ activity: "Reset the cross-tenant access default setting", category: "Policy", service: "Core Directory", operationType: "Update", targets: [{ id: existing.id, type: "Policy" }] });
        return { status: 204 };
      },
    },
  ],
});

function partnerBody(ctx: Parameters<NonNullable<ResourceDefinition["create"]>>[0], base: Record<string, unknown>, patch: unknown): Record<string, unknown> {
  return mergeSettingsPatch(base, patch, "crossTenantAccessPolicyConfigurationPartner", "CrossTenantAccessPolicyConfigurationPartner", apiVersion(ctx), ["tenantId", "id"]);
}

export const crossTenantPartners: ResourceDefinition = defineResource({
  collection: COLLECTIONS.crossTenantPartners,
  entityType: "microsoft.graph.crossTenantAccessPolicyConfigurationPartner",
  resourceName: "CrossTenantAccessPolicyConfigurationPartner",
  paths: [{ path: `${ROOT}/partners`, versions: [] }],
  permissions: { read: READ, write: WRITE },
  readOnly: { tenantId: "ignore", id: "ignore" },
  replicated: false,
  create: (ctx, body, id) => ({ ...partnerBody(ctx, partnerDefaults(), body), tenantId: id, id }),
  update: (ctx, existing, patch) => ({ ...partnerBody(ctx, existing, patch), tenantId: existing.id, id: existing.id }) as Entity,
  view: (_ctx, entity) => {
    const { id: _id, deletedDateTime, ...rest } = entity;
    return (deletedDateTime === undefined ? rest : { ...rest, deletedDateTime }) as Entity;
  },
  softDelete: { bin: BINS.crossTenantPartners },
  audit: {
    ...AUDIT_BASE,
    add: "Add a partner to cross-tenant access setting",
    update: "Update a partner cross-tenant access setting",
    delete: "Delete partner specific cross-tenant access setting",
    restore: "Restore partner specific cross-tenant access setting",
    hardDelete: "Hard delete partner specific cross-tenant access setting",
  },
  routes: [
    ...lazyCollectionRoutes(`${ROOT}/partners`, () => crossTenantPartners, { read: READ, write: WRITE, create: false }),
    {
      method: "POST",
      path: `${ROOT}/partners`,
      permissions: WRITE,
      handler: (ctx) => {
        const body = ctx.request.body;
        if (!isRecord(body) || typeof body["tenantId"] !== "string" || !isGuid(body["tenantId"])) {
          throw badRequest("Invalid value specified for property 'tenantId' of resource 'CrossTenantAccessPolicyConfigurationPartner'.");
        }
        const tenantId = body["tenantId"].toLowerCase();
        if (tenantId === ctx.core.tenantId.toLowerCase()) throw badRequest("A partner configuration cannot be created for the tenant itself.");
        if (ctx.store.get(COLLECTIONS.crossTenantPartners, tenantId) || ctx.store.bin(BINS.crossTenantPartners).has(tenantId)) {
          throw new GraphHttpError(409, "Request_MultipleObjectsWithSameKeyValue", `A partner configuration for tenant '${tenantId}' already exists.`);
        }
        const entity = createWithId(ctx, crossTenantPartners, body, tenantId);
        const { id: _id, ...shown } = entity;
        return { status: 201, body: { "@odata.context": `${ctx.request.serviceRoot}/$metadata#policies/crossTenantAccessPolicy/partners/$entity`, ...shown } };
      },
    },
    ...policyBinRoutes({ path: "/policies/deletedItems/crossTenantPartners", bin: BINS.crossTenantPartners, def: () => crossTenantPartners, read: READ, write: WRITE, appOnlyUnsupported: true }),
  ],
});
