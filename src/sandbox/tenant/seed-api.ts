import type { GraphRequest } from "../types.js";
import { RequestContext } from "./core/context.js";
import { createEntity } from "./core/crud.js";
import type { Entity } from "./core/entity.js";
import type { TenantCore } from "./core/tenant-core.js";
import { addPasswordCredential } from "./identity/credentials.js";
import { AZURE_AD_TOKEN_EXCHANGE, createFederatedCredential } from "./identity/federated-credentials.js";
import { grantGraphAppRoles, ensureServicePrincipal } from "./identity/app-role-grants.js";
import { findUserByUpn } from "./resources/users.js";
import { findApplicationByAppId } from "./resources/applications.js";
import { EXTERNAL_TENANTS } from "./resources/tenant-information.js";

/** A request context for seeding: no permission checks, no audit, supplied ids kept. */
export function systemContext(core: TenantCore): RequestContext {
  const request: GraphRequest = {
    method: "POST",
    version: "v1.0",
    path: "/",
    query: new URLSearchParams(),
    headers: {},
    body: undefined,
    principal: { type: "app", tenantId: core.tenantId, appId: "sandbox-seed", appDisplayName: "sandbox seed", roles: [], scopes: [] },
    serviceRoot: "https://graph.microsoft.com/v1.0",
    requestId: "00000000-0000-0000-0000-000000000000",
  };
  return new RequestContext(core, request, true);
}

/** What a seed function may do: create Graph objects and set sandbox-internal credentials. */
export class SeedApi {
  private readonly ctx: RequestContext;

  constructor(readonly core: TenantCore) {
    this.ctx = systemContext(core);
  }

  /** Create one object in a collection through its resource's create logic; returns the stored object. */
  create(collection: string, body: Record<string, unknown>): Entity {
    return createEntity(this.ctx, this.core.resource(collection), body).entity;
  }

  /** Another tenant of the sandbox's world, for `findTenantInformationByTenantId` (a cross-tenant partner). */
  addExternalTenant(tenant: { tenantId: string; displayName: string; defaultDomainName: string }): void {
    this.core.store.put(EXTERNAL_TENANTS, { id: tenant.tenantId.toLowerCase(), displayName: tenant.displayName, defaultDomainName: tenant.defaultDomainName });
  }

  setPassword(userPrincipalName: string, password: string): void {
    const user = findUserByUpn(this.core.store, userPrincipalName);
    if (!user) throw new Error(`seed: no user ${userPrincipalName}`);
    this.core.store.internalOf(user.id)["password"] = password;
  }

  addClientSecret(appId: string, secretText: string, displayName = "sandbox seed"): void {
    const app = findApplicationByAppId(this.core.store, appId);
    if (!app) throw new Error(`seed: no application with appId ${appId}`);
    addPasswordCredential(this.ctx, app, { displayName }, secretText);
  }

  /**
   * Adds a federated identity credential to the app (as `POST …/federatedIdentityCredentials`
   * would); `audiences` defaults to `api://AzureADTokenExchange`, `name` to one derived from the subject.
   */
  addFederatedCredential(
    appId: string,
    credential: { issuer: string; subject: string; audiences?: readonly string[]; name?: string; description?: string },
  ): { id: string; name: string } {
    const app = findApplicationByAppId(this.core.store, appId);
    if (!app) throw new Error(`seed: no application with appId ${appId}`);
    const name = credential.name ?? (credential.subject.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 120) || "federated");
    const created = createFederatedCredential(this.core.store, app, {
      name,
      issuer: credential.issuer,
      subject: credential.subject,
      audiences: [...(credential.audiences ?? [AZURE_AD_TOKEN_EXCHANGE])],
      ...(credential.description === undefined ? {} : { description: credential.description }),
    });
    return { id: created.id, name: created.name };
  }

  grantAppRoles(appId: string, permissions: readonly string[]): void {
    grantGraphAppRoles(this.ctx, appId, permissions);
  }

  grantDelegatedScopes(appId: string, scopes: readonly string[]): void {
    const sp = ensureServicePrincipal(this.ctx, appId);
    const internal = this.core.store.internalOf(sp.id);
    const existing = Array.isArray(internal["scopes"]) ? (internal["scopes"] as string[]) : [];
    internal["scopes"] = [...new Set([...existing, ...scopes])];
  }
}
