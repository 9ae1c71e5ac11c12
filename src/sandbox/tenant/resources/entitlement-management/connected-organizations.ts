/**
 * `/identityGovernance/entitlementManagement/connectedOrganizations` (docs/graph-behaviour.md,
 * connected organizations): POST (201) with `displayName`, `description`, `state` (`configured`,
 * `proposed`) and `identitySources`, a collection with one element on create, each with its
 * `@odata.type`; PATCH and DELETE by id; internal and external sponsors (users and groups) through
 * `$ref`.
 */
import { badRequest } from "../../core/errors.js";
import { getVisible } from "../../core/crud.js";
import type { LinkSpec } from "../links.js";
import { linkRoutes } from "../links.js";
import { defineResource } from "../../core/resource.js";
import { EM_PERMISSIONS, EM_ROOT, emAudit, onlyProperties, optionalEnum, requireText } from "./shared.js";

const TYPE = "connectedOrganization";
const PROPERTIES = new Set(["id", "displayName", "description", "state", "identitySources", "createdDateTime", "modifiedDateTime"]);
/** Each identity source type and the properties it may carry. */
const SOURCES: Readonly<Record<string, readonly string[]>> = {
  azureActiveDirectoryTenant: ["tenantId", "displayName"],
  crossCloudAzureActiveDirectoryTenant: ["cloudInstance", "tenantId", "displayName"],
  domainIdentitySource: ["domainName", "displayName"],
  externalDomainFederation: ["issuerUri", "domainName", "displayName"],
  socialIdentitySource: ["socialIdentitySourceType", "displayName"],
};

function checkSources(value: unknown, creating: boolean): void {
  if (value === undefined || value === null) {
    if (creating) throw badRequest("A connected organization is created with one identity source in 'identitySources'.", "BadRequest");
    return;
  }
  if (!Array.isArray(value)) throw badRequest("'identitySources' must be a collection.", "BadRequest");
  if (creating && value.length !== 1) throw badRequest("A connected organization is created with exactly one identity source in 'identitySources'.", "BadRequest");
  for (const item of value) {
    const source = item !== null && typeof item === "object" && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
    const type = String(source?.["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./, "");
    const allowed = SOURCES[type];
    if (!source || !allowed) throw badRequest(`'identitySources': '${String(source?.["@odata.type"] ?? "")}' is not an identity source type; each item needs its @odata.type.`, "BadRequest");
    for (const key of Object.keys(source)) if (!key.startsWith("@odata.") && !allowed.includes(key)) throw badRequest(`The property '${key}' does not exist on type 'microsoft.graph.${type}'.`, "BadRequest");
  }
}

function sponsors(property: "internalSponsors" | "externalSponsors"): LinkSpec {
  return { relation: `connectedOrganizations/${property}`, sourceCollection: "connectedOrganizations", property, targets: ["users", "groups"] };
}

export const connectedOrganizations = defineResource({
  collection: "connectedOrganizations",
  entityType: `microsoft.graph.${TYPE}`,
  resourceName: "ConnectedOrganization",
  paths: [{ path: `${EM_ROOT}/connectedOrganizations` }],
  permissions: EM_PERMISSIONS,
  readOnly: { id: "ignore", createdDateTime: "ignore", modifiedDateTime: "ignore" },
  filter: { id: ["eq"], displayName: ["eq"] },
  orderBy: "any",
  replicated: false,
  create: (ctx, body, id) => {
    checkSources(body["identitySources"], true);
    return { description: null, state: "configured", ...body, id, createdDateTime: ctx.nowIso(), modifiedDateTime: ctx.nowIso() };
  },
  update: (ctx, existing, patch) => {
    checkSources(patch["identitySources"], false);
    return { ...existing, ...patch, modifiedDateTime: ctx.nowIso() };
  },
  validate(_ctx, entity) {
    onlyProperties(entity, PROPERTIES, TYPE);
    requireText(entity, "displayName", TYPE);
    optionalEnum(entity, "state", ["configured", "proposed"], TYPE);
  },
  audit: emAudit("connected organization"),
  itemRoutes: [
    ...linkRoutes(sponsors("internalSponsors"), (ctx, id) => getVisible(ctx, ctx.core.resource("connectedOrganizations"), id)),
    ...linkRoutes(sponsors("externalSponsors"), (ctx, id) => getVisible(ctx, ctx.core.resource("connectedOrganizations"), id)),
  ],
});
