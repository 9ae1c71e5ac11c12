/**
 * `/policies/identitySecurityDefaultsEnforcementPolicy`: the tenant's security defaults, one object
 * read by GET and written by PATCH (204). Only `isEnabled` is writable and must be a boolean; id,
 * displayName and description are read-only (docs/graph-behaviour.md, security defaults).
 */
import { booleanRule, singletonPolicyResource } from "./singleton-policy-resource.js";

/** Security defaults are on in a new tenant. */
export const securityDefaults = singletonPolicyResource({
  path: "/policies/identitySecurityDefaultsEnforcementPolicy",
  collection: "identitySecurityDefaultsEnforcementPolicy",
  type: "identitySecurityDefaultsEnforcementPolicy",
  resourceName: "IdentitySecurityDefaultsEnforcementPolicy",
  read: ["Policy.Read.All"],
  write: ["Policy.ReadWrite.SecurityDefaults", "Policy.ReadWrite.ConditionalAccess"],
  initial: {
    id: "00000000-0000-0000-0000-000000000005",
    displayName: "Security Defaults",
    description: "Security defaults is a set of basic identity security mechanisms recommended by Microsoft.",
    isEnabled: true,
  },
  writable: { isEnabled: booleanRule },
  auditUpdate: "Update security defaults policy",
});
