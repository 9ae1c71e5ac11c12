import { stsPolicyDescriptor } from "./stsPolicy.js";

/** Home realm discovery policies (`/policies/homeRealmDiscoveryPolicies`): see `stsPolicy.ts`. */
export const homeRealmDiscoveryPolicy = stsPolicyDescriptor("homeRealmDiscoveryPolicy", {
  title: "home realm discovery policy",
  collection: "homeRealmDiscoveryPolicies",
  graphType: "homeRealmDiscoveryPolicy",
  activity: /home ?realm ?discovery ?policy/i,
  assignedTo: { servicePrincipal: "homeRealmDiscoveryPolicies" },
});
