/**
 * `/policies/authenticationFlowsPolicy`: the tenant's authentication flows policy, one object read by
 * GET and written by PATCH (204). Only `selfServiceSignUp` is writable, an object whose `isEnabled`
 * must be a boolean; id, displayName and description are read-only (docs/graph-behaviour.md,
 * authentication flows policy).
 */
import type { Entity } from "../../../core/entity.js";
import { isRecord } from "../../../core/entity.js";
import { badRequest } from "../../../core/errors.js";
import type { RequestContext } from "../../../core/context.js";
import { entityResponse, updateEntity } from "../../../core/crud.js";
import { defineResource } from "../../../core/resource.js";
import type { ResourceDefinition } from "../../../core/resource.js";

const PATH = "/policies/authenticationFlowsPolicy";
const READ = ["Policy.Read.All"];
const WRITE = ["Policy.ReadWrite.AuthenticationFlows"];
const ID = "authenticationFlowsPolicy";
const NAME = "AuthenticationFlowsPolicy";

/** The one object, created on first use: self-service sign-up is off in a new tenant. */
function current(ctx: RequestContext): Entity {
  const existing = ctx.store.get(authenticationFlowsPolicy.collection, ID);
  if (existing) return existing;
  const entity: Entity = {
    id: ID,
    displayName: "Authentication flows policy",
    description: "Authentication flows policy allows modification of settings related to authentication flows in AAD tenant, such as self-service sign up configuration.",
    selfServiceSignUp: { isEnabled: false },
  };
  ctx.store.put(authenticationFlowsPolicy.collection, entity);
  return entity;
}

function checkSelfServiceSignUp(value: unknown): { isEnabled: boolean } {
  if (!isRecord(value)) throw badRequest(`Invalid value specified for property 'selfServiceSignUp' of resource '${NAME}'.`, "Request_BadRequest");
  for (const key of Object.keys(value)) {
    if (key === "@odata.type") continue;
    if (key !== "isEnabled") throw badRequest(`Property '${key}' does not exist on type 'microsoft.graph.selfServiceSignUpAuthenticationFlowConfiguration'.`, "Request_BadRequest");
  }
  if (typeof value["isEnabled"] !== "boolean") throw badRequest(`Invalid value specified for property 'selfServiceSignUp.isEnabled' of resource '${NAME}'.`, "Request_BadRequest");
  return { isEnabled: value["isEnabled"] };
}

export const authenticationFlowsPolicy: ResourceDefinition = defineResource({
  collection: "authenticationFlowsPolicy",
  entityType: "microsoft.graph.authenticationFlowsPolicy",
  resourceName: NAME,
  paths: [{ path: PATH, versions: [] }],
  permissions: { read: READ, write: WRITE },
  readOnly: { id: "ignore" },
  replicated: false,
  update: (_ctx, existing, patch) => {
    for (const key of Object.keys(patch)) {
      if (key === "@odata.type") continue;
      if (key !== "selfServiceSignUp") throw badRequest(`Property '${key}' is read-only and cannot be set.`, "Request_BadRequest");
    }
    if (patch["selfServiceSignUp"] === undefined) return existing;
    return { ...existing, selfServiceSignUp: checkSelfServiceSignUp(patch["selfServiceSignUp"]), id: existing.id };
  },
  audit: { service: "Core Directory", category: "Policy", targetType: "Policy", update: "Update authentication flows policy" },
  routes: [
    { method: "GET", path: PATH, permissions: [...READ, ...WRITE], handler: (ctx) => entityResponse(ctx, authenticationFlowsPolicy, current(ctx)) },
    {
      method: "PATCH",
      path: PATH,
      permissions: WRITE,
      handler: (ctx) => {
        updateEntity(ctx, authenticationFlowsPolicy, current(ctx), ctx.request.body);
        return { status: 204 };
      },
    },
  ],
});
