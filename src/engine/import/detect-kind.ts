/**
 * Which kind a Graph JSON object is: from its `@odata.type`, else its `@odata.context`, else its
 * shape, else the folder it was found in (IntuneManagement's `ConditionalAccess/`, `NamedLocations/`,
 * `Groups/`). Undefined when nothing tells. Every kind says how it is told in its descriptor
 * (`detect`); kinds are tried in registry order.
 */
import type { JsonObject } from "../../model/document.js";
import type { Kind } from "../../model/kind.js";
import { allKinds } from "../../kinds/registry.js";

export function typeName(object: JsonObject): string | undefined {
  const raw = object["@odata.type"];
  if (typeof raw !== "string") return undefined;
  return raw.replace(/^#/, "").replace(/^microsoft\.graph\./, "");
}

/** The kind, or a reason why none could be told. */
export function detectKind(object: JsonObject, folder: string): { kind: Kind } | { reason: string } {
  const kinds = allKinds();
  const type = typeName(object);
  if (type !== undefined) {
    const found = kinds.find((d) => d.detect.odataTypes.includes(type));
    return found ? { kind: found.kind } : { reason: `@odata.type ${String(object["@odata.type"])} is not a kind entra-gitops manages` };
  }
  const context = object["@odata.context"];
  if (typeof context === "string") {
    const found = kinds.find((d) => d.detect.context?.test(context) === true);
    if (found) return { kind: found.kind };
  }
  const shaped = kinds.filter((d) => d.detect.shape?.(object) === true);
  if (shaped.length === 1) return { kind: (shaped[0] as (typeof shaped)[number]).kind };
  if (shaped.length > 1) return { reason: `its shape fits several kinds (${shaped.map((d) => d.kind).join(", ")}); add its @odata.type` };
  const byFolder = kinds.find((d) => d.detect.folders?.test(folder) === true);
  if (byFolder) return { kind: byFolder.kind };
  const keys = Object.keys(object).slice(0, 5).join(", ");
  return { reason: `not a Graph object of a kind entra-gitops manages: no @odata.type, and neither its shape (keys: ${keys || "none"}) nor its folder tells the kind` };
}
