import type { ReferencePrefix } from "../../kinds/types.js";
import type { IdResolver, NameResolver, ResolvedId } from "../../kinds/references.js";

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
  private readonly byId = new Map<string, Entry>();
  private readonly byAppId = new Map<string, Entry>();
  private readonly byName = new Map<string, Entry>();
  private readonly displayNames = new Map<string, string>();
  private readonly ids = new Set<string>();

  /** A managed object (`prefix:name`) with its id and, for applications and service principals, its appId. */
  add(prefix: ReferencePrefix, name: string, id: string, appId?: string): void {
    const entry: Entry = { prefix, name, id, ...(appId ? { appId } : {}) };
    this.byId.set(`${prefix}|${id.toLowerCase()}`, entry);
    this.ids.add(id.toLowerCase());
    if (appId) this.byAppId.set(`${prefix}|${appId.toLowerCase()}`, entry);
    this.byName.set(`${prefix}|${prefix === "user" ? name.toLowerCase() : name}`, entry);
  }

  /** A user, always nameable by its UPN whether or not users are managed. */
  addUser(id: string, userPrincipalName: string): void {
    this.add("user", userPrincipalName, id);
  }

  /** An object known only by its display name: its GUID stays, with a comment. */
  addDisplayName(id: string, displayName: string): void {
    this.displayNames.set(id.toLowerCase(), displayName);
    this.ids.add(id.toLowerCase());
  }

  knows(id: string): boolean {
    return this.ids.has(id.toLowerCase());
  }

  resolveId(id: string, targets: readonly ReferencePrefix[], by: "id" | "appId"): ResolvedId | undefined {
    const lower = id.toLowerCase();
    const table = by === "appId" ? this.byAppId : this.byId;
    for (const prefix of targets) {
      const entry = table.get(`${prefix}|${lower}`);
      if (entry) return { prefix: entry.prefix, name: entry.name };
    }
    const displayName = this.displayNames.get(lower);
    return displayName === undefined ? undefined : { displayName };
  }

  resolveName(prefix: ReferencePrefix, name: string, by: "id" | "appId"): string | undefined {
    const entry = this.byName.get(`${prefix}|${prefix === "user" ? name.toLowerCase() : name}`);
    if (!entry) return undefined;
    return by === "appId" ? entry.appId : entry.id;
  }

  /** The entry for `prefix:name`, e.g. to find the id of a document's object. */
  lookup(prefix: ReferencePrefix, name: string): { id: string; appId?: string } | undefined {
    return this.byName.get(`${prefix}|${prefix === "user" ? name.toLowerCase() : name}`);
  }
}
