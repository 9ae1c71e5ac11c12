/**
 * `/policies/authenticationFlowsPolicy`: the tenant's authentication flows policy, one object read by
 * GET and written by PATCH (204). Only `selfServiceSignUp` is writable, an object whose `isEnabled`
 * must be a boolean; id, displayName and description are read-only (docs/graph-behaviour.md,
 * authentication flows policy).
 */
import { isRecord } from "../../../core/entity.js";
import { badRequest } from "../../../core/errors.js";
import { singletonPolicyResource } from "./singleton-policy-resource.js";
import type { PropertyRule } from "./singleton-policy-resource.js";

const NAME = "AuthenticationFlowsPolicy";

const selfServiceSignUp: PropertyRule = (value, invalid) => {
  if (!isRecord(value)) throw invalid();
  for (const key of Object.keys(value)) {
    if (key === "@odata.type") continue;
    if (key !== "isEnabled") throw badRequest(`Property '${key}' does not exist on type 'microsoft.graph.selfServiceSignUpAuthenticationFlowConfiguration'.`, "Request_BadRequest");
  }
  if (typeof value["isEnabled"] !== "boolean") throw badRequest(`Invalid value specified for property 'selfServiceSignUp.isEnabled' of resource '${NAME}'.`, "Request_BadRequest");
  return { isEnabled: value["isEnabled"] };
};

/** Self-service sign-up is off in a new tenant. */
export const authenticationFlowsPolicy = singletonPolicyResource({
  path: "/policies/authenticationFlowsPolicy",
  collection: "authenticationFlowsPolicy",
  type: "authenticationFlowsPolicy",
  resourceName: NAME,
  read: ["Policy.Read.All"],
  write: ["Policy.ReadWrite.AuthenticationFlows"],
  initial: {
    id: "authenticationFlowsPolicy",
    displayName: "Authentication flows policy",
    description: "Authentication flows policy allows modification of settings related to authentication flows in AAD tenant, such as self-service sign up configuration.",
    selfServiceSignUp: { isEnabled: false },
  },
  writable: { selfServiceSignUp },
  auditUpdate: "Update authentication flows policy",
});
