import { stsPolicyDescriptor } from "./stsPolicy.js";

/** Token lifetime policies (`/policies/tokenLifetimePolicies`): see `stsPolicy.ts`. */
export const tokenLifetimePolicy = stsPolicyDescriptor("tokenLifetimePolicy", {
  title: "token lifetime policy",
  collection: "tokenLifetimePolicies",
  graphType: "tokenLifetimePolicy",
  activity: /token ?lifetime ?policy/i,
  assignedTo: { application: "tokenLifetimePolicies", servicePrincipal: "tokenLifetimePolicies", onePerTarget: true },
});
