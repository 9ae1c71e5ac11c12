/**
 * Objects that would become two documents plan cannot keep apart:
 * - the same tenant object exported twice (one id, two files — IntuneManagement keeps the file of
 *   an object's old display name after a rename): imported once, found before any is named;
 * - two objects of one kind with the same natural key (display name, partner tenant id, …) one of
 *   which has no id (twin templates, a docs request next to its response): once both exist in a
 *   tenant, plan could never tell which is which, so only one is imported.
 * Whatever is dropped is reported with the file it lost to.
 */
import { basename, extname } from "node:path";
import type { JsonObject } from "../../model/document.js";
import type { Kind } from "../../model/kind.js";
import { getKind } from "../../kinds/registry.js";

export interface DetectedObject {
  /** File (and `[index]` inside it) the object was read from, relative to `--from`. */
  source: string;
  kind: Kind;
  raw: JsonObject;
  /** Its display name with `--map` placeholders filled (what the document will hold). */
  displayName?: string;
  /** The object id the document will hold (the normalizer's: a partner's is its tenantId). */
  id?: string;
  /** The kind's natural key, as the document will hold it (`displayName`, `tenantId`, …). */
  naturalKey?: string;
  /** What import did to the object besides converting it (PowerShell casing, taken out of a policy). */
  notes?: string[];
}

export interface DuplicateRefusal {
  source: string;
  reasons: string[];
}

export interface DuplicateLookups {
  /** The display name MigrationTable.json gives an id (the object's name when it was exported). */
  migrationName(id: string): string | undefined;
}

const idOf = (o: DetectedObject): string | undefined => (o.id !== undefined && o.id.length > 0 ? o.id.toLowerCase() : undefined);

/** Letters and digits only, lower-case: `203 - <RING> - All apps: Block` ~ `203 - RING - All apps Block.json`. */
const loose = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, "");

/** True when the file is named after the object's display name (the copy the author meant). */
function namedAfter(o: DetectedObject): boolean {
  // As written in the file: the template's placeholders are in its file name too.
  const written = o.raw.displayName;
  if (typeof written !== "string") return false;
  const file = basename(o.source.replace(/\[\d+\]$/, ""));
  return loose(file.slice(0, file.length - extname(file).length)) === loose(written);
}

/** One id in several files is one object: the objects to import (in order) and refusals for the copies. */
export function dropSameObjects(objects: readonly DetectedObject[], lookups: DuplicateLookups): { kept: DetectedObject[]; refused: DuplicateRefusal[] } {
  const refused: DuplicateRefusal[] = [];
  const dropped = new Set<DetectedObject>();

  // 1. One id, several files: the same object.
  const byId = groupBy(objects, (o) => {
    const id = idOf(o);
    return id === undefined || getKind(o.kind).singleton ? undefined : `${o.kind}\u0000${id}`;
  });
  for (const group of byId) {
    const id = idOf(group[0] as DetectedObject) ?? "";
    const current = lookups.migrationName(id);
    const keeper = group.find((o) => current !== undefined && o.displayName?.toLowerCase() === current.toLowerCase()) ?? (group[0] as DetectedObject);
    const why = current !== undefined && keeper.displayName?.toLowerCase() === current.toLowerCase() ? `, the name MigrationTable.json gives id ${id}` : ", the first file read";
    for (const other of group) {
      if (other === keeper) continue;
      dropped.add(other);
      refused.push({
        source: other.source,
        reasons: [`the same ${other.kind} as ${keeper.source} (id ${id}) under another displayName ${JSON.stringify(other.displayName ?? "")}: imported once, as ${JSON.stringify(keeper.displayName ?? "")}${why}`],
      });
    }
  }

  return { kept: objects.filter((o) => !dropped.has(o)), refused };
}

/**
 * Among objects that converted (a twin refused for its own reasons does not count): one natural key,
 * and no id on one side, would be twins plan could not pair once both exist. The copy named after it
 * (a template's file) or holding an id (a response next to its request) stays.
 */
export function dropTwins<T extends DetectedObject>(objects: readonly T[]): { kept: T[]; refused: DuplicateRefusal[] } {
  const refused: DuplicateRefusal[] = [];
  const dropped = new Set<T>();
  for (const group of twinGroups(objects)) {
    const keeper = keeperOf(group);
    const key = getKind(keeper.kind).naturalKey;
    for (const other of group) {
      if (other === keeper || (idOf(other) !== undefined && idOf(keeper) !== undefined)) continue;
      dropped.add(other);
      refused.push({
        source: other.source,
        reasons: [
          `same ${key} ${JSON.stringify(other.naturalKey ?? "")} as ${keeper.source}, and ${idOf(other) === undefined ? "no id" : "that one has no id"}: once both exist in a tenant, plan could not tell them apart; give this ${other.kind} its own ${key}`,
        ],
      });
    }
  }
  return { kept: objects.filter((o) => !dropped.has(o)), refused };
}

/**
 * The same objects with each twin group's keeper moved to where its group starts, so that naming
 * (first come, first served) gives the keeper the plain name export would give it.
 */
export function keepersFirst<T extends DetectedObject>(objects: readonly T[]): T[] {
  const out = [...objects];
  for (const group of twinGroups(objects)) {
    const keeper = keeperOf(group);
    const first = out.indexOf(group[0] as T);
    out.splice(out.indexOf(keeper), 1);
    out.splice(first, 0, keeper);
  }
  return out;
}

function twinGroups<T extends DetectedObject>(objects: readonly T[]): T[][] {
  return groupBy(objects, (o) => (o.naturalKey === undefined || getKind(o.kind).singleton ? undefined : `${o.kind}\u0000${o.naturalKey.toLowerCase()}`));
}

/** The twin that stays: the one its file is named after, else one with an id, else the first. */
function keeperOf<T extends DetectedObject>(group: readonly T[]): T {
  return group.find(namedAfter) ?? group.find((o) => idOf(o) !== undefined) ?? (group[0] as T);
}

/** Groups of two or more objects sharing a key (objects without a key are never grouped). */
function groupBy<T>(objects: readonly T[], key: (o: T) => string | undefined): T[][] {
  const groups = new Map<string, T[]>();
  for (const o of objects) {
    const k = key(o);
    if (k === undefined) continue;
    groups.set(k, [...(groups.get(k) ?? []), o]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}
