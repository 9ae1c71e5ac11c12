import { IDS } from "./directory.js";
import type { Fixture } from "./fixtures-policies.js";

export const tenantPolicyFixtures: Fixture[] = [
  {
    kind: "authenticationMethodsPolicy",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#authenticationMethodsPolicy",
      id: "authenticationMethodsPolicy",
      displayName: "Authentication Methods Policy",
      description: "The tenant-wide policy that controls which authentication methods are allowed in the tenant.",
      lastModifiedDateTime: "2024-01-10T17:04:21.8727193Z",
      policyVersion: "1.5",
      reconfirmationInDays: 0,
      policyMigrationState: "migrationInProgress",
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          snoozeDurationInDays: 1,
          state: "default",
          excludeTargets: [{ id: IDS.breakGlassGroup, targetType: "group" }],
          includeTargets: [{ id: "all_users", targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" }],
        },
      },
      "authenticationMethodConfigurations@odata.context": "https://graph.microsoft.com/v1.0/$metadata#…",
      authenticationMethodConfigurations: [
        {
          "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
          id: "MicrosoftAuthenticator",
          state: "enabled",
          isSoftwareOathEnabled: false,
          excludeTargets: [],
          featureSettings: {
            displayAppInformationRequiredState: {
              state: "enabled",
              includeTarget: { targetType: "group", id: "all_users" },
              excludeTarget: { targetType: "group", id: "00000000-0000-0000-0000-000000000000" },
            },
          },
          "includeTargets@odata.context": "https://graph.microsoft.com/v1.0/$metadata#…",
          includeTargets: [
            { targetType: "group", id: IDS.exchangeUsersGroup, isRegistrationRequired: false, authenticationMode: "any" },
          ],
        },
        {
          "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
          id: "Fido2",
          state: "enabled",
          isSelfServiceRegistrationAllowed: true,
          isAttestationEnforced: true,
          excludeTargets: [{ id: IDS.breakGlassGroup, targetType: "group" }],
          keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: ["de1e552d-db1d-4423-a619-566b625cdc84", "90a3ccdf-635c-4729-a248-9b709135078f"] },
          includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
        },
      ],
    },
    name: "default",
    id: "authenticationMethodsPolicy",
    spec: {
      reconfirmationInDays: 0,
      policyMigrationState: "migrationInProgress",
      registrationEnforcement: {
        authenticationMethodsRegistrationCampaign: {
          snoozeDurationInDays: 1,
          state: "default",
          excludeTargets: [{ id: "group:emergency-access", targetType: "group" }],
          includeTargets: [{ id: "all_users", targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" }],
        },
      },
      authenticationMethodConfigurations: [
        {
          "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
          id: "Fido2",
          state: "enabled",
          isSelfServiceRegistrationAllowed: true,
          isAttestationEnforced: true,
          excludeTargets: [{ id: "group:emergency-access", targetType: "group" }],
          keyRestrictions: { isEnforced: true, enforcementType: "allow", aaGuids: ["90a3ccdf-635c-4729-a248-9b709135078f", "de1e552d-db1d-4423-a619-566b625cdc84"] },
          includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
        },
        {
          "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration",
          id: "MicrosoftAuthenticator",
          state: "enabled",
          isSoftwareOathEnabled: false,
          featureSettings: {
            displayAppInformationRequiredState: {
              state: "enabled",
              includeTarget: { targetType: "group", id: "all_users" },
              excludeTarget: { targetType: "group", id: "00000000-0000-0000-0000-000000000000" },
            },
          },
          includeTargets: [{ targetType: "group", id: "group:exchange-users", isRegistrationRequired: false, authenticationMode: "any" }],
        },
      ],
    },
  },
  {
    kind: "crossTenantAccessPolicyDefault",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/crossTenantAccessPolicy/default/$entity",
      isServiceDefault: false,
      inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false },
      b2bCollaborationOutbound: {
        usersAndGroups: {
          accessType: "allowed",
          targets: [
            { target: IDS.exchangeUsersGroup, targetType: "group" },
            { target: IDS.breakGlassGroup, targetType: "group" },
          ],
        },
        applications: { accessType: "allowed", targets: [{ target: "AllApplications", targetType: "application" }] },
      },
      b2bDirectConnectInbound: {
        usersAndGroups: { accessType: "blocked", targets: [{ target: "AllUsers", targetType: "user" }] },
        applications: { accessType: "blocked", targets: [{ target: "AllApplications", targetType: "application" }] },
      },
    },
    name: "default",
    id: undefined,
    spec: {
      inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false },
      b2bCollaborationOutbound: {
        usersAndGroups: {
          accessType: "allowed",
          targets: [
            { target: "group:emergency-access", targetType: "group" },
            { target: "group:exchange-users", targetType: "group" },
          ],
        },
        applications: { accessType: "allowed", targets: [{ target: "AllApplications", targetType: "application" }] },
      },
      b2bDirectConnectInbound: {
        usersAndGroups: { accessType: "blocked", targets: [{ target: "AllUsers", targetType: "user" }] },
        applications: { accessType: "blocked", targets: [{ target: "AllApplications", targetType: "application" }] },
      },
    },
  },
  {
    kind: "crossTenantAccessPolicyPartner",
    live: {
      tenantId: IDS.partnerTenant,
      isServiceProvider: true,
      isInMultiTenantOrganization: false,
      inboundTrust: null,
      b2bCollaborationInbound: null,
      b2bCollaborationOutbound: null,
      b2bDirectConnectOutbound: {
        usersAndGroups: { accessType: "blocked", targets: [{ target: IDS.exchangeUsersGroup, targetType: "group" }] },
      },
      b2bDirectConnectInbound: {
        applications: { accessType: "allowed", targets: [{ target: "Office365", targetType: "application" }] },
      },
    },
    name: IDS.partnerTenant,
    id: IDS.partnerTenant,
    spec: {
      tenantId: IDS.partnerTenant,
      isServiceProvider: true,
      b2bDirectConnectOutbound: {
        usersAndGroups: { accessType: "blocked", targets: [{ target: "group:exchange-users", targetType: "group" }] },
      },
      b2bDirectConnectInbound: {
        applications: { accessType: "allowed", targets: [{ target: "Office365", targetType: "application" }] },
      },
    },
  },
  {
    kind: "groupSetting",
    live: {
      id: "f0b2d6f5-097d-4177-91af-a24e530b53cc",
      displayName: "Group.Unified",
      templateId: "62375ab9-6b52-47ED-826b-58e47e0e304b",
      values: [
        { name: "EnableGroupCreation", value: "false" },
        { name: "GroupCreationAllowedGroupId", value: IDS.exchangeUsersGroup },
        { name: "CustomBlockedWordsList", value: "" },
        { name: "PrefixSuffixNamingRequirement", value: "GRP_[GroupName]" },
      ],
    },
    name: "group-unified",
    id: "f0b2d6f5-097d-4177-91af-a24e530b53cc",
    spec: {
      displayName: "Group.Unified",
      templateId: "62375ab9-6b52-47ed-826b-58e47e0e304b",
      values: [
        { name: "CustomBlockedWordsList", value: "" },
        { name: "EnableGroupCreation", value: "false" },
        { name: "GroupCreationAllowedGroupId", value: "group:exchange-users" },
        { name: "PrefixSuffixNamingRequirement", value: "GRP_[GroupName]" },
      ],
    },
    // The template id stays a GUID, commented with the template's name.
    annotations: { templateId: "Group.Unified" },
  },
  {
    kind: "securityDefaults",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/identitySecurityDefaultsEnforcementPolicy/$entity",
      id: "00000000-0000-0000-0000-000000000005",
      displayName: "Security Defaults",
      description: "Security defaults is a set of basic identity security mechanisms recommended by Microsoft.",
      isEnabled: false,
    },
    name: "default",
    id: "00000000-0000-0000-0000-000000000005",
    // displayName and description are read-only (fixed by Graph): only isEnabled is configuration.
    spec: { isEnabled: false },
  },
  {
    kind: "tokenLifetimePolicy",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/tokenLifetimePolicies/$entity",
      id: "4d2f137b-e8a9-46da-a5c3-cc85b2b840a4",
      deletedDateTime: null,
      definition: ["{\"TokenLifetimePolicy\":{\"Version\":1,\"AccessTokenLifetime\":\"8:00:00\"}}"],
      displayName: "Contoso token lifetime",
      description: null,
      isOrganizationDefault: false,
    },
    name: "contoso-token-lifetime",
    id: "4d2f137b-e8a9-46da-a5c3-cc85b2b840a4",
    // isOrganizationDefault false is Graph's default and description null is absent: neither is kept.
    spec: { definition: ["{\"TokenLifetimePolicy\":{\"Version\":1,\"AccessTokenLifetime\":\"8:00:00\"}}"], displayName: "Contoso token lifetime" },
  },
  {
    kind: "homeRealmDiscoveryPolicy",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/homeRealmDiscoveryPolicies/$entity",
      id: "4d2f137b-e8a9-46da-a5c3-cc85b2b840a4",
      deletedDateTime: null,
      definition: ["{\"HomeRealmDiscoveryPolicy\":{\"AccelerateToFederatedDomain\":true,\"PreferredDomain\":\"federated.example.edu\",\"AlternateIdLogin\":{\"Enabled\":true}}}"],
      displayName: "Contoso HRD",
      description: null,
      isOrganizationDefault: false,
    },
    name: "contoso-hrd",
    id: "4d2f137b-e8a9-46da-a5c3-cc85b2b840a4",
    // isOrganizationDefault false is Graph's default and description null is absent: neither is kept.
    spec: { definition: ["{\"HomeRealmDiscoveryPolicy\":{\"AccelerateToFederatedDomain\":true,\"PreferredDomain\":\"federated.example.edu\",\"AlternateIdLogin\":{\"Enabled\":true}}}"], displayName: "Contoso HRD" },
  },
  {
    kind: "claimsMappingPolicy",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/claimsMappingPolicies/$entity",
      id: "4d2f137b-e8a9-46da-a5c3-cc85b2b840a4",
      deletedDateTime: null,
      definition: ["{\"ClaimsMappingPolicy\":{\"Version\":1,\"IncludeBasicClaimSet\":\"true\",\"ClaimsSchema\":[{\"Source\":\"user\",\"ID\":\"employeeid\",\"SamlClaimType\":\"http://schemas.contoso.com/employeeid\"}]}}"],
      displayName: "Employee id claim",
      description: null,
      isOrganizationDefault: false,
    },
    name: "employee-id-claim",
    id: "4d2f137b-e8a9-46da-a5c3-cc85b2b840a4",
    // isOrganizationDefault false is Graph's default and description null is absent: neither is kept.
    spec: { definition: ["{\"ClaimsMappingPolicy\":{\"Version\":1,\"IncludeBasicClaimSet\":\"true\",\"ClaimsSchema\":[{\"Source\":\"user\",\"ID\":\"employeeid\",\"SamlClaimType\":\"http://schemas.contoso.com/employeeid\"}]}}"], displayName: "Employee id claim" },
  },
  {
    kind: "tokenIssuancePolicy",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/tokenIssuancePolicies/$entity",
      id: "9a7b3e1c-5d2f-4c8a-b6e4-1f0d2c3b4a59",
      deletedDateTime: null,
      definition: ["{\"TokenIssuancePolicy\":{\"Version\":1,\"SigningAlgorithm\":\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\",\"TokenResponseSigningPolicy\":\"TokenOnly\",\"SamlTokenVersion\":\"2.0\"}}"],
      displayName: "SAML signing",
      description: null,
      isOrganizationDefault: true,
    },
    name: "saml-signing",
    id: "9a7b3e1c-5d2f-4c8a-b6e4-1f0d2c3b4a59",
    spec: { definition: ["{\"TokenIssuancePolicy\":{\"Version\":1,\"SigningAlgorithm\":\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\",\"TokenResponseSigningPolicy\":\"TokenOnly\",\"SamlTokenVersion\":\"2.0\"}}"], displayName: "SAML signing", isOrganizationDefault: true },
  },
  {
    kind: "activityBasedTimeoutPolicy",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/activityBasedTimeoutPolicies/$entity",
      id: "9a7b3e1c-5d2f-4c8a-b6e4-1f0d2c3b4a59",
      deletedDateTime: null,
      definition: ["{\"ActivityBasedTimeoutPolicy\":{\"Version\":1,\"ApplicationPolicies\":[{\"ApplicationId\":\"default\",\"WebSessionIdleTimeout\":\"01:00:00\"}]}}"],
      displayName: "Idle timeout",
      description: null,
      isOrganizationDefault: true,
    },
    name: "idle-timeout",
    id: "9a7b3e1c-5d2f-4c8a-b6e4-1f0d2c3b4a59",
    spec: { definition: ["{\"ActivityBasedTimeoutPolicy\":{\"Version\":1,\"ApplicationPolicies\":[{\"ApplicationId\":\"default\",\"WebSessionIdleTimeout\":\"01:00:00\"}]}}"], displayName: "Idle timeout", isOrganizationDefault: true },
  },
  {
    kind: "tenantAppManagementPolicy",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/defaultAppManagementPolicy/$entity",
      id: "00000000-0000-0000-0000-000000000000",
      displayName: "Default app management tenant policy",
      description: "Default tenant policy that enforces app management restrictions on applications and service principals.",
      isEnabled: true,
      applicationRestrictions: {
        passwordCredentials: [{ restrictionType: "passwordLifetime", state: "enabled", maxLifetime: "P90D", restrictForAppsCreatedAfterDateTime: "2024-01-01T00:00:00Z" }],
        keyCredentials: [],
      },
      servicePrincipalRestrictions: { passwordCredentials: [], keyCredentials: [] },
    },
    name: "default",
    id: "00000000-0000-0000-0000-000000000000",
    spec: {
      applicationRestrictions: {
        passwordCredentials: [{ maxLifetime: "P90D", restrictForAppsCreatedAfterDateTime: "2024-01-01T00:00:00Z", restrictionType: "passwordLifetime", state: "enabled" }],
      },
      isEnabled: true,
    },
  },
  {
    kind: "adminConsentRequestPolicy",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/adminConsentRequestPolicy/$entity",
      id: "adminConsentRequestPolicy",
      isEnabled: true,
      notifyReviewers: true,
      remindersEnabled: false,
      requestDurationInDays: 14,
      version: 3,
      reviewers: [
        { query: `/users/${IDS.alice}`, queryType: "MicrosoftGraph", queryRoot: null },
        { query: `/groups/${IDS.breakGlassGroup}/transitiveMembers/microsoft.graph.user`, queryType: "MicrosoftGraph", queryRoot: null },
        { query: "/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '62e90394-69f5-4237-9190-012177145e10'", queryType: "MicrosoftGraph", queryRoot: null },
        { query: "/users/00000000-0000-0000-0000-0000000000aa/manager", queryType: "MicrosoftGraph", queryRoot: null },
      ],
    },
    name: "default",
    id: "adminConsentRequestPolicy",
    // Reviewer queries of the three portal forms read as user:, group: and role: references; any other stays as Graph wrote it.
    spec: {
      isEnabled: true,
      notifyReviewers: true,
      remindersEnabled: false,
      requestDurationInDays: 14,
      reviewers: [
        { query: "user:alice@contoso.com", queryType: "MicrosoftGraph" },
        { query: "group:emergency-access", queryType: "MicrosoftGraph" },
        { query: "role:Global Administrator", queryType: "MicrosoftGraph" },
        { query: "/users/00000000-0000-0000-0000-0000000000aa/manager", queryType: "MicrosoftGraph" },
      ],
    },
  },
  {
    kind: "groupLifecyclePolicy",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groupLifecyclePolicies/$entity",
      id: "ffffffff-5555-6666-7777-aaaaaaaaaaaa",
      groupLifetimeInDays: 180,
      managedGroupTypes: "All",
      alternateNotificationEmails: "admin@contoso.com; it@contoso.com",
    },
    name: "group-expiration",
    id: "ffffffff-5555-6666-7777-aaaaaaaaaaaa",
    spec: { alternateNotificationEmails: "admin@contoso.com;it@contoso.com", groupLifetimeInDays: 180, managedGroupTypes: "All" },
  },
  {
    kind: "appManagementPolicy",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/appManagementPolicies/$entity",
      id: "db9d4b58-3488-4da4-9994-49773c454e33",
      deletedDateTime: null,
      displayName: "Credential management policy",
      description: "Cred policy sample",
      isEnabled: true,
      restrictions: {
        passwordCredentials: [{ restrictionType: "passwordLifetime", state: "enabled", maxLifetime: "P90D", restrictForAppsCreatedAfterDateTime: "2019-01-01T10:37:00Z" }],
        keyCredentials: [],
      },
    },
    name: "credential-management-policy",
    id: "db9d4b58-3488-4da4-9994-49773c454e33",
    spec: {
      description: "Cred policy sample",
      displayName: "Credential management policy",
      isEnabled: true,
      restrictions: {
        passwordCredentials: [{ maxLifetime: "P90D", restrictForAppsCreatedAfterDateTime: "2019-01-01T10:37:00Z", restrictionType: "passwordLifetime", state: "enabled" }],
      },
    },
  },
  {
    kind: "roleDefinition",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#roleManagement/directory/roleDefinitions/$entity",
      id: "ffffffff-6666-7777-8888-bbbbbbbbbbbb",
      description: "Resets passwords and reads sign-in activity",
      displayName: "Helpdesk Lite",
      isBuiltIn: false,
      isEnabled: true,
      isPrivileged: false,
      resourceScopes: ["/"],
      templateId: "FFFFFFFF-6666-7777-8888-BBBBBBBBBBBB",
      version: null,
      rolePermissions: [{ allowedResourceActions: ["microsoft.directory/users/password/update", "microsoft.directory/signInReports/allProperties/read"], condition: null }],
      inheritsPermissionsFrom: [],
    },
    name: "helpdesk-lite",
    id: "ffffffff-6666-7777-8888-bbbbbbbbbbbb",
    spec: {
      description: "Resets passwords and reads sign-in activity",
      displayName: "Helpdesk Lite",
      isEnabled: true,
      rolePermissions: [{ allowedResourceActions: ["microsoft.directory/signInReports/allProperties/read", "microsoft.directory/users/password/update"] }],
      templateId: "ffffffff-6666-7777-8888-bbbbbbbbbbbb",
    },
  },
  {
    kind: "attributeSet",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directory/attributeSets/$entity",
      id: "Engineering",
      description: "Attributes for engineering team",
      maxAttributesPerSet: 25,
    },
    name: "engineering",
    id: "Engineering",
    spec: { description: "Attributes for engineering team", id: "Engineering", maxAttributesPerSet: 25 },
  },
  {
    kind: "accessPackageCatalog",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/catalogs/$entity",
      id: "ffffffff-7777-8888-9999-cccccccccccc",
      displayName: "Sales",
      description: "For employees working with sales and outside sales partners",
      catalogType: "userManaged",
      state: "published",
      isExternallyVisible: true,
      createdDateTime: "2021-11-10T01:08:30.9134953Z",
      modifiedDateTime: "2021-11-10T01:08:30.9134953Z",
    },
    name: "sales",
    id: "ffffffff-7777-8888-9999-cccccccccccc",
    spec: { description: "For employees working with sales and outside sales partners", displayName: "Sales", isExternallyVisible: true, state: "published" },
  },
];
