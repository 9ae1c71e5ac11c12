/**
 * `/policies/externalIdentitiesPolicy` (Graph beta only): whether external users may leave the
 * tenant by themselves. One object read by GET and written by PATCH (204); every PATCH must carry
 * `allowExternalIdentitiesToLeave`; both properties are booleans; id, displayName and description
 * are read-only (docs/graph-behaviour.md, external identities policy). v1.0 has no such path.
 */
import { booleanRule, singletonPolicyResource } from "./singleton-policy-resource.js";

/** External users may leave a new tenant by themselves. */
export const externalIdentitiesPolicy = singletonPolicyResource({
  path: "/policies/externalIdentitiesPolicy",
  collection: "externalIdentitiesPolicy",
  type: "externalIdentitiesPolicy",
  resourceName: "ExternalIdentitiesPolicy",
  read: ["Policy.Read.All"],
  write: ["Policy.ReadWrite.ExternalIdentities"],
  initial: {
    id: "externalIdentitiesPolicy",
    displayName: "External Identities Policy",
    description: "Controls whether external users can leave the tenant through self-service controls.",
    allowExternalIdentitiesToLeave: true,
    allowDeletedIdentitiesDataRemoval: false,
  },
  writable: { allowExternalIdentitiesToLeave: booleanRule, allowDeletedIdentitiesDataRemoval: booleanRule },
  requiredInPatch: ["allowExternalIdentitiesToLeave"],
  versions: ["beta"],
  auditUpdate: "Update external identities policy",
});
