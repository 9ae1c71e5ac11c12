/**
 * `/policies/identitySecurityDefaultsEnforcementPolicy`: the tenant's security defaults, one object
 * read by GET and written by PATCH (204). Only `isEnabled` is writable and must be a boolean; id,
 * displayName and description are read-only (docs/graph-behaviour.md, security defaults).
 */
import type { Entity } from "../../../core/entity.js";
import { badRequest } from "../../../core/errors.js";
import type { RequestContext } from "../../../core/context.js";
import { entityResponse, updateEntity } from "../../../core/crud.js";
import { defineResource } from "../../../core/resource.js";
import type { ResourceDefinition } from "../../../core/resource.js";

const PATH = "/policies/identitySecurityDefaultsEnforcementPolicy";
const READ = ["Policy.Read.All"];
const WRITE = ["Policy.ReadWrite.SecurityDefaults", "Policy.ReadWrite.ConditionalAccess"];
const ID = "00000000-0000-0000-0000-000000000005";

/** The one object, created on first use: security defaults are on in a new tenant. */
function current(ctx: RequestContext): Entity {
  const existing = ctx.store.get(securityDefaults.collection, ID);
  if (existing) return existing;
  const entity: Entity = {
    id: ID,
    displayName: "Security Defaults",
    description: "Security defaults is a set of basic identity security mechanisms recommended by Microsoft.",
    isEnabled: true,
  };
  ctx.store.put(securityDefaults.collection, entity);
  return entity;
}

export const securityDefaults: ResourceDefinition = defineResource({
  collection: "identitySecurityDefaultsEnforcementPolicy",
  entityType: "microsoft.graph.identitySecurityDefaultsEnforcementPolicy",
  resourceName: "IdentitySecurityDefaultsEnforcementPolicy",
  paths: [{ path: PATH, versions: [] }],
  permissions: { read: READ, write: WRITE },
  readOnly: { id: "ignore" },
  replicated: false,
  update: (_ctx, existing, patch) => {
    for (const key of Object.keys(patch)) {
      if (key === "@odata.type") continue;
      if (key !== "isEnabled") throw badRequest(`Property '${key}' is read-only and cannot be set.`, "Request_BadRequest");
    }
    if (patch["isEnabled"] !== undefined && typeof patch["isEnabled"] !== "boolean") {
      throw badRequest("Invalid value specified for property 'isEnabled' of resource 'IdentitySecurityDefaultsEnforcementPolicy'.", "Request_BadRequest");
    }
    return { ...existing, ...(patch["isEnabled"] !== undefined ? { isEnabled: patch["isEnabled"] } : {}), id: existing.id };
  },
  audit: { service: "Core Directory", category: "Policy", targetType: "Policy", update: "Update security defaults policy" },
  routes: [
    { method: "GET", path: PATH, permissions: [...READ, ...WRITE], handler: (ctx) => entityResponse(ctx, securityDefaults, current(ctx)) },
    {
      method: "PATCH",
      path: PATH,
      permissions: WRITE,
      handler: (ctx) => {
        updateEntity(ctx, securityDefaults, current(ctx), ctx.request.body);
        return { status: 204 };
      },
    },
  ],
});
