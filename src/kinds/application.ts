import type { JsonObject, JsonValue } from "../documents/types.js";
import { DIRECTORY_OBJECT_MANAGED, directorySoftDelete, slugOf } from "./common.js";
import { isObject } from "./paths.js";
import type { KindDescriptor } from "./types.js";

const byId = (value: JsonValue | undefined): Map<string, JsonObject> =>
  new Map((Array.isArray(value) ? value : []).filter(isObject).map((item) => [String(item.id), item]));

/**
 * Graph refuses to remove an enabled app role or scope ("must be disabled first"): the desired list
 * plus every removed, still-enabled entry with `isEnabled: false`, or undefined when none is.
 */
function keepRemovedDisabled(desired: JsonValue | undefined, actual: JsonValue | undefined): JsonObject[] | undefined {
  const wanted = byId(desired);
  const removed = [...byId(actual).values()].filter((item) => !wanted.has(String(item.id)) && item.isEnabled !== false);
  if (removed.length === 0) return undefined;
  return [...wanted.values(), ...removed.map((item) => ({ ...item, isEnabled: false }))];
}

/**
 * App registrations: owners, API permissions (`requiredResourceAccess`), app roles, scopes and
 * redirect URIs. App role and scope ids are GUIDs the author chose: they are kept, and arrays of
 * them are matched by id. Credentials are exported as metadata only (never `secretText`, `key`
 * or the `hint` that holds the secret's first characters) and are not written back: secrets and
 * certificates are rotated with `addPassword`/`addKey`, outside documents. Removing an enabled app
 * role or scope takes two PATCHes (`stagedUpdate`): disable, then remove.
 */
export const application = {
  kind: "application",
  title: "app registration",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.application",
  singleton: false,
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
    { path: "requiredResourceAccess.resourceAppId", targets: ["application", "servicePrincipal"], by: "appId" },
    { path: "api.knownClientApplications", targets: ["application"], by: "appId" },
    { path: "api.preAuthorizedApplications.appId", targets: ["application", "servicePrincipal"], by: "appId" },
  ],
  relationships: [{ property: "owners", segment: "owners", targets: ["user", "servicePrincipal"] }],
  dependsOn: ["user"],
  permissions: { read: ["Application.Read.All"], write: ["Application.ReadWrite.All"] },
  softDelete: directorySoftDelete("application"),
  flagEnums: ["groupMembershipClaims"],
  // Graph fills signInAudience (AzureADMyOrg) on create and ignores null: absent keeps the tenant's.
  keepWhenAbsent: ["signInAudience"],
  defaults: {
    isFallbackPublicClient: false,
    oauth2RequirePostResponse: false,
    "web.implicitGrantSettings.enableIdTokenIssuance": false,
    "web.implicitGrantSettings.enableAccessTokenIssuance": false,
    "parentalControlSettings.legalAgeGroupRule": "Allow",
  },
  stagedUpdate(body, actual) {
    const staged: JsonObject = {};
    const roles = keepRemovedDisabled(body.appRoles, actual.appRoles);
    if (roles) staged.appRoles = roles;
    const actualApi = isObject(actual.api) ? actual.api : {};
    const api = isObject(body.api) ? body.api : {};
    const scopes = keepRemovedDisabled(api.oauth2PermissionScopes, actualApi.oauth2PermissionScopes);
    if (scopes) staged.api = { ...api, oauth2PermissionScopes: scopes };
    return Object.keys(staged).length > 0 ? staged : undefined;
  },
  toGraphBody(body) {
    // Credentials are managed by addPassword/addKey; PATCH rejects passwordCredentials.
    delete body.passwordCredentials;
    delete body.keyCredentials;
    return body;
  },
} satisfies KindDescriptor;
