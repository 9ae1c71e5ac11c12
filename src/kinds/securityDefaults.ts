import { singletonPolicy } from "./singletonPolicy.js";

/**
 * Security defaults (`identitySecurityDefaultsEnforcementPolicy`, singleton, GET and PATCH only):
 * `isEnabled` is the one writable property; id, displayName and description are read-only
 * (docs/graph-behaviour.md, security defaults).
 */
export const securityDefaults = singletonPolicy({
  kind: "securityDefaults",
  path: "/policies/identitySecurityDefaultsEnforcementPolicy",
  title: "security defaults policy",
  type: "identitySecurityDefaultsEnforcementPolicy",
  activity: /security defaults?/i,
  write: { permission: "Policy.ReadWrite.SecurityDefaults", id: "1c6e93a6-28e2-4cbb-9f64-1a46a821124d" },
});
