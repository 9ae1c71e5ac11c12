import type { JsonObject, JsonValue } from "../model/document.js";
import { slugify } from "./naming.js";
import type { SoftDelete } from "./descriptor-read.js";

/** Pieces several descriptors share. */

/** The name a singleton's one document has: `<kind>/default`. */
export const SINGLETON_NAME = "default";

/** Document name from a string property (usually displayName), slugged. */
export function slugOf(spec: JsonObject, property = "displayName", fallback?: string): string {
  const value = spec[property];
  return slugify(typeof value === "string" ? value : "", fallback);
}

/** Deleted directory objects (docs/graph-behaviour.md §8): listed by type cast, restored by id. */
export function directorySoftDelete(type: string, appliesTo?: (spec: JsonObject) => boolean): SoftDelete {
  return {
    listPath: `/directory/deletedItems/microsoft.graph.${type}`,
    restorePath: (id) => `/directory/deletedItems/${id}/restore`,
    ...(appliesTo ? { appliesTo } : {}),
  };
}

/** Fields every directory object carries that Graph manages. */
export const DIRECTORY_OBJECT_MANAGED = ["id", "deletedDateTime"] as const;

export function stringArray(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** The part after `prefix:` of a reference, or the value itself. */
export function referenceName(value: JsonValue | undefined): string {
  if (typeof value !== "string") return "";
  const colon = value.indexOf(":");
  return colon > 0 ? value.slice(colon + 1) : value;
}

/** `@odata.bind` URL of a directory object (group create binds members and owners this way). */
export function directoryObjectUrl(id: string): string {
  return `https://graph.microsoft.com/v1.0/directoryObjects/${id}`;
}
