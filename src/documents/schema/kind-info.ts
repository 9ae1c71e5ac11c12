/**
 * What the schema generator needs to know about a kind: the part of `KindDescriptor` that shapes a
 * document's spec. Taken from the kind registry; `FALLBACK_KIND_INFO` covers kinds whose
 * descriptor does not exist yet, so schemas exist for every kind of `KIND_NAMES`.
 */
import type { GraphVersion } from "../../graph/types.js";
import type { Kind } from "../../model/kind.js";
import type { KindDescriptor, ReferenceField, Relationship } from "../../kinds/types.js";

export type SchemaKindInfo = Pick<KindDescriptor, "kind" | "graphType" | "apiVersion" | "serverManaged" | "references" | "singleton" | "apiPermissionsPath"> & {
  readonly relationships?: readonly Pick<Relationship, "property" | "targets">[];
  readonly nestedCollections?: readonly { readonly property: string }[];
  /** Dotted paths where `@odata.type` tells subtypes apart (`""` is the root). */
  readonly keepODataType?: readonly string[];
};

/**
 * Server-managed everywhere at the top of a spec (docs/design.md §2), besides each kind's own list. `id` is
 * not among them: most kinds list it, but an authentication context's id (`c1`…`c99`) is chosen by
 * the administrator and belongs in the spec.
 */
export const GENERIC_SERVER_MANAGED = ["createdDateTime", "modifiedDateTime", "lastModifiedDateTime", "deletedDateTime"] as const;

const CA_USERS = ["All", "None", "GuestsOrExternalUsers"];
const CA_APPS = ["All", "None", "Office365", "MicrosoftAdminPortals"];
const CA_LOCATIONS = ["All", "AllTrusted", "00000000-0000-0000-0000-000000000000"];

const caReferences: ReferenceField[] = [
  { path: "conditions.users.includeUsers", targets: ["user"], sentinels: CA_USERS },
  { path: "conditions.users.excludeUsers", targets: ["user"], sentinels: CA_USERS },
  { path: "conditions.users.includeGroups", targets: ["group"] },
  { path: "conditions.users.excludeGroups", targets: ["group"] },
  { path: "conditions.users.includeRoles", targets: ["role"] },
  { path: "conditions.users.excludeRoles", targets: ["role"] },
  { path: "conditions.applications.includeApplications", targets: ["application", "servicePrincipal"], by: "appId", sentinels: CA_APPS },
  { path: "conditions.applications.excludeApplications", targets: ["application", "servicePrincipal"], by: "appId", sentinels: CA_APPS },
  { path: "conditions.applications.includeAuthenticationContextClassReferences", targets: ["authenticationContext"] },
  { path: "conditions.locations.includeLocations", targets: ["namedLocation"], sentinels: CA_LOCATIONS },
  { path: "conditions.locations.excludeLocations", targets: ["namedLocation"], sentinels: CA_LOCATIONS },
  { path: "conditions.clientApplications.includeServicePrincipals", targets: ["servicePrincipal"], sentinels: ["ServicePrincipalsInMyTenant"] },
  { path: "conditions.clientApplications.excludeServicePrincipals", targets: ["servicePrincipal"], sentinels: ["ServicePrincipalsInMyTenant"] },
  { path: "grantControls.authenticationStrength.id", targets: ["authenticationStrength"] },
];

function info(kind: Kind, graphType: string, extra: Partial<SchemaKindInfo> = {}): SchemaKindInfo {
  return { kind, graphType: `microsoft.graph.${graphType}`, apiVersion: "v1.0" as GraphVersion, serverManaged: ["id"], references: [], singleton: false, ...extra };
}

export const FALLBACK_KIND_INFO: readonly SchemaKindInfo[] = [
  info("namedLocation", "namedLocation", { keepODataType: ["", "ipRanges"] }),
  info("authenticationContextClassReference", "authenticationContextClassReference"),
  info("authenticationStrengthPolicy", "authenticationStrengthPolicy", { serverManaged: ["id", "policyType", "requirementsSatisfied"] }),
  info("authorizationPolicy", "authorizationPolicy", { singleton: true }),
  info("authenticationMethodsPolicy", "authenticationMethodsPolicy", { singleton: true, nestedCollections: [{ property: "authenticationMethodConfigurations" }], keepODataType: ["authenticationMethodConfigurations"] }),
  info("crossTenantAccessPolicyDefault", "crossTenantAccessPolicyConfigurationDefault", { singleton: true, serverManaged: ["id", "isServiceDefault"] }),
  info("crossTenantAccessPolicyPartner", "crossTenantAccessPolicyConfigurationPartner", { serverManaged: ["id", "isInMultiTenantOrganization", "isServiceProvider"] }),
  info("groupSetting", "groupSetting"),
  info("user", "user"),
  info("group", "group", {
    relationships: [
      { property: "members", targets: ["user", "group", "servicePrincipal"] },
      { property: "owners", targets: ["user", "servicePrincipal"] },
    ],
  }),
  info("administrativeUnit", "administrativeUnit", { relationships: [{ property: "members", targets: ["user", "group"] }] }),
  info("application", "application", { relationships: [{ property: "owners", targets: ["user", "servicePrincipal"] }] }),
  info("servicePrincipal", "servicePrincipal", { relationships: [{ property: "owners", targets: ["user", "servicePrincipal"] }] }),
  info("roleAssignment", "unifiedRoleAssignment", {
    references: [
      { path: "roleDefinitionId", targets: ["role"] },
      { path: "principalId", targets: ["user", "group", "servicePrincipal"] },
    ],
  }),
  info("conditionalAccessPolicy", "conditionalAccessPolicy", { apiVersion: "beta", references: caReferences }),
];

/**
 * Properties a document must have (what Graph requires to create the object, from the create pages
 * of the Graph reference). The CSDL's `Nullable="false"` is no guide: it marks `user.birthday`
 * non-nullable. Keyed by kind, and by CSDL type for subtypes. Singletons require nothing: a
 * document may manage only some of their properties.
 */
export const REQUIRED_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  conditionalAccessPolicy: ["displayName", "state", "conditions"],
  namedLocation: ["displayName"],
  "microsoft.graph.ipNamedLocation": ["ipRanges"],
  "microsoft.graph.countryNamedLocation": ["countriesAndRegions"],
  "microsoft.graph.iPv4CidrRange": ["cidrAddress"],
  "microsoft.graph.iPv6CidrRange": ["cidrAddress"],
  authenticationStrengthPolicy: ["displayName", "allowedCombinations"],
  authenticationContextClassReference: ["displayName"],
  crossTenantAccessPolicyPartner: ["tenantId"],
  groupSetting: ["templateId", "values"],
  user: ["displayName", "userPrincipalName"],
  group: ["displayName", "mailEnabled", "mailNickname", "securityEnabled"],
  administrativeUnit: ["displayName"],
  application: ["displayName"],
  servicePrincipal: ["appId"],
  roleAssignment: ["roleDefinitionId", "principalId"],
};

/**
 * Properties the CSDL types as plain strings although Graph accepts only a few values (the Graph
 * reference lists them), keyed by `type/property`.
 */
export const STRING_ENUMS: Readonly<Record<string, readonly string[]>> = {
  "microsoft.graph.conditionalAccessGrantControls/operator": ["AND", "OR"],
  "microsoft.graph.group/visibility": ["Public", "Private", "HiddenMembership"],
  "microsoft.graph.administrativeUnit/visibility": ["Public", "HiddenMembership"],
  "microsoft.graph.application/signInAudience": ["AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount"],
  "microsoft.graph.group/membershipRuleProcessingState": ["On", "Paused"],
};
