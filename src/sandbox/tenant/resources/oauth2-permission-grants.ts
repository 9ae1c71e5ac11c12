/**
 * `/oauth2PermissionGrants`: delegated permission grants (docs/graph-behaviour.md, delegated
 * permission grants). Create needs `clientId` and `resourceId` (service principals' object ids) and
 * `consentType` (`AllPrincipals` with no `principalId`, or `Principal` with a user's); every value
 * of `scope` must be a delegated permission the resource service principal publishes; a second
 * grant for the same client, resource and principal is a 409. PATCH writes `scope` only.
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { badRequest, GraphHttpError, invalidPropertyValue, refuseUnknownProperties } from "../core/errors.js";
import { defineResource } from "../core/resource.js";

const RESOURCE = "OAuth2PermissionGrant";
const PROPERTIES = new Set(["id", "clientId", "consentType", "principalId", "resourceId", "scope"]);
const CREATE_ONLY = ["clientId", "consentType", "principalId", "resourceId"];

function scopeValues(scope: unknown): string[] {
  return typeof scope === "string" ? scope.split(" ").filter((s) => s !== "") : [];
}

function checkScope(ctx: RequestContext, entity: Entity): void {
  if (typeof entity["scope"] !== "string") throw invalidPropertyValue("scope", RESOURCE);
  const resource = ctx.store.get("servicePrincipals", String(entity["resourceId"]));
  const published = resource?.["oauth2PermissionScopes"];
  if (!Array.isArray(published)) return;
  const known = new Set(published.map((s) => (s !== null && typeof s === "object" && "value" in s ? String((s as { value: unknown }).value) : "")));
  for (const value of scopeValues(entity["scope"])) {
    if (!known.has(value)) throw badRequest(`Invalid value specified for property 'scope' of resource '${RESOURCE}': '${value}' is not a delegated permission of the resource.`);
  }
}

export const oauth2PermissionGrants = defineResource({
  collection: "oauth2PermissionGrants",
  entityType: "microsoft.graph.oAuth2PermissionGrant",
  resourceName: RESOURCE,
  paths: [{ path: "/oauth2PermissionGrants" }],
  // Reading: the permissions Graph's reference lists for GET and list (docs/graph-behaviour.md, delegated permission grants).
  permissions: { read: ["Directory.Read.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.ReadWrite.All"], write: ["DelegatedPermissionGrant.ReadWrite.All"] },
  paging: { defaultTop: 100, maxTop: 999 },
  filter: { id: ["eq", "in"], clientId: ["eq"], resourceId: ["eq"], principalId: ["eq"], consentType: ["eq"] },
  orderBy: {},
  create(_ctx, body, id) {
    for (const key of ["clientId", "resourceId"]) {
      if (typeof body[key] !== "string" || body[key] === "") throw invalidPropertyValue(key, RESOURCE);
    }
    return { principalId: null, scope: "", ...body, id, clientId: String(body["clientId"]).toLowerCase(), resourceId: String(body["resourceId"]).toLowerCase() } as Entity;
  },
  references: (entity) => [String(entity["clientId"]), String(entity["resourceId"]), ...(typeof entity["principalId"] === "string" ? [entity["principalId"]] : [])],
  validate(ctx, entity, previous) {
    refuseUnknownProperties(entity, PROPERTIES);
    if (previous) {
      // Only scope can be updated (docs/graph-behaviour.md, delegated permission grants).
      for (const key of CREATE_ONLY) if (entity[key] !== previous[key]) throw badRequest(`Property '${key}' of resource '${RESOURCE}' cannot be updated; only 'scope' can.`);
      checkScope(ctx, entity);
      return;
    }
    const consentType = entity["consentType"];
    if (consentType !== "AllPrincipals" && consentType !== "Principal") throw invalidPropertyValue("consentType", RESOURCE);
    const principalId = entity["principalId"];
    if (consentType === "Principal" && (typeof principalId !== "string" || principalId === "")) throw invalidPropertyValue("principalId", RESOURCE);
    if (consentType === "AllPrincipals" && principalId !== null) throw invalidPropertyValue("principalId", RESOURCE);
    if (!ctx.system) {
      for (const key of ["clientId", "resourceId"]) ctx.core.requireReference(String(entity[key]), ["servicePrincipals"]);
      if (typeof principalId === "string") ctx.core.requireReference(principalId, ["users"]);
    }
    checkScope(ctx, entity);
    const duplicate = ctx.store.list("oauth2PermissionGrants").some(
      (g) => g.id !== entity.id && g["clientId"] === entity["clientId"] && g["resourceId"] === entity["resourceId"] && g["consentType"] === consentType && (g["principalId"] ?? null) === (principalId ?? null),
    );
    if (duplicate) throw new GraphHttpError(409, "Request_MultipleObjectsWithSameKeyValue", "Permission entry already exists.");
  },
  audit: { service: "Core Directory", category: "ApplicationManagement", targetType: "ServicePrincipal", add: "Add delegated permission grant", update: "Update delegated permission grant", delete: "Remove delegated permission grant" },
});
