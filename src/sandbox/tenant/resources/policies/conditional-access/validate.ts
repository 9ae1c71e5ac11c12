/**
 * The Conditional Access service's own rules, applied after the body matched the schema: required
 * conditions, sentinels versus object ids, references to objects that exist, and control combinations.
 * Pure: the store is reached only through `ReferenceLookup`.
 */
import type { GraphHttpError } from "../../../core/errors.js";
import { isGuid, type ReferenceKind, type ReferenceLookup } from "../references.js";
import { applicationsAndUserActions, invalidValue, schemaMismatch, validationFailed, type InvalidValueKind } from "./errors.js";

type Json = Record<string, unknown>;

export const USER_SENTINELS = ["All", "None", "GuestsOrExternalUsers"] as const;
export const APPLICATION_SENTINELS = ["All", "None", "Office365", "MicrosoftAdminPortals", "AllAgentIdResources"] as const;
export const LOCATION_SENTINELS = ["All", "AllTrusted"] as const;
export const USER_ACTIONS = ["urn:user:registersecurityinfo", "urn:user:registerdevice"] as const;
/** The legacy "MFA trusted IPs" location, accepted wherever a named location id is. */
export const MFA_TRUSTED_IPS_LOCATION = "00000000-0000-0000-0000-000000000000";
export const SERVICE_PRINCIPAL_SENTINELS = ["ServicePrincipalsInMyTenant", "All", "None"] as const;

function obj(value: unknown): Json | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

class Refusal extends Error {
  constructor(readonly error: GraphHttpError) {
    super(error.message);
  }
}

function refuse(error: GraphHttpError): never {
  throw new Refusal(error);
}

function checkIds(values: string[], sentinels: readonly string[], kind: InvalidValueKind, ref: ReferenceKind | undefined, refs: ReferenceLookup): void {
  for (const value of values) {
    if (sentinels.includes(value)) continue;
    if (!isGuid(value)) refuse(invalidValue(kind, value));
    if (ref && !refs.exists(ref, value.toLowerCase())) refuse(invalidValue(kind, value));
  }
}

function checkUsers(users: Json | undefined, clientApps: Json | undefined, refs: ReferenceLookup): void {
  const servicePrincipals = strings(clientApps?.["includeServicePrincipals"]);
  if (!users) {
    if (servicePrincipals.length === 0) refuse(validationFailed("MissingUsersCondition"));
    return;
  }
  checkIds(strings(users["includeUsers"]), USER_SENTINELS, "user", "user", refs);
  checkIds(strings(users["excludeUsers"]), ["GuestsOrExternalUsers"], "user", "user", refs);
  checkIds(strings(users["includeGroups"]), [], "group", "group", refs);
  checkIds(strings(users["excludeGroups"]), [], "group", "group", refs);
  checkIds(strings(users["includeRoles"]), [], "role", "directoryRoleTemplate", refs);
  checkIds(strings(users["excludeRoles"]), [], "role", "directoryRoleTemplate", refs);
  const included =
    strings(users["includeUsers"]).length +
    strings(users["includeGroups"]).length +
    strings(users["includeRoles"]).length +
    (obj(users["includeGuestsOrExternalUsers"]) ? 1 : 0);
  if (included === 0 && servicePrincipals.length === 0) refuse(validationFailed("MissingUsersCondition"));
}

function checkApplications(apps: Json | undefined, refs: ReferenceLookup): void {
  if (!apps) refuse(validationFailed("MissingApplicationsCondition"));
  const include = strings(apps["includeApplications"]);
  const actions = strings(apps["includeUserActions"]);
  const contexts = strings(apps["includeAuthenticationContextClassReferences"]);
  if (include.length > 0 && (actions.length > 0 || strings(apps["includeProtectionLevels"]).length > 0)) refuse(applicationsAndUserActions());
  if (include.length === 0 && actions.length === 0 && contexts.length === 0 && !obj(apps["globalSecureAccess"]) && !obj(apps["networkAccess"])) {
    refuse(validationFailed("MissingApplicationsCondition"));
  }
  // An appId names an application through its service principal in this tenant; one with none is refused.
  checkIds(include, APPLICATION_SENTINELS, "application", "servicePrincipalAppId", refs);
  checkIds(strings(apps["excludeApplications"]), ["Office365", "MicrosoftAdminPortals"], "application", "servicePrincipalAppId", refs);
  for (const action of actions) {
    if (!(USER_ACTIONS as readonly string[]).includes(action.toLowerCase())) refuse(validationFailed("InvalidUserAction"));
  }
  for (const context of contexts) {
    if (!refs.exists("authenticationContextClassReference", context)) refuse(invalidValue("authenticationContext", context));
  }
}

function checkLocations(locations: Json | undefined, refs: ReferenceLookup): void {
  if (!locations) return;
  for (const key of ["includeLocations", "excludeLocations"]) {
    for (const value of strings(locations[key])) {
      if ((LOCATION_SENTINELS as readonly string[]).includes(value) || value === MFA_TRUSTED_IPS_LOCATION) continue;
      if (!isGuid(value) || !refs.exists("namedLocation", value.toLowerCase())) refuse(invalidValue("location", value));
    }
  }
  if (strings(locations["includeLocations"]).length === 0) refuse(validationFailed("InvalidLocationsCondition"));
}

function checkClientApplications(clientApps: Json | undefined, refs: ReferenceLookup): void {
  if (!clientApps) return;
  for (const key of ["includeServicePrincipals", "excludeServicePrincipals"]) {
    checkIds(strings(clientApps[key]), SERVICE_PRINCIPAL_SENTINELS, "servicePrincipal", "servicePrincipal", refs);
  }
}

function checkGrant(grant: Json | undefined, session: Json | undefined, conditions: Json, refs: ReferenceLookup): void {
  const sessionSet = session !== undefined && Object.values(session).some((v) => v !== null && v !== undefined);
  if (!grant) {
    if (!sessionSet) refuse(validationFailed("MissingGrantOrSessionControls"));
    return;
  }
  const controls = strings(grant["builtInControls"]);
  const strength = obj(grant["authenticationStrength"]);
  const extra = strings(grant["termsOfUse"]).length + strings(grant["customAuthenticationFactors"]).length + (strength ? 1 : 0);
  if (controls.length + extra === 0) {
    if (!sessionSet) refuse(validationFailed("MissingGrantOrSessionControls"));
    return;
  }
  const operator = grant["operator"];
  if (operator !== "AND" && operator !== "OR") refuse(schemaMismatch());
  if (controls.includes("block") && controls.length + extra > 1) refuse(validationFailed("InvalidBlockControl"));
  if (strength) {
    const id = strength["id"];
    if (typeof id !== "string" || !refs.exists("authenticationStrengthPolicy", id.toLowerCase())) refuse(invalidValue("authenticationStrength", String(id)));
    if (controls.includes("mfa")) refuse(validationFailed("InvalidAuthenticationStrengthControl"));
  }
  // Terms of use are named by their agreement ids (docs/graph-behaviour.md, terms of use).
  for (const id of strings(grant["termsOfUse"])) {
    if (!isGuid(id) || !refs.exists("agreement", id.toLowerCase())) refuse(invalidValue("termsOfUse", id));
  }
  if (controls.includes("passwordChange")) {
    const apps = strings(obj(conditions["applications"])?.["includeApplications"]);
    const strongAuth = controls.includes("mfa") || strength !== undefined;
    if (operator !== "AND" || !strongAuth || apps.length !== 1 || apps[0] !== "All") refuse(validationFailed("InvalidPasswordResetControl"));
  }
}

function checkSession(session: Json | undefined): void {
  const frequency = obj(session?.["signInFrequency"]);
  if (!frequency || frequency["isEnabled"] === false) return;
  if (frequency["frequencyInterval"] === "everyTime") return;
  const value = frequency["value"];
  const type = frequency["type"];
  if (typeof value !== "number" || (type !== "hours" && type !== "days")) refuse(validationFailed("InvalidSignInFrequency"));
  if ((type === "hours" && (value < 1 || value > 24)) || (type === "days" && (value < 1 || value > 365))) {
    refuse(validationFailed("InvalidSignInFrequency"));
  }
}

/** Returns the first rule the policy breaks, or undefined when Graph would accept it. */
export function conditionalAccessRuleError(policy: Json, refs: ReferenceLookup): GraphHttpError | undefined {
  try {
    if (typeof policy["displayName"] !== "string" || policy["displayName"].trim() === "") refuse(schemaMismatch());
    if (typeof policy["state"] !== "string") refuse(schemaMismatch());
    const conditions = obj(policy["conditions"]);
    if (!conditions) refuse(schemaMismatch());
    const clientApps = obj(conditions["clientApplications"]);
    checkUsers(obj(conditions["users"]), clientApps, refs);
    checkApplications(obj(conditions["applications"]), refs);
    checkLocations(obj(conditions["locations"]), refs);
    checkClientApplications(clientApps, refs);
    const session = obj(policy["sessionControls"]);
    checkGrant(obj(policy["grantControls"]), session, conditions, refs);
    checkSession(session);
    return undefined;
  } catch (error) {
    if (error instanceof Refusal) return error.error;
    throw error;
  }
}
