import type { JsonObject, JsonValue } from "../model/document.js";
import { canonicalJson, isJsonObject } from "../model/json.js";
import type { KindDescriptor, ReferenceField } from "./types.js";
import type { SetCollection } from "./descriptor-write.js";

const COLLECTION = "/policies/permissionGrantPolicies";
const SETS = ["includes", "excludes"] as const;
const APP_TARGETS = ["application", "servicePrincipal", "resource"] as const;

/** What Graph fills in for a condition set property the request leaves out (the most inclusive). */
const CONDITION_DEFAULTS: Readonly<Record<string, JsonValue>> = {
  permissionClassification: "all",
  resourceApplication: "any",
  permissions: ["all"],
  clientApplicationIds: ["all"],
  clientApplicationTenantIds: ["all"],
  clientApplicationPublisherIds: ["all"],
  clientApplicationsFromVerifiedPublisherOnly: false,
};
const CONDITION_ARRAYS = ["permissions", "clientApplicationIds", "clientApplicationTenantIds", "clientApplicationPublisherIds"];

/** A condition set without its id and without the values Graph fills in anyway. */
function conditionSet(item: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === "id" || key.startsWith("@odata.")) continue;
    const fallback = CONDITION_DEFAULTS[key];
    if (value === null || (fallback !== undefined && canonicalJson(value) === canonicalJson(fallback))) continue;
    out[key] = value;
  }
  return out;
}

function conditionSetIdentity(item: JsonObject): string {
  const out = conditionSet(item);
  for (const key of CONDITION_ARRAYS) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = [...list].map((v) => String(v).toLowerCase()).sort();
  }
  return canonicalJson(out);
}

function setCollection(property: (typeof SETS)[number]): SetCollection {
  return {
    property,
    collectionPath: (parent) => `${COLLECTION}/${parent}/${property}`,
    itemPath: (parent, id) => `${COLLECTION}/${parent}/${property}/${id}`,
    identity: conditionSetIdentity,
    // A policy never briefly excludes less than its document says.
    ...(property === "excludes" ? { addFirst: true as const } : {}),
  };
}

const references: ReferenceField[] = SETS.flatMap((set) => [
  { path: `${set}.resourceApplication`, targets: APP_TARGETS, by: "appId" as const, sentinels: ["any"] },
  { path: `${set}.clientApplicationIds`, targets: APP_TARGETS, by: "appId" as const, sentinels: ["all"] },
]);

/**
 * Permission grant (consent) policies (`permissionGrantPolicy`, `/policies/permissionGrantPolicies`):
 * the id is the administrator's (letters, digits, `-`, `_`; `microsoft-` is reserved), the natural
 * key, and cannot change; `displayName` and `description` are PATCHed. The `includes` and
 * `excludes` condition sets are entities of their own that Graph never updates: apply adds a
 * missing one (POST) and removes one the document lacks (DELETE), matched by content; a document
 * writes only what differs from Graph's defaults (the most inclusive values), and apps by name
 * (`resource:`, `servicePrincipal:`, `application:`, else the appId). Built-in `microsoft-*`
 * policies are read-only: never exported or managed. Opt-in: reading needs
 * Policy.Read.PermissionGrant, which no default kind needs (docs/graph-behaviour.md, permission
 * grant policies).
 */
export const permissionGrantPolicy = {
  kind: "permissionGrantPolicy",
  audit: { activity: /permission grant (policy|condition set)|consent polic/i },
  detect: { odataTypes: ["permissionGrantPolicy"], context: /permissionGrantPolicies/i },
  required: ["id"],
  title: "permission grant policy",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.permissionGrantPolicy",
  optIn: true,
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  naturalKey: "id",
  documentName: (spec) => (typeof spec.id === "string" ? spec.id.toLowerCase().replace(/_/g, "-") : "permission-grant-policy"),
  serverManaged: ["deletedDateTime"],
  createOnly: ["id"],
  setArrays: [...SETS, ...SETS.flatMap((set) => CONDITION_ARRAYS.map((a) => `${set}.${a}`))],
  references,
  dependsOn: ["application", "servicePrincipal"],
  permissions: {
    read: ["Policy.Read.PermissionGrant"],
    write: ["Policy.ReadWrite.PermissionGrant"],
    ids: { "Policy.Read.PermissionGrant": "9e640839-a198-48fb-8b9a-013fd6f6cbcd", "Policy.ReadWrite.PermissionGrant": "a402ca1c-2696-4531-972d-6e5ee4aa11ea" },
  },
  setCollections: SETS.map(setCollection),
  isManaged: (live) => !(typeof live.id === "string" && live.id.toLowerCase().startsWith("microsoft-")),
  normalize(spec) {
    for (const set of SETS) {
      const list = spec[set];
      if (Array.isArray(list)) spec[set] = list.filter(isJsonObject).map(conditionSet);
    }
    return spec;
  },
} satisfies KindDescriptor;
