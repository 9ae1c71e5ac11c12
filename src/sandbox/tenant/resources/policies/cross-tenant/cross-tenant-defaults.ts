/**
 * Cross-tenant access settings as a new tenant has them: the service default (inbound and outbound
 * B2B collaboration allowed for everyone, B2B direct connect blocked, no inbound trust), and the
 * shape a partner configuration reads back with (unset blocks `null`).
 */
type Json = Record<string, unknown>;

function b2b(accessType: "allowed" | "blocked"): Json {
  return {
    usersAndGroups: { accessType, targets: [{ target: "AllUsers", targetType: "user" }] },
    applications: { accessType, targets: [{ target: "AllApplications", targetType: "application" }] },
  };
}

export function serviceDefaultConfiguration(): Json {
  return {
    isServiceDefault: true,
    inboundTrust: { isMfaAccepted: false, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false },
    automaticUserConsentSettings: { inboundAllowed: false, outboundAllowed: false },
    invitationRedemptionIdentityProviderConfiguration: {
      primaryIdentityProviderPrecedenceOrder: ["azureActiveDirectory", "externalFederation", "socialIdentityProviders"],
      fallbackIdentityProvider: "defaultConfiguredIdp",
    },
    b2bCollaborationOutbound: b2b("allowed"),
    b2bCollaborationInbound: b2b("allowed"),
    b2bDirectConnectOutbound: b2b("blocked"),
    b2bDirectConnectInbound: b2b("blocked"),
    tenantRestrictions: {
      devices: null,
      usersAndGroups: { accessType: "blocked", targets: [{ target: "AllUsers", targetType: "user" }] },
      applications: { accessType: "blocked", targets: [{ target: "AllApplications", targetType: "application" }] },
    },
  };
}

export function crossTenantRoot(): Json {
  return { id: "crossTenantAccessPolicy", displayName: "CrossTenantAccessPolicy", allowedCloudEndpoints: [] };
}

/** Partner properties Graph returns as `null` / `false` when they were never set. */
export function partnerDefaults(): Json {
  return {
    isServiceProvider: null,
    isInMultiTenantOrganization: false,
    inboundTrust: null,
    automaticUserConsentSettings: { inboundAllowed: null, outboundAllowed: null },
    b2bCollaborationInbound: null,
    b2bCollaborationOutbound: null,
    b2bDirectConnectInbound: null,
    b2bDirectConnectOutbound: null,
    tenantRestrictions: null,
  };
}
