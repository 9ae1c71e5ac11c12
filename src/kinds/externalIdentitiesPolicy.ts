import { singletonPolicy } from "./singletonPolicy.js";

/**
 * The external identities policy (`externalIdentitiesPolicy`, singleton, GET and PATCH only, Graph
 * beta only): whether external users may leave the tenant by themselves
 * (`allowExternalIdentitiesToLeave`, which Graph requires in every PATCH) and
 * `allowDeletedIdentitiesDataRemoval`; id, displayName and description are read-only
 * (docs/graph-behaviour.md, external identities policy). Read with Policy.Read.All, as every
 * policy singleton, so it is in the default scope.
 */
export const externalIdentitiesPolicy = singletonPolicy({
  kind: "externalIdentitiesPolicy",
  path: "/policies/externalIdentitiesPolicy",
  title: "external identities policy",
  type: "externalIdentitiesPolicy",
  activity: /external ?identit(y|ies) ?policy/i,
  write: { permission: "Policy.ReadWrite.ExternalIdentities", id: "03cc4f92-788e-4ede-b93f-199424d144a5" },
  apiVersion: "beta",
  alwaysWritten: ["allowExternalIdentitiesToLeave"],
  betaOnlyType: {
    baseType: "microsoft.graph.policyBase",
    description: "The tenant-wide policy that controls whether external users can leave the guest Microsoft Entra tenant through self-service controls.",
    properties: [
      { name: "allowDeletedIdentitiesDataRemoval", type: "Edm.Boolean", nullable: false, description: "Reserved for future use." },
      {
        name: "allowExternalIdentitiesToLeave",
        type: "Edm.Boolean",
        nullable: false,
        description: "Whether external users can leave the guest tenant through self-service controls; if false, an administrator of the guest tenant must remove them.",
      },
    ],
  },
});
