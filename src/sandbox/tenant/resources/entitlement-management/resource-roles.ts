/**
 * The roles and scopes of a catalog resource (docs/graph-behaviour.md, access package resource
 * role scopes): present as soon as the resource is added to a catalog. A group has two roles,
 * `Member` and `Owner` (originId `Member_<group id>`, `Owner_<group id>`); an application's
 * service principal has its app roles (originId the app role's id), a SharePoint Online site its
 * site roles (sharepoint-sites.ts; originId the role's sequence number); every resource has one root
 * scope (originId the resource's own originId). Listed at `…/catalogs/{id}/resourceRoles` only
 * with a `$filter` naming `originSystem` and `resource/id`, as Graph documents it.
 */
import type { RequestContext } from "../../core/context.js";
import type { Entity } from "../../core/entity.js";
import { isRecord } from "../../core/entity.js";
import { badRequest } from "../../core/errors.js";
import { SITE_ROLES } from "./sharepoint-sites.js";

export interface ResourceRole {
  id: string;
  displayName: string;
  description: string | null;
  originSystem: string;
  originId: string;
}

export interface ResourceScope {
  id: string;
  displayName: string;
  description: string;
  originSystem: string;
  originId: string;
  isRootScope: boolean;
}

/** The roles a resource gets when it is added, from its origin object (a group, a service principal). */
export function rolesOf(ctx: RequestContext, originSystem: string, originId: string, origin: Entity | undefined): ResourceRole[] {
  if (originSystem === "AadGroup") {
    return ["Member", "Owner"].map((name) => ({ id: ctx.store.newId(), displayName: name, description: null, originSystem, originId: `${name}_${originId}` }));
  }
  if (originSystem === "AadApplication") {
    const appRoles = Array.isArray(origin?.["appRoles"]) ? origin["appRoles"].filter(isRecord) : [];
    return appRoles
      .filter((r) => r["isEnabled"] !== false && Array.isArray(r["allowedMemberTypes"]) && r["allowedMemberTypes"].includes("User"))
      .map((r) => ({ id: ctx.store.newId(), displayName: String(r["displayName"] ?? r["value"] ?? ""), description: typeof r["description"] === "string" ? r["description"] : null, originSystem, originId: String(r["id"]) }));
  }
  if (originSystem === "SharePointOnline") {
    return SITE_ROLES.map((r) => ({ id: ctx.store.newId(), displayName: r.displayName, description: null, originSystem, originId: r.originId }));
  }
  return [];
}

/** The one root scope of a resource. */
export function rootScopeOf(ctx: RequestContext, originSystem: string, originId: string): ResourceScope {
  return { id: ctx.store.newId(), displayName: "Root", description: "Root Scope", originSystem, originId, isRootScope: true };
}

/** The roles and scopes a stored resource holds (the sandbox keeps them on the resource). */
export function storedRoles(resource: Entity): ResourceRole[] {
  return Array.isArray(resource["roles"]) ? (resource["roles"] as ResourceRole[]) : [];
}

export function storedScopes(resource: Entity): ResourceScope[] {
  return Array.isArray(resource["scopes"]) ? (resource["scopes"] as ResourceScope[]) : [];
}

/**
 * The `originSystem` and `resource/id` a `resourceRoles` list names in its `$filter`: Graph lists a
 * catalog's resource roles only for one resource of one origin system.
 */
export function resourceRolesFilter(filter: string | undefined): { originSystem: string; resourceId: string } {
  const originSystem = /originSystem\s+eq\s+'([^']*)'/i.exec(filter ?? "")?.[1];
  const resourceId = /resource\/id\s+eq\s+'([^']*)'/i.exec(filter ?? "")?.[1];
  if (originSystem === undefined || resourceId === undefined) {
    throw badRequest("Listing resource roles requires a $filter on originSystem and resource/id (originSystem eq '…' and resource/id eq '…').", "BadRequest");
  }
  return { originSystem, resourceId };
}
