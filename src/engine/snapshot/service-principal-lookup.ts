/**
 * Names for the appIds documents point at that no managed object carries (README "Names for
 * GUIDs"): the resources applications ask permissions of (`resource:Microsoft Graph`, with their
 * app roles and scopes for `permission:<value>`), and the first-party apps Conditional Access
 * policies target (a `# display name` comment). Read from the tenant's service principals,
 * `$filter=appId in (…)` 15 values a request; a resource named only in documents is looked up by
 * display name at plan time.
 */
import type { JsonObject, JsonValue } from "../../model/document.js";
import { isGuid } from "../../kinds/reference-syntax.js";
import { GraphError } from "../../graph/errors.js";
import type { GraphGateway } from "../../graph/types.js";
import { allReferenceFields } from "../../kinds/normalize.js";
import { visitPath } from "../../kinds/paths.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { DirectoryIndex } from "./directory-index.js";

/** Values per `in (…)` filter: conservative, Graph's maximum is unverified (docs/graph-behaviour.md §11). */
const CHUNK = 15;
const SELECT = "id,appId,displayName,appRoles,oauth2PermissionScopes";

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

const quote = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** Permissions managed applications and service principals publish (their raw Graph bodies). */
export function addManagedPermissions(index: DirectoryIndex, kind: string, bodies: readonly JsonObject[]): void {
  for (const body of bodies) {
    const appId = text(body.appId);
    if (appId === undefined) continue;
    const api = body.api;
    const scopes = kind === "application" ? (typeof api === "object" && api !== null && !Array.isArray(api) ? api.oauth2PermissionScopes : undefined) : body.oauth2PermissionScopes;
    index.addPermissions(appId, body.appRoles, scopes);
  }
}

/** GUIDs in `by: appId` reference fields that the index cannot name yet. */
export function unknownAppIds(descriptors: readonly KindDescriptor[], bodies: ReadonlyMap<string, readonly JsonObject[]>, index: DirectoryIndex): string[] {
  const ids = new Set<string>();
  for (const descriptor of descriptors) {
    const fields = allReferenceFields(descriptor).filter((field) => field.by === "appId");
    if (fields.length === 0) continue;
    for (const body of bodies.get(descriptor.kind) ?? []) {
      for (const field of fields) {
        visitPath(body, field.path, (_parent, _key, value) => {
          for (const item of Array.isArray(value) ? value : [value]) {
            if (typeof item === "string" && isGuid(item) && !index.knowsAppId(item)) ids.add(item.toLowerCase());
          }
        });
      }
    }
  }
  return [...ids].sort();
}

/**
 * GUIDs in `by: id` reference fields that may name a resource (`resource` among the targets: a
 * delegated grant's or an app role assignment's `resourceId`) that the index cannot name yet.
 */
export function unknownResourceIds(descriptors: readonly KindDescriptor[], bodies: ReadonlyMap<string, readonly JsonObject[]>, index: DirectoryIndex): string[] {
  const ids = new Set<string>();
  for (const descriptor of descriptors) {
    const fields = allReferenceFields(descriptor).filter((field) => (field.by ?? "id") === "id" && field.targets.includes("resource"));
    for (const body of fields.length === 0 ? [] : (bodies.get(descriptor.kind) ?? [])) {
      for (const field of fields) {
        visitPath(body, field.path, (_parent, _key, value) => {
          if (typeof value === "string" && isGuid(value) && !index.knows(value)) ids.add(value.toLowerCase());
        });
      }
    }
  }
  return [...ids].sort();
}

async function lookUp(gateway: GraphGateway, index: DirectoryIndex, property: "appId" | "displayName" | "id", values: readonly string[]): Promise<void> {
  try {
    for (let start = 0; start < values.length; start += CHUNK) {
      const chunk = values.slice(start, start + CHUNK);
      const found = await gateway.list("/servicePrincipals", { query: { $filter: `${property} in (${chunk.map(quote).join(",")})`, $select: SELECT } });
      for (const sp of found) {
        const id = text(sp.id);
        const appId = text(sp.appId);
        const displayName = text(sp.displayName);
        if (id && appId && displayName) {
          index.addServicePrincipal({ id, appId, displayName, ...(sp.appRoles !== undefined ? { appRoles: sp.appRoles } : {}), ...(sp.oauth2PermissionScopes !== undefined ? { oauth2PermissionScopes: sp.oauth2PermissionScopes } : {}) });
        }
      }
    }
  } catch (error) {
    // Without Application.Read.All (a configuration managing Conditional Access only) the ids stay GUIDs.
    if (error instanceof GraphError && error.status === 403) {
      index.servicePrincipalsRefused = true;
      return;
    }
    throw error;
  }
}

/** Service principals by appId, into the index (names, permissions, comments). */
export async function lookUpServicePrincipals(gateway: GraphGateway, index: DirectoryIndex, appIds: readonly string[]): Promise<void> {
  await lookUp(gateway, index, "appId", appIds);
}

/**
 * Service principals by object id (the resources delegated grants and app role assignments name,
 * often Microsoft's own: `resource:Microsoft Graph`, with their app roles), into the index.
 */
export async function lookUpResourcesById(gateway: GraphGateway, index: DirectoryIndex, ids: readonly string[]): Promise<void> {
  await lookUp(gateway, index, "id", ids);
}

/** Service principals by display name (`resource:<name>` written in documents only), into the index. */
export async function lookUpResourcesByName(gateway: GraphGateway, index: DirectoryIndex, names: readonly string[]): Promise<void> {
  await lookUp(gateway, index, "displayName", names);
}
