/**
 * Properties Graph's beta API defines that the v1.0 CSDL lacks, accepted in documents of beta kinds
 * (docs/design.md §2: "unknown properties are errors, except those Graph's beta API defines"). The list is
 * deliberately explicit: each entry was seen in real beta exports (corpus j0eyv) or in the beta
 * reference docs. Shapes are kept loose where the beta type is still moving.
 */
import type { JsonObject } from "../model/document.js";
import type { Kind } from "../model/kind.js";

export interface BetaProperty {
  /** Dotted path from the spec root. */
  path: string;
  schema: JsonObject;
  description: string;
}

const anyObject: JsonObject = { type: ["object", "null"] };
const stringList: JsonObject = { type: "array", items: { type: "string" } };

const BETA_PROPERTIES: Partial<Record<Kind, readonly BetaProperty[]>> = {
  conditionalAccessPolicy: [
    { path: "partialEnablementStrategy", schema: { type: ["string", "null"] }, description: "staged rollout of a policy." },
    { path: "conditions.times", schema: anyObject, description: "time-of-day condition (conditionalAccessTimes)." },
    { path: "conditions.deviceStates", schema: anyObject, description: "legacy device state condition, superseded by devices.deviceFilter." },
    { path: "conditions.agents", schema: anyObject, description: "agent identities condition (conditionalAccessAgents)." },
    { path: "conditions.agentIdRiskLevels", schema: { type: ["string", "null"] }, description: "risk levels of agent identities (flag enum)." },
    { path: "conditions.agentContext", schema: anyObject, description: "agent context condition." },
    { path: "conditions.clientApplications.includeAgentIdServicePrincipals", schema: stringList, description: "agent identity service principals included." },
    { path: "conditions.clientApplications.excludeAgentIdServicePrincipals", schema: stringList, description: "agent identity service principals excluded." },
    { path: "conditions.clientApplications.agentIdServicePrincipalFilter", schema: anyObject, description: "filter on agent identity service principals." },
    { path: "conditions.applications.includeProtectionLevels", schema: stringList, description: "protection levels of the resources included." },
    { path: "conditions.devices.includeDeviceStates", schema: stringList, description: "legacy device states included." },
    { path: "conditions.devices.excludeDeviceStates", schema: stringList, description: "legacy device states excluded." },
    { path: "conditions.devices.includeDevices", schema: stringList, description: "legacy device platforms included." },
    { path: "conditions.devices.excludeDevices", schema: stringList, description: "legacy device platforms excluded." },
    { path: "conditions.applications.applicationFilter", schema: anyObject, description: "filter on custom security attributes of applications." },
    { path: "conditions.applications.globalSecureAccess", schema: anyObject, description: "Global Secure Access traffic profiles." },
    { path: "conditions.applications.networkAccess", schema: anyObject, description: "Global Secure Access traffic profiles (older name)." },
    { path: "conditions.users.includeGuestsOrExternalUsers", schema: anyObject, description: "guest and external user types included." },
    { path: "conditions.users.excludeGuestsOrExternalUsers", schema: anyObject, description: "guest and external user types excluded." },
    { path: "grantControls.authenticationStrength", schema: anyObject, description: "authentication strength (an object with id)." },
    { path: "sessionControls.continuousAccessEvaluation", schema: anyObject, description: "continuous access evaluation mode." },
    { path: "sessionControls.blockSensitiveActions", schema: anyObject, description: "blocks sensitive actions in the session." },
    { path: "sessionControls.networkAccessSecurity", schema: anyObject, description: "Global Secure Access security profile." },
    { path: "sessionControls.globalSecureAccessFilteringProfile", schema: anyObject, description: "Global Secure Access filtering profile." },
  ],
};

/**
 * The committed schema file of a kind's documents: `<kind>.schema.json` (Graph v1.0), or for a kind
 * managed through beta that has beta properties, `<kind>.beta.schema.json`.
 */
export function schemaFileName(kind: Kind, version: "v1.0" | "beta" = "v1.0"): string {
  return version === "beta" && betaPropertiesFor(kind).length > 0 ? `${kind}.beta.schema.json` : `${kind}.schema.json`;
}

export function betaPropertiesFor(kind: Kind): readonly BetaProperty[] {
  return BETA_PROPERTIES[kind] ?? [];
}

/** Whether `path` (dotted from the spec root, no indexes) is a known beta property of `kind`. */
export function isBetaProperty(kind: Kind, path: string): boolean {
  return betaPropertiesFor(kind).some((b) => b.path === path);
}
