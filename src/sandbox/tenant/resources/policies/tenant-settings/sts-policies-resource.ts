/**
 * The `stsPolicy` collections: `/policies/tokenLifetimePolicies`, `/policies/homeRealmDiscoveryPolicies`,
 * `/policies/claimsMappingPolicies`, `/policies/tokenIssuancePolicies` and `/policies/activityBasedTimeoutPolicies`. Create needs `displayName` and `definition` (a collection of
 * strings), unknown properties are refused, `isOrganizationDefault` defaults to false; PATCH and
 * DELETE by id; no soft delete (docs/graph-behaviour.md, STS policies). `appliesTo` lists the
 * applications and service principals a policy is assigned to (`../../policy-assignments.ts`).
 */
import { badRequest, refuseUnknownProperties } from "../../../core/errors.js";
import type { Entity } from "../../../core/entity.js";
import { defineResource } from "../../../core/resource.js";
import { appliesToRoute } from "../../policy-assignments.js";
import type { ResourceDefinition } from "../../../core/resource.js";

const READ = ["Policy.Read.All", "Policy.Read.ApplicationConfiguration"];
const WRITE = ["Policy.ReadWrite.ApplicationConfiguration"];
const PROPERTIES = new Set(["id", "displayName", "description", "definition", "isOrganizationDefault", "deletedDateTime"]);

function stsPolicyResource(collection: string, type: string, resourceName: string): ResourceDefinition {
  return defineResource({
    collection,
    entityType: `microsoft.graph.${type}`,
    resourceName,
    paths: [{ path: `/policies/${collection}` }],
    permissions: { read: READ, write: WRITE },
    readOnly: { deletedDateTime: "ignore" },
    filter: { id: ["eq", "in"], displayName: ["eq", "startsWith"] },
    create: (_ctx, body, id) => ({ description: null, isOrganizationDefault: false, deletedDateTime: null, ...body, id }) as Entity,
    validate: (_ctx, entity) => {
      refuseUnknownProperties(entity, PROPERTIES);
      if (typeof entity["displayName"] !== "string" || entity["displayName"] === "") throw badRequest(`Invalid value specified for property 'displayName' of resource '${resourceName}'.`, "Request_BadRequest");
      const definition = entity["definition"];
      if (!Array.isArray(definition) || definition.length === 0 || !definition.every((d) => typeof d === "string")) {
        throw badRequest(`Invalid value specified for property 'definition' of resource '${resourceName}'.`, "Request_BadRequest");
      }
      if (typeof entity["isOrganizationDefault"] !== "boolean") throw badRequest(`Invalid value specified for property 'isOrganizationDefault' of resource '${resourceName}'.`, "Request_BadRequest");
    },
    itemRoutes: [appliesToRoute(collection)],
    // Microsoft's audit activity reference (Core Directory, Policy): the names do not say the type.
    audit: { service: "Core Directory", category: "Policy", targetType: "Policy", add: "Add policy", update: "Update policy", delete: "Delete policy" },
  });
}

export const tokenLifetimePolicies = stsPolicyResource("tokenLifetimePolicies", "tokenLifetimePolicy", "TokenLifetimePolicy");
export const homeRealmDiscoveryPolicies = stsPolicyResource("homeRealmDiscoveryPolicies", "homeRealmDiscoveryPolicy", "HomeRealmDiscoveryPolicy");
export const claimsMappingPolicies = stsPolicyResource("claimsMappingPolicies", "claimsMappingPolicy", "ClaimsMappingPolicy");
export const tokenIssuancePolicies = stsPolicyResource("tokenIssuancePolicies", "tokenIssuancePolicy", "TokenIssuancePolicy");
export const activityBasedTimeoutPolicies = stsPolicyResource("activityBasedTimeoutPolicies", "activityBasedTimeoutPolicy", "ActivityBasedTimeoutPolicy");
