/**
 * Policies assigned to applications and service principals (docs/graph-behaviour.md, "Policy
 * assignments"). Graph writes an assignment from the application's or service principal's side,
 * `POST /{applications|servicePrincipals}/{id}/<policies>/$ref` with the policy's `@odata.id` (204)
 * and `DELETE …/<policies>/{policyId}/$ref` (204), lists it there (`GET …/<policies>`), and lists a
 * policy's targets at `GET /policies/<policies>/{id}/appliesTo`, read-only. Which policies go where
 * (v1.0): token lifetime on both, at most one per object; token issuance on applications; claims
 * mapping and home realm discovery on service principals; app management on both, at most one per
 * object. Assigning an STS policy needs Policy.Read.All (or .ApplicationConfiguration) and
 * Application.ReadWrite.All; an app management policy Policy.ReadWrite.ApplicationConfiguration and
 * Application.Read.All; reading appliesTo a policy permission and Application.Read.All.
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { stringProp } from "../core/entity.js";
import { badRequest } from "../core/errors.js";
import { getVisible } from "../core/crud.js";
import type { RouteSpec } from "../core/resource.js";
import { listResponse } from "../odata/list.js";
import { addLink, removeLink, type LinkSpec } from "./links.js";
import { directoryObjectList, idFromODataUrl, typedView } from "./directory-objects.js";

type Side = "applications" | "servicePrincipals";

interface Assignment {
  side: Side;
  /** The policy collection, which is also the navigation segment on the side. */
  policies: string;
  /** Graph's type of the policy, for the side's list. */
  type: string;
  onePerTarget: boolean;
  /** App management policies are assigned with Policy.ReadWrite.ApplicationConfiguration and Application.Read.All. */
  appManagement: boolean;
}

const ASSIGNMENTS: readonly Assignment[] = [
  { side: "applications", policies: "tokenLifetimePolicies", type: "tokenLifetimePolicy", onePerTarget: true, appManagement: false },
  { side: "servicePrincipals", policies: "tokenLifetimePolicies", type: "tokenLifetimePolicy", onePerTarget: true, appManagement: false },
  { side: "applications", policies: "tokenIssuancePolicies", type: "tokenIssuancePolicy", onePerTarget: false, appManagement: false },
  { side: "servicePrincipals", policies: "claimsMappingPolicies", type: "claimsMappingPolicy", onePerTarget: false, appManagement: false },
  { side: "servicePrincipals", policies: "homeRealmDiscoveryPolicies", type: "homeRealmDiscoveryPolicy", onePerTarget: true, appManagement: false },
  { side: "applications", policies: "appManagementPolicies", type: "appManagementPolicy", onePerTarget: true, appManagement: true },
  { side: "servicePrincipals", policies: "appManagementPolicies", type: "appManagementPolicy", onePerTarget: true, appManagement: true },
];

const POLICY_READ = ["Policy.Read.All", "Policy.ReadWrite.ApplicationConfiguration"];
const APPLICATION_READ = ["Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All"];
const APPLICATION_WRITE = ["Application.ReadWrite.All"];

const NOUN: Readonly<Record<Side, string>> = { applications: "application", servicePrincipals: "service principal" };

function linkSpec(a: Assignment): LinkSpec {
  return {
    relation: `${a.side}/${a.policies}`,
    sourceCollection: a.side,
    property: a.policies,
    targets: [a.policies],
    beforeAdd: (ctx, source) => {
      if (a.onePerTarget && ctx.store.linkTargets(`${a.side}/${a.policies}`, source.id).length > 0) {
        // Graph's answer to a second token lifetime policy (docs/graph-behaviour.md, policy assignment limits).
        throw badRequest("Request contains property changes that would result in property-uniqueness violation(s). Please retry your request with corrected values.", "Request_MultipleObjectsWithSameKeyValue");
      }
    },
    // Audit words not verified against a real tenant (docs/graph-behaviour.md, "Policy assignments").
    audit: {
      category: "ApplicationManagement",
      add: `Add policy to ${NOUN[a.side]}`,
      remove: `Remove policy from ${NOUN[a.side]}`,
      sourceType: a.side === "applications" ? "Application" : "ServicePrincipal",
    },
  };
}

/** Both permissions of an "X and Y" row of Graph's permission table (each an any-of list). */
function requireBoth(ctx: RequestContext, first: readonly string[], second: readonly string[]): void {
  ctx.requirePermission(first);
  ctx.requirePermission(second);
}

function requireWrite(ctx: RequestContext, a: Assignment): void {
  if (a.appManagement) requireBoth(ctx, ["Policy.ReadWrite.ApplicationConfiguration"], APPLICATION_READ);
  else requireBoth(ctx, POLICY_READ, APPLICATION_WRITE);
}

function policyView(entity: Entity, type: string): Entity {
  return { "@odata.type": `#microsoft.graph.${type}`, ...entity };
}

/** The routes on an application or service principal: list, assign and unassign each policy type it takes. */
export function policyAssignmentRoutes(side: Side): RouteSpec[] {
  const sourceOf = (ctx: RequestContext, id: string): Entity => getVisible(ctx, ctx.core.resource(side), id);
  return ASSIGNMENTS.filter((a) => a.side === side).flatMap((a): RouteSpec[] => {
    const spec = linkSpec(a);
    return [
      {
        method: "GET",
        path: a.policies,
        permissions: [],
        handler: (ctx, params) => {
          requireBoth(ctx, POLICY_READ, APPLICATION_READ);
          const source = sourceOf(ctx, params["id"] ?? "");
          const items = ctx.store
            .linkTargets(spec.relation, source.id)
            .map((id) => ctx.store.get(a.policies, id))
            .filter((p): p is Entity => p !== undefined)
            .map((p) => policyView(p, a.type));
          return listResponse(ctx, ctx.core.resource(a.policies), items, { contextPath: a.policies });
        },
      },
      {
        method: "POST",
        path: `${a.policies}/$ref`,
        permissions: [],
        handler: (ctx, params) => {
          requireWrite(ctx, a);
          const body = ctx.request.body;
          const url = typeof body === "object" && body !== null ? (body as Record<string, unknown>)["@odata.id"] : undefined;
          addLink(ctx, spec, sourceOf(ctx, params["id"] ?? ""), idFromODataUrl(url, a.policies));
          return { status: 204 };
        },
      },
      {
        method: "DELETE",
        path: `${a.policies}/{policyId}/$ref`,
        permissions: [],
        handler: (ctx, params) => {
          requireWrite(ctx, a);
          removeLink(ctx, spec, sourceOf(ctx, params["id"] ?? ""), params["policyId"] ?? "");
          return { status: 204 };
        },
      },
    ];
  });
}

/** `GET /policies/<policies>/{id}/appliesTo`: the applications and service principals the policy is assigned to. */
export function appliesToRoute(policies: string): RouteSpec {
  return {
    method: "GET",
    path: "appliesTo",
    permissions: [],
    handler: (ctx, params) => {
      requireBoth(ctx, POLICY_READ, APPLICATION_READ);
      const policyId = params["id"] ?? "";
      const items: Entity[] = [];
      for (const a of ASSIGNMENTS.filter((x) => x.policies === policies)) {
        for (const sourceId of ctx.store.linkSources(`${a.side}/${a.policies}`, policyId)) {
          const source = ctx.store.get(a.side, sourceId);
          if (source) items.push(typedView(ctx, a.side, source));
        }
      }
      items.sort((x, y) => (stringProp(x, "id") ?? "").localeCompare(stringProp(y, "id") ?? ""));
      return listResponse(ctx, directoryObjectList, items, { contextPath: "directoryObjects" });
    },
  };
}
