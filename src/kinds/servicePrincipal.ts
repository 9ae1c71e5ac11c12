import { DIRECTORY_OBJECT_MANAGED, directorySoftDelete, slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

/** Tenants whose service principals are Microsoft's own first-party apps (not managed here). */
const MICROSOFT_TENANTS = new Set([
  "f8cdef31-a31e-4b4a-93e4-5f571e91255a", // Microsoft Services
  "72f988bf-86f1-41af-91ab-2d7cd011db47", // Microsoft
]);

/**
 * Enterprise apps (service principals). Created from an app by `appId`, which is the natural key
 * and, when the app is managed too, reads `application:<name>`. Properties mirrored from the app
 * (app roles, scopes, reply URLs, names) are the app's and dropped here. Microsoft first-party
 * apps and managed identities are not managed.
 */
export const servicePrincipal = {
  kind: "servicePrincipal",
  reference: { prefix: "servicePrincipal" },
  // "Add policy to service principal" is the policy's assignment (policy-assignment.ts).
  audit: { activity: /(?<!policy (to|from) )service principal/i },
  detect: { odataTypes: ["servicePrincipal"], context: /#servicePrincipals/i, shape: (o) => "appId" in o && "servicePrincipalType" in o },
  required: ["appId"],
  title: "enterprise application",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.servicePrincipal",
  singleton: false,
  directoryObject: true,
  delta: true,
  collectionPath: "/servicePrincipals",
  itemPath: (id) => `/servicePrincipals/${id}`,
  naturalKey: "appId",
  documentName: (spec) => slugOf(spec),
  serverManaged: [
    ...DIRECTORY_OBJECT_MANAGED,
    "createdDateTime",
    "appDisplayName",
    "appDescription",
    "appOwnerOrganizationId",
    "applicationTemplateId",
    "servicePrincipalNames",
    "servicePrincipalType",
    "signInAudience",
    "appRoles",
    "oauth2PermissionScopes",
    "replyUrls",
    "alternativeNames",
    "publisherName",
    "verifiedPublisher",
    "info",
    "homepage",
    "disabledByMicrosoftStatus",
    "createdByAppId",
    "resourceSpecificApplicationPermissions",
    "passwordCredentials",
    "keyCredentials",
    "addIns",
  ],
  createOnly: ["appId"],
  setArrays: ["tags", "notificationEmailAddresses"],
  references: [{ path: "appId", targets: ["application"], by: "appId" }],
  relationships: [{ property: "owners", segment: "owners", targets: ["user", "servicePrincipal"] }],
  dependsOn: ["application", "user"],
  permissions: { read: ["Application.Read.All"], write: ["Application.ReadWrite.All"], ids: { "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", "Application.ReadWrite.All": "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9" } },
  softDelete: directorySoftDelete("servicePrincipal"),
  defaults: { accountEnabled: true, appRoleAssignmentRequired: false },
  isManaged: (live) =>
    !(typeof live.appOwnerOrganizationId === "string" && MICROSOFT_TENANTS.has(live.appOwnerOrganizationId.toLowerCase())) &&
    live.servicePrincipalType !== "ManagedIdentity",
} satisfies KindDescriptor;
