import { stsPolicyDescriptor } from "./stsPolicy.js";

/**
 * Home realm discovery policies (`/policies/homeRealmDiscoveryPolicies`): see `stsPolicy.ts`. "Only
 * one HRD policy can be active on a service principal at a time" (docs/graph-behaviour.md, policy
 * assignment limits): one per service principal.
 */
export const homeRealmDiscoveryPolicy = stsPolicyDescriptor("homeRealmDiscoveryPolicy", {
  title: "home realm discovery policy",
  collection: "homeRealmDiscoveryPolicies",
  graphType: "homeRealmDiscoveryPolicy",
  activity: /home ?realm ?discovery ?policy/i,
  assignedTo: { servicePrincipal: "homeRealmDiscoveryPolicies", onePerTarget: true },
});
