import type { JsonValue } from "../../model/document.js";
import type { GraphGateway } from "../../graph/types.js";
import { kindsLookedUpByKey } from "../../kinds/registry.js";
import type { DirectoryIndex } from "./directory-index.js";

const CHUNK = 1000;

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * Names for ids that no managed object carries (`POST /directoryObjects/getByIds`, 1,000 ids a
 * request): objects of a kind referenced by a key Graph resolves (users: `user:<upn>`) become
 * references, other objects a display-name comment. Ids Graph
 * does not know (deleted objects, role template ids) simply stay GUIDs.
 */
export async function lookUpDirectoryObjects(gateway: GraphGateway, index: DirectoryIndex, ids: readonly string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    const keyed = kindsLookedUpByKey();
    const select = ["id", "displayName", ...new Set(keyed.map((d) => d.reference?.key as string))].join(",");
    const answer = await gateway.post("/directoryObjects/getByIds", { ids: [...chunk] }, { query: { $select: select } });
    const value = answer.value;
    if (!Array.isArray(value)) continue;
    for (const item of value) {
      if (typeof item !== "object" || item === null || Array.isArray(item)) continue;
      const id = text(item.id);
      if (!id) continue;
      const type = (text(item["@odata.type"]) ?? "").replace(/^#/, "");
      const descriptor = keyed.find((d) => d.graphType === type);
      const key = descriptor?.reference?.key === undefined ? undefined : text(item[descriptor.reference.key]);
      if (descriptor?.reference && key) index.add(descriptor.reference.prefix, key, id);
      else {
        const displayName = text(item.displayName);
        if (displayName) index.addDisplayName(id, displayName);
      }
    }
  }
}
