import { stsPolicyDescriptor } from "./stsPolicy.js";

/** Claims mapping policies (`/policies/claimsMappingPolicies`): see `stsPolicy.ts`. */
export const claimsMappingPolicy = stsPolicyDescriptor("claimsMappingPolicy", {
  title: "claims mapping policy",
  collection: "claimsMappingPolicies",
  graphType: "claimsMappingPolicy",
  activity: /claims ?mapping ?policy/i,
  assignedTo: { servicePrincipal: "claimsMappingPolicies" },
});
