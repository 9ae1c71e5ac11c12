/**
 * `/identityGovernance/entitlementManagement/catalogs` (docs/graph-behaviour.md, access package
 * catalogs): the built-in `General` catalog (`serviceDefault`) in every tenant, catalogs created by
 * POST (`userManaged`) with `displayName`, `description`, `state` and `isExternallyVisible`,
 * PATCH and DELETE by id. The built-in catalog cannot be deleted, nor a catalog that still holds
 * access packages.
 */
import { GraphHttpError } from "../../core/errors.js";
import { defineResource } from "../../core/resource.js";
import { EM_PERMISSIONS, EM_ROOT, emAudit, onlyProperties, optionalBoolean, optionalEnum, requireText } from "./shared.js";

const TYPE = "accessPackageCatalog";
/** The built-in catalog's id in the sandbox (a real tenant has its own). */
export const GENERAL_CATALOG_ID = "5c4e0e8c-0b1e-4f3a-9d5e-6e9a0c7d1a01";
const PROPERTIES = new Set(["id", "displayName", "description", "catalogType", "state", "isExternallyVisible", "createdDateTime", "modifiedDateTime"]);
const STATES = ["unpublished", "published"];

export const accessPackageCatalogs = defineResource({
  collection: "accessPackageCatalogs",
  entityType: `microsoft.graph.${TYPE}`,
  resourceName: "AccessPackageCatalog",
  paths: [{ path: `${EM_ROOT}/catalogs` }],
  permissions: EM_PERMISSIONS,
  readOnly: { id: "ignore", catalogType: "ignore", createdDateTime: "ignore", modifiedDateTime: "ignore" },
  filter: { id: ["eq"], displayName: ["eq", "contains"], catalogType: ["eq"], state: ["eq"] },
  orderBy: "any",
  replicated: false,
  initial: () => [
    {
      id: GENERAL_CATALOG_ID,
      displayName: "General",
      description: "Built-in catalog.",
      catalogType: "serviceDefault",
      state: "published",
      isExternallyVisible: true,
      createdDateTime: "2020-01-01T00:00:00Z",
      modifiedDateTime: "2020-01-01T00:00:00Z",
    },
  ],
  create: (ctx, body, id) => ctx.system ? ({ ...body, id }) : ({ description: null, state: "published", isExternallyVisible: false, ...body, id, catalogType: "userManaged", createdDateTime: ctx.nowIso(), modifiedDateTime: ctx.nowIso() }),
  update: (ctx, existing, patch) => ({ ...existing, ...patch, modifiedDateTime: ctx.nowIso() }),
  validate(_ctx, entity) {
    onlyProperties(entity, PROPERTIES, TYPE);
    requireText(entity, "displayName", TYPE);
    optionalEnum(entity, "state", STATES, TYPE);
    optionalBoolean(entity, "isExternallyVisible", TYPE);
  },
  beforeDelete(ctx, entity) {
    if (entity["catalogType"] !== "userManaged") throw new GraphHttpError(400, "BadRequest", "The built-in catalog cannot be deleted.");
    if (ctx.store.list("accessPackages").some((p) => p["catalogId"] === entity.id)) throw new GraphHttpError(400, "BadRequest", "The catalog cannot be deleted because it contains access packages.");
  },
  audit: emAudit("access package catalog"),
});
