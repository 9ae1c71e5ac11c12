/**
 * The body of `POST /identity/conditionalAccess/evaluate` (v1.0: `signInIdentity`, `signInContext`,
 * `signInConditions`, `appliedPoliciesOnly`; docs/graph-behaviour.md §15), read into the sign-in the
 * What If evaluator works on. Anything Graph's model does not allow is a 400 naming the parameter.
 */
import { isRecord } from "../../../../core/entity.js";
import { badRequest } from "../../../../core/errors.js";

export type WhatIfIdentity =
  | { kind: "user"; userId: string; externalUserType?: string; externalTenantId?: string }
  | { kind: "servicePrincipal"; servicePrincipalId: string };

export type WhatIfContext =
  | { kind: "application"; appIds: string[] }
  | { kind: "userAction"; action: "registerSecurityInformation" | "registerOrJoinDevices" }
  | { kind: "authenticationContext"; value: string };

export interface WhatIfConditions {
  /** Absent: the platform is not known (only "any device platform" matches it). */
  devicePlatform?: string;
  /** Absent: the client app is not known (only a policy without a client apps condition matches it). */
  clientAppType?: string;
  country?: string;
  ipAddress?: string;
  signInRiskLevel: string;
  userRiskLevel: string;
  servicePrincipalRiskLevel: string;
  insiderRiskLevel: string;
  transferMethod: string;
  /** deviceInfo's properties as sent; an unregistered device sends none. */
  device: Record<string, unknown>;
}

export interface WhatIfRequest {
  identity: WhatIfIdentity;
  context: WhatIfContext;
  conditions: WhatIfConditions;
  appliedPoliciesOnly: boolean;
}

const PLATFORMS = ["android", "iOS", "windows", "windowsPhone", "macOS", "linux", "all"];
const CLIENT_APPS = ["all", "browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "easSupported", "other"];
const RISK = ["low", "medium", "high", "hidden", "none"];
const INSIDER_RISK = ["none", "minor", "moderate", "elevated"];
const TRANSFER = ["none", "deviceCodeFlow", "authenticationTransfer"];
const GUEST_TYPES = ["none", "internalGuest", "b2bCollaborationGuest", "b2bCollaborationMember", "b2bDirectConnectUser", "otherExternalUser", "serviceProvider"];
const USER_ACTIONS = ["registerSecurityInformation", "registerOrJoinDevices"];

function invalid(parameter: string, value: unknown): never {
  throw badRequest(`Invalid value '${typeof value === "string" ? value : JSON.stringify(value)}' for parameter '${parameter}'.`, "BadRequest");
}

function odataType(value: Record<string, unknown>, parameter: string): string {
  const type = value["@odata.type"];
  if (typeof type !== "string") throw badRequest(`The parameter '${parameter}' needs an '@odata.type' naming its derived type.`, "BadRequest");
  return type.replace(/^#/, "").replace(/^microsoft\.graph\./i, "").toLowerCase();
}

/** One enum member (case-insensitive, returned as Graph spells it), or undefined when absent. */
function member(value: unknown, allowed: readonly string[], parameter: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const found = typeof value === "string" ? allowed.find((a) => a.toLowerCase() === value.toLowerCase()) : undefined;
  return found ?? invalid(parameter, value);
}

function text(value: unknown, parameter: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === "string" ? value : invalid(parameter, value);
}

function identityOf(value: unknown): WhatIfIdentity {
  if (!isRecord(value)) throw badRequest("The parameter 'signInIdentity' is required.", "BadRequest");
  const type = odataType(value, "signInIdentity");
  if (type === "usersignin") {
    const userId = text(value["userId"], "signInIdentity.userId");
    if (!userId) throw badRequest("The parameter 'signInIdentity.userId' is required.", "BadRequest");
    const externalUserType = member(value["externalUserType"], GUEST_TYPES, "signInIdentity.externalUserType");
    const externalTenantId = text(value["externalTenantId"], "signInIdentity.externalTenantId");
    return { kind: "user", userId, ...(externalUserType ? { externalUserType } : {}), ...(externalTenantId ? { externalTenantId } : {}) };
  }
  if (type === "serviceprincipalsignin") {
    const servicePrincipalId = text(value["servicePrincipalId"], "signInIdentity.servicePrincipalId");
    if (!servicePrincipalId) throw badRequest("The parameter 'signInIdentity.servicePrincipalId' is required.", "BadRequest");
    return { kind: "servicePrincipal", servicePrincipalId };
  }
  return invalid("signInIdentity.@odata.type", value["@odata.type"]);
}

function contextOf(value: unknown): WhatIfContext {
  if (!isRecord(value)) throw badRequest("The parameter 'signInContext' is required.", "BadRequest");
  const type = odataType(value, "signInContext");
  if (type === "applicationcontext") {
    const apps = value["includeApplications"];
    if (!Array.isArray(apps) || apps.length === 0 || apps.some((a) => typeof a !== "string")) return invalid("signInContext.includeApplications", apps);
    return { kind: "application", appIds: apps as string[] };
  }
  if (type === "useractioncontext") {
    const action = member(value["userAction"], USER_ACTIONS, "signInContext.userAction");
    if (!action) throw badRequest("The parameter 'signInContext.userAction' is required.", "BadRequest");
    return { kind: "userAction", action: action as "registerSecurityInformation" | "registerOrJoinDevices" };
  }
  if (type === "authcontext") {
    const ref = text(value["authenticationContextValue"], "signInContext.authenticationContextValue");
    if (!ref) throw badRequest("The parameter 'signInContext.authenticationContextValue' is required.", "BadRequest");
    return { kind: "authenticationContext", value: ref };
  }
  return invalid("signInContext.@odata.type", value["@odata.type"]);
}

function conditionsOf(value: unknown): WhatIfConditions {
  if (!isRecord(value)) throw badRequest("The parameter 'signInConditions' is required.", "BadRequest");
  const flow = value["authenticationFlow"];
  if (flow !== undefined && flow !== null && !isRecord(flow)) invalid("signInConditions.authenticationFlow", flow);
  const device = value["deviceInfo"];
  if (device !== undefined && device !== null && !isRecord(device)) invalid("signInConditions.deviceInfo", device);
  const platform = member(value["devicePlatform"], PLATFORMS, "signInConditions.devicePlatform");
  const clientApp = member(value["clientAppType"], CLIENT_APPS, "signInConditions.clientAppType");
  const country = text(value["country"], "signInConditions.country");
  const ip = text(value["ipAddress"], "signInConditions.ipAddress");
  return {
    // `all` names no platform and no client app: the sign-in's own is not known.
    ...(platform && platform !== "all" ? { devicePlatform: platform } : {}),
    ...(clientApp && clientApp !== "all" ? { clientAppType: clientApp } : {}),
    ...(country ? { country } : {}),
    ...(ip ? { ipAddress: ip } : {}),
    signInRiskLevel: member(value["signInRiskLevel"], RISK, "signInConditions.signInRiskLevel") ?? "none",
    userRiskLevel: member(value["userRiskLevel"], RISK, "signInConditions.userRiskLevel") ?? "none",
    servicePrincipalRiskLevel: member(value["servicePrincipalRiskLevel"], RISK, "signInConditions.servicePrincipalRiskLevel") ?? "none",
    insiderRiskLevel: member(value["insiderRiskLevel"], INSIDER_RISK, "signInConditions.insiderRiskLevel") ?? "none",
    transferMethod: (isRecord(flow) ? member(flow["transferMethod"], TRANSFER, "signInConditions.authenticationFlow.transferMethod") : undefined) ?? "none",
    device: isRecord(device) ? Object.fromEntries(Object.entries(device).filter(([k]) => !k.startsWith("@odata"))) : {},
  };
}

export function readWhatIfRequest(body: unknown): WhatIfRequest {
  if (!isRecord(body)) throw badRequest("The request body must be a JSON object with signInIdentity, signInContext and signInConditions.", "BadRequest");
  const appliedPoliciesOnly = body["appliedPoliciesOnly"];
  if (appliedPoliciesOnly !== undefined && appliedPoliciesOnly !== null && typeof appliedPoliciesOnly !== "boolean") invalid("appliedPoliciesOnly", appliedPoliciesOnly);
  return {
    identity: identityOf(body["signInIdentity"]),
    context: contextOf(body["signInContext"]),
    conditions: conditionsOf(body["signInConditions"]),
    appliedPoliciesOnly: appliedPoliciesOnly === true,
  };
}
