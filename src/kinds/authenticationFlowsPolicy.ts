import { singletonPolicy } from "./singletonPolicy.js";

/**
 * The tenant's authentication flows policy (`authenticationFlowsPolicy`, singleton, GET and PATCH
 * only): `selfServiceSignUp.isEnabled` (self-service sign-up for guests through user flows) is the
 * one writable part; id, displayName and description are read-only (docs/graph-behaviour.md,
 * authentication flows policy). Its read needs only Policy.Read.All, as every policy singleton's.
 */
export const authenticationFlowsPolicy = singletonPolicy({
  kind: "authenticationFlowsPolicy",
  path: "/policies/authenticationFlowsPolicy",
  title: "authentication flows policy",
  type: "authenticationFlowsPolicy",
  activity: /authentication ?flows? policy/i,
  write: { permission: "Policy.ReadWrite.AuthenticationFlows", id: "25f85f3c-f66c-4205-8cd5-de92dd7f0cec" },
});
