/**
 * What every policy resource reads from a request: the API version, the evolvable-enum opt-in, the
 * reference look-up over the store (with the replication-delay model), and the tenant's built-in
 * policy objects, created on first use so any tenant (seeded or not, restored from a state file or not)
 * has them.
 */
import type { RequestContext } from "../../core/context.js";
import type { Entity } from "../../core/entity.js";
import { forbidden } from "../../core/errors.js";
import { builtInStrengths } from "./authentication-strength/built-ins.js";
import { crossTenantRoot, serviceDefaultConfiguration } from "./cross-tenant/cross-tenant-defaults.js";
import { servicePrincipalByAppId } from "../../identity/app-role-grants.js";
import type { ReferenceKind, ReferenceLookup } from "./references.js";
import type { ApiVersion } from "./schema/shape.js";
import { defaultAuthenticationMethodsPolicy, defaultAuthorizationPolicy, defaultMethodConfigurations } from "./tenant-settings/settings-defaults.js";
import { KNOWN_ROLE_TEMPLATE_IDS } from "./role-templates.js";

export const COLLECTIONS = {
  conditionalAccessPolicies: "conditionalAccessPolicies",
  namedLocations: "namedLocations",
  authenticationStrengthPolicies: "authenticationStrengthPolicies",
  authenticationCombinationConfigurations: "authenticationCombinationConfigurations",
  authenticationContextClassReferences: "authenticationContextClassReferences",
  authorizationPolicy: "authorizationPolicy",
  authenticationMethodsPolicy: "authenticationMethodsPolicy",
  authenticationMethodConfigurations: "authenticationMethodConfigurations",
  crossTenantAccessPolicy: "crossTenantAccessPolicy",
  crossTenantDefault: "crossTenantAccessPolicyDefault",
  crossTenantPartners: "crossTenantAccessPolicyPartners",
  groupSettings: "groupSettings",
} as const;

export const BINS = {
  conditionalAccessPolicies: "conditionalAccess:policies",
  namedLocations: "conditionalAccess:namedLocations",
  crossTenantPartners: "policies:crossTenantPartners",
} as const;

export function apiVersion(ctx: RequestContext): ApiVersion {
  return ctx.request.version;
}

/** `Prefer: include-unknown-enum-members` (evolvable enums such as `riskRemediation`). */
export function includeUnknownEnumMembers(ctx: RequestContext): boolean {
  return /include-unknown-enum-members/i.test(ctx.header("prefer") ?? "");
}

/** Graph also wants `Policy.Read.All` next to the write permission for these writes (docs/graph-behaviour.md §10). */
export function requireAlso(ctx: RequestContext, anyOf: readonly string[]): void {
  if (!ctx.system && !ctx.hasPermission(anyOf)) throw forbidden();
}

const DIRECTORY_COLLECTION: Partial<Record<ReferenceKind, string>> = {
  user: "users",
  group: "groups",
  servicePrincipal: "servicePrincipals",
};

/** References as the Conditional Access service sees them (an object still replicating is not there yet). */
export function referenceLookup(ctx: RequestContext): ReferenceLookup {
  ensurePolicyDefaults(ctx);
  return {
    exists(kind, id) {
      const collection = DIRECTORY_COLLECTION[kind];
      if (collection) return ctx.core.checkReference(id, [collection]) === "ok";
      switch (kind) {
        case "directoryRoleTemplate":
          return roleExists(ctx, id);
        case "servicePrincipalAppId": {
          // Conditional Access targets an application through its service principal in the tenant
          // (docs/graph-behaviour.md, sandbox table): an appId with none is refused.
          const sp = servicePrincipalByAppId(ctx, id.toLowerCase());
          return sp !== undefined && ctx.core.checkReference(sp.id, ["servicePrincipals"]) === "ok";
        }
        case "namedLocation":
          return ctx.store.get(COLLECTIONS.namedLocations, id) !== undefined;
        case "authenticationStrengthPolicy":
          return ctx.store.get(COLLECTIONS.authenticationStrengthPolicies, id) !== undefined;
        case "authenticationContextClassReference":
          return ctx.store.get(COLLECTIONS.authenticationContextClassReferences, id) !== undefined;
        case "agreement":
          return ctx.store.get("agreements", id) !== undefined;
        default:
          return false;
      }
    },
  };
}

/**
 * A role id is accepted when the tenant's role definitions or the known built-in templates have it,
 * and also when it names no other object: Entra ships ~130 built-in roles (more every quarter) and the
 * sandbox cannot list them all, so an unknown GUID is taken for a built-in role the sandbox does not
 * model. A GUID of a user, group or service principal is refused.
 */
function roleExists(ctx: RequestContext, id: string): boolean {
  const key = id.toLowerCase();
  if (KNOWN_ROLE_TEMPLATE_IDS.includes(key)) return true;
  if (ctx.store.list("roleDefinitions").some((d) => d.id.toLowerCase() === key || String(d["templateId"] ?? "").toLowerCase() === key)) return true;
  return ctx.core.checkReference(id) === "missing";
}

function putIfMissing(ctx: RequestContext, collection: string, entity: Entity): void {
  if (!ctx.store.get(collection, entity.id)) ctx.store.put(collection, entity);
}

/** Creates the built-in strengths and the settings singletons when the tenant does not have them yet. */
export function ensurePolicyDefaults(ctx: RequestContext): void {
  if (ctx.store.get(COLLECTIONS.authorizationPolicy, "authorizationPolicy")) return;
  const now = ctx.nowIso();
  for (const strength of builtInStrengths()) putIfMissing(ctx, COLLECTIONS.authenticationStrengthPolicies, strength as Entity);
  putIfMissing(ctx, COLLECTIONS.authenticationMethodsPolicy, defaultAuthenticationMethodsPolicy(now) as Entity);
  for (const method of defaultMethodConfigurations()) putIfMissing(ctx, COLLECTIONS.authenticationMethodConfigurations, method as Entity);
  putIfMissing(ctx, COLLECTIONS.crossTenantAccessPolicy, crossTenantRoot() as Entity);
  putIfMissing(ctx, COLLECTIONS.crossTenantDefault, { id: "default", ...serviceDefaultConfiguration() });
  // Last: its presence marks the defaults as done.
  putIfMissing(ctx, COLLECTIONS.authorizationPolicy, defaultAuthorizationPolicy() as Entity);
}
