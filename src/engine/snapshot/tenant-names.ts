/**
 * Public names of other tenants (cross-tenant partners), for their documents' names and comments:
 * `GET /tenantRelationships/findTenantInformationByTenantId(tenantId='…')`, one request per tenant
 * (partners are few). Needs CrossTenantInformation.ReadBasic.All: without it, or for a tenant Graph
 * does not find, the tenant id stays the name (docs/graph-behaviour.md §10).
 */
import type { JsonValue } from "../../model/document.js";
import { isGuid } from "../../kinds/reference-syntax.js";
import { GraphError } from "../../graph/errors.js";
import type { GraphGateway } from "../../graph/types.js";

/** Tenant id (lower-case) → display name, for the ids Graph names. */
export async function lookUpTenantNames(gateway: GraphGateway, values: readonly (JsonValue | undefined)[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const ids = [...new Set(values.filter((v): v is string => typeof v === "string" && isGuid(v)).map((v) => v.toLowerCase()))].sort();
  for (const id of ids) {
    try {
      const info = await gateway.get(`/tenantRelationships/findTenantInformationByTenantId(tenantId='${id}')`);
      const name = info?.displayName;
      if (typeof name === "string" && name.trim() !== "") names.set(id, name);
    } catch (error) {
      if (error instanceof GraphError && (error.status === 403 || error.status === 404)) continue;
      throw error;
    }
  }
  return names;
}
