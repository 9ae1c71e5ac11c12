import type { JsonObject } from "../../src/model/document.js";
import type { Kind } from "../../src/model/kind.js";
import { IDS } from "./directory.js";

/** A realistic live Graph object (shapes from the Graph v1.0 reference pages) and its document form. */
export interface Fixture {
  kind: Kind;
  live: JsonObject;
  name: string;
  id: string | undefined;
  spec: JsonObject;
  annotations?: Record<string, string>;
}

export const conditionalAccessFixture: Fixture = {
  kind: "conditionalAccessPolicy",
  live: {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies/$entity",
    id: "6b5e999b-0ba8-4186-a106-e0296c1c4358",
    templateId: null,
    displayName: "Require MFA for admins (Exchange)",
    createdDateTime: "2019-09-26T23:12:16.0792706Z",
    modifiedDateTime: null,
    state: "enabledForReportingButNotEnforced",
    sessionControls: null,
    conditions: {
      userRiskLevels: [],
      signInRiskLevels: ["medium", "high"],
      clientAppTypes: ["mobileAppsAndDesktopClients", "browser"],
      servicePrincipalRiskLevels: [],
      platforms: null,
      times: null,
      devices: null,
      clientApplications: null,
      applications: {
        includeApplications: [IDS.payrollAppId, IDS.exchangeOnlineAppId],
        excludeApplications: [],
        includeUserActions: [],
        includeAuthenticationContextClassReferences: ["c1"],
        applicationFilter: null,
      },
      users: {
        includeUsers: [IDS.alice],
        excludeUsers: ["GuestsOrExternalUsers", IDS.bob],
        includeGroups: [IDS.exchangeUsersGroup],
        excludeGroups: [IDS.breakGlassGroup],
        includeRoles: ["9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", "62e90394-69f5-4237-9190-012177145e10"],
        excludeRoles: [],
        includeGuestsOrExternalUsers: null,
        excludeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: "serviceProvider, b2bCollaborationGuest",
          externalTenants: {
            "@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants",
            membershipKind: "all",
          },
        },
      },
      locations: {
        includeLocations: ["All"],
        excludeLocations: [IDS.corporateNetwork, "AllTrusted"],
      },
    },
    grantControls: {
      operator: "OR",
      builtInControls: [],
      customAuthenticationFactors: [],
      termsOfUse: ["ce580154-086a-40fd-91df-8a60abac81a0"],
      "authenticationStrength@odata.context": "https://graph.microsoft.com/v1.0/$metadata#…/authenticationStrength/$entity",
      authenticationStrength: {
        id: "00000000-0000-0000-0000-000000000004",
        createdDateTime: "2021-12-01T08:00:00Z",
        modifiedDateTime: "2021-12-01T08:00:00Z",
        displayName: "Phishing-resistant MFA",
        policyType: "builtIn",
        requirementsSatisfied: "mfa",
        allowedCombinations: ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
        combinationConfigurations: [],
      },
    },
  },
  name: "require-mfa-for-admins-exchange",
  id: "6b5e999b-0ba8-4186-a106-e0296c1c4358",
  spec: {
    displayName: "Require MFA for admins (Exchange)",
    state: "enabledForReportingButNotEnforced",
    conditions: {
      signInRiskLevels: ["high", "medium"],
      clientAppTypes: ["browser", "mobileAppsAndDesktopClients"],
      applications: {
        includeApplications: [IDS.exchangeOnlineAppId, "application:payroll-api"],
        includeAuthenticationContextClassReferences: ["authenticationContext:sensitive-apps"],
      },
      users: {
        includeUsers: ["user:alice@contoso.com"],
        excludeUsers: [IDS.bob, "GuestsOrExternalUsers"],
        includeGroups: ["group:exchange-users"],
        excludeGroups: ["group:emergency-access"],
        includeRoles: ["role:Application Administrator", "role:Global Administrator"],
        excludeGuestsOrExternalUsers: {
          guestOrExternalUserTypes: "b2bCollaborationGuest,serviceProvider",
          externalTenants: {
            "@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants",
            membershipKind: "all",
          },
        },
      },
      locations: {
        includeLocations: ["All"],
        excludeLocations: ["AllTrusted", "namedLocation:corporate-network"],
      },
    },
    grantControls: {
      operator: "OR",
      termsOfUse: ["ce580154-086a-40fd-91df-8a60abac81a0"],
      authenticationStrength: { id: "authenticationStrength:Phishing-resistant MFA" },
    },
  },
  annotations: {
    "conditions.applications.includeApplications[0]": "Office 365 Exchange Online",
    "conditions.users.excludeUsers[0]": "Bob (break-glass)",
  },
};

export const policyFixtures: Fixture[] = [
  conditionalAccessFixture,
  {
    kind: "namedLocation",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#namedLocations/$entity",
      "@odata.type": "#microsoft.graph.ipNamedLocation",
      id: IDS.corporateNetwork,
      displayName: "Corporate network",
      modifiedDateTime: "2019-09-04T01:11:34.9387578Z",
      createdDateTime: "2019-09-04T01:11:34.9387578Z",
      isTrusted: true,
      ipRanges: [
        { "@odata.type": "#microsoft.graph.iPv6CidrRange", cidrAddress: "2001:0:9d38:90d6:0:0:0:0/63" },
        { "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "12.34.221.11/22" },
      ],
    },
    name: "corporate-network",
    id: IDS.corporateNetwork,
    spec: {
      "@odata.type": "#microsoft.graph.ipNamedLocation",
      displayName: "Corporate network",
      isTrusted: true,
      ipRanges: [
        { "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "12.34.221.11/22" },
        { "@odata.type": "#microsoft.graph.iPv6CidrRange", cidrAddress: "2001:0:9d38:90d6:0:0:0:0/63" },
      ],
    },
  },
  {
    kind: "authenticationContextClassReference",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/authenticationContextClassReferences/$entity",
      id: "c1",
      displayName: "Sensitive apps",
      description: "Step-up for apps holding payroll data",
      isAvailable: true,
    },
    name: "sensitive-apps",
    id: "c1",
    spec: { id: "c1", displayName: "Sensitive apps", description: "Step-up for apps holding payroll data", isAvailable: true },
  },
  {
    kind: "authenticationStrengthPolicy",
    live: {
      "@odata.type": "authenticationStrengthPolicy",
      id: IDS.contosoStrength,
      createdDateTime: "2022-09-30T10:59:01Z",
      modifiedDateTime: "2022-09-30T10:59:01Z",
      displayName: "Contoso authentication level",
      description: "The only authentication level allowed to access our secret apps",
      policyType: "custom",
      requirementsSatisfied: "mfa",
      allowedCombinations: ["password, sms", "password, hardwareOath"],
      combinationConfigurations: [],
    },
    name: "contoso-authentication-level",
    id: IDS.contosoStrength,
    spec: {
      displayName: "Contoso authentication level",
      description: "The only authentication level allowed to access our secret apps",
      allowedCombinations: ["hardwareOath,password", "password,sms"],
    },
  },
  {
    kind: "authorizationPolicy",
    live: {
      "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity",
      id: "authorizationPolicy",
      allowInvitesFrom: "everyone",
      allowedToSignUpEmailBasedSubscriptions: true,
      allowedToUseSSPR: true,
      allowEmailVerifiedUsersToJoinOrganization: true,
      allowUserConsentForRiskyApps: false,
      blockMsolPowerShell: null,
      displayName: "Authorization Policy",
      description: "Used to manage authorization related settings across the company.",
      guestUserRoleId: "2af84b1e-32c8-42b7-82bc-daa82404023b",
      defaultUserRolePermissions: {
        allowedToCreateApps: true,
        allowedToCreateSecurityGroups: true,
        allowedToReadOtherUsers: true,
        permissionGrantPoliciesAssigned: ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy", "just-user-read"],
      },
    },
    name: "default",
    id: "authorizationPolicy",
    spec: {
      allowInvitesFrom: "everyone",
      allowedToSignUpEmailBasedSubscriptions: true,
      allowedToUseSSPR: true,
      allowEmailVerifiedUsersToJoinOrganization: true,
      allowUserConsentForRiskyApps: false,
      guestUserRoleId: "role:Restricted Guest User",
      defaultUserRolePermissions: {
        allowedToCreateApps: true,
        allowedToCreateSecurityGroups: true,
        allowedToReadOtherUsers: true,
        permissionGrantPoliciesAssigned: ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy", "just-user-read"],
      },
    },
  },
];
