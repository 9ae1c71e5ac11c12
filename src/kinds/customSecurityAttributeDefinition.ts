import type { JsonObject, JsonValue } from "../model/document.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/directory/customSecurityAttributeDefinitions";
const VALUES = "allowedValues";

function values(spec: JsonObject): JsonObject[] {
  const list = spec[VALUES];
  return Array.isArray(list) ? list.filter((v): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v)) : [];
}

function slug(text: JsonValue | undefined): string {
  return typeof text === "string" ? text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") : "";
}

/**
 * Custom security attribute definitions (`customSecurityAttributeDefinition`,
 * `/directory/customSecurityAttributeDefinitions`), each in an attribute set (`attributeSet`, the
 * set's id). Graph generates the id (`<set>_<name>`); set and name are the natural key. `type`,
 * `isCollection`, `isSearchable`, `attributeSet` and `name` cannot change after creation, and Graph
 * cannot delete a definition: it is deactivated with `status: Deprecated`, so a definition without
 * a document is left alone (plan warns) and a change of a create-only property is a plan error,
 * never a delete and re-create. Predefined values (`allowedValues`, read by `$expand`) are their own
 * entities: a new one is POSTed to the definition's `allowedValues`, a changed one PATCHed
 * (`isActive` only); they cannot be deleted either, so a document keeps a retired value with
 * `isActive: false` (docs/graph-behaviour.md, custom security attribute definitions). Opt-in, like
 * attribute sets: the read needs CustomSecAttributeDefinition.Read.All.
 */
export const customSecurityAttributeDefinition = {
  kind: "customSecurityAttributeDefinition",
  audit: { activity: /custom security attribute definition|predefined value/i },
  detect: { odataTypes: ["customSecurityAttributeDefinition"], context: /customSecurityAttributeDefinitions/i, shape: (o) => "attributeSet" in o && "usePreDefinedValuesOnly" in o },
  required: ["attributeSet", "name", "type", "status", "isCollection", "isSearchable", "usePreDefinedValuesOnly"],
  title: "custom security attribute definition",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.customSecurityAttributeDefinition",
  optIn: true,
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  listQuery: { $expand: VALUES },
  naturalKey: "attributeSet+name",
  documentName: (spec) => [slug(spec.attributeSet), slug(spec.name)].filter((s) => s !== "").join("-") || "attribute",
  serverManaged: ["id"],
  createOnly: ["attributeSet", "name", "type", "isCollection", "isSearchable"],
  cannotDelete: "Graph cannot delete custom security attribute definitions (deactivate one with status: Deprecated)",
  setArrays: [],
  arrayKeys: { [VALUES]: "id" },
  references: [],
  dependsOn: ["attributeSet"],
  permissions: {
    read: ["CustomSecAttributeDefinition.Read.All"],
    write: ["CustomSecAttributeDefinition.ReadWrite.All"],
    ids: { "CustomSecAttributeDefinition.Read.All": "b185aa14-d8d2-42c1-a685-0f5596613624", "CustomSecAttributeDefinition.ReadWrite.All": "12338004-21f4-4896-bf5e-b75dfaf1016d" },
  },
  nestedCollections: [{ property: VALUES, key: "id", itemPath: (parent, key) => `${COLLECTION}/${parent}/${VALUES}/${encodeURIComponent(key)}`, createPath: (parent) => `${COLLECTION}/${parent}/${VALUES}` }],
  normalize(spec) {
    // Graph lists predefined values in its own order: sorted by id, so export is deterministic.
    if (Array.isArray(spec[VALUES])) spec[VALUES] = [...values(spec)].sort((a, b) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0));
    return spec;
  },
  refuseUpdate(after, before) {
    const reasons: string[] = [];
    if (before.usePreDefinedValuesOnly === false && after.usePreDefinedValuesOnly === true) {
      reasons.push("usePreDefinedValuesOnly cannot change from false to true (Graph allows only true → false)");
    }
    const kept = new Set(values(after).map((v) => String(v.id)));
    const removed = values(before).map((v) => String(v.id)).filter((id) => !kept.has(id));
    if (removed.length > 0) {
      reasons.push(`predefined value(s) ${removed.join(", ")} cannot be removed (Graph cannot delete them): keep them with isActive: false`);
    }
    return reasons;
  },
} satisfies KindDescriptor;
