/**
 * The tenant-wide settings objects as a new Entra tenant has them (shapes from the Graph reference
 * pages' GET examples). Returned fresh each call so callers may mutate them.
 */

export const GUEST_ROLE_IDS = {
  user: "a0b1b346-4d3e-4e8b-98f8-753987be4970",
  guestUser: "10dae51f-b6af-4016-8d66-8c2a99b929b3",
  restrictedGuestUser: "2af84b1e-32c8-42b7-82bc-daa82404023b",
} as const;

export function defaultAuthorizationPolicy(): Record<string, unknown> {
  return {
    id: "authorizationPolicy",
    allowInvitesFrom: "everyone",
    allowedToSignUpEmailBasedSubscriptions: true,
    allowedToUseSSPR: true,
    allowEmailVerifiedUsersToJoinOrganization: true,
    allowUserConsentForRiskyApps: false,
    blockMsolPowerShell: null,
    displayName: "Authorization Policy",
    description: "Used to manage authorization related settings across the company.",
    guestUserRoleId: GUEST_ROLE_IDS.guestUser,
    defaultUserRolePermissions: {
      allowedToCreateApps: true,
      allowedToCreateSecurityGroups: true,
      allowedToCreateTenants: true,
      allowedToReadBitlockerKeysForOwnedDevice: true,
      allowedToReadOtherUsers: true,
      permissionGrantPoliciesAssigned: ["ManagePermissionGrantsForSelf.microsoft-user-default-legacy"],
    },
  };
}

const ALL_USERS_TARGET = { targetType: "group", id: "all_users", isRegistrationRequired: false };

/** Method configurations keyed by their Graph id, each with its `@odata.type`. */
export function defaultMethodConfigurations(): Record<string, unknown>[] {
  const method = (id: string, type: string, state: string, extra: Record<string, unknown>, targets: unknown[] = [ALL_USERS_TARGET]) => ({
    "@odata.type": `#microsoft.graph.${type}AuthenticationMethodConfiguration`,
    id,
    state,
    excludeTargets: [],
    ...extra,
    includeTargets: targets,
  });
  return [
    method("Fido2", "fido2", "disabled", { isSelfServiceRegistrationAllowed: true, isAttestationEnforced: false, keyRestrictions: { isEnforced: false, enforcementType: "block", aaGuids: [] } }),
    method("MicrosoftAuthenticator", "microsoftAuthenticator", "enabled", {
      isSoftwareOathEnabled: false,
      featureSettings: {
        displayAppInformationRequiredState: { state: "default", includeTarget: { targetType: "group", id: "all_users" }, excludeTarget: { targetType: "group", id: "00000000-0000-0000-0000-000000000000" } },
        displayLocationInformationRequiredState: { state: "default", includeTarget: { targetType: "group", id: "all_users" }, excludeTarget: { targetType: "group", id: "00000000-0000-0000-0000-000000000000" } },
      },
    }, [{ ...ALL_USERS_TARGET, authenticationMode: "any" }]),
    method("Sms", "sms", "disabled", {}, [{ ...ALL_USERS_TARGET, isUsableForSignIn: true }]),
    method("TemporaryAccessPass", "temporaryAccessPass", "disabled", { defaultLifetimeInMinutes: 60, defaultLength: 8, minimumLifetimeInMinutes: 60, maximumLifetimeInMinutes: 480, isUsableOnce: false }),
    method("SoftwareOath", "softwareOath", "disabled", {}),
    method("Email", "email", "enabled", { allowExternalIdToUseEmailOtp: "default" }, []),
    method("Voice", "voice", "disabled", { isOfficePhoneAllowed: false }),
    method("X509Certificate", "x509Certificate", "disabled", {
      certificateUserBindings: [
        { x509CertificateField: "PrincipalName", userProperty: "onPremisesUserPrincipalName", priority: 1 },
        { x509CertificateField: "RFC822Name", userProperty: "userPrincipalName", priority: 2 },
      ],
      authenticationModeConfiguration: { x509CertificateAuthenticationDefaultMode: "x509CertificateSingleFactor", rules: [] },
      crlValidationConfiguration: { state: "disabled", exemptedCertificateAuthoritiesSubjectKeyIdentifiers: [] },
    }),
  ];
}

export const METHOD_CONFIGURATION_IDS = ["Fido2", "MicrosoftAuthenticator", "Sms", "TemporaryAccessPass", "SoftwareOath", "Email", "Voice", "X509Certificate"] as const;

export function defaultAuthenticationMethodsPolicy(nowIso: string): Record<string, unknown> {
  return {
    id: "authenticationMethodsPolicy",
    displayName: "Authentication Methods Policy",
    description:
      "The tenant-wide policy that controls which authentication methods are allowed in the tenant, authentication method registration requirements, and self-service password reset settings",
    lastModifiedDateTime: nowIso,
    policyVersion: "1.5",
    reconfirmationInDays: 0,
    policyMigrationState: "migrationComplete",
    registrationEnforcement: {
      authenticationMethodsRegistrationCampaign: {
        snoozeDurationInDays: 1,
        state: "default",
        excludeTargets: [],
        includeTargets: [{ id: "all_users", targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" }],
      },
    },
  };
}
