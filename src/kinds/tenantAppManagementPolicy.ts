import { singletonPolicy } from "./singletonPolicy.js";

/**
 * The tenant's default app management policy (`tenantAppManagementPolicy`, singleton, GET and
 * PATCH): credential restrictions for applications and service principals (`applicationRestrictions`,
 * `servicePrincipalRestrictions`) and `isEnabled`. Per-app policies are the `appManagementPolicy` kind.
 */
export const tenantAppManagementPolicy = singletonPolicy({
  kind: "tenantAppManagementPolicy",
  path: "/policies/defaultAppManagementPolicy",
  title: "tenant app management policy",
  type: "tenantAppManagementPolicy",
  activity: /app(lication)? management policy/i,
  write: { permission: "Policy.ReadWrite.ApplicationConfiguration", id: "be74164b-cff1-491c-8741-e671cb536e13" },
});
