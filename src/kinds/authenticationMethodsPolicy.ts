import { SINGLETON_NAME } from "./common.js";
import type { KindDescriptor, ReferenceField } from "./types.js";

const PATH = "/policies/authenticationMethodsPolicy";
const CONFIGS = "authenticationMethodConfigurations";

const ALL_USERS = ["all_users"];
const feature = (setting: string, side: "includeTarget" | "excludeTarget"): ReferenceField => ({
  path: `${CONFIGS}.featureSettings.${setting}.${side}.id`,
  targets: ["group"],
  sentinels: [...ALL_USERS, "00000000-0000-0000-0000-000000000000"],
});

/**
 * The authentication methods policy (singleton) with its method configurations, which GET expands
 * inline and which are written one by one: PATCH `…/authenticationMethodConfigurations/{id}`
 * with their `@odata.type`. Targets are groups (or `all_users`).
 */
export const authenticationMethodsPolicy = {
  kind: "authenticationMethodsPolicy",
  audit: { activity: /authentication methods? policy/i },
  detect: { odataTypes: ["authenticationMethodsPolicy"], context: /authenticationMethodsPolicy/i, shape: (o) => "authenticationMethodConfigurations" in o },
  title: "authentication methods policy",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.authenticationMethodsPolicy",
  singleton: true,
  collectionPath: PATH,
  itemPath: () => PATH,
  naturalKey: "id",
  documentName: () => SINGLETON_NAME,
  serverManaged: ["id", "lastModifiedDateTime", "policyVersion", "displayName", "description"],
  createOnly: [],
  setArrays: [
    CONFIGS,
    `${CONFIGS}.includeTargets`,
    `${CONFIGS}.excludeTargets`,
    `${CONFIGS}.keyRestrictions.aaGuids`,
    // Certificate-based authentication: bindings are tried by priority, rules are a set.
    `${CONFIGS}.certificateUserBindings`,
    `${CONFIGS}.authenticationModeConfiguration.rules`,
    "registrationEnforcement.authenticationMethodsRegistrationCampaign.includeTargets",
    "registrationEnforcement.authenticationMethodsRegistrationCampaign.excludeTargets",
  ],
  arrayKeys: { [CONFIGS]: "id", includeTargets: "id", excludeTargets: "id", certificateUserBindings: "priority" },
  references: [
    { path: `${CONFIGS}.includeTargets.id`, targets: ["group"], sentinels: ALL_USERS },
    { path: `${CONFIGS}.excludeTargets.id`, targets: ["group"], sentinels: ALL_USERS },
    feature("displayAppInformationRequiredState", "includeTarget"),
    feature("displayAppInformationRequiredState", "excludeTarget"),
    feature("displayLocationInformationRequiredState", "includeTarget"),
    feature("displayLocationInformationRequiredState", "excludeTarget"),
    feature("companionAppAllowedState", "includeTarget"),
    feature("companionAppAllowedState", "excludeTarget"),
    {
      path: "registrationEnforcement.authenticationMethodsRegistrationCampaign.includeTargets.id",
      targets: ["group", "user"],
      sentinels: ALL_USERS,
    },
    {
      path: "registrationEnforcement.authenticationMethodsRegistrationCampaign.excludeTargets.id",
      targets: ["group", "user"],
      sentinels: ALL_USERS,
    },
  ],
  dependsOn: ["group"],
  permissions: { read: ["Policy.Read.AuthenticationMethod"], write: ["Policy.ReadWrite.AuthenticationMethod"], ids: { "Policy.ReadWrite.AuthenticationMethod": "29c18626-4985-4dcd-85c0-193eef327366" } },
  keepODataType: [CONFIGS],
  nestedCollections: [
    { property: CONFIGS, key: "id", itemPath: (_parent, key) => `${PATH}/${CONFIGS}/${key}` },
  ],
} satisfies KindDescriptor;
