/**
 * `/policies/permissionGrantPolicies`: permission grant (consent) policies (docs/graph-behaviour.md,
 * permission grant policies). POST (201) needs `id` (letters, digits, `-` and `_`; the prefix
 * `microsoft-` is reserved; unique), with `displayName` and `description`; condition sets are added
 * afterwards. PATCH (204) writes `displayName` and `description` only; DELETE (204). Condition sets
 * (`includes`, `excludes`, expanded on every GET): POST `{id}/includes` (201) with `permissionType`
 * (`application` or `delegated`; `delegatedUserConsentable` only in built-in policies) and
 * optional conditions, Graph filling in the most inclusive defaults and an id; DELETE
 * `{id}/includes/{setId}` (204); no PATCH. The built-in `microsoft-*` policies are read-only.
 */
import { randomUUID } from "node:crypto";
import type { Entity } from "../core/entity.js";
import { isRecord } from "../core/entity.js";
import type { RequestContext } from "../core/context.js";
import { badRequest, GraphHttpError, methodNotAllowed, notFound, refuseUnknownProperties } from "../core/errors.js";
import { entityResponse, getVisible } from "../core/crud.js";
import { defineResource } from "../core/resource.js";
import type { ResourceDefinition, RouteSpec } from "../core/resource.js";
import { createWithId } from "./policies/lazy-routes.js";

const PATH = "/policies/permissionGrantPolicies";
const NAME = "PermissionGrantPolicy";
const READ = ["Policy.Read.PermissionGrant", "Policy.ReadWrite.PermissionGrant"];
const WRITE = ["Policy.ReadWrite.PermissionGrant"];
type SetName = "includes" | "excludes";
const CLASSIFICATIONS = new Set(["all", "low", "medium", "high"]);
const STRING_LISTS = ["permissions", "clientApplicationIds", "clientApplicationTenantIds", "clientApplicationPublisherIds"];
const CONDITION_PROPERTIES = new Set(["id", "permissionType", "permissionClassification", "resourceApplication", "clientApplicationsFromVerifiedPublisherOnly", ...STRING_LISTS]);

type ConditionSet = Record<string, unknown> & { id: string };

function condition(overrides: Record<string, unknown>): ConditionSet {
  return {
    id: randomUUID(),
    permissionClassification: "all",
    permissionType: "delegated",
    resourceApplication: "any",
    permissions: ["all"],
    clientApplicationIds: ["all"],
    clientApplicationTenantIds: ["all"],
    clientApplicationPublisherIds: ["all"],
    clientApplicationsFromVerifiedPublisherOnly: false,
    ...overrides,
  };
}

/** Some of Microsoft's built-in policies, present in every tenant. */
const BUILT_IN: readonly { id: string; displayName: string; description: string; includes: Record<string, unknown>[] }[] = [
  { id: "microsoft-all-application-permissions", displayName: "All application permissions, for any client app", description: "Includes all application permissions (app roles), for all APIs, for any client application.", includes: [{ permissionType: "application" }] },
  { id: "microsoft-user-default-low", displayName: "Default policy for user consent to apps (low risk)", description: "Includes delegated permissions classified low, for client apps from verified publishers or registered in this organization.", includes: [{ permissionType: "delegatedUserConsentable", permissionClassification: "low", clientApplicationsFromVerifiedPublisherOnly: true }] },
  { id: "microsoft-user-default-legacy", displayName: "Legacy user consent policy", description: "Includes all delegated permissions users can consent to, for any client app.", includes: [{ permissionType: "delegatedUserConsentable" }] },
];

function invalid(property: string, resource = NAME): GraphHttpError {
  return badRequest(`Invalid value specified for property '${property}' of resource '${resource}'.`, "Request_BadRequest");
}

function refuseBuiltIn(entity: Entity): void {
  if (entity.id.toLowerCase().startsWith("microsoft-")) throw new GraphHttpError(403, "Authorization_RequestDenied", "Built-in permission grant policies cannot be modified.");
}

/** A condition set as POSTed: known properties only, `permissionType` required, defaults filled in. */
function checkConditionSet(body: unknown): ConditionSet {
  if (!isRecord(body)) throw badRequest("A condition set must be an object.");
  refuseUnknownProperties(body, CONDITION_PROPERTIES);
  if ("id" in body) throw badRequest("Property 'id' is read-only.");
  const type = body["permissionType"];
  if (type !== "application" && type !== "delegated") throw invalid("permissionType", "PermissionGrantConditionSet");
  const classification = body["permissionClassification"];
  if (classification !== undefined && (typeof classification !== "string" || !CLASSIFICATIONS.has(classification))) throw invalid("permissionClassification", "PermissionGrantConditionSet");
  if (body["resourceApplication"] !== undefined && typeof body["resourceApplication"] !== "string") throw invalid("resourceApplication", "PermissionGrantConditionSet");
  for (const key of STRING_LISTS) {
    const list = body[key];
    if (list !== undefined && (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === "string"))) throw invalid(key, "PermissionGrantConditionSet");
  }
  const verified = body["clientApplicationsFromVerifiedPublisherOnly"];
  if (verified !== undefined && typeof verified !== "boolean") throw invalid("clientApplicationsFromVerifiedPublisherOnly", "PermissionGrantConditionSet");
  const { ["@odata.type"]: _type, ...rest } = body;
  return condition(rest);
}

function setsOf(entity: Entity, set: string): ConditionSet[] {
  const list = entity[set];
  return Array.isArray(list) ? (list as ConditionSet[]) : [];
}

function policy(ctx: RequestContext, id: string, access: "read" | "write"): Entity {
  return getVisible(ctx, permissionGrantPolicies, id, access);
}

function conditionRoutes(set: SetName): RouteSpec[] {
  const context = (ctx: RequestContext, id: string): string => `${ctx.request.serviceRoot}/$metadata#policies/permissionGrantPolicies('${id}')/${set}`;
  return [
    { method: "GET", path: set, permissions: READ, handler: (ctx, p) => ({ status: 200, body: { "@odata.context": context(ctx, p["id"] ?? ""), value: setsOf(policy(ctx, p["id"] ?? "", "read"), set) } }) },
    {
      method: "POST",
      path: set,
      permissions: WRITE,
      handler: (ctx, p) => {
        const entity = policy(ctx, p["id"] ?? "", "write");
        refuseBuiltIn(entity);
        const added = checkConditionSet(ctx.request.body);
        ctx.store.put(permissionGrantPolicies.collection, { ...entity, [set]: [...setsOf(entity, set), added] });
        ctx.audit({ activity: `Add permission grant condition set to ${set}`, category: "Policy", service: "Core Directory", operationType: "Add", targets: [{ id: entity.id, displayName: String(entity["displayName"] ?? ""), type: "Policy", userPrincipalName: null, modifiedProperties: [] }] });
        return { status: 201, body: { "@odata.context": `${context(ctx, entity.id)}/$entity`, ...added } };
      },
    },
    {
      method: "DELETE",
      path: `${set}/{setId}`,
      permissions: WRITE,
      handler: (ctx, p) => {
        const entity = policy(ctx, p["id"] ?? "", "write");
        refuseBuiltIn(entity);
        const list = setsOf(entity, set);
        if (!list.some((c) => c.id === p["setId"])) throw notFound(p["setId"] ?? "");
        ctx.store.put(permissionGrantPolicies.collection, { ...entity, [set]: list.filter((c) => c.id !== p["setId"]) });
        ctx.audit({ activity: `Remove permission grant condition set from ${set}`, category: "Policy", service: "Core Directory", operationType: "Delete", targets: [{ id: entity.id, displayName: String(entity["displayName"] ?? ""), type: "Policy", userPrincipalName: null, modifiedProperties: [] }] });
        return { status: 204 };
      },
    },
    { method: "GET", path: `${set}/{setId}`, permissions: READ, handler: (ctx, p) => {
      const found = setsOf(policy(ctx, p["id"] ?? "", "read"), set).find((c) => c.id === p["setId"]);
      if (!found) throw notFound(p["setId"] ?? "");
      return { status: 200, body: { "@odata.context": `${context(ctx, p["id"] ?? "")}/$entity`, ...found } };
    } },
    { method: "PATCH", path: `${set}/{setId}`, permissions: WRITE, handler: () => {
      throw methodNotAllowed();
    } },
  ];
}

export const permissionGrantPolicies: ResourceDefinition = defineResource({
  collection: "permissionGrantPolicies",
  entityType: "microsoft.graph.permissionGrantPolicy",
  resourceName: NAME,
  paths: [{ path: PATH }],
  permissions: { read: READ, write: WRITE },
  methods: { create: false },
  replicated: false,
  readOnly: { deletedDateTime: "ignore" },
  filter: { id: ["eq", "in"], displayName: ["eq", "startsWith"] },
  initial: () => BUILT_IN.map((b) => ({ id: b.id, displayName: b.displayName, description: b.description, deletedDateTime: null, includes: b.includes.map(condition), excludes: [] })),
  create: (_ctx, body, id) => ({ displayName: null, description: null, deletedDateTime: null, includes: [], excludes: [], ...body, id }) as Entity,
  validate: (ctx, entity, previous, body) => {
    if (ctx.system && !previous) return;
    if (previous) {
      refuseBuiltIn(previous);
      for (const key of Object.keys(body)) {
        if (key === "id" && body[key] === previous.id) continue;
        if (key !== "displayName" && key !== "description" && !key.startsWith("@odata.")) throw badRequest(`Property '${key}' cannot be updated.`);
      }
    }
    for (const key of ["displayName", "description"]) if (entity[key] !== null && typeof entity[key] !== "string") throw invalid(key);
  },
  beforeDelete: (_ctx, entity) => refuseBuiltIn(entity),
  audit: { service: "Core Directory", category: "Policy", targetType: "Policy", add: "Add permission grant policy", update: "Update permission grant policy", delete: "Delete permission grant policy" },
  itemRoutes: [...conditionRoutes("includes"), ...conditionRoutes("excludes")],
  routes: [
    {
      method: "POST",
      path: PATH,
      permissions: WRITE,
      handler: (ctx) => {
        const body = isRecord(ctx.request.body) ? ctx.request.body : {};
        for (const key of Object.keys(body)) {
          if (key === "includes" || key === "excludes") throw badRequest(`Add condition sets through ${PATH}/{id}/${key} after the policy is created.`);
          if (key !== "id" && key !== "displayName" && key !== "description" && !key.startsWith("@odata.")) throw badRequest(`Invalid property '${key}'.`);
        }
        const id = body["id"];
        if (typeof id !== "string" || !/^[A-Za-z0-9_-]+$/.test(id)) throw invalid("id");
        if (id.toLowerCase().startsWith("microsoft-")) throw badRequest("The id prefix 'microsoft-' is reserved for built-in permission grant policies.");
        if (ctx.store.list(permissionGrantPolicies.collection).some((p) => p.id.toLowerCase() === id.toLowerCase())) throw new GraphHttpError(409, "Request_MultipleObjectsWithSameKeyValue", `A permission grant policy with id '${id}' already exists.`);
        const { id: _id, ...rest } = body;
        for (const key of ["displayName", "description"]) if (rest[key] !== undefined && rest[key] !== null && typeof rest[key] !== "string") throw invalid(key);
        const entity = createWithId(ctx, permissionGrantPolicies, rest, id);
        return { ...entityResponse(ctx, permissionGrantPolicies, entity), status: 201 };
      },
    },
  ],
});
