import { stsPolicyDescriptor } from "./stsPolicy.js";

/** Activity-based timeout policies (`/policies/activityBasedTimeoutPolicies`): see `stsPolicy.ts`. */
export const activityBasedTimeoutPolicy = stsPolicyDescriptor("activityBasedTimeoutPolicy", {
  title: "activity-based timeout policy",
  collection: "activityBasedTimeoutPolicies",
  graphType: "activityBasedTimeoutPolicy",
  activity: /activity ?based ?timeout ?policy/i,
});
