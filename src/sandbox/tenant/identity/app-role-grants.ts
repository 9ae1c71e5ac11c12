import { randomBytes } from "node:crypto";
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { createEntity } from "../core/crud.js";
import { GRAPH_APP_ROLE_IDS, MICROSOFT_GRAPH_APP_ID } from "./graph-permissions.js";

export const APP_ROLE_ASSIGNMENTS = "appRoleAssignments";

export function servicePrincipalByAppId(ctx: { store: RequestContext["store"] }, appId: string): Entity | undefined {
  return ctx.store.lookup("servicePrincipals", "appId", appId)[0];
}

export function graphServicePrincipal(ctx: { store: RequestContext["store"] }): Entity | undefined {
  return servicePrincipalByAppId(ctx, MICROSOFT_GRAPH_APP_ID);
}

/** The service principal for an appId, created (system) if missing. */
export function ensureServicePrincipal(ctx: RequestContext, appId: string): Entity {
  return servicePrincipalByAppId(ctx, appId) ?? createEntity(ctx, ctx.core.resource("servicePrincipals"), { appId }).entity;
}

export function newAssignmentId(): string {
  return randomBytes(24).toString("base64url");
}

/** Admin consent of Microsoft Graph application permissions: app role assignments to Graph's SP. */
export function grantGraphAppRoles(ctx: RequestContext, appId: string, permissions: readonly string[]): void {
  const sp = ensureServicePrincipal(ctx, appId);
  const graph = graphServicePrincipal(ctx);
  if (!graph) throw new Error("Microsoft Graph service principal missing");
  for (const permission of permissions) {
    const appRoleId = GRAPH_APP_ROLE_IDS[permission];
    if (!appRoleId) throw new Error(`unknown Microsoft Graph application permission '${permission}'`);
    const exists = ctx.store.list(APP_ROLE_ASSIGNMENTS).some(
      (a) => a["principalId"] === sp.id && a["resourceId"] === graph.id && a["appRoleId"] === appRoleId,
    );
    if (exists) continue;
    const id = newAssignmentId();
    ctx.store.put(APP_ROLE_ASSIGNMENTS, {
      id,
      appRoleId,
      createdDateTime: ctx.nowIso(),
      deletedDateTime: null,
      principalDisplayName: sp["displayName"] ?? null,
      principalId: sp.id,
      principalType: "ServicePrincipal",
      resourceDisplayName: "Microsoft Graph",
      resourceId: graph.id,
    });
  }
}
