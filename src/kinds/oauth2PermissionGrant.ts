import { referenceName } from "./common.js";
import { slugify } from "./naming.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/oauth2PermissionGrants";

/**
 * Delegated permission grants (`oAuth2PermissionGrant`): consent for a client service principal
 * (`clientId`) to call an API (`resourceId`, another service principal) with the delegated
 * permissions in `scope`, for every user (`consentType: AllPrincipals`, `principalId` null) or for
 * one user (`Principal`, `principalId` the user). Only `scope` can be updated; the other properties
 * are create-only, a change is delete + create (docs/graph-behaviour.md, delegated permission grants).
 * Documents are named client + resource (+ user) by name, never by id.
 */
export const oauth2PermissionGrant = {
  kind: "oauth2PermissionGrant",
  audit: { activity: /delegated permission grant|oauth2permissiongrant/i },
  detect: { odataTypes: ["oAuth2PermissionGrant"], context: /oauth2PermissionGrants/i, shape: (o) => "clientId" in o && "consentType" in o && "resourceId" in o },
  required: ["clientId", "consentType", "resourceId", "scope"],
  title: "delegated permission grant",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.oAuth2PermissionGrant",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  // A grant for one user has the same key as another user's: those match by id (export writes it).
  naturalKey: "clientId+resourceId+consentType",
  nameFromReferences: true,
  documentName(spec) {
    const principal = spec.principalId;
    const parts = [referenceName(spec.clientId), referenceName(spec.resourceId)];
    if (typeof principal === "string" && principal !== "") parts.push(referenceName(principal).replace(/@.*$/, ""));
    return slugify(parts.join("-"), "delegated-grant");
  },
  serverManaged: ["id"],
  createOnly: ["clientId", "consentType", "principalId", "resourceId"],
  setArrays: [],
  references: [
    { path: "clientId", targets: ["servicePrincipal"] },
    { path: "resourceId", targets: ["servicePrincipal", "resource"] },
    { path: "principalId", targets: ["user"] },
  ],
  dependsOn: ["servicePrincipal", "user"],
  permissions: {
    // Graph documents Directory.Read.All as the least privilege to read grants (docs/graph-behaviour.md
    // §10); the engine needs it anyway, so this kind asks for nothing new on upgrade.
    read: ["Directory.Read.All"],
    write: ["DelegatedPermissionGrant.ReadWrite.All"],
    ids: { "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61", "DelegatedPermissionGrant.ReadWrite.All": "8e8e4742-1d95-4f68-9d56-6ee75648c72a" },
  },
  normalize(spec) {
    // `scope` is a space-separated set: one order, one space, so reordering is no change.
    if (typeof spec.scope === "string") spec.scope = [...new Set(spec.scope.split(/\s+/).filter((s) => s !== ""))].sort().join(" ");
    return spec;
  },
} satisfies KindDescriptor;
