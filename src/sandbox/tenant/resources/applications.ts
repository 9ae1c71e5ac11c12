import type { Entity } from "../core/entity.js";
import type { RequestContext } from "../core/context.js";
import { isRecord, stringProp } from "../core/entity.js";
import { GraphHttpError, badRequest, forbidden, invalidPropertyValue, readOnlyProperty } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import type { Store } from "../core/store.js";
import { deleteEntity, getVisible, requireBody } from "../core/crud.js";
import { addPasswordCredential, applyKeyCredentials, removePasswordCredential } from "../identity/credentials.js";
import { federatedCredentialView, federatedCredentialsOf } from "../identity/federated-credentials.js";
import { federatedCredentialRoutes } from "./federated-credential-routes.js";
import { linkRoutes, linkedObjects } from "./links.js";
import { policyAssignmentRoutes } from "./policy-assignments.js";
import type { LinkSpec } from "./links.js";
import { typedView } from "./directory-objects.js";
import { deltaRoute } from "../delta/delta-route.js";
import { contextUrl } from "../odata/shape.js";
import { verifiedDomains } from "./domains.js";

const READ = ["Application.Read.All", "Directory.Read.All"];
const WRITE = ["Application.ReadWrite.All", "Application.ReadWrite.OwnedBy", "Directory.ReadWrite.All"];
const CERTS_ACTIVITY = "Update application – Certificates and secrets management ";

export function findApplicationByAppId(store: Store, appId: string): Entity | undefined {
  return store.lookup("applications", "appId", appId)[0];
}

export const applicationOwners: LinkSpec = {
  relation: "applications/owners",
  sourceCollection: "applications",
  property: "owners",
  targets: ["users", "servicePrincipals"],
  audit: { category: "ApplicationManagement", add: "Add owner to application", remove: "Remove owner from application", sourceType: "Application" },
};

function checkUnique(store: Store, self: Entity): void {
  const uniqueName = stringProp(self, "uniqueName");
  if (uniqueName && store.lookup("applications", "uniqueName", uniqueName).some((other) => other.id !== self.id)) {
    throw badRequest("Another object with the same value for property uniqueName already exists.");
  }
  if (!Array.isArray(self["identifierUris"]) || self["identifierUris"].length === 0) return;
  const uris = Array.isArray(self["identifierUris"]) ? self["identifierUris"].map((u) => String(u).toLowerCase()) : [];
  for (const other of store.list("applications")) {
    if (other.id === self.id) continue;
    const otherUris = Array.isArray(other["identifierUris"]) ? other["identifierUris"].map((u) => String(u).toLowerCase()) : [];
    if (uris.some((u) => otherUris.includes(u))) {
      throw badRequest("Another object with the same value for property identifierUris already exists.");
    }
  }
}

/**
 * Graph refuses to remove an enabled app role or OAuth2 permission scope, or to change its `value`
 * while it is enabled: 400 `CannotDeleteOrUpdateEnabledEntitlement` (docs/graph-behaviour.md,
 * "Sandbox behaviour table"). Disabling it (`isEnabled: false`) first makes either allowed.
 */
function checkEnabledEntitlements(previous: Entity, next: Entity): void {
  const scopesOf = (e: Entity): unknown => (isRecord(e["api"]) ? e["api"]["oauth2PermissionScopes"] : undefined);
  for (const [before, after] of [[previous["appRoles"], next["appRoles"]], [scopesOf(previous), scopesOf(next)]] as const) {
    const wanted = new Map((Array.isArray(after) ? after : []).filter(isRecord).map((item) => [String(item["id"]).toLowerCase(), item]));
    for (const item of (Array.isArray(before) ? before : []).filter(isRecord)) {
      if (item["isEnabled"] === false) continue;
      const kept = wanted.get(String(item["id"]).toLowerCase());
      if (kept === undefined || kept["value"] !== item["value"]) {
        throw new GraphHttpError(400, "CannotDeleteOrUpdateEnabledEntitlement", "Permission (scope or role) cannot be deleted or updated unless disabled first.");
      }
    }
  }
}

/**
 * Identifier URIs must use the default scheme with the app's own id (`api://{appId}`,
 * `api://{tenantId}/…`, `api://…/{appId}`) or a verified domain of the tenant or a subdomain of one
 * (`https://contoso.com/api`, `api://contoso.com/api`); otherwise 400 `HostNameNotOnVerifiedDomain`
 * (docs/graph-behaviour.md, "Sandbox behaviour table"). Only URIs the write adds are checked, as
 * Graph leaves existing ones alone.
 */
function checkIdentifierUriHosts(ctx: RequestContext, entity: Entity, previous: Entity | undefined): void {
  const before = new Set((Array.isArray(previous?.["identifierUris"]) ? previous["identifierUris"] : []).map((u) => String(u).toLowerCase()));
  const added = (Array.isArray(entity["identifierUris"]) ? entity["identifierUris"] : []).map(String).filter((u) => !before.has(u.toLowerCase()));
  if (added.length === 0) return;
  const verified = verifiedDomains(ctx);
  const appId = String(entity["appId"] ?? "").toLowerCase();
  for (const uri of added) {
    const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)([^?#]*)/i.exec(uri);
    const scheme = match?.[1]?.toLowerCase();
    const host = match?.[2]?.toLowerCase() ?? "";
    const segments = (match?.[3] ?? "").toLowerCase().split("/").filter(Boolean);
    const onVerified = verified.some((d) => host === d || host.endsWith(`.${d}`));
    const ownId = scheme === "api" && (host === appId || host === ctx.core.tenantId.toLowerCase() || segments.includes(appId));
    if (match && (onVerified || ownId)) continue;
    throw new GraphHttpError(400, "HostNameNotOnVerifiedDomain", `Values of identifierUris property must use a verified domain of the organization or its subdomain: '${uri}'`);
  }
}

export const applications = defineResource({
  collection: "applications",
  entityType: "microsoft.graph.application",
  resourceName: "Application",
  paths: [{ path: "/applications" }],
  alternateKeys: ["appId", "uniqueName"],
  upsertKeys: ["uniqueName"],
  permissions: { read: READ, write: WRITE, create: ["Application.ReadWrite.OwnedBy", "Application.ReadWrite.All", "Directory.ReadWrite.All", "AppRegistration.Create"] },
  paging: { defaultTop: 100, maxTop: 999 },
  directoryObject: true,
  readOnly: { appId: "reject", publisherDomain: "ignore", createdDateTime: "ignore", deletedDateTime: "ignore", passwordCredentials: "reject" },
  immutable: { uniqueName: "Property 'uniqueName' is immutable and cannot be changed once set." },
  filter: {
    id: ["eq", "in"],
    appId: ["eq", "in"],
    displayName: ["eq", "in", "startsWith", "ge", "le"],
    uniqueName: ["eq", "in"],
    identifierUris: ["any", "eq", "startsWith"],
    signInAudience: ["eq", "in"],
    publisherDomain: ["eq", "in", "startsWith"],
    tags: ["any", "eq", "startsWith"],
    "web/redirectUris": ["any", "eq", "startsWith"],
    "spa/redirectUris": ["any", "eq", "startsWith"],
    "requiredResourceAccess": ["any"],
    "requiredResourceAccess/resourceAppId": ["eq"],
  },
  advancedFilter: { createdDateTime: ["eq", "ge", "le", "in"], displayName: ["endsWith"] },
  orderBy: { displayName: "advanced", createdDateTime: "advanced" },
  search: ["displayName", "description"],
  softDelete: { bin: "directory" },
  audit: {
    service: "Core Directory", category: "ApplicationManagement", targetType: "Application",
    add: "Add application", update: "Update application", delete: "Delete application", restore: "Restore application", hardDelete: "Hard Delete application",
  },
  create(ctx, body, id) {
    if (typeof body["displayName"] !== "string" || body["displayName"] === "") throw invalidPropertyValue("displayName", "Application");
    const keyCredentials = body["keyCredentials"] === undefined ? [] : applyKeyCredentials(ctx, id, [], body["keyCredentials"], "Application");
    return {
      addIns: [], api: { acceptMappedClaims: null, knownClientApplications: [], requestedAccessTokenVersion: null, oauth2PermissionScopes: [], preAuthorizedApplications: [] },
      appRoles: [], applicationTemplateId: null, certification: null, defaultRedirectUri: null, description: null,
      disabledByMicrosoftStatus: null, groupMembershipClaims: null, identifierUris: [], info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
      isDeviceOnlyAuthSupported: null, isFallbackPublicClient: null, notes: null, optionalClaims: null,
      parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: "Allow" }, publicClient: { redirectUris: [] },
      requiredResourceAccess: [], samlMetadataUrl: null, serviceManagementReference: null, signInAudience: "AzureADMyOrg",
      spa: { redirectUris: [] }, tags: [], tokenEncryptionKeyId: null, uniqueName: null,
      verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
      web: { homePageUrl: null, logoutUrl: null, redirectUris: [], implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false }, redirectUriSettings: [] },
      ...body,
      keyCredentials,
      passwordCredentials: [],
      id,
      appId: ctx.system && typeof body["appId"] === "string" ? body["appId"] : ctx.store.newId(),
      publisherDomain: ctx.core.domain,
      createdDateTime: ctx.nowIso(),
      deletedDateTime: null,
    };
  },
  update(ctx, existing, patch) {
    if ("passwordCredentials" in patch) throw readOnlyProperty("passwordCredentials");
    const next: Entity = { ...existing, ...patch };
    if ("keyCredentials" in patch) next["keyCredentials"] = applyKeyCredentials(ctx, existing.id, existing["keyCredentials"], patch["keyCredentials"], "Application");
    return next;
  },
  validate(ctx, entity, previous) {
    if (typeof entity["displayName"] !== "string" || entity["displayName"] === "") throw invalidPropertyValue("displayName", "Application");
    if (previous) checkEnabledEntitlements(previous, entity);
    if (!ctx.system) checkIdentifierUriHosts(ctx, entity, previous);
    checkUnique(ctx.store, entity);
  },
  authorizeItem: (ctx, app, access) => authorizeOwnedApplication(ctx, app, access),
  afterCreate: (ctx, app) => addCallerAsOwner(ctx, app),
  beforeDelete(ctx, app) {
    const appId = stringProp(app, "appId")?.toLowerCase();
    const sp = ctx.store.list("servicePrincipals").find((s) => stringProp(s, "appId")?.toLowerCase() === appId);
    if (sp) deleteEntity(ctx, ctx.core.resource("servicePrincipals"), sp);
  },
  expand: {
    owners: (ctx, entity) => linkedObjects(ctx, applicationOwners, entity.id).map((t) => typedView(ctx, t.collection, t.entity)),
    federatedIdentityCredentials: (ctx, entity) => federatedCredentialsOf(ctx.store, entity.id).map(federatedCredentialView),
  },
  itemRoutes: [
    ...linkRoutes(applicationOwners, (ctx, id) => getVisible(ctx, ctx.core.resource("applications"), id)),
    ...federatedCredentialRoutes,
    ...policyAssignmentRoutes("applications"),
    {
      method: "POST",
      path: "addPassword",
      handler: (ctx, params) => {
        const app = getVisible(ctx, ctx.core.resource("applications"), params["id"] ?? "", "write");
        const body = ctx.request.body === undefined ? {} : requireBody(ctx.request.body);
        const input = body["passwordCredential"] ?? {};
        const created = addPasswordCredential(ctx, app, typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {});
        ctx.store.put("applications", app);
        ctx.audit({
          activity: CERTS_ACTIVITY, category: "ApplicationManagement", operationType: "Update",
          targets: [{ id: app.id, displayName: stringProp(app, "displayName") ?? null, type: "Application", modifiedProperties: [
            { displayName: "KeyDescription", oldValue: "[]", newValue: JSON.stringify([`[KeyIdentifier=${String(created["keyId"])},KeyType=Password,KeyUsage=Verify,DisplayName=${String(created["displayName"] ?? "")}]`]) },
          ] }],
        });
        return { status: 200, body: { "@odata.context": contextUrl(ctx, "microsoft.graph.passwordCredential"), ...created } };
      },
    },
    {
      method: "POST",
      path: "removePassword",
      handler: (ctx, params) => {
        const app = getVisible(ctx, ctx.core.resource("applications"), params["id"] ?? "", "write");
        const body = requireBody(ctx.request.body);
        removePasswordCredential(ctx, app, body["keyId"]);
        ctx.store.put("applications", app);
        ctx.audit({
          activity: CERTS_ACTIVITY, category: "ApplicationManagement", operationType: "Update",
          targets: [{ id: app.id, displayName: stringProp(app, "displayName") ?? null, type: "Application", modifiedProperties: [
            { displayName: "KeyDescription", oldValue: JSON.stringify([`[KeyIdentifier=${String(body["keyId"])},KeyType=Password,KeyUsage=Verify]`]), newValue: "[]" },
          ] }],
        });
        return { status: 204 };
      },
    },
  ],
  collectionRoutes: [deltaRoute("applications")],
});

const FULL_APP_ACCESS = ["Application.ReadWrite.All", "Directory.ReadWrite.All"];
const FULL_APP_READ = ["Application.Read.All", "Directory.Read.All", ...FULL_APP_ACCESS];

/**
 * Application.ReadWrite.OwnedBy (and AppRegistration.Create): an app holding only these reaches
 * only the applications its service principal owns.
 */
export function authorizeOwnedApplication(ctx: RequestContext, app: Entity, access: "read" | "write", relation = "applications/owners"): void {
  const principal = ctx.request.principal;
  if (principal.type !== "app") return;
  if (ctx.hasPermission(access === "read" ? FULL_APP_READ : FULL_APP_ACCESS)) return;
  const sp = principal.servicePrincipalId;
  if (sp && ctx.store.hasLink(relation, app.id, sp)) return;
  throw forbidden();
}

/** The calling app becomes owner of what it creates with OwnedBy / AppRegistration.Create. */
export function addCallerAsOwner(ctx: RequestContext, app: Entity, relation = "applications/owners", collection = "applications"): void {
  const principal = ctx.request.principal;
  if (ctx.system || principal.type !== "app" || ctx.hasPermission(FULL_APP_ACCESS)) return;
  const sp = principal.servicePrincipalId;
  if (sp && ctx.store.get("servicePrincipals", sp)) ctx.store.addLink(relation, app.id, sp, collection);
}
