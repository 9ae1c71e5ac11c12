import { describe, expect, it } from "vitest";
import type { EntraDocument, JsonObject } from "../../src/model/document.js";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import type { Plan } from "../../src/model/plan.js";
import type { GuardContext, Runner } from "../../src/guards/types.js";
import { BLOCK, documents, LIVE, policy, SCOPE } from "./lockout-tenant.js";
import { SOURCE } from "../plan/fixtures.js";

type Docs = EntraDocument[];
interface Case {
  name: string;
  edit: (docs: Docs) => void;
  runner?: Runner;
  prune?: boolean;
}

const SP_RUNNER: Runner = { type: "application", identifiers: ["servicePrincipal:entra-gitops-ci", "0000aaaa-0000-0000-0000-000000000001"] };
const CONFIGURED = { accounts: ["user:bg1@contoso.com", "user:bg2@contoso.com"], groups: ["group:bg-exclusion"] };

const find = (docs: Docs, kind: string, name: string): JsonObject => {
  const d = docs.find((x) => x.kind === kind && x.name === name);
  if (!d) throw new Error(`no ${kind}/${name}`);
  return d.spec;
};
const pol = (docs: Docs, name: string): JsonObject => find(docs, "conditionalAccessPolicy", name);
const users = (spec: JsonObject): JsonObject => (spec["conditions"] as JsonObject)["users"] as JsonObject;
const add = (docs: Docs, name: string, spec: JsonObject): void => void docs.push({ kind: "conditionalAccessPolicy", name, spec });
const addGroup = (docs: Docs, name: string, members: string[]): void =>
  void docs.push({ kind: "group", name, spec: { displayName: name, mailEnabled: false, mailNickname: name, securityEnabled: true, members } });
const setMembers = (docs: Docs, group: string, members: string[]): void => {
  find(docs, "group", group)["members"] = members;
};
const noBg = (extra: JsonObject): JsonObject => ({ ...extra, excludeGroups: [] });

const LOCKOUTS: Case[] = [
  { name: "new block-all policy without the break-glass exclusion", edit: (d) => add(d, "x", policy("X", { users: noBg({ includeUsers: ["All"] }) }, BLOCK)) },
  { name: "new block-all policy that excludes break-glass (everyone else locked out)", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"] } }, BLOCK)) },
  { name: "both break-glass accounts removed from the exclusion group every policy excludes", edit: (d) => setMembers(d, "bg-exclusion", []) },
  { name: "one break-glass account removed from the exclusion group", edit: (d) => setMembers(d, "bg-exclusion", ["user:bg2@contoso.com"]) },
  {
    name: "exclusion group emptied while a block-all policy excluding it is added",
    edit: (d) => {
      setMembers(d, "bg-exclusion", []);
      add(d, "x", policy("X", { users: { includeUsers: ["All"] }, platforms: { includePlatforms: ["all"], excludePlatforms: ["windows"] } }, BLOCK));
    },
  },
  { name: "blocking the role-assignable admin group", edit: (d) => add(d, "x", policy("X", { users: { includeGroups: ["group:rag-admins"] } }, BLOCK)) },
  { name: "blocking Global Administrator holders (break-glass excluded)", edit: (d) => add(d, "x", policy("X", { users: { includeRoles: ["role:Global Administrator"] } }, BLOCK)) },
  { name: "blocking a recovery role by template id", edit: (d) => add(d, "x", policy("X", { users: { includeRoles: ["e8611ab8-c189-46e8-94e1-60213ab1f814"] } }, BLOCK)) },
  { name: "report-only block-all switched to enabled", edit: (d) => void (pol(d, "ro-block-all")["state"] = "enabled") },
  { name: "disabled block-admins switched to enabled", edit: (d) => void (pol(d, "disabled-block-admins")["state"] = "enabled") },
  { name: "break-glass exclusion removed from the country block", edit: (d) => void (users(pol(d, "block-outside-countries"))["excludeGroups"] = []) },
  { name: "break-glass exclusion removed from the legacy-auth block", edit: (d) => void (users(pol(d, "block-legacy"))["excludeGroups"] = []) },
  { name: "break-glass exclusion removed from the sign-in risk block", edit: (d) => void (users(pol(d, "block-risk"))["excludeGroups"] = []) },
  { name: "compliant device for all users (nobody can meet it)", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"] } }, { operator: "OR", builtInControls: ["compliantDevice"] })) },
  { name: "MFA AND compliant device for Global Administrators", edit: (d) => add(d, "x", policy("X", { users: { includeRoles: ["role:Global Administrator"] } }, { operator: "AND", builtInControls: ["mfa", "compliantDevice"] })) },
  { name: "blocking a break-glass account by name", edit: (d) => add(d, "x", policy("X", { users: noBg({ includeUsers: ["user:bg1@contoso.com"] }) }, BLOCK)) },
  { name: "blocking the break-glass group itself", edit: (d) => add(d, "x", policy("X", { users: noBg({ includeGroups: ["group:bg-exclusion"] }) }, BLOCK)) },
  { name: "block-all excluding only one break-glass account", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"], excludeGroups: [], excludeUsers: ["user:bg1@contoso.com"] } }, BLOCK)) },
  { name: "block-all excluding an unrelated group instead of break-glass", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"], excludeGroups: ["group:sales"] } }, BLOCK)) },
  { name: "allowed countries narrowed to one nobody signs in from", edit: (d) => void (find(d, "namedLocation", "allowed-countries")["countriesAndRegions"] = ["KP"]) },
  { name: "blocking a group that holds break-glass through nesting", edit: (d) => add(d, "x", policy("X", { users: noBg({ includeGroups: ["group:all-staff"] }) }, BLOCK)) },
  { name: "blocking a nested group that holds a Global Administrator", edit: (d) => add(d, "x", policy("X", { users: { includeGroups: ["group:all-staff"] } }, BLOCK)) },
  { name: "break-glass account added to a group with a control it cannot meet", edit: (d) => setMembers(d, "contractors", ["user:dave@contoso.com", "user:bg1@contoso.com"]) },
  { name: "workload block switched to enabled for the service principal that runs apply", edit: (d) => void (pol(d, "workload-block-outside-hq")["state"] = "enabled"), runner: SP_RUNNER },
  {
    name: "blocking the group of the user that runs apply",
    edit: (d) => add(d, "x", policy("X", { users: { includeGroups: ["group:platform"] } }, BLOCK)),
    runner: { type: "user", identifiers: ["user:ops@contoso.com"], memberOf: ["group:platform"] },
  },
  { name: "break-glass exclusion group deleted", edit: (d) => void d.splice(d.findIndex((x) => x.kind === "group" && x.name === "bg-exclusion"), 1), prune: true },
  { name: "MFA-for-all replaced by compliant device", edit: (d) => void (pol(d, "mfa-all")["grantControls"] = { operator: "OR", builtInControls: ["compliantDevice"] }) },
  { name: "MFA-for-all changed to MFA AND hybrid join", edit: (d) => void (pol(d, "mfa-all")["grantControls"] = { operator: "AND", builtInControls: ["mfa", "domainJoinedDevice"] }) },
  { name: "admins' strength policy turned into a block", edit: (d) => void (pol(d, "admins-strength")["grantControls"] = BLOCK) },
  { name: "block-all excluding a role that not every break-glass account holds", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"], excludeGroups: [], excludeRoles: ["role:Global Administrator"] } }, BLOCK)) },
  { name: "country block loses its location exclusion", edit: (d) => void ((pol(d, "block-outside-countries")["conditions"] as JsonObject)["locations"] = { includeLocations: ["All"] }) },
  { name: "block on every platform for all users", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"] }, platforms: { includePlatforms: ["all"] } }, BLOCK)) },
  { name: "admin portals blocked for all users (admins lose the portal)", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"] }, applications: { includeApplications: ["MicrosoftAdminPortals"] } }, BLOCK)) },
  { name: "Privileged Role Administrator holders (through the group) blocked", edit: (d) => add(d, "x", policy("X", { users: { includeRoles: ["role:Privileged Role Administrator"] } }, BLOCK)) },
];

const HARMLESS: Case[] = [
  { name: "policy renamed", edit: (d) => void (pol(d, "block-outside-countries")["displayName"] = "CA-G03 Block outside allowed countries") },
  { name: "group description added", edit: (d) => void (find(d, "group", "sales")["description"] = "Sales team") },
  { name: "MFA-for-all switched to report-only", edit: (d) => void (pol(d, "mfa-all")["state"] = "enabledForReportingButNotEnforced") },
  { name: "legacy-auth block switched to report-only", edit: (d) => void (pol(d, "block-legacy")["state"] = "enabledForReportingButNotEnforced") },
  { name: "user exclusion added to an enabled policy", edit: (d) => void (users(pol(d, "mfa-all"))["excludeUsers"] = ["user:alice@contoso.com"]) },
  { name: "group exclusion added to an enabled block", edit: (d) => void (users(pol(d, "block-outside-countries"))["excludeGroups"] = ["group:bg-exclusion", "group:sales"]) },
  { name: "unrelated group created", edit: (d) => addGroup(d, "project-x", ["user:alice@contoso.com"]) },
  { name: "member added to an unrelated group", edit: (d) => setMembers(d, "marketing", ["user:carol@contoso.com", "user:alice@contoso.com"]) },
  { name: "new legacy-auth block (break-glass excluded)", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"] }, clientAppTypes: ["other"] }, BLOCK)) },
  { name: "new MFA policy for all users", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"] }, applications: { includeApplications: ["Office365"] } }, { operator: "OR", builtInControls: ["mfa"] })) },
  { name: "guests blocked from admin portals", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["GuestsOrExternalUsers"] }, applications: { includeApplications: ["MicrosoftAdminPortals"] } }, BLOCK)) },
  { name: "new high user-risk block", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"] }, userRiskLevels: ["high"] }, BLOCK)) },
  { name: "new report-only block-all without exclusions", edit: (d) => add(d, "x", policy("X", { users: noBg({ includeUsers: ["All"] }) }, BLOCK, "enabledForReportingButNotEnforced")) },
  { name: "new disabled block-all", edit: (d) => add(d, "x", policy("X", { users: noBg({ includeUsers: ["All"] }) }, BLOCK, "disabled")) },
  { name: "sign-in risk block disabled", edit: (d) => void (pol(d, "block-risk")["state"] = "disabled") },
  { name: "phishing-resistant strength for Global Administrators", edit: (d) => add(d, "x", policy("X", { users: { includeRoles: ["role:Global Administrator"] } }, { operator: "OR", authenticationStrength: { id: "authenticationStrength:Phishing-resistant MFA" } })) },
  { name: "sign-in frequency session control for all users", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"] } }, null, "enabled", { signInFrequency: { isEnabled: true, type: "hours", value: 4 } })) },
  { name: "unrelated group renamed", edit: (d) => void (find(d, "group", "marketing")["displayName"] = "Marketing team") },
  { name: "break-glass account added to a group a blocking policy includes (still excluded)", edit: (d) => {
      add(d, "x", policy("X", { users: { includeGroups: ["group:marketing"] }, platforms: { includePlatforms: ["android"] } }, BLOCK));
      setMembers(d, "marketing", ["user:carol@contoso.com", "user:bg1@contoso.com"]);
    } },
  { name: "unused named location created", edit: (d) => void d.push({ kind: "namedLocation", name: "branch", spec: { "@odata.type": "#microsoft.graph.ipNamedLocation", displayName: "Branch", isTrusted: false, ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "192.0.2.0/24" }] } }) },
  { name: "a country added to the allowed countries", edit: (d) => void (find(d, "namedLocation", "allowed-countries")["countriesAndRegions"] = ["DE", "FR", "US"]) },
  { name: "new country block that leaves ordinary users a way in", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"] }, locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted", "namedLocation:allowed-countries"] } }, BLOCK)) },
  { name: "tenant-wide role assignment of an unguarded reader", edit: (d) => void d.push({ kind: "roleAssignment", name: "reader-carol", spec: { directoryScopeId: "/", principalId: "user:carol@contoso.com", roleDefinitionId: "role:Reports Reader" } }) },
  { name: "device code flow blocked for all users", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"] }, authenticationFlows: { transferMethods: "deviceCodeFlow" } }, BLOCK)) },
  { name: "workload block enabled with the runner excluded", edit: (d) => {
      const p = pol(d, "workload-block-outside-hq");
      p["state"] = "enabled";
      ((p["conditions"] as JsonObject)["clientApplications"] as JsonObject)["excludeServicePrincipals"] = ["servicePrincipal:entra-gitops-ci"];
    }, runner: SP_RUNNER },
  { name: "unknown platforms blocked for all users", edit: (d) => add(d, "x", policy("X", { users: { includeUsers: ["All"] }, platforms: { includePlatforms: ["all"], excludePlatforms: ["android", "iOS", "linux", "macOS", "windows"] } }, BLOCK)) },
  { name: "a blocking policy removed from the tenant", edit: (d) => void d.splice(d.findIndex((x) => x.kind === "conditionalAccessPolicy" && x.name === "block-risk"), 1), prune: true },
];

function planOf(c: Case, configured: boolean): Plan {
  const desired = documents();
  c.edit(desired);
  const guards: GuardContext = {
    allowDelete: true,
    maxDeletes: 5,
    protected: [],
    breakGlass: configured ? CONFIGURED : { accounts: [], groups: [] },
    runner: c.runner ?? SP_RUNNER,
  };
  return computePlan(desired, LIVE, { source: SOURCE, scope: SCOPE, prune: c.prune ?? false, guards });
}

const lockouts = (plan: Plan): string[] => plan.guards.filter((g) => g.guard === "lockout" && g.severity === "block").map((g) => g.message);

describe("lockout guard over the plan's effect: the table", () => {
  it(`has at least 30 constructed lockouts and 25 harmless edits`, () => {
    expect(LOCKOUTS.length).toBeGreaterThanOrEqual(30);
    expect(HARMLESS.length).toBeGreaterThanOrEqual(25);
  });

  for (const configured of [true, false]) {
    const mode = configured ? "with breakGlass configured" : "without breakGlass (proposed from the tenant)";
    describe(mode, () => {
      it.each(LOCKOUTS.map((c) => [c.name, c] as const))("refuses: %s", (_name, c) => {
        const plan = planOf(c, configured);
        expect(plan.changes.some((ch) => ch.action !== "noop")).toBe(true);
        const messages = lockouts(plan);
        expect(messages.length).toBeGreaterThan(0);
        expect(plan.summary.blocked).toBeGreaterThan(0);
        for (const m of messages) expect(m).toMatch(/ makes access worse for .+; e\.g\. .+\. Fix: |is a break-glass .+\. Fix: /);
        expect(new Set(messages).size).toBe(messages.length);
        if (!configured && messages.some((m) => m.includes("break-glass"))) expect(messages.join("\n")).toContain("add to entra-gitops.yaml: breakGlass: { accounts: [user:bg1@contoso.com, user:bg2@contoso.com], groups: [group:bg-exclusion] }");
      });
      it.each(HARMLESS.map((c) => [c.name, c] as const))("allows: %s", (_name, c) => {
        const plan = planOf(c, configured);
        expect(plan.changes.some((ch) => ch.action !== "noop")).toBe(true);
        expect(lockouts(plan)).toEqual([]);
      });
    });
  }
});
