/**
 * What import knows about the objects it converts and the ones already in the folder: ids, appIds
 * and display names → document references. It answers the normalizer's id → name questions and
 * resolves references written by display name (Fortigi style).
 */
import type { EntraDocument, JsonObject } from "../../model/document.js";
import type { IdResolver, ResolvedId } from "../../kinds/references.js";
import type { ReferencePrefix } from "../../kinds/types.js";
import { prefixOfKind, referenceNameOf } from "../../kinds/registry.js";
import type { MigrationEntry } from "./maps.js";

interface Entry {
  prefix: ReferencePrefix;
  name: string;
}

export class ImportIndex implements IdResolver {
  private readonly byId = new Map<string, Entry[]>();
  private readonly byAppId = new Map<string, Entry[]>();
  private readonly byDisplayName = new Map<string, Entry[]>();
  private readonly migration = new Map<string, MigrationEntry>();

  /** Register a document (imported or already in the folder). */
  add(document: EntraDocument, raw: { id?: unknown; appId?: unknown; displayName?: unknown; userPrincipalName?: unknown }): void {
    const prefix = prefixOfKind(document.kind);
    if (!prefix) return;
    // References name the object by its kind's reference key (users: userPrincipalName), else by document name.
    const name = referenceNameOf(document.kind, document.name, raw as JsonObject) ?? document.name;
    const entry = { prefix, name };
    const push = (map: Map<string, Entry[]>, key: unknown): void => {
      if (typeof key !== "string" || key.length === 0) return;
      const list = map.get(key.toLowerCase()) ?? [];
      if (!list.some((e) => e.prefix === entry.prefix && e.name === entry.name)) list.push(entry);
      map.set(key.toLowerCase(), list);
    };
    push(this.byId, raw.id ?? document.id);
    push(this.byAppId, raw.appId);
    push(this.byDisplayName, raw.displayName);
  }

  addMigrationTable(table: ReadonlyMap<string, MigrationEntry>): void {
    for (const [id, entry] of table) this.migration.set(id, entry);
  }

  /** The display name MigrationTable.json gives an id, if any. */
  migrationName(id: string): string | undefined {
    return this.migration.get(id.toLowerCase())?.displayName;
  }

  get migrationSize(): number {
    return this.migration.size;
  }

  resolveId(id: string, targets: readonly ReferencePrefix[], by: "id" | "appId"): ResolvedId | undefined {
    const direct = pick((by === "appId" ? this.byAppId : this.byId).get(id.toLowerCase()), targets);
    if (direct) return direct;
    const known = this.migration.get(id.toLowerCase());
    if (!known) return undefined;
    return this.resolveDisplayName(known.displayName, targets) ?? { displayName: known.displayName };
  }

  matchesOf(displayName: string, targets: readonly ReferencePrefix[]): number {
    return (this.byDisplayName.get(displayName.toLowerCase()) ?? []).filter((e) => targets.includes(e.prefix)).length;
  }

  /** A managed object of one of `targets` whose display name is exactly `displayName` (case-insensitive). */
  resolveDisplayName(displayName: string, targets: readonly ReferencePrefix[]): Entry | undefined {
    return pick(this.byDisplayName.get(displayName.toLowerCase()), targets);
  }
}

function pick(entries: readonly Entry[] | undefined, targets: readonly ReferencePrefix[]): Entry | undefined {
  if (!entries) return undefined;
  for (const target of targets) {
    const matches = entries.filter((e) => e.prefix === target);
    if (matches.length === 1) return matches[0];
  }
  return undefined;
}


