/**
 * `/applications/{id}/federatedIdentityCredentials`: list (with `$filter` on name/subject/issuer
 * `eq`, `$top`, `$select`), create, and get/update/delete by id or by the `name` alternate key
 * (`federatedIdentityCredentials(name='…')`, where PATCH also upserts like Graph). Changes are
 * audited as "Update application" with the FederatedIdentityCredentials property.
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { stringProp } from "../core/entity.js";
import { noResourceForSegment, notFound } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import type { RouteSpec } from "../core/resource.js";
import { getVisible } from "../core/crud.js";
import { listResponse } from "../odata/list.js";
import { contextUrl } from "../odata/shape.js";
import {
  createFederatedCredential,
  deleteFederatedCredential,
  federatedCredentialView,
  federatedCredentialsOf,
  findFederatedCredential,
  updateFederatedCredential,
} from "../identity/federated-credentials.js";
import type { FederatedCredential } from "../identity/federated-credentials.js";

const READ = ["Application.Read.All", "Application.ReadWrite.OwnedBy", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
const WRITE = ["Application.ReadWrite.OwnedBy", "Application.ReadWrite.All"];
const SEGMENT = "federatedIdentityCredentials";
const BY_NAME = /^federatedIdentityCredentials\(name='((?:[^']|'')*)'\)$/i;

/** Not registered: describes the collection to the shared OData list code. */
const collection = defineResource({
  collection: "federatedIdentityCredentials",
  entityType: "microsoft.graph.federatedIdentityCredential",
  resourceName: "FederatedIdentityCredential",
  paths: [],
  permissions: { read: READ, write: WRITE },
  paging: { defaultTop: 100, maxTop: 999 },
  filter: { name: ["eq"], subject: ["eq"], issuer: ["eq"] },
  orderBy: {},
});

function application(ctx: RequestContext, id: string, access: "read" | "write"): Entity {
  return getVisible(ctx, ctx.core.resource("applications"), id, access);
}

function entityContext(ctx: RequestContext, app: Entity): string {
  return contextUrl(ctx, `applications('${app.id}')/${SEGMENT}`, undefined, true);
}

function audit(ctx: RequestContext, app: Entity, before: FederatedCredential | undefined, after: FederatedCredential | undefined): void {
  const describe = (c: FederatedCredential | undefined): string => (c ? JSON.stringify([{ Name: c.name, Issuer: c.issuer, Subject: c.subject, Audiences: c.audiences }]) : "[]");
  ctx.audit({
    activity: "Update application", category: "ApplicationManagement", operationType: "Update", service: "Core Directory",
    targets: [{ id: app.id, displayName: stringProp(app, "displayName") ?? null, type: "Application", modifiedProperties: [
      { displayName: "FederatedIdentityCredentials", oldValue: describe(before), newValue: describe(after) },
      { displayName: "Included Updated Properties", oldValue: null, newValue: "\"FederatedIdentityCredentials\"" },
    ] }],
  });
}

/** The credential a `{key}` segment names: an id, or `federatedIdentityCredentials(name='…')` one level up. */
function nameKey(segment: string): string {
  const match = BY_NAME.exec(segment);
  if (!match) throw noResourceForSegment(segment);
  return (match[1] ?? "").replace(/''/g, "'");
}

function created(ctx: RequestContext, app: Entity, credential: FederatedCredential): { status: number; body: unknown } {
  audit(ctx, app, undefined, credential);
  return { status: 201, body: { "@odata.context": entityContext(ctx, app), ...federatedCredentialView(credential) } };
}

export const federatedCredentialRoutes: readonly RouteSpec[] = [
  {
    method: "GET", path: SEGMENT, permissions: READ,
    handler: (ctx, params) => {
      const app = application(ctx, params["id"] ?? "", "read");
      const items = federatedCredentialsOf(ctx.store, app.id).map(federatedCredentialView);
      return listResponse(ctx, collection, items, { contextPath: `applications('${app.id}')/${SEGMENT}` });
    },
  },
  {
    method: "POST", path: SEGMENT, permissions: WRITE,
    handler: (ctx, params) => {
      const app = application(ctx, params["id"] ?? "", "write");
      return created(ctx, app, createFederatedCredential(ctx.store, app, ctx.request.body));
    },
  },
  {
    method: "GET", path: `${SEGMENT}/{credentialId}`, permissions: READ,
    handler: (ctx, params) => {
      const app = application(ctx, params["id"] ?? "", "read");
      const credential = findFederatedCredential(ctx.store, app, { id: params["credentialId"] ?? "" });
      return { status: 200, body: { "@odata.context": entityContext(ctx, app), ...federatedCredentialView(credential) } };
    },
  },
  {
    method: "PATCH", path: `${SEGMENT}/{credentialId}`, permissions: WRITE,
    handler: (ctx, params) => {
      const app = application(ctx, params["id"] ?? "", "write");
      const existing = findFederatedCredential(ctx.store, app, { id: params["credentialId"] ?? "" });
      audit(ctx, app, existing, updateFederatedCredential(ctx.store, app, existing, ctx.request.body));
      return { status: 204 };
    },
  },
  {
    method: "DELETE", path: `${SEGMENT}/{credentialId}`, permissions: WRITE,
    handler: (ctx, params) => {
      const app = application(ctx, params["id"] ?? "", "write");
      const existing = findFederatedCredential(ctx.store, app, { id: params["credentialId"] ?? "" });
      deleteFederatedCredential(ctx.store, app, existing);
      audit(ctx, app, existing, undefined);
      return { status: 204 };
    },
  },
  {
    method: "GET", path: "{credentialKey}", permissions: READ,
    handler: (ctx, params) => {
      const name = nameKey(params["credentialKey"] ?? "");
      const app = application(ctx, params["id"] ?? "", "read");
      const credential = findFederatedCredential(ctx.store, app, { name });
      return { status: 200, body: { "@odata.context": entityContext(ctx, app), ...federatedCredentialView(credential) } };
    },
  },
  {
    // Upsert: PATCH by name creates the credential when it does not exist (201), else updates it (204).
    method: "PATCH", path: "{credentialKey}", permissions: WRITE,
    handler: (ctx, params) => {
      const name = nameKey(params["credentialKey"] ?? "");
      const app = application(ctx, params["id"] ?? "", "write");
      const existing = federatedCredentialsOf(ctx.store, app.id).find((c) => c.name === name);
      if (!existing) {
        const body = typeof ctx.request.body === "object" && ctx.request.body !== null ? ctx.request.body : {};
        return created(ctx, app, createFederatedCredential(ctx.store, app, { ...body, name }));
      }
      audit(ctx, app, existing, updateFederatedCredential(ctx.store, app, existing, ctx.request.body));
      return { status: 204 };
    },
  },
  {
    method: "DELETE", path: "{credentialKey}", permissions: WRITE,
    handler: (ctx, params) => {
      const name = nameKey(params["credentialKey"] ?? "");
      const app = application(ctx, params["id"] ?? "", "write");
      const existing = federatedCredentialsOf(ctx.store, app.id).find((c) => c.name === name);
      if (!existing) throw notFound(name);
      deleteFederatedCredential(ctx.store, app, existing);
      audit(ctx, app, existing, undefined);
      return { status: 204 };
    },
  },
];
