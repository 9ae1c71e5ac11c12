/**
 * API permissions (`requiredResourceAccess`) by name (README "Names for GUIDs"): the resource is
 * `resource:<service principal display name>` (a reference field of the kind) and each permission
 * `permission:<value>`, the `value` of the resource's app role (`type: Role`) or delegated scope
 * (`type: Scope`), both read from the resource's service principal in the tenant. A permission
 * id the tenant does not name stays a GUID.
 */
import type { JsonObject } from "../model/document.js";
import { isJsonObject } from "../model/json.js";
import { parseReference } from "./reference-syntax.js";
import type { IdResolver, NameResolver, UnmanagedId } from "./references.js";
import { UnresolvedReferenceError } from "./references.js";
import type { AppRoleField } from "./descriptor-schema.js";

export const PERMISSION_PREFIX = "permission:";

/** `permission:User.Read` → `User.Read`; undefined for anything else. */
export function permissionName(value: string): string | undefined {
  if (!value.startsWith(PERMISSION_PREFIX)) return undefined;
  const name = value.slice(PERMISSION_PREFIX.length);
  return name.length > 0 && name.trim() === name ? name : undefined;
}

export interface PermissionSite {
  /** Indexed spec path of the permission's id, e.g. `requiredResourceAccess[0].resourceAccess[1].id`. */
  path: string;
  /** The resource as written (`resource:Microsoft Graph`, `application:x` or an appId). */
  resource: string;
  type: string;
  /** The id as written (`permission:User.Read` or a GUID). */
  value: string;
}

/** Every permission of the list at `listPath` (a top-level property), with its indexed path. */
export function permissionSites(spec: JsonObject, listPath: string): PermissionSite[] {
  const sites: PermissionSite[] = [];
  eachAccess(spec, listPath, (access, resource, path) =>
    sites.push({ path, resource, type: typeof access.type === "string" ? access.type : "", value: access.id as string }),
  );
  return sites;
}

function eachAccess(spec: JsonObject, listPath: string, fn: (access: JsonObject, resource: string, path: string) => void): void {
  const list = spec[listPath];
  if (!Array.isArray(list)) return;
  list.forEach((entry, i) => {
    if (!isJsonObject(entry) || typeof entry.resourceAppId !== "string" || !Array.isArray(entry.resourceAccess)) return;
    const resource = entry.resourceAppId;
    entry.resourceAccess.forEach((access, j) => {
      if (isJsonObject(access) && typeof access.id === "string") fn(access, resource, `${listPath}[${i}].resourceAccess[${j}].id`);
    });
  });
}

/**
 * Permission ids → `permission:<value>` in place, where the resolver knows them (export, and
 * documents written with GUIDs). An id a named resource does not publish stays, reported in
 * `unmanaged` with a comment saying so (`not a delegated permission of Office 365 Exchange Online`).
 */
export function permissionIdsToNames(spec: JsonObject, listPath: string, resolver: IdResolver, unmanaged: UnmanagedId[] = []): void {
  if (!resolver.permissionName) return;
  eachAccess(spec, listPath, (access, resource) => {
    const id = access.id as string;
    if (permissionName(id) !== undefined) return;
    const type = typeof access.type === "string" ? access.type : "";
    const name = resolver.permissionName?.(resource, type, id);
    if (name !== undefined) {
      access.id = `${PERMISSION_PREFIX}${name}`;
      return;
    }
    const reference = parseReference(resource);
    const kind = type === "Scope" ? "a delegated permission" : type === "Role" ? "an application permission" : undefined;
    if (reference !== undefined && kind !== undefined) unmanaged.push({ path: `${listPath}.resourceAccess.id`, id, displayName: `not ${kind} of ${reference.name}` });
  });
}

/**
 * `permission:<value>` → the permission's id in place (the resource already an appId); an unknown
 * one throws `UnresolvedReferenceError` naming its indexed path.
 */
export function permissionNamesToIds(spec: JsonObject, listPath: string, resolver: NameResolver): void {
  eachAccess(spec, listPath, (access, resourceAppId, path) => {
    const name = permissionName(access.id as string);
    if (name === undefined) return;
    const id = resolver.permissionId?.(resourceAppId, typeof access.type === "string" ? access.type : "", name);
    if (id === undefined) throw new UnresolvedReferenceError(path, access.id as string, "unknown");
    access.id = id;
  });
}

/** The app role id Graph takes for "assigned to the app without a specific app role" (default access). */
export const DEFAULT_ACCESS_APP_ROLE_ID = "00000000-0000-0000-0000-000000000000";

/**
 * An app role id (an app role assignment's `appRoleId`) → `permission:<value>` in place, the value
 * of the app role the resource named by `field.resource` publishes; an id it does not publish, or
 * the default access id, stays, with a comment saying so.
 */
export function appRoleIdToName(spec: JsonObject, field: AppRoleField, resolver: IdResolver, unmanaged: UnmanagedId[] = []): void {
  const id = spec[field.property];
  const resource = spec[field.resource];
  if (typeof id !== "string" || typeof resource !== "string" || permissionName(id) !== undefined) return;
  if (id === DEFAULT_ACCESS_APP_ROLE_ID) {
    unmanaged.push({ path: field.property, id, displayName: "default access (no specific app role)" });
    return;
  }
  const name = resolver.permissionName?.(resource, "Role", id);
  if (name !== undefined) {
    spec[field.property] = `${PERMISSION_PREFIX}${name}`;
    return;
  }
  const reference = parseReference(resource);
  if (reference !== undefined && resolver.permissionName) unmanaged.push({ path: field.property, id, displayName: `not an app role of ${reference.name}` });
}

/** `permission:<value>` of an app role field → the app role's id in place (the resource still a name); unknown throws `UnresolvedReferenceError`. */
export function appRoleNameToId(body: JsonObject, field: AppRoleField, resolver: NameResolver): void {
  const value = body[field.property];
  const resource = body[field.resource];
  const name = typeof value === "string" ? permissionName(value) : undefined;
  if (name === undefined || typeof value !== "string") return;
  const id = typeof resource === "string" ? resolver.permissionId?.(resource, "Role", name) : undefined;
  if (id === undefined) throw new UnresolvedReferenceError(field.property, value, "unknown");
  body[field.property] = id;
}
