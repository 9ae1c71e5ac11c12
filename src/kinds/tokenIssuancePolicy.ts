import { stsPolicyDescriptor } from "./stsPolicy.js";

/** Token issuance policies (`/policies/tokenIssuancePolicies`): see `stsPolicy.ts`. */
export const tokenIssuancePolicy = stsPolicyDescriptor("tokenIssuancePolicy", {
  title: "token issuance policy",
  collection: "tokenIssuancePolicies",
  graphType: "tokenIssuancePolicy",
  activity: /token ?issuance ?policy/i,
  assignedTo: { application: "tokenIssuancePolicies" },
});
