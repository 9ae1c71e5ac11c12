/**
 * `/policies/authenticationStrengthPolicies` (also reachable as
 * `/identity/conditionalAccess/authenticationStrength/policies` on beta): the three built-ins (read-only)
 * and custom strengths, `updateAllowedCombinations`, `usage`, and `combinationConfigurations`.
 */
import { randomUUID } from "node:crypto";
import type { RequestContext } from "../../../core/context.js";
import type { Entity } from "../../../core/entity.js";
import { isRecord } from "../../../core/entity.js";
import { badRequest, notFound } from "../../../core/errors.js";
import { getVisible } from "../../../core/crud.js";
import { defineResource } from "../../../core/resource.js";
import type { ResourceDefinition, RouteSpec } from "../../../core/resource.js";
import { contextUrl } from "../../../odata/shape.js";
import { lazyCollectionRoutes } from "../lazy-routes.js";
import { COLLECTIONS, apiVersion, ensurePolicyDefaults } from "../policy-context.js";
import { isBuiltInStrength } from "./built-ins.js";
import { diffModifiedProperties } from "../../../audit/audit-log.js";
import { builtInReadOnly, prepareCombinationConfiguration, prepareStrengthCreate, prepareStrengthUpdate, updateAllowedCombinations } from "./strength-body.js";
import { renderStrength } from "./strength-view.js";

const PATH = "/policies/authenticationStrengthPolicies";
const READ = ["Policy.Read.All", "Policy.Read.AuthenticationMethod", "Policy.Read.ConditionalAccess"];
const WRITE = ["Policy.ReadWrite.ConditionalAccess", "Policy.ReadWrite.AuthenticationMethod"];

function policiesUsing(ctx: RequestContext, strengthId: string): Entity[] {
  return ctx.store.list(COLLECTIONS.conditionalAccessPolicies).filter((p) => {
    const grant = p["grantControls"];
    const strength = isRecord(grant) ? grant["authenticationStrength"] : undefined;
    return isRecord(strength) && String(strength["id"]).toLowerCase() === strengthId.toLowerCase();
  });
}

function configurationsOf(ctx: RequestContext, strengthId: string): Entity[] {
  return ctx.store.list(COLLECTIONS.authenticationCombinationConfigurations).filter((c) => c["strengthId"] === strengthId.toLowerCase());
}

function configurationView(c: Entity): Record<string, unknown> {
  const { strengthId: _strengthId, ...rest } = c;
  return rest;
}

/** A strength as GET shows it, with its combination configurations (also embedded in CA policies). */
export function strengthView(ctx: RequestContext, entity: Entity): Entity {
  return { ...renderStrength(entity, apiVersion(ctx)), id: entity.id, combinationConfigurations: configurationsOf(ctx, entity.id).map(configurationView) };
}

function touch(ctx: RequestContext, strength: Entity): void {
  ctx.store.put(COLLECTIONS.authenticationStrengthPolicies, { ...strength, modifiedDateTime: ctx.nowIso() });
}

function itemRoutes(): RouteSpec[] {
  const strength = (ctx: RequestContext, id: string) => {
    ensurePolicyDefaults(ctx);
    return getVisible(ctx, authenticationStrengthPolicies, id);
  };
  const configuration = (ctx: RequestContext, strengthId: string, id: string) => {
    const found = configurationsOf(ctx, strengthId).find((c) => c.id.toLowerCase() === id.toLowerCase());
    if (!found) throw notFound(id);
    return found;
  };
  const base = `${PATH}/{id}`;
  return [
    {
      method: "POST",
      path: `${base}/updateAllowedCombinations`,
      permissions: WRITE,
      handler: (ctx, p) => {
        const before = strength(ctx, p["id"] ?? "");
        const { stored, response } = updateAllowedCombinations(before, ctx.request.body);
        const after: Entity = { ...(stored as Entity), modifiedDateTime: ctx.nowIso() };
        ctx.store.put(COLLECTIONS.authenticationStrengthPolicies, after);
        // Entra audits the action like any other change of the policy.
        ctx.audit({
          activity: "Authentication Strength Policy Update",
          category: "ApplicationManagement",
          service: "Authentication Methods",
          operationType: "Update",
          targets: [{ id: after.id, displayName: typeof after["displayName"] === "string" ? after["displayName"] : null, type: "Policy", modifiedProperties: diffModifiedProperties(before, after) }],
        });
        const references = policiesUsing(ctx, stored["id"] as string).map((pol) => ({ id: pol.id, displayName: pol["displayName"] }));
        return { status: 200, body: { ...response, conditionalAccessReferences: references } };
      },
    },
    {
      method: "GET",
      path: `${base}/usage`,
      permissions: [...READ, ...WRITE],
      handler: (ctx, p) => {
        const s = strength(ctx, p["id"] ?? "");
        const using = policiesUsing(ctx, s.id).map((pol) => ({ id: pol.id, displayName: pol["displayName"], state: pol["state"] }));
        const mfa = s["requirementsSatisfied"] === "mfa";
        return { status: 200, body: { "@odata.context": contextUrl(ctx, "microsoft.graph.authenticationStrengthUsage"), mfa: mfa ? using : [], none: mfa ? [] : using } };
      },
    },
    {
      method: "GET",
      path: `${base}/combinationConfigurations`,
      permissions: [...READ, ...WRITE],
      handler: (ctx, p) => {
        const s = strength(ctx, p["id"] ?? "");
        return { status: 200, body: { "@odata.context": contextUrl(ctx, `policies/authenticationStrengthPolicies('${s.id}')/combinationConfigurations`), value: configurationsOf(ctx, s.id).map(configurationView) } };
      },
    },
    {
      method: "POST",
      path: `${base}/combinationConfigurations`,
      permissions: WRITE,
      handler: (ctx, p) => {
        const s = strength(ctx, p["id"] ?? "");
        const value = prepareCombinationConfiguration(s, ctx.request.body, apiVersion(ctx));
        const created: Entity = { ...value, id: randomUUID(), strengthId: s.id.toLowerCase() };
        ctx.store.put(COLLECTIONS.authenticationCombinationConfigurations, created);
        touch(ctx, s);
        return { status: 201, body: { "@odata.context": contextUrl(ctx, `policies/authenticationStrengthPolicies('${s.id}')/combinationConfigurations`, undefined, true), ...configurationView(created) } };
      },
    },
    {
      method: "GET",
      path: `${base}/combinationConfigurations/{configurationId}`,
      permissions: [...READ, ...WRITE],
      handler: (ctx, p) => {
        const s = strength(ctx, p["id"] ?? "");
        return { status: 200, body: configurationView(configuration(ctx, s.id, p["configurationId"] ?? "")) };
      },
    },
    {
      method: "PATCH",
      path: `${base}/combinationConfigurations/{configurationId}`,
      permissions: WRITE,
      handler: (ctx, p) => {
        const s = strength(ctx, p["id"] ?? "");
        const existing = configuration(ctx, s.id, p["configurationId"] ?? "");
        const value = prepareCombinationConfiguration(s, ctx.request.body, apiVersion(ctx), configurationView(existing));
        ctx.store.put(COLLECTIONS.authenticationCombinationConfigurations, { ...value, id: existing.id, strengthId: existing["strengthId"] });
        touch(ctx, s);
        return { status: 204 };
      },
    },
    {
      method: "DELETE",
      path: `${base}/combinationConfigurations/{configurationId}`,
      permissions: WRITE,
      handler: (ctx, p) => {
        const s = strength(ctx, p["id"] ?? "");
        if (isBuiltInStrength(s.id)) throw builtInReadOnly();
        const existing = configuration(ctx, s.id, p["configurationId"] ?? "");
        ctx.store.remove(COLLECTIONS.authenticationCombinationConfigurations, existing.id, "deleted");
        touch(ctx, s);
        return { status: 204 };
      },
    },
  ];
}

export const authenticationStrengthPolicies: ResourceDefinition = defineResource({
  collection: COLLECTIONS.authenticationStrengthPolicies,
  entityType: "microsoft.graph.authenticationStrengthPolicy",
  resourceName: "AuthenticationStrengthPolicy",
  // Served by the lazy routes below (built-ins exist in every tenant); `versions: []` keeps the generic ones off.
  paths: [{ path: PATH, versions: [] }],
  readOnly: { id: "ignore", createdDateTime: "ignore", modifiedDateTime: "ignore", policyType: "ignore", requirementsSatisfied: "ignore" },
  permissions: { read: READ, write: WRITE },
  replicated: false,
  create: (ctx, body, id) => ({ ...prepareStrengthCreate(body, apiVersion(ctx)), id, createdDateTime: ctx.nowIso(), modifiedDateTime: ctx.nowIso() }),
  update: (ctx, existing, patch) => ({ ...prepareStrengthUpdate(existing, patch, apiVersion(ctx)), id: existing.id, modifiedDateTime: ctx.nowIso() }),
  beforeDelete: (ctx, entity) => {
    if (isBuiltInStrength(entity.id)) throw builtInReadOnly();
    if (policiesUsing(ctx, entity.id).length > 0) {
      throw badRequest("The authentication strength policy is referenced by one or more Conditional Access policies and cannot be deleted.", "BadRequest");
    }
    for (const c of configurationsOf(ctx, entity.id)) ctx.store.remove(COLLECTIONS.authenticationCombinationConfigurations, c.id, "deleted");
  },
  view: (ctx, entity) => strengthView(ctx, entity),
  audit: {
    // Microsoft's audit activity reference, "Authentication Methods" service.
    service: "Authentication Methods",
    category: "ApplicationManagement",
    targetType: "Policy",
    add: "Authentication Strength Policy Create",
    update: "Authentication Strength Policy Update",
    delete: "Authentication Strength Policy Delete",
  },
  routes: [
    ...lazyCollectionRoutes(PATH, () => authenticationStrengthPolicies, { read: READ, write: WRITE }),
    ...lazyCollectionRoutes("/identity/conditionalAccess/authenticationStrength/policies", () => authenticationStrengthPolicies, { read: READ, write: WRITE, versions: ["beta"] }),
    ...itemRoutes(),
  ],
});
