/**
 * `GET /tenantRelationships/findTenantInformationByTenantId(tenantId='…')` and
 * `…/findTenantInformationByDomainName(domainName='…')`: the public name of a tenant (its own, or
 * one of the other tenants the sandbox's world knows, added by seeds). Permission:
 * CrossTenantInformation.ReadBasic.All (docs/graph-behaviour.md §10). An unknown tenant is a 404.
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { badRequest, notFound } from "../core/errors.js";
import { defineResource } from "../core/resource.js";

/** The store collection of other tenants (tenantId → displayName, defaultDomainName). */
export const EXTERNAL_TENANTS = "$externalTenants";

const READ = ["CrossTenantInformation.ReadBasic.All"];

function information(ctx: RequestContext, tenant: Entity): Record<string, unknown> {
  return {
    "@odata.context": `${ctx.request.serviceRoot}/$metadata#microsoft.graph.tenantInformation`,
    tenantId: tenant.id,
    displayName: tenant["displayName"] ?? null,
    defaultDomainName: tenant["defaultDomainName"] ?? null,
    federationBrandName: null,
  };
}

function knownTenants(ctx: RequestContext): Entity[] {
  const own: Entity = { id: ctx.core.tenantId, displayName: ctx.core.organizationName, defaultDomainName: ctx.core.domain };
  return [own, ...ctx.store.list(EXTERNAL_TENANTS)];
}

const BY_ID = /^findTenantInformationByTenantId\(tenantId='([^']*)'\)$/i;
const BY_DOMAIN = /^findTenantInformationByDomainName\(domainName='([^']*)'\)$/i;

export const tenantInformation = defineResource({
  collection: EXTERNAL_TENANTS,
  entityType: "microsoft.graph.tenantInformation",
  resourceName: "TenantInformation",
  paths: [],
  permissions: { read: READ, write: [] },
  routes: [
    {
      method: "GET",
      path: "/tenantRelationships/{call}",
      permissions: READ,
      handler: (ctx, params) => {
        const call = decodeURIComponent(params["call"] ?? "");
        const byId = BY_ID.exec(call);
        const byDomain = BY_DOMAIN.exec(call);
        if (!byId && !byDomain) throw badRequest(`Resource not found for the segment '${call}'.`);
        const wanted = (byId?.[1] ?? byDomain?.[1] ?? "").toLowerCase();
        const tenant = knownTenants(ctx).find((t) => (byId ? t.id.toLowerCase() : String(t["defaultDomainName"] ?? "").toLowerCase()) === wanted);
        if (!tenant) throw notFound(wanted);
        return { status: 200, body: information(ctx, tenant) };
      },
    },
  ],
});
