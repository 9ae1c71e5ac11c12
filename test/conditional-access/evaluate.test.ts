import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/model/document.js";
import { accessFor, describeOutcome, evaluateSignIn } from "../../src/conditional-access/evaluate.js";
import { matchesRule } from "../../src/conditional-access/filter-rule.js";
import { ipInCidr } from "../../src/conditional-access/ip-range.js";
import type { SignIn } from "../../src/conditional-access/types.js";
import { buildWorld, type CaObject } from "../../src/conditional-access/world.js";

const BLOCK = { operator: "OR", builtInControls: ["block"] };
const MFA = { operator: "OR", builtInControls: ["mfa"] };

function p(name: string, conditions: JsonObject, grant: JsonObject | null = BLOCK, state = "enabled", session?: JsonObject): CaObject {
  return {
    kind: "conditionalAccessPolicy",
    name,
    spec: { displayName: name, state, conditions: { applications: { includeApplications: ["All"] }, ...conditions }, ...(grant ? { grantControls: grant } : {}), ...(session ? { sessionControls: session } : {}) },
  };
}

const DIRECTORY: CaObject[] = [
  { kind: "group", name: "outer", spec: { displayName: "outer", members: ["group:inner"] } },
  { kind: "group", name: "inner", spec: { displayName: "inner", members: ["user:ann@x.com"] } },
  { kind: "group", name: "rag", spec: { displayName: "rag", isAssignableToRole: true, members: ["user:raj@x.com"] } },
  { kind: "roleAssignment", name: "ra1", spec: { directoryScopeId: "/", principalId: "group:rag", roleDefinitionId: "role:Global Administrator" } },
  { kind: "roleAssignment", name: "ra2", spec: { directoryScopeId: "/administrativeUnits/1", principalId: "user:ann@x.com", roleDefinitionId: "role:User Administrator" } },
  { kind: "user", name: "guest", spec: { userPrincipalName: "gus_ext.com#EXT#@x.com", userType: "Guest" } },
  { kind: "namedLocation", name: "hq", spec: { "@odata.type": "#microsoft.graph.ipNamedLocation", displayName: "HQ", isTrusted: true, ipRanges: [{ cidrAddress: "203.0.113.0/24" }] } },
  { kind: "namedLocation", name: "eu", spec: { "@odata.type": "#microsoft.graph.countryNamedLocation", displayName: "EU", countriesAndRegions: ["DE", "FR"], includeUnknownCountriesAndRegions: true } },
];

const user = (ref: string, extra: Partial<SignIn> = {}): SignIn => ({ subject: { type: "user", ref }, target: { type: "application", refs: ["application:crm"] }, ...extra });

function outcome(policies: CaObject[], signIn: SignIn) {
  const world = buildWorld([...DIRECTORY, ...policies]);
  return evaluateSignIn(world.policies, signIn, world.directory);
}
const applies = (policy: CaObject, signIn: SignIn): boolean => outcome([policy], signIn).policies[0]?.applies ?? false;

describe("Conditional Access evaluator", () => {
  it("users: All, None, exclusion wins over inclusion, nested groups, roles through a role-assignable group", () => {
    expect(applies(p("a", { users: { includeUsers: ["All"] } }), user("user:zed@x.com"))).toBe(true);
    expect(applies(p("a", { users: { includeUsers: ["None"] } }), user("user:zed@x.com"))).toBe(false);
    expect(applies(p("a", { users: { includeUsers: ["All"], excludeGroups: ["group:outer"] } }), user("user:ann@x.com"))).toBe(false);
    expect(applies(p("a", { users: { includeGroups: ["group:outer"] } }), user("user:ann@x.com"))).toBe(true);
    expect(applies(p("a", { users: { includeUsers: ["user:ann@x.com"], excludeUsers: ["user:ANN@x.com"] } }), user("user:ann@x.com"))).toBe(false);
    expect(applies(p("a", { users: { includeRoles: ["role:Global Administrator"] } }), user("user:raj@x.com"))).toBe(true);
    expect(applies(p("a", { users: { includeRoles: ["62e90394-69f5-4237-9190-012177145e10"] } }), user("user:raj@x.com"))).toBe(true);
    // a role scoped to an administrative unit is not a Conditional Access role target
    expect(applies(p("a", { users: { includeRoles: ["role:User Administrator"] } }), user("user:ann@x.com"))).toBe(false);
  });

  it("guests: the GuestsOrExternalUsers value and the guestsOrExternalUsers object", () => {
    const guest = user("user:gus_ext.com#EXT#@x.com");
    expect(applies(p("a", { users: { includeUsers: ["GuestsOrExternalUsers"] } }), guest)).toBe(true);
    expect(applies(p("a", { users: { includeUsers: ["GuestsOrExternalUsers"] } }), user("user:ann@x.com"))).toBe(false);
    expect(applies(p("a", { users: { includeUsers: ["All"], excludeUsers: ["GuestsOrExternalUsers"] } }), guest)).toBe(false);
    const typed = { includeGuestsOrExternalUsers: { guestOrExternalUserTypes: "b2bCollaborationGuest,internalGuest", externalTenants: { membershipKind: "all" } } };
    expect(applies(p("a", { users: typed }), guest)).toBe(true);
    const otherType = { includeGuestsOrExternalUsers: { guestOrExternalUserTypes: "b2bDirectConnectUser", externalTenants: { membershipKind: "all" } } };
    expect(applies(p("a", { users: otherType }), guest)).toBe(false);
    const enumerated = { includeGuestsOrExternalUsers: { guestOrExternalUserTypes: "b2bCollaborationGuest", externalTenants: { membershipKind: "enumerated", members: ["t1"] } } };
    expect(applies(p("a", { users: enumerated }), { ...guest, subject: { type: "user", ref: guest.subject.type === "user" ? guest.subject.ref : "", homeTenantId: "T1" } })).toBe(true);
    expect(applies(p("a", { users: enumerated }), guest)).toBe(false);
  });

  it("workload identities: only clientApplications policies apply to service principals", () => {
    const sp: SignIn = { subject: { type: "servicePrincipal", refs: ["servicePrincipal:ci", "app-id-1"] }, target: { type: "application", refs: ["00000003-0000-0000-c000-000000000000"] } };
    const workload = p("w", { users: { includeUsers: ["None"] }, clientApplications: { includeServicePrincipals: ["ServicePrincipalsInMyTenant"] } });
    expect(applies(workload, sp)).toBe(true);
    expect(applies(p("w", { users: { includeUsers: ["None"] }, clientApplications: { includeServicePrincipals: ["ServicePrincipalsInMyTenant"], excludeServicePrincipals: ["APP-ID-1"] } }), sp)).toBe(false);
    expect(applies(p("u", { users: { includeUsers: ["All"] } }), sp)).toBe(false);
    expect(applies(workload, user("user:ann@x.com"))).toBe(false);
  });

  it("applications, user actions and authentication contexts", () => {
    const all = { users: { includeUsers: ["All"] } };
    const o365: SignIn = { ...user("user:z@x.com"), target: { type: "application", refs: ["exchange"], office365: true } };
    expect(applies(p("a", { ...all, applications: { includeApplications: ["Office365"] } }), o365)).toBe(true);
    expect(applies(p("a", { ...all, applications: { includeApplications: ["All"], excludeApplications: ["Office365"] } }), o365)).toBe(false);
    expect(applies(p("a", { ...all, applications: { includeApplications: ["application:crm"] } }), user("user:z@x.com"))).toBe(true);
    expect(applies(p("a", { ...all, applications: { includeApplications: ["MicrosoftAdminPortals"] } }), user("user:z@x.com"))).toBe(false);
    const register: SignIn = { ...user("user:z@x.com"), target: { type: "userAction", action: "urn:user:registersecurityinfo" } };
    expect(applies(p("a", { ...all, applications: { includeUserActions: ["urn:user:registersecurityinfo"] } }), register)).toBe(true);
    expect(applies(p("a", all), register)).toBe(false);
    const context: SignIn = { ...user("user:z@x.com"), target: { type: "authenticationContext", ref: "authenticationContext:sensitive" } };
    expect(applies(p("a", { ...all, applications: { includeAuthenticationContextClassReferences: ["authenticationContext:sensitive"] } }), context)).toBe(true);
  });

  it("platforms (unknown matches only all), locations (trusted, countries, unknown country), client apps, risks, flows", () => {
    const all = { users: { includeUsers: ["All"] } };
    const platforms = p("a", { ...all, platforms: { includePlatforms: ["all"], excludePlatforms: ["windows", "iOS"] } });
    expect(applies(platforms, user("user:z@x.com", { platform: "windows" }))).toBe(false);
    expect(applies(platforms, user("user:z@x.com", { platform: "android" }))).toBe(true);
    expect(applies(platforms, user("user:z@x.com"))).toBe(true);
    expect(applies(p("a", { ...all, platforms: { includePlatforms: ["android"] } }), user("user:z@x.com"))).toBe(false);
    const untrusted = p("a", { ...all, locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } });
    expect(applies(untrusted, user("user:z@x.com", { location: { ip: "203.0.113.9" } }))).toBe(false);
    expect(applies(untrusted, user("user:z@x.com", { location: { ip: "198.51.100.1" } }))).toBe(true);
    const eu = p("a", { ...all, locations: { includeLocations: ["namedLocation:eu"] } });
    expect(applies(eu, user("user:z@x.com", { location: { countryCode: "FR" } }))).toBe(true);
    expect(applies(eu, user("user:z@x.com", { location: { countryCode: "US" } }))).toBe(false);
    expect(applies(eu, user("user:z@x.com"))).toBe(true); // unknown country, includeUnknownCountriesAndRegions
    const legacy = p("a", { ...all, clientAppTypes: ["exchangeActiveSync", "other"] });
    expect(applies(legacy, user("user:z@x.com"))).toBe(false);
    expect(applies(legacy, user("user:z@x.com", { clientAppType: "other" }))).toBe(true);
    const risky = p("a", { ...all, signInRiskLevels: ["high", "medium"] });
    expect(applies(risky, user("user:z@x.com"))).toBe(false);
    expect(applies(risky, user("user:z@x.com", { signInRisk: "high" }))).toBe(true);
    const flow = p("a", { ...all, authenticationFlows: { transferMethods: "deviceCodeFlow" } });
    expect(applies(flow, user("user:z@x.com", { authenticationFlow: "deviceCodeFlow" }))).toBe(true);
    expect(applies(flow, user("user:z@x.com"))).toBe(false);
  });

  it("device filters: include and exclude modes; an unregistered device has null attributes", () => {
    const all = { users: { includeUsers: ["All"] } };
    const include = p("a", { ...all, devices: { deviceFilter: { mode: "include", rule: 'device.trustType -eq "ServerAD" -or device.model -startsWith "Surface"' } } });
    expect(applies(include, user("user:z@x.com", { device: { trustType: "ServerAD" } }))).toBe(true);
    expect(applies(include, user("user:z@x.com", { device: { model: "surface pro" } }))).toBe(true);
    expect(applies(include, user("user:z@x.com"))).toBe(false);
    const exclude = p("a", { ...all, devices: { deviceFilter: { mode: "exclude", rule: "device.isCompliant -eq True -and (device.operatingSystem -in [\"Windows\", \"MacOS\"])" } } });
    expect(applies(exclude, user("user:z@x.com", { device: { isCompliant: true, operatingSystem: "windows" } }))).toBe(false);
    expect(applies(exclude, user("user:z@x.com"))).toBe(true);
    expect(matchesRule('device.displayName -notContains "kiosk"', {})).toBe(true);
  });

  it("grant controls: block wins, AND/OR within a policy, every policy must be met; report-only reported only; disabled skipped; session controls combine", () => {
    const all = { users: { includeUsers: ["All"] } };
    const signIn = user("user:z@x.com");
    const o = outcome(
      [
        p("mfa", all, MFA),
        p("and", all, { operator: "AND", builtInControls: ["mfa", "compliantDevice"] }),
        p("ro", all, BLOCK, "enabledForReportingButNotEnforced"),
        p("off", all, BLOCK, "disabled"),
        p("sif", all, null, "enabled", { signInFrequency: { isEnabled: true, type: "hours", value: 4 } }),
      ],
      signIn,
    );
    expect(o.blockedBy).toEqual([]);
    expect(o.reportOnly).toEqual(["ro"]);
    expect(o.policies.map((r) => r.policy)).toEqual(["mfa", "and", "ro", "sif"]);
    expect(o.session).toEqual({ "signInFrequency: 4 hours": ["sif"] });
    expect(accessFor(o)).toBe("unsatisfiable");
    expect(accessFor(o, ["mfa", "compliantDevice"])).toBe("allowed");
    expect(describeOutcome(o)).toBe("requires mfa (mfa) and all of mfa, compliantDevice (and); session: signInFrequency: 4 hours");
    const blocked = outcome([p("mfa", all, MFA), p("b", all)], signIn);
    expect(accessFor(blocked, ["mfa"])).toBe("blocked");
    const strength = outcome([p("s", all, { operator: "OR", authenticationStrength: { id: "authenticationStrength:Phishing-resistant MFA" } })], signIn);
    expect(strength.requirements[0]?.controls).toEqual(["authenticationStrength:Phishing-resistant MFA"]);
    expect(accessFor(strength)).toBe("allowed");
  });

  it("IP ranges, v4 and v6", () => {
    expect(ipInCidr("203.0.113.77", "203.0.113.0/24")).toBe(true);
    expect(ipInCidr("203.0.114.1", "203.0.113.0/24")).toBe(false);
    expect(ipInCidr("2001:db8:1000::5", "2001:db8:1000::/48")).toBe(true);
    expect(ipInCidr("2001:db8:1001::5", "2001:db8:1000::/48")).toBe(false);
  });
});
