import type { JsonObject, JsonValue } from "../../model/document.js";
import { GraphError } from "../../graph/errors.js";
import type { GraphGateway } from "../../graph/types.js";
import type { KindDescriptor } from "../../kinds/types.js";
import { kindsLookedUpByKey } from "../../kinds/registry.js";
import type { DirectoryIndex } from "./directory-index.js";

const CHUNK = 1000;
/** Values in one `id in (…)` filter of the fallback (a conservative size, as for appIds). */
const FILTER_CHUNK = 15;

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function refused(error: unknown): boolean {
  return error instanceof GraphError && error.status === 403;
}

/**
 * Puts one directory object into the index: an object of a kind referenced by a key Graph resolves
 * (users: `user:<upn>`) as a reference, anything else by display name. `as` names the kind when
 * the answer carries no `@odata.type` (a typed collection).
 */
function remember(index: DirectoryIndex, keyed: readonly KindDescriptor[], item: JsonValue, as?: KindDescriptor): string | undefined {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return undefined;
  const id = text(item.id);
  if (!id) return undefined;
  const type = (text(item["@odata.type"]) ?? "").replace(/^#/, "");
  const descriptor = as ?? keyed.find((d) => d.graphType === type);
  const key = descriptor?.reference?.key === undefined ? undefined : text(item[descriptor.reference.key]);
  if (descriptor?.reference && key) index.add(descriptor.reference.prefix, key, id);
  else {
    const displayName = text(item.displayName);
    if (displayName) index.addDisplayName(id, displayName);
  }
  return id.toLowerCase();
}

/**
 * Names for ids that no managed object carries (`POST /directoryObjects/getByIds`, 1,000 ids a
 * request): objects of a kind referenced by a key Graph resolves (users: `user:<upn>`) become
 * references, other objects a display-name comment. Ids Graph does not know (deleted objects, role
 * template ids) simply stay GUIDs. Returns the ids found.
 *
 * getByIds needs Directory.Read.All (docs/graph-behaviour.md). Refused (403), the ids are looked
 * up per type with the permissions the identity has (the keyed kinds' collections, then `/groups`
 * and `/servicePrincipals`, `?$filter=id in (…)`): a configuration that reads users but not the
 * whole directory still sees its group members by UPN. `index.directoryObjectsRefused` is set, and
 * the answer is not `complete`: an id not found may exist.
 */
export async function lookUpDirectoryObjects(gateway: GraphGateway, index: DirectoryIndex, ids: readonly string[]): Promise<{ found: Set<string>; complete: boolean }> {
  const found = new Set<string>();
  const keyed = kindsLookedUpByKey();
  const keys = [...new Set(keyed.map((d) => d.reference?.key as string))];
  try {
    for (let start = 0; start < ids.length; start += CHUNK) {
      const answer: JsonObject = await gateway.post("/directoryObjects/getByIds", { ids: ids.slice(start, start + CHUNK) }, { query: { $select: ["id", "displayName", ...keys].join(",") } });
      for (const item of Array.isArray(answer.value) ? answer.value : []) {
        const id = remember(index, keyed, item);
        if (id) found.add(id);
      }
    }
    return { found, complete: true };
  } catch (error) {
    if (!refused(error)) throw error;
    index.directoryObjectsRefused = true;
  }
  const collections: [string, string, KindDescriptor | undefined][] = [
    ...keyed.map((d): [string, string, KindDescriptor] => [d.collectionPath, `id,${d.reference?.key as string}`, d]),
    ["/groups", "id,displayName", undefined],
    ["/servicePrincipals", "id,displayName", undefined],
  ];
  for (const [path, select, as] of collections) {
    const rest = ids.filter((id) => !found.has(id.toLowerCase()));
    if (rest.length === 0) break;
    try {
      for (let start = 0; start < rest.length; start += FILTER_CHUNK) {
        const chunk = rest.slice(start, start + FILTER_CHUNK);
        const items = await gateway.list(path, { query: { $filter: `id in (${chunk.map((id) => `'${id}'`).join(",")})`, $select: select } });
        for (const item of items) {
          const id = remember(index, keyed, item, as);
          if (id) found.add(id);
        }
      }
    } catch (error) {
      // A type this identity may not read either: its ids stay GUIDs.
      if (!refused(error)) throw error;
    }
  }
  // Not every directory type was asked (applications, devices, administrative units), nor every
  // type answered: an id not found here may still exist.
  return { found, complete: false };
}
