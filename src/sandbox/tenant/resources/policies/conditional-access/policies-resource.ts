/**
 * `/identity/conditionalAccess/policies` (v1.0 and beta): create with the Conditional Access service's
 * validation, PATCH (deep merge, re-validated), soft delete into `deletedItems/policies`, restore.
 */
import type { RequestContext } from "../../../core/context.js";
import type { Entity } from "../../../core/entity.js";
import { defineResource } from "../../../core/resource.js";
import type { ResourceDefinition } from "../../../core/resource.js";
import { BINS, COLLECTIONS, apiVersion, ensurePolicyDefaults, includeUnknownEnumMembers, referenceLookup, requireAlso } from "../policy-context.js";
import { policyBinRoutes } from "../policy-bin-routes.js";
import { strengthView } from "../authentication-strength/strengths-resource.js";
import { prepareCreate, prepareUpdate, renderPolicy } from "./policy-body.js";

const PATH = "/identity/conditionalAccess/policies";
const READ = ["Policy.Read.All", "Policy.Read.ConditionalAccess"];
const WRITE = ["Policy.ReadWrite.ConditionalAccess"];

function bodyContext(ctx: RequestContext) {
  return { version: apiVersion(ctx), includeUnknownEnumMembers: includeUnknownEnumMembers(ctx), refs: referenceLookup(ctx) };
}

function timestamp(value: unknown, fallback: string | null): string | null {
  return typeof value === "string" ? value : fallback;
}

function view(ctx: RequestContext, entity: Entity): Entity {
  ensurePolicyDefaults(ctx);
  const shown = renderPolicy(entity, {
    version: apiVersion(ctx),
    includeUnknownEnumMembers: includeUnknownEnumMembers(ctx),
    authenticationStrength: (id) => {
      const strength = ctx.store.get(COLLECTIONS.authenticationStrengthPolicies, id);
      return strength ? strengthView(ctx, strength) : undefined;
    },
  });
  const grant = shown["grantControls"];
  if (grant && typeof grant === "object" && (grant as Record<string, unknown>)["authenticationStrength"]) {
    const context = `${ctx.request.serviceRoot}/$metadata#identity/conditionalAccess/policies('${entity.id}')/grantControls/authenticationStrength/$entity`;
    const { authenticationStrength, ...rest } = grant as Record<string, unknown>;
    shown["grantControls"] = { ...rest, "authenticationStrength@odata.context": context, authenticationStrength };
  }
  return shown as Entity;
}

export const conditionalAccessPolicies: ResourceDefinition = defineResource({
  collection: COLLECTIONS.conditionalAccessPolicies,
  entityType: "microsoft.graph.conditionalAccessPolicy",
  resourceName: "ConditionalAccessPolicy",
  paths: [{ path: PATH }],
  readOnly: { id: "ignore", createdDateTime: "ignore", modifiedDateTime: "ignore", deletedDateTime: "ignore", templateId: "ignore" },
  permissions: { read: READ, write: WRITE },
  paging: { defaultTop: 100, maxTop: 999 },
  replicated: false,
  create: (ctx, body, id) => {
    requireAlso(ctx, ["Policy.Read.All"]);
    const prepared = prepareCreate(body, bodyContext(ctx));
    if (!prepared.ok) throw prepared.error;
    // Seeds (system requests) may carry the server-managed fields of an exported policy.
    const keep = ctx.system;
    return {
      id,
      templateId: keep ? timestamp(body["templateId"], null) : null,
      ...prepared.value,
      createdDateTime: keep ? timestamp(body["createdDateTime"], ctx.nowIso()) : ctx.nowIso(),
      modifiedDateTime: keep ? timestamp(body["modifiedDateTime"], null) : null,
    };
  },
  update: (ctx, existing, patch) => {
    requireAlso(ctx, ["Policy.Read.All"]);
    const prepared = prepareUpdate(existing, patch, bodyContext(ctx));
    if (!prepared.ok) throw prepared.error;
    return {
      id: existing.id,
      templateId: existing["templateId"] ?? null,
      ...prepared.value,
      createdDateTime: existing["createdDateTime"],
      modifiedDateTime: ctx.nowIso(),
    };
  },
  view,
  softDelete: { bin: BINS.conditionalAccessPolicies },
  audit: {
    service: "Conditional Access",
    category: "Policy",
    targetType: "Policy",
    add: "Add conditional access policy",
    update: "Update conditional access policy",
    delete: "Delete conditional access policy",
    restore: "Restore conditional access policy",
    hardDelete: "Hard delete conditional access policy",
  },
  routes: policyBinRoutes({
    path: "/identity/conditionalAccess/deletedItems/policies",
    bin: BINS.conditionalAccessPolicies,
    def: () => conditionalAccessPolicies,
    read: READ,
    write: WRITE,
  }),
});
