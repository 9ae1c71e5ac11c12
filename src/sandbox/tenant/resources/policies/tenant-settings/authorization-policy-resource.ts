/**
 * `/policies/authorizationPolicy`: on v1.0 the object itself (GET/PATCH); on beta a collection with one
 * member, `/policies/authorizationPolicy/authorizationPolicy`.
 */
import type { Entity } from "../../../core/entity.js";
import { badRequest } from "../../../core/errors.js";
import { entityResponse, updateEntity } from "../../../core/crud.js";
import { defineResource } from "../../../core/resource.js";
import type { ResourceDefinition } from "../../../core/resource.js";
import { listResponse } from "../../../odata/list.js";
import { lazySingletonRoutes, singletonEntity } from "../lazy-routes.js";
import { COLLECTIONS, apiVersion } from "../policy-context.js";
import { mergeSettingsPatch } from "../settings-body.js";
import { GUEST_ROLE_IDS } from "./settings-defaults.js";

const PATH = "/policies/authorizationPolicy";
const READ = ["Policy.Read.All"];
const WRITE = ["Policy.ReadWrite.Authorization"];

export const authorizationPolicy: ResourceDefinition = defineResource({
  collection: COLLECTIONS.authorizationPolicy,
  entityType: "microsoft.graph.authorizationPolicy",
  resourceName: "AuthorizationPolicy",
  paths: [{ path: PATH, versions: [] }],
  permissions: { read: READ, write: WRITE },
  readOnly: { id: "ignore" },
  replicated: false,
  update: (ctx, existing, patch) => {
    const merged = mergeSettingsPatch(existing, patch, "authorizationPolicy", "AuthorizationPolicy", apiVersion(ctx));
    const guestRole = merged["guestUserRoleId"];
    if (typeof guestRole === "string" && !Object.values(GUEST_ROLE_IDS).includes(guestRole.toLowerCase() as never)) {
      throw badRequest("Invalid value specified for property 'guestUserRoleId' of resource 'AuthorizationPolicy'.");
    }
    return { ...merged, id: existing.id } as Entity;
  },
  audit: { service: "Core Directory", category: "Policy", targetType: "Policy", update: "Update authorization policy" },
  routes: [
    ...lazySingletonRoutes(PATH, () => authorizationPolicy, { read: READ, write: WRITE }, ["v1.0"]),
    {
      method: "GET",
      path: PATH,
      versions: ["beta"],
      permissions: [...READ, ...WRITE],
      handler: (ctx) => listResponse(ctx, authorizationPolicy, [singletonEntity(ctx, authorizationPolicy)], { contextPath: "policies/authorizationPolicy" }),
    },
    {
      method: "GET",
      path: `${PATH}/authorizationPolicy`,
      versions: ["beta"],
      permissions: [...READ, ...WRITE],
      handler: (ctx) => entityResponse(ctx, authorizationPolicy, singletonEntity(ctx, authorizationPolicy)),
    },
    {
      method: "PATCH",
      path: `${PATH}/authorizationPolicy`,
      versions: ["beta"],
      permissions: WRITE,
      handler: (ctx) => {
        updateEntity(ctx, authorizationPolicy, singletonEntity(ctx, authorizationPolicy), ctx.request.body);
        return { status: 204 };
      },
    },
  ],
});
