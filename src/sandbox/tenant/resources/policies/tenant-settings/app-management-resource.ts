/**
 * `/policies/defaultAppManagementPolicy`: the tenant's default app management policy, one object read
 * by GET and written by PATCH (204). `isEnabled` (boolean), `applicationRestrictions` and
 * `servicePrincipalRestrictions` (objects) are written; anything else is refused
 * (docs/graph-behaviour.md, app management policy).
 */
import type { Entity } from "../../../core/entity.js";
import { isRecord } from "../../../core/entity.js";
import { badRequest } from "../../../core/errors.js";
import type { RequestContext } from "../../../core/context.js";
import { entityResponse, updateEntity } from "../../../core/crud.js";
import { defineResource } from "../../../core/resource.js";
import type { ResourceDefinition } from "../../../core/resource.js";

const PATH = "/policies/defaultAppManagementPolicy";
const READ = ["Policy.Read.All", "Policy.Read.ApplicationConfiguration"];
const WRITE = ["Policy.ReadWrite.ApplicationConfiguration"];
const ID = "00000000-0000-0000-0000-000000000000";
const NAME = "TenantAppManagementPolicy";

function current(ctx: RequestContext): Entity {
  const existing = ctx.store.get(tenantAppManagementPolicy.collection, ID);
  if (existing) return existing;
  const entity: Entity = {
    id: ID,
    displayName: "Default app management tenant policy",
    description: "Default tenant policy that enforces app management restrictions on applications and service principals.",
    isEnabled: false,
    applicationRestrictions: { passwordCredentials: [], keyCredentials: [] },
    servicePrincipalRestrictions: { passwordCredentials: [], keyCredentials: [] },
  };
  ctx.store.put(tenantAppManagementPolicy.collection, entity);
  return entity;
}

export const tenantAppManagementPolicy: ResourceDefinition = defineResource({
  collection: "defaultAppManagementPolicy",
  entityType: "microsoft.graph.tenantAppManagementPolicy",
  resourceName: NAME,
  paths: [{ path: PATH, versions: [] }],
  permissions: { read: READ, write: WRITE },
  readOnly: { id: "ignore" },
  replicated: false,
  update: (_ctx, existing, patch) => {
    for (const [key, value] of Object.entries(patch)) {
      if (key === "@odata.type") continue;
      if (key === "isEnabled") {
        if (typeof value !== "boolean") throw badRequest(`Invalid value specified for property 'isEnabled' of resource '${NAME}'.`, "Request_BadRequest");
      } else if (key === "applicationRestrictions" || key === "servicePrincipalRestrictions") {
        if (value !== null && !isRecord(value)) throw badRequest(`Invalid value specified for property '${key}' of resource '${NAME}'.`, "Request_BadRequest");
      } else {
        throw badRequest(`Property '${key}' cannot be set on resource '${NAME}'.`, "Request_BadRequest");
      }
    }
    return { ...existing, ...patch, id: existing.id } as Entity;
  },
  audit: { service: "Core Directory", category: "Policy", targetType: "Policy", update: "Update app management policy" },
  routes: [
    { method: "GET", path: PATH, permissions: [...READ, ...WRITE], handler: (ctx) => entityResponse(ctx, tenantAppManagementPolicy, current(ctx)) },
    {
      method: "PATCH",
      path: PATH,
      permissions: WRITE,
      handler: (ctx) => {
        updateEntity(ctx, tenantAppManagementPolicy, current(ctx), ctx.request.body);
        return { status: 204 };
      },
    },
  ],
});
