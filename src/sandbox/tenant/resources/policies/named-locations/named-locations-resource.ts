/**
 * `/identity/conditionalAccess/namedLocations` (v1.0 and beta): ip and country locations, `$filter`
 * with `isof(...)` and `countriesAndRegions/any(...)`, soft delete under `deletedItems/namedLocations`.
 * A location that a Conditional Access policy uses cannot be deleted.
 */
import { isRecord } from "../../../core/entity.js";
import type { Entity } from "../../../core/entity.js";
import { GraphHttpError } from "../../../core/errors.js";
import { defineResource } from "../../../core/resource.js";
import type { ResourceDefinition } from "../../../core/resource.js";
import { policyBinRoutes } from "../policy-bin-routes.js";
import { BINS, COLLECTIONS, apiVersion } from "../policy-context.js";
import { prepareNamedLocationCreate, prepareNamedLocationUpdate, renderNamedLocation } from "./named-location-body.js";

const PATH = "/identity/conditionalAccess/namedLocations";
const READ = ["Policy.Read.All", "Policy.Read.ConditionalAccess"];
const WRITE = ["Policy.ReadWrite.ConditionalAccess"];

function usedBy(policies: Entity[], locationId: string): Entity | undefined {
  return policies.find((p) => {
    const conditions = p["conditions"];
    const locations = isRecord(conditions) ? conditions["locations"] : undefined;
    if (!isRecord(locations)) return false;
    return ["includeLocations", "excludeLocations"].some((k) => Array.isArray(locations[k]) && (locations[k] as unknown[]).some((v) => String(v).toLowerCase() === locationId.toLowerCase()));
  });
}

export const namedLocations: ResourceDefinition = defineResource({
  collection: COLLECTIONS.namedLocations,
  entityType: "microsoft.graph.namedLocation",
  resourceName: "NamedLocation",
  paths: [{ path: PATH }],
  readOnly: { id: "ignore", createdDateTime: "ignore", modifiedDateTime: "ignore", deletedDateTime: "ignore" },
  odataType: { allowed: ["#microsoft.graph.ipNamedLocation", "#microsoft.graph.countryNamedLocation"], requiredOnCreate: true, emit: true },
  permissions: { read: READ, write: WRITE },
  paging: { defaultTop: 100, maxTop: 999 },
  replicated: false,
  create: (ctx, body, id) => {
    const value = prepareNamedLocationCreate(body, apiVersion(ctx));
    const now = ctx.nowIso();
    return { ...value, id, createdDateTime: now, modifiedDateTime: now };
  },
  update: (ctx, existing, patch) => ({
    // Graph requires the location's @odata.type in an update body too.
    ...prepareNamedLocationUpdate(existing, patch, apiVersion(ctx)),
    id: existing.id,
    createdDateTime: existing["createdDateTime"],
    modifiedDateTime: ctx.nowIso(),
  }),
  beforeDelete: (ctx, entity) => {
    // Graph refuses to delete a trusted location: an administrator unchecks "trusted", saves, then
    // deletes (https://github.com/MicrosoftDocs/azure-docs/pull/108713). The message is the sandbox's own.
    if (entity["isTrusted"] === true) {
      throw new GraphHttpError(400, "BadRequest", `Named location '${entity.id}' is marked as trusted and cannot be deleted. Set isTrusted to false first.`);
    }
    const policy = usedBy(ctx.store.list(COLLECTIONS.conditionalAccessPolicies), entity.id);
    if (policy) {
      throw new GraphHttpError(400, "BadRequest", `1030: Named location '${entity.id}' is used by Conditional Access policy '${policy.id}' and cannot be deleted.`);
    }
  },
  view: (ctx, entity) => renderNamedLocation(entity, apiVersion(ctx)) as Entity,
  audit: {
    service: "Conditional Access",
    category: "Policy",
    targetType: "Policy",
    add: "Add named location",
    update: "Update named location",
    delete: "Delete named location",
    restore: "Restore named location",
    hardDelete: "Hard delete named location",
  },
  routes: policyBinRoutes({
    path: "/identity/conditionalAccess/deletedItems/namedLocations",
    bin: BINS.namedLocations,
    def: () => namedLocations,
    read: READ,
    write: WRITE,
  }),
  softDelete: { bin: BINS.namedLocations },
});
