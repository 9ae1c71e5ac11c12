import { SINGLETON_NAME } from "./common.js";
import type { KindDescriptor } from "./types.js";

const PATH = "/policies/identitySecurityDefaultsEnforcementPolicy";

/**
 * Security defaults (`identitySecurityDefaultsEnforcementPolicy`, singleton, GET and PATCH only):
 * `isEnabled` is the one writable property; id, displayName and description are read-only
 * (docs/graph-behaviour.md, security defaults).
 */
export const securityDefaults = {
  kind: "securityDefaults",
  audit: { activity: /security defaults?/i },
  detect: { odataTypes: ["identitySecurityDefaultsEnforcementPolicy"], context: /identitySecurityDefaultsEnforcementPolicy/i },
  title: "security defaults policy",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.identitySecurityDefaultsEnforcementPolicy",
  singleton: true,
  collectionPath: PATH,
  itemPath: () => PATH,
  naturalKey: "displayName",
  documentName: () => SINGLETON_NAME,
  serverManaged: ["id", "deletedDateTime", "displayName", "description"],
  createOnly: [],
  setArrays: [],
  references: [],
  dependsOn: [],
  permissions: {
    read: ["Policy.Read.All"],
    write: ["Policy.ReadWrite.SecurityDefaults"],
    ids: { "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68", "Policy.ReadWrite.SecurityDefaults": "1c6e93a6-28e2-4cbb-9f64-1a46a821124d" },
  },
} satisfies KindDescriptor;
