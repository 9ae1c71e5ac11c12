/**
 * Objects that would become two documents plan cannot keep apart, found before any is named:
 * - the same tenant object exported twice (one id, two files — IntuneManagement keeps the file of
 *   an object's old display name after a rename): imported once;
 * - two objects of one kind with the same display name and no id (twin templates): once both
 *   exist in a tenant, plan could never tell which is which, so the later one is refused.
 * Whatever is dropped is reported with the file it lost to.
 */
import { basename, extname } from "node:path";
import type { JsonObject } from "../../documents/types.js";
import type { Kind } from "../../kinds/kind-names.js";
import { getKind } from "../../kinds/registry.js";

export interface DetectedObject {
  /** File (and `[index]` inside it) the object was read from, relative to `--from`. */
  source: string;
  kind: Kind;
  raw: JsonObject;
  /** Its display name with `--map` placeholders filled (what the document will hold). */
  displayName?: string;
}

export interface DuplicateRefusal {
  source: string;
  reasons: string[];
}

export interface DuplicateLookups {
  /** The display name MigrationTable.json gives an id (the object's name when it was exported). */
  migrationName(id: string): string | undefined;
}

const idOf = (o: DetectedObject): string | undefined => (typeof o.raw.id === "string" && o.raw.id.length > 0 ? o.raw.id.toLowerCase() : undefined);

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

/** Objects to import (in their original order) and the refusals for the others. */
export function dropDuplicates(objects: readonly DetectedObject[], lookups: DuplicateLookups): { kept: DetectedObject[]; refused: DuplicateRefusal[] } {
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

  // 2. One display name, no id: twins plan could not pair once both exist.
  const byName = groupBy(
    objects.filter((o) => !dropped.has(o)),
    (o) => (o.displayName === undefined || getKind(o.kind).singleton || getKind(o.kind).naturalKey !== "displayName" ? undefined : `${o.kind}\u0000${o.displayName.toLowerCase()}`),
  );
  for (const group of byName) {
    const keeper = group.find(namedAfter) ?? (group[0] as DetectedObject);
    for (const other of group) {
      if (other === keeper || idOf(other) !== undefined) continue;
      dropped.add(other);
      refused.push({
        source: other.source,
        reasons: [
          `same displayName ${JSON.stringify(other.displayName ?? "")} as ${keeper.source}, and no id: once both exist in a tenant, plan could not tell them apart; give this ${other.kind} its own displayName`,
        ],
      });
    }
  }
  return { kept: objects.filter((o) => !dropped.has(o)), refused };
}

/** Groups of two or more objects sharing a key (objects without a key are never grouped). */
function groupBy(objects: readonly DetectedObject[], key: (o: DetectedObject) => string | undefined): DetectedObject[][] {
  const groups = new Map<string, DetectedObject[]>();
  for (const o of objects) {
    const k = key(o);
    if (k === undefined) continue;
    groups.set(k, [...(groups.get(k) ?? []), o]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}
