import { slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/identity/conditionalAccess/authenticationContextClassReferences";

/**
 * Authentication contexts. The id (`c1` … `c99`) is chosen by the administrator and is what
 * Conditional Access policies and apps refer to, so it stays in the spec and is the natural key.
 * Graph v1.0 creates one by PATCH on its item path (an upsert; POST exists only in beta).
 */
export const authenticationContextClassReference = {
  kind: "authenticationContextClassReference",
  reference: { prefix: "authenticationContext" },
  audit: { activity: /authentication ?context/i },
  detect: { odataTypes: ["authenticationContextClassReference"], context: /authenticationContextClassReferences/i },
  required: ["displayName"],
  title: "authentication context",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.authenticationContextClassReference",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  naturalKey: "id",
  documentName: (spec) => slugOf(spec, "displayName", typeof spec.id === "string" ? spec.id : undefined),
  serverManaged: [],
  createOnly: ["id"],
  createByPatch: true,
  setArrays: [],
  references: [],
  dependsOn: [],
  // Least privileged would be AuthenticationContext.Read.All / .ReadWrite.All; the Conditional
  // Access permissions (documented as accepted) are the ones a CA-managing app holds anyway.
  permissions: {
    read: ["Policy.Read.ConditionalAccess"],
    write: ["Policy.ReadWrite.ConditionalAccess"],
    ids: { "Policy.Read.ConditionalAccess": "37730810-e9ba-4e46-b07e-8ca78d182097", "Policy.ReadWrite.ConditionalAccess": "01c0a623-fc9b-48e9-b794-0756f8e8f067" },
  },
} satisfies KindDescriptor;
