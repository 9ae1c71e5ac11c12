/**
 * The sandbox's own What If evaluator (independent of the engine's, so a cross-check between the
 * two can catch a shared misreading): does one stored Conditional Access policy apply to one
 * sign-in, and if not, every `whatIfAnalysisReasons` member that says why (docs/graph-behaviour.md
 * §15). Policies are read as Graph stores them (ids, sentinels, flag enums as comma-joined text).
 *
 * Rules, from Microsoft Learn's Conditional Access pages: a policy applies when every condition it
 * configures matches; inside each condition an exclusion wins over an inclusion; report-only
 * policies are evaluated like enabled ones (What If shows them), disabled ones never apply
 * (`policyNotEnabled`).
 */
import { isRecord } from "../../../../core/entity.js";
import { compileMembershipRule } from "../../../membership-rule.js";
import { ADMIN_PORTAL_APP_IDS, OFFICE_365_APP_IDS } from "../../../../../../facts/app-suites.js";
import type { WhatIfRequest } from "./request.js";
import type { SignInFacts } from "./sign-in-facts.js";

type Json = Record<string, unknown>;

/** A named location as stored (`ipNamedLocation` or `countryNamedLocation`). */
export type LocationLookup = (id: string) => Json | undefined;

/** `whatIfAnalysisReasons` members in the enum's order (it is a flags enum: several can be given). */
const REASON_ORDER = ["notEnoughInformation", "invalidCondition", "users", "workloadIdentities", "application", "userActions", "authenticationContext", "devicePlatform", "devices", "clientApps", "location", "signInRisk", "emptyPolicy", "invalidPolicy", "policyNotEnabled", "userRisk", "time", "insiderRisk", "authenticationFlow"];

const USER_ACTION_URNS: Record<string, string> = { registerSecurityInformation: "urn:user:registersecurityinfo", registerOrJoinDevices: "urn:user:registerdevice" };

const ALL_GUEST_TYPES = ["internalGuest", "b2bCollaborationGuest", "b2bCollaborationMember", "b2bDirectConnectUser", "otherExternalUser", "serviceProvider"];

const record = (v: unknown): Json | undefined => (isRecord(v) ? v : undefined);
const lowerList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").map((x) => x.toLowerCase()) : []);
/** A flag enum stored as `a,b` (or, from older bodies, a list). */
const flagList = (v: unknown): string[] => (typeof v === "string" ? v.split(",").map((x) => x.trim().toLowerCase()).filter(Boolean) : lowerList(v));

/** Whether a user of this guest type and home tenant is in a `conditionalAccessGuestsOrExternalUsers` block. */
function inGuestBlock(block: Json | undefined, guestType: string, tenant: string | undefined): boolean {
  if (!block || guestType === "none") return false;
  if (!flagList(block["guestOrExternalUserTypes"]).includes(guestType.toLowerCase())) return false;
  const tenants = record(block["externalTenants"]);
  if (!tenants || tenants["membershipKind"] !== "enumerated") return true;
  return tenant !== undefined && lowerList(tenants["members"]).includes(tenant);
}

function usersApply(conditions: Json, facts: SignInFacts): boolean {
  if (facts.kind !== "user") return true;
  const users = record(conditions["users"]) ?? {};
  const isGuest = facts.guestType !== "none" && ALL_GUEST_TYPES.map((t) => t.toLowerCase()).includes(facts.guestType.toLowerCase());
  const named = (list: string[]): boolean => list.includes(facts.id) || (isGuest && list.includes("guestsorexternalusers"));
  const inGroups = (list: string[]): boolean => list.some((g) => facts.groups.has(g));
  const inRoles = (list: string[]): boolean => list.some((r) => facts.roles.has(r));
  const excluded =
    named(lowerList(users["excludeUsers"])) ||
    inGroups(lowerList(users["excludeGroups"])) ||
    inRoles(lowerList(users["excludeRoles"])) ||
    inGuestBlock(record(users["excludeGuestsOrExternalUsers"]), facts.guestType, facts.externalTenantId);
  if (excluded) return false;
  const includeUsers = lowerList(users["includeUsers"]);
  return (
    includeUsers.includes("all") ||
    named(includeUsers) ||
    inGroups(lowerList(users["includeGroups"])) ||
    inRoles(lowerList(users["includeRoles"])) ||
    inGuestBlock(record(users["includeGuestsOrExternalUsers"]), facts.guestType, facts.externalTenantId)
  );
}

/** A workload-identity policy names service principals; the others are for users only. */
function targetsWorkloadIdentities(conditions: Json): boolean {
  const clients = record(conditions["clientApplications"]);
  return clients !== undefined && (lowerList(clients["includeServicePrincipals"]).length > 0 || record(clients["servicePrincipalFilter"]) !== undefined);
}

function workloadApplies(conditions: Json, facts: SignInFacts): boolean {
  if (facts.kind !== "servicePrincipal") return true;
  const clients = record(conditions["clientApplications"]) ?? {};
  if (lowerList(clients["excludeServicePrincipals"]).some((id) => facts.ids.has(id))) return false;
  const include = lowerList(clients["includeServicePrincipals"]);
  // A service principal filter reads custom security attributes, which the sandbox does not hold.
  if (include.length === 0) return false;
  return (include.includes("serviceprincipalsinmytenant") && facts.ownedByTenant) || include.some((id) => facts.ids.has(id));
}

function appInSet(appId: string, list: readonly string[]): boolean {
  const id = appId.toLowerCase();
  return list.includes(id) || (list.includes("office365") && OFFICE_365_APP_IDS.has(id)) || (list.includes("microsoftadminportals") && ADMIN_PORTAL_APP_IDS.has(id));
}

/** The reason a target (application, user action, authentication context) does not match, or undefined. */
function targetReason(conditions: Json, request: WhatIfRequest): string | undefined {
  const apps = record(conditions["applications"]) ?? {};
  const context = request.context;
  if (context.kind === "userAction") return lowerList(apps["includeUserActions"]).includes(USER_ACTION_URNS[context.action] ?? "") ? undefined : "userActions";
  if (context.kind === "authenticationContext") return lowerList(apps["includeAuthenticationContextClassReferences"]).includes(context.value.toLowerCase()) ? undefined : "authenticationContext";
  const include = lowerList(apps["includeApplications"]);
  const exclude = lowerList(apps["excludeApplications"]);
  // An application filter reads custom security attributes the sandbox does not hold: an include
  // filter selects no application, an exclude filter leaves every one in.
  const filter = record(apps["applicationFilter"]);
  const matches = context.appIds.some((appId) => !appInSet(appId, exclude) && (include.includes("all") || appInSet(appId, include)));
  return matches && !(filter && filter["mode"] === "include") ? undefined : "application";
}

function platformMatches(conditions: Json, request: WhatIfRequest): boolean {
  const platforms = record(conditions["platforms"]);
  if (!platforms) return true;
  const include = lowerList(platforms["includePlatforms"]);
  const exclude = lowerList(platforms["excludePlatforms"]);
  if (include.length === 0 && exclude.length === 0) return true;
  const platform = request.conditions.devicePlatform?.toLowerCase();
  // A platform the sign-in does not name is matched by "any device" only, never by a list.
  if (platform !== undefined && exclude.includes(platform)) return false;
  return include.includes("all") || (platform !== undefined && include.includes(platform));
}

/** The named locations (ids, lower case) the sign-in's address or country falls in, and whether one of them is trusted. */
function whereFrom(request: WhatIfRequest, locations: readonly string[], lookup: LocationLookup): { ids: Set<string>; trusted: boolean } {
  const ids = new Set<string>();
  let trusted = false;
  const { ipAddress, country } = request.conditions;
  for (const id of locations) {
    const location = lookup(id);
    if (!location) continue;
    const type = String(location["@odata.type"] ?? "");
    let inside = false;
    if (type.endsWith("ipNamedLocation")) {
      const ranges = Array.isArray(location["ipRanges"]) ? location["ipRanges"] : [];
      inside = ipAddress !== undefined && ranges.some((r) => isRecord(r) && typeof r["cidrAddress"] === "string" && addressInRange(ipAddress, r["cidrAddress"]));
    } else if (type.endsWith("countryNamedLocation")) {
      const countries = lowerList(location["countriesAndRegions"]);
      inside = country !== undefined ? countries.includes(country.toLowerCase()) : location["includeUnknownCountriesAndRegions"] === true;
    }
    if (!inside) continue;
    ids.add(id.toLowerCase());
    if (location["isTrusted"] === true) trusted = true;
  }
  return { ids, trusted };
}

function locationMatches(conditions: Json, request: WhatIfRequest, allLocationIds: readonly string[], lookup: LocationLookup): boolean {
  const block = record(conditions["locations"]);
  if (!block) return true;
  const include = lowerList(block["includeLocations"]);
  const exclude = lowerList(block["excludeLocations"]);
  if (include.length === 0 && exclude.length === 0) return true;
  const here = whereFrom(request, allLocationIds, lookup);
  const hit = (list: string[]): boolean => list.includes("all") || (here.trusted && list.includes("alltrusted")) || list.some((id) => here.ids.has(id));
  return !hit(exclude) && hit(include);
}

function clientAppMatches(conditions: Json, request: WhatIfRequest): boolean {
  const types = lowerList(conditions["clientAppTypes"]);
  if (types.length === 0 || types.includes("all")) return true;
  const own = request.conditions.clientAppType?.toLowerCase();
  return own !== undefined && types.includes(own);
}

const levelMatches = (configured: string[], level: string): boolean => configured.length === 0 || configured.includes(level.toLowerCase());

function deviceMatches(conditions: Json, request: WhatIfRequest): boolean {
  const filter = record(record(conditions["devices"])?.["deviceFilter"]);
  if (!filter || typeof filter["rule"] !== "string" || filter["rule"].trim() === "") return true;
  const rule = compileMembershipRule(filter["rule"], "device");
  // A rule the sandbox cannot read leaves the policy out rather than guessing.
  if (!rule) return false;
  const matched = rule(request.conditions.device);
  return filter["mode"] === "exclude" ? !matched : matched;
}

export interface PolicyVerdict {
  applies: boolean;
  /** `notSet` when it applies; else the failing conditions, comma-joined as a flags enum. */
  analysisReasons: string;
}

/** Whether one stored policy applies to the sign-in; every condition that fails is named. */
export function evaluatePolicy(policy: Json, request: WhatIfRequest, facts: SignInFacts, allLocationIds: readonly string[], lookup: LocationLookup): PolicyVerdict {
  if (policy["state"] !== "enabled" && policy["state"] !== "enabledForReportingButNotEnforced") return { applies: false, analysisReasons: "policyNotEnabled" };
  const conditions = record(policy["conditions"]) ?? {};
  const reasons = new Set<string>();
  const workload = targetsWorkloadIdentities(conditions);
  if (facts.kind === "user") {
    if (workload || !usersApply(conditions, facts)) reasons.add("users");
  } else if (!workload || !workloadApplies(conditions, facts)) reasons.add("workloadIdentities");
  const target = targetReason(conditions, request);
  if (target) reasons.add(target);
  if (!platformMatches(conditions, request)) reasons.add("devicePlatform");
  if (!locationMatches(conditions, request, allLocationIds, lookup)) reasons.add("location");
  if (!clientAppMatches(conditions, request)) reasons.add("clientApps");
  if (facts.kind === "user") {
    if (!levelMatches(lowerList(conditions["signInRiskLevels"]), request.conditions.signInRiskLevel)) reasons.add("signInRisk");
    if (!levelMatches(lowerList(conditions["userRiskLevels"]), request.conditions.userRiskLevel)) reasons.add("userRisk");
    if (!levelMatches(flagList(conditions["insiderRiskLevels"]), request.conditions.insiderRiskLevel)) reasons.add("insiderRisk");
  } else if (!levelMatches(lowerList(conditions["servicePrincipalRiskLevels"]), request.conditions.servicePrincipalRiskLevel)) {
    reasons.add("workloadIdentities");
  }
  const methods = flagList(record(conditions["authenticationFlows"])?.["transferMethods"]);
  if (methods.length > 0 && !methods.includes(request.conditions.transferMethod.toLowerCase())) reasons.add("authenticationFlow");
  if (!deviceMatches(conditions, request)) reasons.add("devices");
  if (reasons.size === 0) return { applies: true, analysisReasons: "notSet" };
  return { applies: false, analysisReasons: REASON_ORDER.filter((r) => reasons.has(r)).join(",") };
}

/** IPv4 or IPv6 address inside a CIDR range. */
export function addressInRange(address: string, cidr: string): boolean {
  const [base = "", bitsText] = cidr.split("/");
  const a = addressBits(address);
  const b = addressBits(base);
  if (!a || !b || a.length !== b.length) return false;
  const bits = bitsText === undefined ? a.length : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > a.length) return false;
  return a.slice(0, bits) === b.slice(0, bits);
}

/** The address as a string of 32 or 128 binary digits. */
function addressBits(address: string): string | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) {
    const octets = address.split(".").map(Number);
    if (octets.some((o) => o > 255)) return undefined;
    return octets.map((o) => o.toString(2).padStart(8, "0")).join("");
  }
  if (!address.includes(":")) return undefined;
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array<string>(missing).fill("0"), ...tail];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => parseInt(g, 16).toString(2).padStart(16, "0")).join("");
}
