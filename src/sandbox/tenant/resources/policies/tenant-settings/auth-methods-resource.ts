/**
 * `/policies/authenticationMethodsPolicy` (singleton; GET embeds its method configurations) and
 * `/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/{id}` for each method
 * (Fido2, MicrosoftAuthenticator, Sms, TemporaryAccessPass, SoftwareOath, Email, Voice,
 * X509Certificate). A PATCH of a method needs its `@odata.type`; `policyVersion` and
 * `lastModifiedDateTime` are read-only.
 */
import type { RequestContext } from "../../../core/context.js";
import type { Entity } from "../../../core/entity.js";
import { isRecord } from "../../../core/entity.js";
import { badRequest, notFound, referenceNotFound } from "../../../core/errors.js";
import { updateEntity } from "../../../core/crud.js";
import { defineResource } from "../../../core/resource.js";
import type { ResourceDefinition } from "../../../core/resource.js";
import { contextUrl } from "../../../odata/shape.js";
import { lazySingletonRoutes } from "../lazy-routes.js";
import { COLLECTIONS, apiVersion, ensurePolicyDefaults } from "../policy-context.js";
import { odataTypeName } from "../schema/shape.js";
import { mergeSettingsPatch } from "../settings-body.js";

const PATH = "/policies/authenticationMethodsPolicy";
const READ = ["Policy.Read.AuthenticationMethod", "Policy.Read.All"];
const WRITE = ["Policy.ReadWrite.AuthenticationMethod"];
const METHOD_TYPES = ["fido2", "microsoftAuthenticator", "sms", "temporaryAccessPass", "softwareOath", "email", "voice", "x509Certificate", "qrCodePin", "external"];
const AUDIT = { service: "Authentication Methods", category: "Policy", targetType: "Policy", update: "Authentication Methods Policy Update" };

function configurations(ctx: RequestContext): Entity[] {
  ensurePolicyDefaults(ctx);
  return ctx.store.list(COLLECTIONS.authenticationMethodConfigurations);
}

function touchPolicy(ctx: RequestContext): void {
  const policy = ctx.store.list(COLLECTIONS.authenticationMethodsPolicy)[0];
  if (policy) ctx.store.put(COLLECTIONS.authenticationMethodsPolicy, { ...policy, lastModifiedDateTime: ctx.nowIso() });
}

export const authenticationMethodConfigurations: ResourceDefinition = defineResource({
  collection: COLLECTIONS.authenticationMethodConfigurations,
  entityType: "microsoft.graph.authenticationMethodConfiguration",
  resourceName: "AuthenticationMethodConfiguration",
  paths: [{ path: `${PATH}/authenticationMethodConfigurations`, versions: [] }],
  odataType: { allowed: METHOD_TYPES.map((t) => `#microsoft.graph.${t}AuthenticationMethodConfiguration`) },
  permissions: { read: READ, write: WRITE },
  replicated: false,
  update: (ctx, existing, patch) => {
    const type = patch["@odata.type"];
    if (typeof type !== "string") throw badRequest("The @odata.type of the authentication method configuration is required.");
    if (odataTypeName(type).toLowerCase() !== odataTypeName(String(existing["@odata.type"])).toLowerCase()) {
      throw badRequest(`The @odata.type '${type}' does not match authentication method configuration '${existing.id}'.`);
    }
    const merged = mergeSettingsPatch({ ...existing }, patch, "authenticationMethodConfiguration", "AuthenticationMethodConfiguration", apiVersion(ctx), ["id"]);
    if (merged["state"] !== "enabled" && merged["state"] !== "disabled") throw badRequest("Invalid value specified for property 'state' of resource 'AuthenticationMethodConfiguration'.");
    for (const target of Array.isArray(merged["includeTargets"]) ? merged["includeTargets"] : []) {
      if (!isRecord(target) || typeof target["id"] !== "string" || (target["targetType"] !== "group" && target["targetType"] !== "user")) {
        throw badRequest("Invalid value specified for property 'includeTargets' of resource 'AuthenticationMethodConfiguration'.");
      }
      // "all_users" is the built-in target; anything else must be a group or user that exists (and has replicated).
      if (target["id"] !== "all_users" && ctx.core.checkReference(target["id"], [target["targetType"] === "group" ? "groups" : "users"]) !== "ok") {
        throw referenceNotFound(target["id"]);
      }
    }
    return { ...merged, "@odata.type": existing["@odata.type"], id: existing.id } as Entity;
  },
  afterUpdate: (ctx) => touchPolicy(ctx),
  audit: AUDIT,
  routes: [
    {
      method: "GET",
      path: `${PATH}/authenticationMethodConfigurations`,
      permissions: [...READ, ...WRITE],
      handler: (ctx) => ({ status: 200, body: { "@odata.context": contextUrl(ctx, "policies/authenticationMethodsPolicy/authenticationMethodConfigurations"), value: configurations(ctx) } }),
    },
    {
      method: "GET",
      path: `${PATH}/authenticationMethodConfigurations/{id}`,
      permissions: [...READ, ...WRITE],
      handler: (ctx, params) => {
        ensurePolicyDefaults(ctx);
        const found = ctx.store.get(COLLECTIONS.authenticationMethodConfigurations, params["id"] ?? "");
        if (!found) throw notFound(params["id"] ?? "");
        return { status: 200, body: { "@odata.context": contextUrl(ctx, "policies/authenticationMethodsPolicy/authenticationMethodConfigurations", undefined, true), ...found } };
      },
    },
    {
      method: "PATCH",
      path: `${PATH}/authenticationMethodConfigurations/{id}`,
      permissions: WRITE,
      handler: (ctx, params) => {
        ensurePolicyDefaults(ctx);
        const found = ctx.store.get(COLLECTIONS.authenticationMethodConfigurations, params["id"] ?? "");
        if (!found) throw notFound(params["id"] ?? "");
        updateEntity(ctx, authenticationMethodConfigurations, found, ctx.request.body);
        return { status: 204 };
      },
    },
  ],
});

export const authenticationMethodsPolicy: ResourceDefinition = defineResource({
  collection: COLLECTIONS.authenticationMethodsPolicy,
  entityType: "microsoft.graph.authenticationMethodsPolicy",
  resourceName: "AuthenticationMethodsPolicy",
  paths: [{ path: PATH, versions: [] }],
  permissions: { read: READ, write: WRITE },
  readOnly: { id: "ignore", lastModifiedDateTime: "ignore", policyVersion: "ignore", authenticationMethodConfigurations: "reject" },
  replicated: false,
  update: (ctx, existing, patch) => ({
    ...mergeSettingsPatch(existing, patch, "authenticationMethodsPolicy", "AuthenticationMethodsPolicy", apiVersion(ctx)),
    id: existing.id,
    lastModifiedDateTime: ctx.nowIso(),
  }) as Entity,
  view: (ctx, entity) => ({
    ...entity,
    "authenticationMethodConfigurations@odata.context": contextUrl(ctx, "policies/authenticationMethodsPolicy/authenticationMethodConfigurations"),
    authenticationMethodConfigurations: configurations(ctx),
  }),
  audit: AUDIT,
  routes: lazySingletonRoutes(PATH, () => authenticationMethodsPolicy, { read: READ, write: WRITE }),
});
