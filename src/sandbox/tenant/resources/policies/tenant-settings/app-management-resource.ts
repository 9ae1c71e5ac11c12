/**
 * `/policies/defaultAppManagementPolicy`: the tenant's default app management policy, one object read
 * by GET and written by PATCH (204). `isEnabled` (boolean), `applicationRestrictions` and
 * `servicePrincipalRestrictions` (objects) are written; anything else is refused
 * (docs/graph-behaviour.md, app management policy).
 */
import { isRecord } from "../../../core/entity.js";
import { booleanRule, singletonPolicyResource } from "./singleton-policy-resource.js";
import type { PropertyRule } from "./singleton-policy-resource.js";

const restrictions: PropertyRule = (value, invalid) => {
  if (value !== null && !isRecord(value)) throw invalid();
  return value;
};

export const tenantAppManagementPolicy = singletonPolicyResource({
  path: "/policies/defaultAppManagementPolicy",
  collection: "defaultAppManagementPolicy",
  type: "tenantAppManagementPolicy",
  resourceName: "TenantAppManagementPolicy",
  read: ["Policy.Read.All", "Policy.Read.ApplicationConfiguration"],
  write: ["Policy.ReadWrite.ApplicationConfiguration"],
  initial: {
    id: "00000000-0000-0000-0000-000000000000",
    displayName: "Default app management tenant policy",
    description: "Default tenant policy that enforces app management restrictions on applications and service principals.",
    isEnabled: false,
    applicationRestrictions: { passwordCredentials: [], keyCredentials: [] },
    servicePrincipalRestrictions: { passwordCredentials: [], keyCredentials: [] },
  },
  writable: { isEnabled: booleanRule, applicationRestrictions: restrictions, servicePrincipalRestrictions: restrictions },
  auditUpdate: "Update app management policy",
});
