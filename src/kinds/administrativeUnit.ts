import { DIRECTORY_OBJECT_MANAGED, directorySoftDelete, slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

/**
 * Administrative units with their static members (users and groups) as references.
 * `isMemberManagementRestricted` (restricted management AU) can only be set at creation.
 * Members of dynamic AUs (`membershipType: Dynamic`) are computed and not part of the document.
 */
export const administrativeUnit = {
  kind: "administrativeUnit",
  reference: { prefix: "administrativeUnit" },
  audit: { activity: /administrative unit/i },
  detect: { odataTypes: ["administrativeUnit"], context: /#directory\/administrativeUnits|#administrativeUnits/i },
  required: ["displayName"],
  title: "administrative unit",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.administrativeUnit",
  singleton: false,
  directoryObject: true,
  delta: true,
  collectionPath: "/directory/administrativeUnits",
  itemPath: (id) => `/directory/administrativeUnits/${id}`,
  naturalKey: "displayName",
  documentName: (spec) => slugOf(spec),
  serverManaged: [...DIRECTORY_OBJECT_MANAGED],
  createOnly: ["isMemberManagementRestricted"],
  setArrays: [],
  references: [],
  relationships: [{ property: "members", segment: "members", targets: ["user", "group"] }],
  dependsOn: ["user", "group"],
  permissions: { read: ["AdministrativeUnit.Read.All"], write: ["AdministrativeUnit.ReadWrite.All"], ids: { "AdministrativeUnit.Read.All": "134fd756-38ce-4afd-ba33-e9623dbe66c2", "AdministrativeUnit.ReadWrite.All": "5eb59dd3-1da2-4329-8733-9dabdc435916" } },
  softDelete: directorySoftDelete("administrativeUnit"),
  defaults: { isMemberManagementRestricted: false },
  normalize(spec) {
    if (typeof spec.membershipType === "string" && spec.membershipType.toLowerCase() === "dynamic") delete spec.members;
    return spec;
  },
} satisfies KindDescriptor;
