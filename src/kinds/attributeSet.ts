import type { KindDescriptor } from "./types.js";

const COLLECTION = "/directory/attributeSets";

/**
 * Custom security attribute sets (`attributeSet`, `/directory/attributeSets`). The id (the set's
 * name, chosen by the administrator) is the natural key and cannot change; `description` and
 * `maxAttributesPerSet` are updated by PATCH. Graph has no delete for attribute sets, so a set
 * without a document is never deleted: the plan warns and lists it as unmanaged
 * (docs/graph-behaviour.md, attribute sets). Opt-in: reading sets needs
 * CustomSecAttributeDefinition.Read.All, which no default kind needs, so an identity granted only the
 * default kinds' permissions keeps planning (README "Coverage").
 */
export const attributeSet = {
  kind: "attributeSet",
  // Not the definitions' "Add custom security attribute definition in an attribute set".
  audit: { activity: /(add|update) an attribute set/i },
  detect: { odataTypes: ["attributeSet"], context: /directory\/attributeSets\b/i },
  required: ["id"],
  title: "attribute set",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.attributeSet",
  optIn: true,
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  naturalKey: "id",
  documentName: (spec) => (typeof spec.id === "string" ? spec.id.toLowerCase() : "attribute-set"),
  serverManaged: [],
  createOnly: ["id"],
  cannotDelete: "Graph cannot delete attribute sets (deactivate their attributes instead)",
  setArrays: [],
  references: [],
  dependsOn: [],
  permissions: {
    read: ["CustomSecAttributeDefinition.Read.All"],
    write: ["CustomSecAttributeDefinition.ReadWrite.All"],
    ids: { "CustomSecAttributeDefinition.Read.All": "b185aa14-d8d2-42c1-a685-0f5596613624", "CustomSecAttributeDefinition.ReadWrite.All": "12338004-21f4-4896-bf5e-b75dfaf1016d" },
  },
} satisfies KindDescriptor;
