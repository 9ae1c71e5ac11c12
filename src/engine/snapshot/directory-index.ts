import type { JsonValue } from "../../model/document.js";
import { parseReference } from "../../kinds/reference-syntax.js";
import type { ReferencePrefix } from "../../kinds/types.js";
import { comparableReferenceName } from "../../kinds/registry.js";
import type { IdResolver, NameResolver, ResolvedId } from "../../kinds/references.js";

/** A service principal as read for naming: an API's permissions, or a first-party app's name. */
export interface ServicePrincipalInfo {
  id: string;
  appId: string;
  displayName: string;
  appRoles?: JsonValue;
  oauth2PermissionScopes?: JsonValue;
}

/** Permission value ↔ id of one resource, per type (`Role`: app roles, `Scope`: delegated scopes). */
interface Permissions {
  names: Map<string, string>;
  ids: Map<string, string>;
}

interface Entry {
  prefix: ReferencePrefix;
  name: string;
  id: string;
  appId?: string;
}

/**
 * Both directions between tenant ids and document names, for one tenant: built from the objects
 * read (managed kinds), users looked up by id or UPN, and objects created during an apply. Ids are
 * compared case-insensitively, as Graph does.
 */
export class DirectoryIndex implements IdResolver, NameResolver {
  /** Per prefix, by lower-cased id (one map per prefix: a lookup hashes the id, not a joined key). */
  private readonly byId = new Map<ReferencePrefix, Map<string, Entry>>();
  private readonly byAppId = new Map<ReferencePrefix, Map<string, Entry>>();
  private readonly byName = new Map<string, Entry>();
  private readonly displayNames = new Map<string, string>();
  private readonly appDisplayNames = new Map<string, string>();
  private readonly ids = new Set<string>();
  /** `appId|type` → the resource's permissions of that type. */
  private readonly permissions = new Map<string, Permissions>();
  /**
   * Set when Graph refused to list service principals (403): resources and permissions then have
   * no names, and plan says why instead of calling a name unknown.
   */
  servicePrincipalsRefused = false;
  /** Graph refused `POST /directoryObjects/getByIds` (no Directory.Read.All): unmanaged ids stay GUIDs. */
  directoryObjectsRefused = false;
  /** Display names two resources share: neither is named by it. */
  private readonly ambiguousResources = new Set<string>();

  /** A managed object (`prefix:name`) with its id and, for applications and service principals, its appId. */
  add(prefix: ReferencePrefix, name: string, id: string, appId?: string): void {
    const entry: Entry = { prefix, name, id, ...(appId ? { appId } : {}) };
    const lower = id.toLowerCase();
    tableOf(this.byId, prefix).set(lower, entry);
    this.ids.add(lower);
    if (appId) tableOf(this.byAppId, prefix).set(appId.toLowerCase(), entry);
    this.byName.set(`${prefix}|${comparableReferenceName(prefix, name)}`, entry);
  }

  /** An object known only by its display name: its GUID stays, with a comment. */
  addDisplayName(id: string, displayName: string): void {
    this.displayNames.set(id.toLowerCase(), displayName);
    this.ids.add(id.toLowerCase());
  }

  /**
   * A service principal an application asks permissions of or a policy names (often Microsoft's own,
   * never a document): nameable as `resource:<display name>` (unless two share the name), its
   * appId commented with the name elsewhere, and its app roles and scopes named.
   */
  addServicePrincipal(sp: ServicePrincipalInfo): void {
    const appId = sp.appId.toLowerCase();
    this.appDisplayNames.set(appId, sp.displayName);
    this.addPermissions(appId, sp.appRoles, sp.oauth2PermissionScopes);
    if (this.ambiguousResources.has(sp.displayName)) return;
    const other = this.byName.get(`resource|${sp.displayName}`);
    if (other && other.appId?.toLowerCase() !== appId) {
      this.ambiguousResources.add(sp.displayName);
      this.byName.delete(`resource|${sp.displayName}`);
      if (other.appId) this.byAppId.get("resource")?.delete(other.appId.toLowerCase());
      return;
    }
    this.add("resource", sp.displayName, sp.id, appId);
  }

  /** Whether a service principal with this appId is known (managed, or read for naming). */
  knowsAppId(appId: string): boolean {
    const lower = appId.toLowerCase();
    return this.appDisplayNames.has(lower) || this.hasAppId("application", lower) || this.hasAppId("servicePrincipal", lower);
  }

  /** Whether an application registered in this tenant (read by the snapshot) has this appId. */
  hasApplicationFor(appId: string): boolean {
    return this.hasAppId("application", appId.toLowerCase());
  }

  /**
   * Whether the tenant has a service principal with this appId (managed, or read by appId): what a
   * Conditional Access policy needs to name the application (docs/graph-behaviour.md §11).
   */
  hasServicePrincipalFor(appId: string): boolean {
    const lower = appId.toLowerCase();
    return this.appDisplayNames.has(lower) || this.hasAppId("servicePrincipal", lower);
  }

  /** Whether `resource:<name>` resolves, or is a name two service principals share. */
  resourceState(name: string): "known" | "ambiguous" | "unknown" {
    if (this.byName.has(`resource|${name}`)) return "known";
    return this.ambiguousResources.has(name) ? "ambiguous" : "unknown";
  }

  /** The app roles (`Role`) and delegated scopes (`Scope`) an API publishes, by its appId. */
  addPermissions(appId: string, appRoles: JsonValue | undefined, scopes: JsonValue | undefined): void {
    const put = (type: string, list: JsonValue | undefined): void => {
      if (!Array.isArray(list)) return;
      const key = `${appId.toLowerCase()}|${type}`;
      const table = this.permissions.get(key) ?? { names: new Map<string, string>(), ids: new Map<string, string>() };
      for (const item of list) {
        if (typeof item !== "object" || item === null || Array.isArray(item)) continue;
        const { id, value } = item;
        if (typeof id !== "string" || typeof value !== "string" || value === "") continue;
        table.names.set(id.toLowerCase(), value);
        table.ids.set(value, id.toLowerCase());
      }
      this.permissions.set(key, table);
    };
    put("Role", appRoles);
    put("Scope", scopes);
  }

  /** The appId a resource value stands for: an appId, or `resource:`/`application:`/`servicePrincipal:` reference. */
  private appIdOf(resource: string): string | undefined {
    const reference = parseReference(resource);
    if (reference === undefined) return resource.toLowerCase();
    return this.resolveName(reference.prefix, reference.name, "appId")?.toLowerCase();
  }

  permissionName(resource: string, type: string, id: string): string | undefined {
    const appId = this.appIdOf(resource);
    return appId === undefined ? undefined : this.permissions.get(`${appId}|${type}`)?.names.get(id.toLowerCase());
  }

  permissionId(resourceAppId: string, type: string, name: string): string | undefined {
    const appId = this.appIdOf(resourceAppId);
    return appId === undefined ? undefined : this.permissions.get(`${appId}|${type}`)?.ids.get(name);
  }

  /** The values of a resource's permissions of one type, for messages. */
  permissionValues(resource: string, type: string): string[] {
    const appId = this.appIdOf(resource);
    return appId === undefined ? [] : [...(this.permissions.get(`${appId}|${type}`)?.ids.keys() ?? [])].sort();
  }

  knows(id: string): boolean {
    return this.ids.has(id.toLowerCase());
  }

  resolveId(id: string, targets: readonly ReferencePrefix[], by: "id" | "appId"): ResolvedId | undefined {
    const lower = id.toLowerCase();
    const tables = by === "appId" ? this.byAppId : this.byId;
    for (const prefix of targets) {
      const entry = tables.get(prefix)?.get(lower);
      if (entry) return { prefix: entry.prefix, name: entry.name };
    }
    const displayName = by === "appId" ? this.appDisplayNames.get(lower) : this.displayNames.get(lower);
    return displayName === undefined ? undefined : { displayName };
  }

  private hasAppId(prefix: ReferencePrefix, lowerAppId: string): boolean {
    return this.byAppId.get(prefix)?.has(lowerAppId) ?? false;
  }

  resolveName(prefix: ReferencePrefix, name: string, by: "id" | "appId"): string | undefined {
    const entry = this.byName.get(`${prefix}|${comparableReferenceName(prefix, name)}`);
    if (!entry) return undefined;
    return by === "appId" ? entry.appId : entry.id;
  }

  /** The entry for `prefix:name`, e.g. to find the id of a document's object. */
  lookup(prefix: ReferencePrefix, name: string): { id: string; appId?: string } | undefined {
    return this.byName.get(`${prefix}|${comparableReferenceName(prefix, name)}`);
  }
}

function tableOf(tables: Map<ReferencePrefix, Map<string, Entry>>, prefix: ReferencePrefix): Map<string, Entry> {
  let table = tables.get(prefix);
  if (!table) tables.set(prefix, (table = new Map()));
  return table;
}
