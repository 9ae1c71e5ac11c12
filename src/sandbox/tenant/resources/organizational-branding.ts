/**
 * Company branding: `/organization/{id}/branding` (the default, id `0`: GET 404 while none exists,
 * PATCH 204 creates or updates it, DELETE 204) and `/organization/{id}/branding/localizations`
 * (GET lists the default and each locale; POST 201 creates a locale and the default with it; GET,
 * PATCH 204 and DELETE 204 of one, `0` or `default` naming the default). Only text, colour and
 * layout properties are written as JSON: image (Stream) properties, their CDN paths and the CDN list
 * are refused, each text checked as Graph documents it (docs/graph-behaviour.md, company branding).
 * Images are read and written at their own paths (`organizational-branding-streams.ts`); a branding
 * with an image is not deleted.
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { isRecord } from "../core/entity.js";
import { badRequest, notFound } from "../core/errors.js";
import { requireBody } from "../core/crud.js";
import { defineResource } from "../core/resource.js";
import type { ResourceDefinition } from "../core/resource.js";
import { contextUrl } from "../odata/shape.js";
import type { RouteSpec } from "../core/resource.js";
import { dropStreams, getStream, putStream, setStreams, STREAM_NAMES } from "./organizational-branding-streams.js";

const COLLECTION = "organizationalBranding";
const READ = ["Organization.Read.All", "Organization.ReadWrite.All", "OrganizationalBranding.Read.All", "OrganizationalBranding.ReadWrite.All"];
const WRITE = ["OrganizationalBranding.ReadWrite.All", "Organization.ReadWrite.All"];
const DEFAULT_ID = "0";
const BRANDING = "/organization/{orgId}/branding";
const LOCALIZATIONS = `${BRANDING}/localizations`;

/** Text properties and their documented length limits (undefined: none documented). */
const TEXTS: Readonly<Record<string, number | undefined>> = {
  signInPageText: 1024,
  usernameHintText: 64,
  customAccountResetCredentialsUrl: undefined,
  customCannotAccessYourAccountText: undefined,
  customCannotAccessYourAccountUrl: undefined,
  customForgotMyPasswordText: undefined,
  customPrivacyAndCookiesText: undefined,
  customPrivacyAndCookiesUrl: undefined,
  customResetItNowText: undefined,
  customTermsOfUseText: undefined,
  customTermsOfUseUrl: undefined,
};
const COLOURS = ["backgroundColor", "headerBackgroundColor"];
const STREAMS = STREAM_NAMES;
const READ_ONLY = ["cdnList", ...STREAMS.map((s) => `${s}RelativeUrl`)];
const OBJECTS: Readonly<Record<string, Readonly<Record<string, "boolean" | readonly string[]>>>> = {
  loginPageTextVisibilitySettings: {
    hideAccountResetCredentials: "boolean",
    hideCannotAccessYourAccount: "boolean",
    hideForgotMyPassword: "boolean",
    hidePrivacyAndCookies: "boolean",
    hideResetItNow: "boolean",
    hideTermsOfUse: "boolean",
  },
  loginPageLayoutConfiguration: { isFooterShown: "boolean", isHeaderShown: "boolean", layoutTemplateType: ["default", "verticalSplit", "unknownFutureValue"] },
};

function invalid(property: string): Error {
  return badRequest(`Invalid value specified for property '${property}' of resource 'OrganizationalBrandingLocalization'.`);
}

/** A PATCH (or POST) body's properties, checked; returns the values to store. */
function checkedProperties(body: Record<string, unknown>, allowId: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "@odata.type" || (allowId && key === "id")) continue;
    if (STREAMS.includes(key)) throw badRequest(`Stream property '${key}' cannot be written with other properties: PUT it to its own path.`);
    if (READ_ONLY.includes(key) || key === "id") throw badRequest(`Property '${key}' is read-only and cannot be set.`);
    if (key in TEXTS) {
      const limit = TEXTS[key];
      if (value !== null && (typeof value !== "string" || (limit !== undefined && value.length > limit))) throw invalid(key);
    } else if (COLOURS.includes(key)) {
      if (value !== null && (typeof value !== "string" || !/^(#[0-9A-Fa-f]{6})?$/.test(value))) throw invalid(key);
    } else if (key in OBJECTS) {
      const shape = OBJECTS[key] ?? {};
      if (value !== null && !isRecord(value)) throw invalid(key);
      for (const [field, fieldValue] of Object.entries(isRecord(value) ? value : {})) {
        if (field === "@odata.type" || fieldValue === null) continue;
        const kind = shape[field];
        if (kind === undefined) throw badRequest(`Property '${field}' does not exist on '${key}'.`);
        if (kind === "boolean" ? typeof fieldValue !== "boolean" : !kind.includes(String(fieldValue))) throw invalid(`${key}.${field}`);
      }
    } else if (key === "contentCustomization") {
      if (value !== null && !isRecord(value)) throw invalid(key);
    } else {
      throw badRequest(`Property '${key}' does not exist on type 'microsoft.graph.organizationalBrandingLocalization'.`);
    }
    out[key] = value;
  }
  return out;
}

function empty(id: string): Entity {
  const entity: Entity = { id, backgroundColor: null, signInPageText: null, usernameHintText: null, cdnList: [] };
  for (const key of Object.keys(TEXTS)) entity[key] = null;
  for (const stream of STREAMS) entity[`${stream}RelativeUrl`] = null;
  for (const key of [...Object.keys(OBJECTS), "headerBackgroundColor", "contentCustomization"]) entity[key] = null;
  return entity;
}

/** The organization in the path must be this tenant. */
function checkOrganization(ctx: RequestContext, orgId: string | undefined): void {
  if ((orgId ?? "").toLowerCase() !== ctx.core.tenantId.toLowerCase()) throw notFound(orgId ?? "");
}

function localizationId(raw: string | undefined): string {
  const id = decodeURIComponent(raw ?? "");
  return id.toLowerCase() === "default" ? DEFAULT_ID : id;
}

function existing(ctx: RequestContext, id: string): Entity {
  const found = ctx.store.get(COLLECTION, id);
  if (!found) throw notFound(id);
  return found;
}

function answer(ctx: RequestContext, entity: Entity, path: string): { status: number; body: Record<string, unknown> } {
  return { status: 200, body: { "@odata.context": contextUrl(ctx, path, undefined, true), ...entity } };
}

function audit(ctx: RequestContext, activity: string, entity: Entity, operationType: "Add" | "Update" | "Delete"): void {
  ctx.audit({ activity, category: "DirectoryManagement", operationType, targets: [{ id: entity.id, displayName: `branding ${entity.id}`, type: "Other", modifiedProperties: [] }] });
}

/** PATCH of the default or a locale: absent properties keep their values. */
function patch(ctx: RequestContext, id: string, createDefault: boolean): { status: number } {
  const body = checkedProperties(requireBody(ctx.request.body), false);
  const before = ctx.store.get(COLLECTION, id) ?? (createDefault && id === DEFAULT_ID ? empty(DEFAULT_ID) : undefined);
  if (!before) throw notFound(id);
  ctx.store.put(COLLECTION, { ...before, ...body, id });
  audit(ctx, "Update company branding", before, "Update");
  return { status: 204 };
}

function remove(ctx: RequestContext, id: string): { status: number } {
  const entity = existing(ctx, id);
  // Graph deletes a branding only once every image (stream) was removed from it.
  const images = setStreams(ctx, entity.id);
  if (images.length > 0) throw badRequest(`Remove the branding's images (${images.join(", ")}) before deleting it.`);
  dropStreams(ctx, entity.id);
  ctx.store.remove(COLLECTION, id, "deleted");
  audit(ctx, "Delete company branding", entity, "Delete");
  return { status: 204 };
}

/** GET and PUT of each stream property, at the default branding's path and at each localization's. */
function streamRoutes(): RouteSpec[] {
  const routes: RouteSpec[] = [];
  for (const stream of STREAMS) {
    for (const [base, idOf] of [
      [BRANDING, (): string => DEFAULT_ID],
      [`${LOCALIZATIONS}/{locale}`, (params: Record<string, string>): string => localizationId(params["locale"])],
    ] as const) {
      routes.push({
        method: "GET",
        path: `${base}/${stream}`,
        permissions: READ,
        handler: (ctx, params) => {
          checkOrganization(ctx, params["orgId"]);
          return getStream(ctx, existing(ctx, idOf(params)), stream);
        },
      });
      routes.push({
        method: "PUT",
        path: `${base}/${stream}`,
        permissions: WRITE,
        handler: (ctx, params) => {
          checkOrganization(ctx, params["orgId"]);
          const { updated } = putStream(ctx, existing(ctx, idOf(params)), stream);
          ctx.store.put(COLLECTION, updated);
          audit(ctx, "Update company branding", updated, "Update");
          return { status: 204 };
        },
      });
    }
  }
  return routes;
}

export const organizationalBranding: ResourceDefinition = defineResource({
  collection: COLLECTION,
  entityType: "microsoft.graph.organizationalBrandingLocalization",
  resourceName: "OrganizationalBrandingLocalization",
  paths: [{ path: LOCALIZATIONS, versions: [] }],
  permissions: { read: READ, write: WRITE },
  replicated: false,
  routes: [
    ...streamRoutes(),
    {
      method: "GET",
      path: BRANDING,
      permissions: READ,
      handler: (ctx, params) => {
        checkOrganization(ctx, params["orgId"]);
        return answer(ctx, existing(ctx, DEFAULT_ID), "branding");
      },
    },
    {
      method: "PATCH",
      path: BRANDING,
      permissions: WRITE,
      handler: (ctx, params) => {
        checkOrganization(ctx, params["orgId"]);
        return patch(ctx, DEFAULT_ID, true);
      },
    },
    {
      method: "DELETE",
      path: BRANDING,
      permissions: WRITE,
      handler: (ctx, params) => {
        checkOrganization(ctx, params["orgId"]);
        return remove(ctx, DEFAULT_ID);
      },
    },
    {
      method: "GET",
      path: LOCALIZATIONS,
      permissions: READ,
      handler: (ctx, params) => {
        checkOrganization(ctx, params["orgId"]);
        const value = ctx.store.list(COLLECTION).sort((a, b) => (a.id === DEFAULT_ID ? -1 : b.id === DEFAULT_ID ? 1 : a.id.localeCompare(b.id)));
        return { status: 200, body: { "@odata.context": contextUrl(ctx, `organization('${ctx.core.tenantId}')/branding/localizations`), value } };
      },
    },
    {
      method: "POST",
      path: LOCALIZATIONS,
      permissions: WRITE,
      handler: (ctx, params) => {
        checkOrganization(ctx, params["orgId"]);
        const body = requireBody(ctx.request.body);
        const id = body["id"];
        if (typeof id !== "string" || id === "") throw badRequest("The id of the localization (its locale) is required.");
        if (id === DEFAULT_ID || id.toLowerCase() === "default") throw badRequest("The default branding cannot be created as a localization.");
        if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(id)) throw invalid("id");
        if (ctx.store.list(COLLECTION).some((e) => e.id.toLowerCase() === id.toLowerCase())) throw badRequest(`A localization for '${id}' already exists.`);
        const properties = checkedProperties(body, true);
        // Creating a localization creates the default branding too when there is none.
        if (!ctx.store.get(COLLECTION, DEFAULT_ID)) ctx.store.put(COLLECTION, empty(DEFAULT_ID));
        const entity: Entity = { ...empty(id), ...properties, id };
        ctx.store.put(COLLECTION, entity);
        audit(ctx, "Add company branding", entity, "Add");
        return { ...answer(ctx, entity, `organization('${ctx.core.tenantId}')/branding/localizations/$entity`), status: 201 };
      },
    },
    {
      method: "GET",
      path: `${LOCALIZATIONS}/{locale}`,
      permissions: READ,
      handler: (ctx, params) => {
        checkOrganization(ctx, params["orgId"]);
        return answer(ctx, existing(ctx, localizationId(params["locale"])), `organization('${ctx.core.tenantId}')/branding/localizations/$entity`);
      },
    },
    {
      method: "PATCH",
      path: `${LOCALIZATIONS}/{locale}`,
      permissions: WRITE,
      handler: (ctx, params) => {
        checkOrganization(ctx, params["orgId"]);
        return patch(ctx, localizationId(params["locale"]), false);
      },
    },
    {
      method: "DELETE",
      path: `${LOCALIZATIONS}/{locale}`,
      permissions: WRITE,
      handler: (ctx, params) => {
        checkOrganization(ctx, params["orgId"]);
        return remove(ctx, localizationId(params["locale"]));
      },
    },
  ],
});
