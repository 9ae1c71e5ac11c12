/**
 * `/identity/identityProviders` of a workforce tenant (docs/graph-behaviour.md, identity providers):
 * the built-in Microsoft account provider, and social providers an administrator adds for B2B
 * guests. A POST creates a `socialIdentityProvider` only, of type `Google` or `Facebook`, with
 * `displayName`, `identityProviderType`, `clientId` and `clientSecret`; its id is `<type>-OAUTH`, so
 * one per type. `clientSecret` is write-only: every read answers `******` (and the audit log never
 * holds it). PATCH writes `displayName`, `clientId`, `clientSecret` (204); the type is fixed; DELETE
 * answers 204. Built-in providers are neither changed nor deleted.
 */
import type { Entity } from "../core/entity.js";
import { GraphHttpError, badRequest, invalidPropertyValue } from "../core/errors.js";
import { auditTarget, entityResponse, requireBody } from "../core/crud.js";
import { defineResource } from "../core/resource.js";
import type { ResourceDefinition } from "../core/resource.js";
import { diffModifiedProperties } from "../audit/audit-log.js";

const PATH = "/identity/identityProviders";
const RESOURCE = "IdentityProviderBase";
const SOCIAL = "#microsoft.graph.socialIdentityProvider";
const BUILT_IN = "#microsoft.graph.builtInIdentityProvider";
/** What a workforce tenant allows (B2C tenants allow more; the sandbox is a workforce tenant). */
const WORKFORCE_TYPES = new Set(["Google", "Facebook"]);
const WRITABLE = new Set(["displayName", "clientId", "clientSecret"]);
const MASK = "******";
const READ = ["IdentityProvider.Read.All", "IdentityProvider.ReadWrite.All"];
const WRITE = ["IdentityProvider.ReadWrite.All"];

function text(body: Record<string, unknown>, property: string): string {
  const value = body[property];
  if (typeof value !== "string" || value.trim() === "") throw invalidPropertyValue(property, RESOURCE);
  return value;
}

function refuseBuiltIn(entity: Entity): void {
  if (entity["@odata.type"] === BUILT_IN) throw badRequest(`The built-in identity provider '${entity.id}' cannot be changed or deleted.`);
}

/** The audit entry's properties, the secret never among them. */
function withoutSecret(before: Entity | undefined, after: Entity | undefined): ReturnType<typeof diffModifiedProperties> {
  const strip = (e: Entity | undefined): Entity | undefined => (e ? (({ clientSecret: _secret, ...rest }) => rest as Entity)(e) : undefined);
  return diffModifiedProperties(strip(before), strip(after));
}

export const identityProviders: ResourceDefinition = defineResource({
  collection: "identityProviders",
  entityType: "microsoft.graph.identityProviderBase",
  resourceName: RESOURCE,
  paths: [{ path: PATH }],
  permissions: { read: READ, write: WRITE },
  methods: { create: false },
  odataType: { allowed: [SOCIAL, BUILT_IN] },
  readOnly: { id: "ignore" },
  immutable: { identityProviderType: "The identityProviderType of an identity provider cannot be changed." },
  filter: { id: ["eq"] },
  replicated: false,
  initial: () => [{ "@odata.type": BUILT_IN, id: "MSASignup-OAUTH", identityProviderType: "MicrosoftAccount", displayName: "MicrosoftAccount" }],
  view: (_ctx, entity) => (entity["@odata.type"] === SOCIAL ? { ...entity, clientSecret: MASK } : entity),
  update(_ctx, existing, patch) {
    refuseBuiltIn(existing);
    const next: Entity = { ...existing };
    for (const key of Object.keys(patch)) {
      if (key === "@odata.type" || key === "identityProviderType") continue;
      if (!WRITABLE.has(key)) throw badRequest(`Property '${key}' does not exist on type 'microsoft.graph.socialIdentityProvider' or cannot be written.`);
      next[key] = text(patch, key);
    }
    return next;
  },
  beforeDelete: (_ctx, entity) => refuseBuiltIn(entity),
  audit: {
    service: "Core Directory",
    category: "ApplicationManagement",
    targetType: "Other",
    update: "Update identity provider",
    delete: "Delete identity provider",
    modifiedProperties: withoutSecret,
  },
  routes: [
    {
      method: "POST",
      path: PATH,
      permissions: WRITE,
      handler: (ctx) => {
        const body = requireBody(ctx.request.body);
        const type = body["@odata.type"];
        if (typeof type !== "string" || `#${type.replace(/^#/, "")}` !== SOCIAL) {
          throw badRequest("Only a microsoft.graph.socialIdentityProvider can be created in this tenant.");
        }
        for (const key of Object.keys(body)) {
          if (key !== "@odata.type" && key !== "identityProviderType" && !WRITABLE.has(key)) throw badRequest(`Property '${key}' does not exist on type 'microsoft.graph.socialIdentityProvider' or cannot be written.`);
        }
        const providerType = text(body, "identityProviderType");
        if (!WORKFORCE_TYPES.has(providerType)) throw badRequest(`Identity provider type '${providerType}' is not supported in this tenant: use Google or Facebook.`);
        const entity: Entity = {
          "@odata.type": SOCIAL,
          id: `${providerType}-OAUTH`,
          displayName: text(body, "displayName"),
          identityProviderType: providerType,
          clientId: text(body, "clientId"),
          clientSecret: text(body, "clientSecret"),
        };
        if (ctx.store.get(identityProviders.collection, entity.id)) {
          throw new GraphHttpError(409, "Request_MultipleObjectsWithSameKeyValue", `An identity provider of type '${providerType}' already exists.`);
        }
        ctx.store.put(identityProviders.collection, entity);
        ctx.audit({
          activity: "Add identity provider",
          category: "ApplicationManagement",
          service: "Core Directory",
          operationType: "Add",
          targets: [{ ...auditTarget(identityProviders, entity), modifiedProperties: withoutSecret(undefined, entity) }],
        });
        return { ...entityResponse(ctx, identityProviders, entity), status: 201 };
      },
    },
  ],
});
