/**
 * `/policies/appManagementPolicies`: per-app management policies (docs/graph-behaviour.md, app
 * management policies). POST needs `displayName`; `isEnabled` a boolean, `restrictions` an object
 * whose `passwordCredentials` and `keyCredentials` are arrays and `applicationRestrictions` an object
 * (`customAppManagementConfiguration`); any other property is refused.
 * PATCH (204) and DELETE (204) by id, no soft delete. `appliesTo` lists the applications and service
 * principals it is assigned to (`../../policy-assignments.ts`).
 */
import type { Entity } from "../../../core/entity.js";
import { isRecord } from "../../../core/entity.js";
import { badRequest, refuseUnknownProperties } from "../../../core/errors.js";
import { defineResource } from "../../../core/resource.js";
import { appliesToRoute } from "../../policy-assignments.js";
import type { ResourceDefinition } from "../../../core/resource.js";

const READ = ["Policy.Read.All", "Policy.Read.ApplicationConfiguration"];
const WRITE = ["Policy.ReadWrite.ApplicationConfiguration"];
const NAME = "AppManagementPolicy";
const PROPERTIES = new Set(["id", "displayName", "description", "isEnabled", "restrictions", "deletedDateTime"]);
const CREDENTIAL_RESTRICTIONS = new Set(["passwordCredentials", "keyCredentials"]);

function invalid(property: string): Error {
  return badRequest(`Invalid value specified for property '${property}' of resource '${NAME}'.`, "Request_BadRequest");
}

export const appManagementPolicies: ResourceDefinition = defineResource({
  collection: "appManagementPolicies",
  entityType: "microsoft.graph.appManagementPolicy",
  resourceName: NAME,
  paths: [{ path: "/policies/appManagementPolicies" }],
  permissions: { read: READ, write: WRITE },
  readOnly: { deletedDateTime: "ignore" },
  filter: { id: ["eq", "in"], displayName: ["eq", "startsWith"] },
  create: (_ctx, body, id) => ({ description: null, isEnabled: true, restrictions: null, deletedDateTime: null, ...body, id }) as Entity,
  validate: (_ctx, entity) => {
    refuseUnknownProperties(entity, PROPERTIES);
    if (typeof entity["displayName"] !== "string" || entity["displayName"] === "") throw invalid("displayName");
    if (entity["description"] !== null && typeof entity["description"] !== "string") throw invalid("description");
    if (typeof entity["isEnabled"] !== "boolean") throw invalid("isEnabled");
    const restrictions = entity["restrictions"];
    if (restrictions === null) return;
    if (!isRecord(restrictions)) throw invalid("restrictions");
    for (const [key, value] of Object.entries(restrictions)) {
      if (key.startsWith("@odata.")) continue;
      if (CREDENTIAL_RESTRICTIONS.has(key) ? value !== null && !Array.isArray(value) : key !== "applicationRestrictions" || (value !== null && !isRecord(value))) throw invalid("restrictions");
    }
  },
  itemRoutes: [appliesToRoute("appManagementPolicies")],
  audit: { service: "Core Directory", category: "Policy", targetType: "Policy", add: "Add app management policy", update: "Update app management policy", delete: "Delete app management policy" },
});
