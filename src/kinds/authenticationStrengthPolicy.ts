import { slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/policies/authenticationStrengthPolicies";

/**
 * Custom authentication strengths. Built-in ones (`policyType: builtIn`, ids `00000000-…-000000000002`
 * to `…04`) are read-only and the same everywhere: not managed, referenced by display name.
 * `allowedCombinations` holds flag-enum combinations (`"password, sms"` ≡ `"sms,password"`) and
 * cannot be PATCHed: the engine posts `updateAllowedCombinations`.
 */
export const authenticationStrengthPolicy = {
  kind: "authenticationStrengthPolicy",
  reference: { prefix: "authenticationStrength" },
  audit: { activity: /authentication strength/i },
  detect: {
    odataTypes: ["authenticationStrengthPolicy"],
    context: /authenticationStrength\/policies|authenticationStrengthPolicies/i,
    shape: (o) => "allowedCombinations" in o,
    folders: /^authenticationstrengths?$/i,
  },
  required: ["displayName", "allowedCombinations"],
  title: "authentication strength",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.authenticationStrengthPolicy",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  naturalKey: "displayName",
  documentName: (spec) => slugOf(spec),
  serverManaged: [
    "id",
    "createdDateTime",
    "modifiedDateTime",
    "policyType",
    "requirementsSatisfied",
    // Navigation (FIDO2/certificate restrictions per combination): not managed in the first wave.
    "combinationConfigurations",
  ],
  createOnly: [],
  setArrays: ["allowedCombinations"],
  references: [],
  dependsOn: [],
  // Read could be Policy.Read.AuthenticationMethod; Policy.Read.All is what CA export holds anyway.
  permissions: { read: ["Policy.Read.All"], write: ["Policy.ReadWrite.ConditionalAccess"], ids: { "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68", "Policy.ReadWrite.ConditionalAccess": "01c0a623-fc9b-48e9-b794-0756f8e8f067" } },
  flagEnums: ["allowedCombinations"],
  propertyActions: [
    {
      property: "allowedCombinations",
      method: "POST",
      path: (id) => `${COLLECTION}/${id}/updateAllowedCombinations`,
      body: (value) => ({ allowedCombinations: value }),
    },
  ],
  isManaged: (live) => live.policyType !== "builtIn",
} satisfies KindDescriptor;
