import type { CaDirectory } from "./directory.js";
import { matchesRule } from "./filter-rule.js";
import { ipInCidr } from "./ip-range.js";
import type { CompiledPolicy, GuestCondition } from "./policy.js";
import { hasAny, refKey } from "./refs.js";
import type { SignIn } from "./types.js";

/** `undefined`: the condition is met; a string: why the policy does not apply. */
export type Miss = string | undefined;

const ALL_GUEST_TYPES = ["internalguest", "b2bcollaborationguest", "b2bcollaborationmember", "b2bdirectconnectuser", "otherexternaluser", "serviceprovider"];

function guestMatch(condition: GuestCondition | undefined, guestTypes: readonly string[], homeTenant: string | undefined): boolean {
  if (!condition || guestTypes.length === 0) return false;
  if (!guestTypes.some((t) => condition.types.has(t.toLowerCase()))) return false;
  return condition.tenants === "all" || (homeTenant !== undefined && condition.tenants.has(homeTenant.toLowerCase()));
}

/** The guest types of a user: from the sign-in, else the directory, else `#EXT#` in its UPN. */
export function guestTypesOf(signIn: SignIn, dir: CaDirectory): string[] {
  const subject = signIn.subject;
  if (subject.type !== "user") return [];
  if (subject.guestTypes) return [...subject.guestTypes];
  const known = dir.guests.get(refKey(subject.ref));
  if (known) return known;
  return subject.ref.toLowerCase().includes("#ext#") ? ["b2bCollaborationGuest"] : [];
}

/**
 * Users, groups, roles and guests: included by any include, and then not excluded by any
 * exclude (an exclusion always wins). `None` includes nobody. Workload-identity policies
 * (`clientApplications`) apply to service principals only, user policies to users only.
 */
export interface SubjectFacts {
  key: string;
  memberships: ReadonlySet<string>;
  guestTypes: string[];
  homeTenant?: string;
}

/** What the users condition needs about the one signing in, computed once per sign-in. */
export function subjectFacts(signIn: SignIn, dir: CaDirectory): SubjectFacts {
  const subject = signIn.subject;
  if (subject.type !== "user") return { key: "", memberships: new Set(), guestTypes: [] };
  const direct = dir.memberships(subject.ref);
  let memberships: ReadonlySet<string> = direct;
  if (subject.memberOf?.length) {
    const all = new Set(direct);
    for (const extra of subject.memberOf) {
      all.add(refKey(extra));
      for (const m of dir.memberships(extra)) all.add(m);
    }
    memberships = all;
  }
  return { key: refKey(subject.ref), memberships, guestTypes: guestTypesOf(signIn, dir), ...(subject.homeTenantId ? { homeTenant: subject.homeTenantId } : {}) };
}

export function subjectMiss(p: CompiledPolicy, signIn: SignIn, facts: SubjectFacts): Miss {
  const subject = signIn.subject;
  if (subject.type === "servicePrincipal") {
    const sp = p.servicePrincipals;
    if (!sp) return "clientApplications: the policy targets users, not workload identities";
    const keys = subject.refs.map(refKey);
    const ex = hasAny(sp.exclude, keys);
    if (ex) return `clientApplications: excluded (${ex})`;
    if (!sp.include.has("serviceprincipalsinmytenant") && !hasAny(sp.include, keys)) return "clientApplications: not included";
    return undefined;
  }
  const u = p.users;
  const { key, memberships, guestTypes, homeTenant } = facts;
  const legacyGuests: GuestCondition = { types: new Set(ALL_GUEST_TYPES), tenants: "all" };
  const excludedBy =
    (u.excludeUsers.has(key) && subject.ref) ||
    (u.excludeUsers.has("guestsorexternalusers") && guestMatch(legacyGuests, guestTypes, homeTenant) && "GuestsOrExternalUsers") ||
    (guestMatch(u.excludeGuests, guestTypes, homeTenant) && "excludeGuestsOrExternalUsers") ||
    hasAny(u.excludeGroups, memberships) ||
    hasAny(u.excludeRoles, memberships);
  if (excludedBy) return `users: excluded (${excludedBy})`;
  const included =
    u.includeUsers.has("all") ||
    u.includeUsers.has(key) ||
    (u.includeUsers.has("guestsorexternalusers") && guestMatch(legacyGuests, guestTypes, homeTenant)) ||
    guestMatch(u.includeGuests, guestTypes, homeTenant) ||
    hasAny(u.includeGroups, memberships) !== undefined ||
    hasAny(u.includeRoles, memberships) !== undefined;
  return included ? undefined : "users: not included";
}

/** Applications (All, Office365, MicrosoftAdminPortals, ids), user actions, authentication contexts. */
export function targetMiss(p: CompiledPolicy, signIn: SignIn): Miss {
  const a = p.applications;
  const target = signIn.target;
  if (target.type === "userAction") return a.userActions.has(target.action) ? undefined : "applications: the policy does not target this user action";
  if (target.type === "authenticationContext") return a.authenticationContexts.has(refKey(target.ref)) ? undefined : "applications: the policy does not target this authentication context";
  const keys = target.refs.map(refKey);
  const named = (set: ReadonlySet<string>): string | undefined =>
    hasAny(set, keys) ?? (target.office365 && set.has("office365") ? "Office365" : undefined) ?? (target.adminPortal && set.has("microsoftadminportals") ? "MicrosoftAdminPortals" : undefined);
  const ex = named(a.exclude);
  if (ex) return `applications: excluded (${ex})`;
  if (!a.include.has("all") && !named(a.include)) return "applications: not included";
  // An application filter reads custom security attributes the sign-in does not carry: an include
  // filter then matches nothing, an exclude filter excludes nothing.
  if (a.filter?.mode === "include") return "applications: the application filter does not match";
  return undefined;
}

/** Named locations a place falls in, per directory and place: the same few places are asked about for every policy and user. */
const placeCache = new WeakMap<CaDirectory, { size: number; places: Map<string, { named: Set<string>; trusted: boolean }> }>();

function locationMatches(dir: CaDirectory, signIn: SignIn): { named: Set<string>; trusted: boolean } {
  const { ip, countryCode } = signIn.location ?? {};
  let cache = placeCache.get(dir);
  if (!cache || cache.size !== dir.locations.size) {
    cache = { size: dir.locations.size, places: new Map() };
    placeCache.set(dir, cache);
  }
  const key = `${ip ?? ""}|${countryCode ?? ""}`;
  const known = cache.places.get(key);
  if (known) return known;
  const found = placeMatches(dir, ip, countryCode);
  cache.places.set(key, found);
  return found;
}

function placeMatches(dir: CaDirectory, ip: string | undefined, countryCode: string | undefined): { named: Set<string>; trusted: boolean } {
  const named = new Set<string>();
  let trusted = false;
  for (const [key, loc] of dir.locations) {
    const inside =
      (ip !== undefined && loc.ipRanges.some((r) => ipInCidr(ip, r))) ||
      (loc.countries.length > 0 || loc.includeUnknownCountries ? (countryCode ? loc.countries.some((c) => c.toLowerCase() === countryCode.toLowerCase()) : loc.includeUnknownCountries) : false);
    if (!inside) continue;
    named.add(key);
    if (loc.trusted) trusted = true;
  }
  return { named, trusted };
}

/** Platforms, locations, client apps, risks, device filter, authentication flows: each configured one must match. */
export function conditionMiss(p: CompiledPolicy, signIn: SignIn, dir: CaDirectory): Miss {
  if (p.platforms) {
    const platform = (signIn.platform ?? "unknown").toLowerCase();
    if (p.platforms.exclude.has(platform)) return `platforms: ${signIn.platform ?? "unknown"} excluded`;
    if (!p.platforms.include.has("all") && !p.platforms.include.has(platform)) return `platforms: ${signIn.platform ?? "unknown"} not included`;
  }
  if (p.locations) {
    const { named, trusted } = locationMatches(dir, signIn);
    const hit = (set: ReadonlySet<string>): boolean => set.has("all") || (trusted && set.has("alltrusted")) || hasAny(set, named) !== undefined;
    if (hit(p.locations.exclude)) return "locations: excluded";
    if (!hit(p.locations.include)) return "locations: not included";
  }
  const clientApp = (signIn.clientAppType ?? "browser").toLowerCase();
  if (p.clientAppTypes.size > 0 && !p.clientAppTypes.has(clientApp)) return `clientAppTypes: ${clientApp} not included`;
  const risk = (set: ReadonlySet<string>, level: string | undefined, label: string): Miss => (set.size > 0 && !set.has((level ?? "none").toLowerCase()) ? `${label}: ${level ?? "none"} not included` : undefined);
  const riskMiss =
    (signIn.subject.type === "user" ? risk(p.signInRisk, signIn.signInRisk, "signInRiskLevels") ?? risk(p.userRisk, signIn.userRisk, "userRiskLevels") ?? risk(p.insiderRisk, signIn.insiderRisk, "insiderRiskLevels") : undefined) ??
    (signIn.subject.type === "servicePrincipal" ? risk(p.servicePrincipalRisk, signIn.servicePrincipalRisk, "servicePrincipalRiskLevels") : undefined);
  if (riskMiss) return riskMiss;
  if (p.transferMethods.size > 0 && !p.transferMethods.has((signIn.authenticationFlow ?? "none").toLowerCase())) return "authenticationFlows: not this flow";
  if (p.deviceFilter) {
    const matched = matchesRule(p.deviceFilter.rule, signIn.device ?? {});
    if (p.deviceFilter.mode === "include" && !matched) return "devices: the device filter does not match";
    if (p.deviceFilter.mode === "exclude" && matched) return "devices: excluded by the device filter";
  }
  if (signIn.subject.type === "servicePrincipal" && p.servicePrincipals?.filter) {
    const matched = false; // a service principal filter reads custom security attributes, which sign-ins here do not carry
    if (p.servicePrincipals.filter.mode === "include" && !matched) return "clientApplications: the service principal filter does not match";
  }
  return undefined;
}
