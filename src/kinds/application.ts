import type { JsonObject, JsonValue } from "../model/document.js";
import { DIRECTORY_OBJECT_MANAGED, directorySoftDelete, slugOf } from "./common.js";
import { isJsonObject } from "../model/json.js";
import type { KindDescriptor } from "./types.js";

const byId = (value: JsonValue | undefined): Map<string, JsonObject> =>
  new Map((Array.isArray(value) ? value : []).filter(isJsonObject).map((item) => [String(item.id), item]));

/**
 * Graph refuses to remove an enabled app role or scope, or to change its `value` while it is enabled
 * (400 `CannotDeleteOrUpdateEnabledEntitlement`, docs/graph-behaviour.md "Sandbox behaviour table"):
 * the live entries that must be disabled first.
 */
function enabledEntitlementsTouched(desired: JsonValue | undefined, actual: JsonValue | undefined): JsonObject[] {
  const wanted = byId(desired);
  return [...byId(actual).values()].filter((item) => {
    if (item.isEnabled === false) return false;
    const next = wanted.get(String(item.id));
    return next === undefined || next.value !== item.value;
  });
}

/** The live list with the touched entries disabled (the first of two PATCHes), or undefined when none is. */
function disableTouched(desired: JsonValue | undefined, actual: JsonValue | undefined): JsonObject[] | undefined {
  const touched = new Set(enabledEntitlementsTouched(desired, actual).map((item) => String(item.id)));
  if (touched.size === 0) return undefined;
  return [...byId(actual).values()].map((item) => (touched.has(String(item.id)) ? { ...item, isEnabled: false } : item));
}

const apiOf = (spec: JsonObject): JsonObject => (isJsonObject(spec.api) ? spec.api : {});

/** Names of the app roles and scopes a change from `actual` to `desired` must disable first. */
export function entitlementsToDisable(desired: JsonObject, actual: JsonObject): string[] {
  const label = (kind: string) => (item: JsonObject) => `${kind} '${typeof item.value === "string" ? item.value : String(item.id)}'`;
  const roles = "appRoles" in desired ? enabledEntitlementsTouched(desired.appRoles, actual.appRoles).map(label("app role")) : [];
  const scopes = "api" in desired ? enabledEntitlementsTouched(apiOf(desired).oauth2PermissionScopes, apiOf(actual).oauth2PermissionScopes).map(label("scope")) : [];
  return [...roles, ...scopes];
}

/**
 * App registrations: owners, API permissions (`requiredResourceAccess`), app roles, scopes and
 * redirect URIs. App role and scope ids are GUIDs the author chose: they are kept, and arrays of
 * them are matched by id. Credentials are exported as metadata only (never `secretText`, `key`
 * or the `hint` that holds the secret's first characters) and are not written back: secrets and
 * certificates are rotated with `addPassword`/`addKey`, outside documents. Removing an enabled app
 * role or scope, or changing its `value`, takes two PATCHes (`stagedUpdate`): disable, then write.
 */
export const application = {
  kind: "application",
  reference: { prefix: "application" },
  // "Add policy to application" is the policy's assignment (policy-assignment.ts).
  audit: { activity: /(?<!policy (to|from) )\bapplication\b/i },
  detect: { odataTypes: ["application"], context: /#applications/i, shape: (o) => "appId" in o && "signInAudience" in o && !("servicePrincipalType" in o) },
  required: ["displayName"],
  title: "app registration",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.application",
  singleton: false,
  directoryObject: true,
  delta: true,
  collectionPath: "/applications",
  itemPath: (id) => `/applications/${id}`,
  naturalKey: "displayName",
  documentName: (spec) => slugOf(spec),
  serverManaged: [
    ...DIRECTORY_OBJECT_MANAGED,
    "appId",
    "createdDateTime",
    "publisherDomain",
    "applicationTemplateId",
    "certification",
    "verifiedPublisher",
    "disabledByMicrosoftStatus",
    "createdByAppId",
    "logo",
    "passwordCredentials.secretText",
    "passwordCredentials.hint",
    "keyCredentials.key",
  ],
  createOnly: ["uniqueName"],
  setArrays: [
    "identifierUris",
    "tags",
    "web.redirectUris",
    "web.redirectUriSettings",
    "spa.redirectUris",
    "publicClient.redirectUris",
    "requiredResourceAccess",
    "requiredResourceAccess.resourceAccess",
    "appRoles",
    "appRoles.allowedMemberTypes",
    "api.oauth2PermissionScopes",
    "api.knownClientApplications",
    "api.preAuthorizedApplications",
    "api.preAuthorizedApplications.delegatedPermissionIds",
    "keyCredentials",
    "passwordCredentials",
    "optionalClaims.idToken",
    "optionalClaims.accessToken",
    "optionalClaims.saml2Token",
    "parentalControlSettings.countriesBlockedForMinors",
  ],
  arrayKeys: {
    requiredResourceAccess: "resourceAppId",
    resourceAccess: "id",
    appRoles: "id",
    oauth2PermissionScopes: "id",
    preAuthorizedApplications: "appId",
    keyCredentials: "keyId",
    passwordCredentials: "keyId",
    redirectUriSettings: "uri",
    idToken: "name",
    accessToken: "name",
    saml2Token: "name",
  },
  references: [
    { path: "requiredResourceAccess.resourceAppId", targets: ["application", "servicePrincipal", "resource"], by: "appId" },
    // "Both the client and the web API app must be registered in the same tenant" (docs/graph-behaviour.md §11).
    { path: "api.knownClientApplications", targets: ["application"], by: "appId", appIdMustExist: "application" },
    { path: "api.preAuthorizedApplications.appId", targets: ["application", "servicePrincipal"], by: "appId" },
  ],
  relationships: [{ property: "owners", segment: "owners", targets: ["user", "servicePrincipal"] }],
  apiPermissionsPath: "requiredResourceAccess",
  dependsOn: ["user"],
  permissions: { read: ["Application.Read.All"], write: ["Application.ReadWrite.All"], ids: { "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9" } },
  softDelete: directorySoftDelete("application"),
  flagEnums: ["groupMembershipClaims"],
  // Graph fills signInAudience (AzureADMyOrg) on create and ignores null: absent keeps the tenant's.
  keepWhenAbsent: ["signInAudience"],
  tenantState: ["passwordCredentials", "keyCredentials"],
  defaults: {
    isFallbackPublicClient: false,
    oauth2RequirePostResponse: false,
    "web.implicitGrantSettings.enableIdTokenIssuance": false,
    "web.implicitGrantSettings.enableAccessTokenIssuance": false,
    "parentalControlSettings.legalAgeGroupRule": "Allow",
  },
  // Ids the author or Graph chose for items of the app itself: commented with what they name.
  comments(spec) {
    const out: Record<string, string> = {};
    const label = (list: JsonValue | undefined, path: string, property: string): void => {
      if (!Array.isArray(list)) return;
      list.forEach((item, i) => {
        if (isJsonObject(item) && typeof item.id === "string" && typeof item[property] === "string" && item[property] !== "") out[`${path}[${i}].id`] = String(item[property]);
        if (isJsonObject(item) && typeof item.keyId === "string" && typeof item[property] === "string" && item[property] !== "") out[`${path}[${i}].keyId`] = String(item[property]);
      });
    };
    label(spec.appRoles, "appRoles", "value");
    label(isJsonObject(spec.api) ? spec.api.oauth2PermissionScopes : undefined, "api.oauth2PermissionScopes", "value");
    label(spec.passwordCredentials, "passwordCredentials", "displayName");
    label(spec.keyCredentials, "keyCredentials", "displayName");
    return out;
  },
  // Only the properties the update writes: an absent `appRoles` or `api` keeps its live value.
  stagedUpdate(body, actual) {
    const staged: JsonObject = {};
    const roles = "appRoles" in body ? disableTouched(body.appRoles, actual.appRoles) : undefined;
    if (roles) staged.appRoles = roles;
    const scopes = "api" in body ? disableTouched(apiOf(body).oauth2PermissionScopes, apiOf(actual).oauth2PermissionScopes) : undefined;
    if (scopes) staged.api = { ...apiOf(body), oauth2PermissionScopes: scopes };
    return Object.keys(staged).length > 0 ? staged : undefined;
  },
  stagedUpdateNote(after, before) {
    const names = entitlementsToDisable(after, before);
    return names.length > 0 ? `${names.join(", ")} disabled first (isEnabled: false), since Graph refuses to remove an enabled app role or scope or change its value` : undefined;
  },
  toGraphBody(body) {
    // Credentials are managed by addPassword/addKey; PATCH rejects passwordCredentials.
    delete body.passwordCredentials;
    delete body.keyCredentials;
    return body;
  },
} satisfies KindDescriptor;
