import { badRequest, notFound } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { entityResponse } from "../core/crud.js";
import { listResponse } from "../odata/list.js";
import { directoryObjectList } from "./directory-objects.js";
import { memberOfObjects } from "./users.js";

const ME_READ = ["User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];

function signedInUser(ctx: RequestContext): Entity {
  const principal = ctx.request.principal;
  if (principal.type !== "user" || !principal.userId) {
    throw badRequest("/me request is only valid with delegated authentication flow.");
  }
  const user = ctx.store.get("users", principal.userId);
  if (!user) throw notFound(principal.userId);
  return user;
}

/** `/me` for delegated tokens (an app-only token gets Graph's 400). */
export const me = defineResource({
  collection: "$me",
  entityType: "microsoft.graph.user",
  resourceName: "User",
  paths: [],
  permissions: { read: ME_READ, write: [] },
  routes: [
    {
      method: "GET",
      path: "/me",
      permissions: ME_READ,
      handler: (ctx) => {
        const response = entityResponse(ctx, ctx.core.resource("users"), signedInUser(ctx));
        const body = { ...(response.body as Record<string, unknown>), "@odata.context": `${ctx.request.serviceRoot}/$metadata#users/$entity` };
        return { ...response, body };
      },
    },
    {
      method: "GET",
      path: "/me/memberOf",
      permissions: ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "User.Read"],
      handler: (ctx) => listResponse(ctx, directoryObjectList, memberOfObjects(ctx, signedInUser(ctx).id), { contextPath: "directoryObjects" }),
    },
  ],
});
