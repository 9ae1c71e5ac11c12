/**
 * Properties Graph's beta endpoint defines on top of v1.0 for the policy resources (hand-written from
 * the beta reference pages and the beta exports in the corpus; no beta CSDL is shipped). `any` means the
 * sandbox stores the value as given without checking its inner shape.
 */
export const BETA_PROPERTIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  conditionalAccessPolicy: { partialEnablementStrategy: "any" },
  conditionalAccessConditionSet: {
    times: "any",
    deviceStates: "any",
    agents: "any",
    agentContext: "any",
    agentIdRiskLevels: "any",
  },
  conditionalAccessApplications: {
    globalSecureAccess: "any",
    networkAccess: "any",
    includeProtectionLevels: "Collection(Edm.String)",
  },
  conditionalAccessClientApplications: {
    includeAgentIdServicePrincipals: "Collection(Edm.String)",
    excludeAgentIdServicePrincipals: "Collection(Edm.String)",
    agentIdServicePrincipalFilter: "conditionalAccessFilter",
  },
  conditionalAccessDevices: {
    includeDeviceStates: "Collection(Edm.String)",
    excludeDeviceStates: "Collection(Edm.String)",
    includeDevices: "Collection(Edm.String)",
    excludeDevices: "Collection(Edm.String)",
  },
  conditionalAccessSessionControls: {
    continuousAccessEvaluation: "any",
    blockSensitiveActions: "any",
    globalSecureAccessFilteringProfile: "any",
    networkAccessSecurity: "any",
  },
  conditionalAccessGrantControls: {},
};

/** Beta-only members of enums that v1.0 also has (UNVERIFIED beyond the beta reference pages). */
export const BETA_ENUM_MEMBERS: Readonly<Record<string, readonly string[]>> = {};
