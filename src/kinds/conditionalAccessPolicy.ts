import type { JsonObject, JsonValue } from "../model/document.js";
import { slugOf } from "./common.js";
import { isJsonObject } from "../model/json.js";
import type { KindDescriptor, ReferenceField } from "./types.js";

const COLLECTION = "/identity/conditionalAccess/policies";
const USERS = "conditions.users";
const APPS = "conditions.applications";
const GUESTS = ["includeGuestsOrExternalUsers", "excludeGuestsOrExternalUsers"].map((p) => `${USERS}.${p}`);

const USER_SENTINELS = ["All", "None", "GuestsOrExternalUsers"];
const APP_SENTINELS = ["All", "None", "Office365", "MicrosoftAdminPortals"];
/** `00000000-…` is the legacy "MFA trusted IPs" location, the same in every tenant. */
const LOCATION_SENTINELS = ["All", "AllTrusted", "00000000-0000-0000-0000-000000000000"];

const both = (path: string, field: Omit<ReferenceField, "path">): ReferenceField[] =>
  ["include", "exclude"].map((side) => ({ ...field, path: path.replace("*", side) }));

const references: ReferenceField[] = [
  ...both(`${USERS}.*Users`, { targets: ["user"], sentinels: USER_SENTINELS }),
  ...both(`${USERS}.*Groups`, { targets: ["group"] }),
  ...both(`${USERS}.*Roles`, { targets: ["role"] }),
  // Graph refuses a policy naming an appId without a service principal in the tenant (docs/graph-behaviour.md §11).
  ...both(`${APPS}.*Applications`, { targets: ["application", "servicePrincipal"], by: "appId", sentinels: APP_SENTINELS, appIdMustExist: "servicePrincipal" }),
  { path: `${APPS}.includeAuthenticationContextClassReferences`, targets: ["authenticationContext"] },
  ...both("conditions.clientApplications.*ServicePrincipals", {
    targets: ["servicePrincipal"],
    sentinels: ["ServicePrincipalsInMyTenant"],
  }),
  ...both("conditions.locations.*Locations", { targets: ["namedLocation"], sentinels: LOCATION_SENTINELS }),
  { path: "grantControls.authenticationStrength.id", targets: ["authenticationStrength"] },
  // Terms of use by name when the opt-in agreement kind is in scope; a GUID otherwise (README "Terms of use").
  { path: "grantControls.termsOfUse", targets: ["agreement"] },
];

/** Only `id` identifies an authentication strength in a policy; Graph may embed the whole object. */
function strengthReference(value: JsonValue | undefined): JsonObject | undefined {
  if (typeof value === "string") return { id: value };
  if (isJsonObject(value) && typeof value.id === "string") return { id: value.id };
  return undefined;
}

function isEmpty(value: JsonValue | undefined): boolean {
  return value == null || (Array.isArray(value) && value.length === 0);
}

function lowerAll(values: JsonValue | undefined): JsonValue | undefined {
  if (!Array.isArray(values)) return values;
  return values.map((v) => (typeof v === "string" && v.toLowerCase() === "all" ? "all" : v));
}

/**
 * Conditional Access policies. References: users, groups, built-in roles, apps (by appId), named
 * locations, authentication contexts and strengths, terms of use (agreements). Guest/external user
 * types, transfer methods and insider risk levels are flag enums. Policies are soft-deleted.
 */
export const conditionalAccessPolicy = {
  kind: "conditionalAccessPolicy",
  audit: { activity: /conditional access policy/i },
  detect: {
    odataTypes: ["conditionalAccessPolicy"],
    context: /conditionalAccess\/policies/i,
    shape: (o) => "conditions" in o && ("grantControls" in o || "sessionControls" in o || "state" in o),
    folders: /^conditionalaccess$/i,
  },
  required: ["displayName", "state", "conditions"],
  title: "Conditional Access policy",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.conditionalAccessPolicy",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  naturalKey: "displayName",
  documentName: (spec) => slugOf(spec, "displayName", "policy"),
  serverManaged: ["id", "createdDateTime", "modifiedDateTime", "deletedDateTime", "templateId", "partialEnablementStrategy"],
  createOnly: [],
  setArrays: [
    ...references.map((r) => r.path).filter((p) => !p.startsWith("grantControls.authenticationStrength")),
    `${APPS}.includeUserActions`,
    "conditions.clientAppTypes",
    "conditions.signInRiskLevels",
    "conditions.userRiskLevels",
    "conditions.servicePrincipalRiskLevels",
    "conditions.platforms.includePlatforms",
    "conditions.platforms.excludePlatforms",
    ...GUESTS.map((g) => `${g}.externalTenants.members`),
    "grantControls.builtInControls",
    "grantControls.customAuthenticationFactors",
  ],
  references,
  dependsOn: [
    "namedLocation",
    "authenticationStrengthPolicy",
    "authenticationContextClassReference",
    "agreement",
    "group",
    "user",
    "application",
    "servicePrincipal",
  ],
  permissions: {
    read: ["Policy.Read.All"],
    write: ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess", "Application.Read.All"],
    ids: { "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68", "Policy.ReadWrite.ConditionalAccess": "01c0a623-fc9b-48e9-b794-0756f8e8f067", "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30" },
  },
  softDelete: {
    listPath: "/identity/conditionalAccess/deletedItems/policies",
    restorePath: (id) => `/identity/conditionalAccess/deletedItems/policies/${id}/restore`,
    // Documented in beta only (docs/graph-behaviour.md §8).
    apiVersion: "beta",
  },
  // What Graph fills in when a policy is written without it (and returns on every read).
  defaults: {
    "conditions.clientAppTypes": ["all"],
    "sessionControls.signInFrequency.authenticationType": "primaryAndSecondaryAuthentication",
    "sessionControls.signInFrequency.frequencyInterval": "timeBased",
    "sessionControls.disableResilienceDefaults": false,
  },
  // externalTenants is abstract: all vs enumerated tenants are told apart by @odata.type.
  keepODataType: GUESTS.map((g) => `${g}.externalTenants`),
  flagEnums: [...GUESTS.map((g) => `${g}.guestOrExternalUserTypes`), "conditions.authenticationFlows.transferMethods", "conditions.insiderRiskLevels"],
  normalize(spec) {
    const conditions = spec.conditions;
    if (isJsonObject(conditions)) {
      const clientAppTypes = lowerAll(conditions.clientAppTypes);
      if (clientAppTypes !== undefined) conditions.clientAppTypes = clientAppTypes;
      const platforms = conditions.platforms;
      if (isJsonObject(platforms)) {
        for (const key of ["includePlatforms", "excludePlatforms"]) {
          const lowered = lowerAll(platforms[key]);
          if (lowered !== undefined) platforms[key] = lowered;
        }
      }
    }
    const grant = spec.grantControls;
    if (isJsonObject(grant) && grant.authenticationStrength !== undefined) {
      const strength = strengthReference(grant.authenticationStrength);
      if (strength) grant.authenticationStrength = strength;
      else delete grant.authenticationStrength;
    }
    // Graph reads a session-only policy's grant controls back as null: an operator alone is nothing.
    if (isJsonObject(grant) && Object.keys(grant).every((k) => k === "operator" || isEmpty(grant[k]))) {
      delete spec.grantControls;
    } else if (isJsonObject(grant) && grant.operator == null) {
      // Graph always returns an operator (OR when none was written): documents show it too.
      grant.operator = "OR";
    }
    return spec;
  },
} satisfies KindDescriptor;
