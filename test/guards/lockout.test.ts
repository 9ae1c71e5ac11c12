import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import type { JsonObject } from "../../src/documents/types.js";
import type { GuardContext } from "../../src/guards/types.js";
import type { Plan } from "../../src/engine/plan/types.js";
import { KINDS, SOURCE, caSpec, doc, live } from "../plan/fixtures.js";

const ctx: GuardContext = {
  allowDelete: false,
  maxDeletes: 5,
  protected: [],
  breakGlass: { accounts: ["user:bg1@contoso.com"], groups: ["group:emergency-access"] },
};

const BLOCK = { operator: "OR", builtInControls: ["block"] };

function planFor(spec: JsonObject, guards: GuardContext = ctx, existing?: JsonObject): Plan {
  const actual = existing ? [live("conditionalAccessPolicy", "p", "p1", existing)] : [];
  return computePlan([doc("conditionalAccessPolicy", "p", spec, existing ? "p1" : undefined)], actual, { descriptors: KINDS, source: SOURCE, scope: ["conditionalAccessPolicy"], guards });
}
const lockouts = (plan: Plan): string[] => plan.guards.filter((g) => g.guard === "lockout").map((g) => g.message);

describe("lockout guard", () => {
  it("stops an enabled block-all-users policy that does not exclude break-glass, and says what to add", () => {
    const plan = planFor(caSpec("Block everyone", { users: { includeUsers: ["All"] }, grant: BLOCK }));
    const [message, ...rest] = lockouts(plan);
    expect(rest).toEqual([]);
    expect(message).toContain('conditionalAccessPolicy/p ("Block everyone") blocks access (grantControls.builtInControls: block) for all users (conditions.users.includeUsers: All)');
    expect(message).toContain("without excluding break-glass user:bg1@contoso.com");
    expect(message).toContain("add user:bg1@contoso.com to conditions.users.excludeUsers, or add group:emergency-access to conditions.users.excludeGroups");
    expect(plan.guards[0]).toMatchObject({ severity: "block", overridden: false, override: "apply --allow-lockout (recorded in the plan)" });
    expect(plan.summary.blocked).toBe(1);
  });

  it("accepts the same policy when the break-glass account or its group is excluded", () => {
    expect(lockouts(planFor(caSpec("B", { users: { includeUsers: ["All"], excludeUsers: ["user:BG1@contoso.com"] }, grant: BLOCK })))).toEqual([]);
    expect(lockouts(planFor(caSpec("B", { users: { includeUsers: ["All"], excludeGroups: ["group:emergency-access"] }, grant: BLOCK })))).toEqual([]);
    const viaMembership: GuardContext = { ...ctx, breakGlass: { accounts: ["user:bg1@contoso.com"], groups: [] }, memberOf: { "user:bg1@contoso.com": ["group:tier0"] } };
    expect(lockouts(planFor(caSpec("B", { users: { includeUsers: ["All"], excludeGroups: ["group:tier0"] }, grant: BLOCK }), viaMembership))).toEqual([]);
  });

  it("never treats report-only or disabled policies as lockouts", () => {
    for (const state of ["enabledForReportingButNotEnforced", "disabled"]) {
      expect(lockouts(planFor(caSpec("B", { state, users: { includeUsers: ["All"] }, grant: BLOCK })))).toEqual([]);
    }
  });

  it("stops enabling an existing blocking policy (an update that changes state)", () => {
    const spec = caSpec("B", { users: { includeRoles: ["role:Global Administrator"] }, grant: BLOCK });
    const plan = planFor(spec, ctx, { ...spec, state: "disabled" });
    expect(plan.changes[0]?.action).toBe("update");
    expect(lockouts(plan)[0]).toContain("for every holder of role:Global Administrator (conditions.users.includeRoles) without excluding break-glass user:bg1@contoso.com");
  });

  it("stops a control nobody can meet (compliant device for all users) but not MFA", () => {
    const compliant = lockouts(planFor(caSpec("C", { users: { includeUsers: ["All"] }, grant: { operator: "OR", builtInControls: ["compliantDevice", "domainJoinedDevice"] } })));
    expect(compliant[0]).toContain("requires one of compliantDevice, domainJoinedDevice");
    const and = lockouts(planFor(caSpec("C", { users: { includeUsers: ["All"] }, grant: { operator: "AND", builtInControls: ["mfa", "compliantDevice"] } })));
    expect(and[0]).toContain("requires mfa AND compliantDevice (grantControls.operator: AND)");
    expect(lockouts(planFor(caSpec("M", { users: { includeUsers: ["All"] }, grant: { operator: "OR", builtInControls: ["mfa"] } })))).toEqual([]);
    const withStrength = caSpec("S", { users: { includeUsers: ["All"] }, grant: { operator: "OR", builtInControls: ["compliantDevice"], authenticationStrength: { id: "authenticationStrength:Phishing-resistant MFA" } } });
    expect(lockouts(planFor(withStrength))).toEqual([]);
  });

  it("stops a policy that targets a break-glass account or group directly", () => {
    const direct = lockouts(planFor(caSpec("D", { users: { includeGroups: ["group:emergency-access"] }, grant: BLOCK })));
    expect(direct[0]).toContain("for break-glass user:bg1@contoso.com, which the policy includes directly or through a group or role");
    expect(lockouts(planFor(caSpec("D", { users: { includeGroups: ["group:sales"] }, grant: BLOCK })))).toEqual([]);
  });

  it("says so when no break-glass accounts are configured", () => {
    const none: GuardContext = { ...ctx, breakGlass: { accounts: [], groups: [] } };
    expect(lockouts(planFor(caSpec("B", { users: { includeUsers: ["All"] }, grant: BLOCK }), none))[0]).toContain("no break-glass accounts are configured");
  });

  it("protects the identity that runs apply: a service principal and a user", () => {
    const app: GuardContext = { ...ctx, runner: { type: "application", identifiers: ["servicePrincipal:entra-gitops-ci", "0000aaaa-0000-0000-0000-000000000001"] } };
    const workload = caSpec("W", { users: { includeUsers: ["None"] }, grant: BLOCK, conditions: { clientApplications: { includeServicePrincipals: ["ServicePrincipalsInMyTenant"] } } });
    expect(lockouts(planFor(workload, app))[0]).toContain("blocks the service principal that runs apply (servicePrincipal:entra-gitops-ci)");
    const excluded = caSpec("W", { users: { includeUsers: ["None"] }, grant: BLOCK, conditions: { clientApplications: { includeServicePrincipals: ["ServicePrincipalsInMyTenant"], excludeServicePrincipals: ["servicePrincipal:entra-gitops-ci"] } } });
    expect(lockouts(planFor(excluded, app))).toEqual([]);

    const user: GuardContext = { ...ctx, runner: { type: "user", identifiers: ["user:ops@contoso.com"], memberOf: ["group:platform"] } };
    const byGroup = caSpec("U", { users: { includeGroups: ["group:platform"] }, grant: BLOCK });
    expect(lockouts(planFor(byGroup, user))[0]).toContain("for the user that runs apply (user:ops@contoso.com)");
    const userExcluded = caSpec("U", { users: { includeGroups: ["group:platform"], excludeUsers: ["user:ops@contoso.com"] }, grant: BLOCK });
    expect(lockouts(planFor(userExcluded, user))).toEqual([]);
  });

  it("records an explicit override in the plan instead of blocking", () => {
    const plan = planFor(caSpec("B", { users: { includeUsers: ["All"] }, grant: BLOCK }), { ...ctx, overrides: { lockout: ["conditionalAccessPolicy/p"] } });
    expect(plan.guards[0]).toMatchObject({ guard: "lockout", overridden: true });
    expect(plan.overrides).toEqual(["lockout"]);
    expect(plan.summary.blocked).toBe(0);
  });

  it("mentions narrowing conditions but still requires the exclusion", () => {
    const geo = caSpec("Geo", { users: { includeUsers: ["All"] }, grant: BLOCK, conditions: { locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } } });
    expect(lockouts(planFor(geo))[0]).toContain("it applies only under: locations: include All, exclude AllTrusted");
  });

  it("reportOnlyNewPolicies rewrites new enabled policies to report-only, so they are not lockouts", () => {
    const plan = computePlan([doc("conditionalAccessPolicy", "p", caSpec("B", { users: { includeUsers: ["All"] }, grant: BLOCK }))], [], {
      descriptors: KINDS,
      source: SOURCE,
      scope: ["conditionalAccessPolicy"],
      reportOnlyNewPolicies: true,
      guards: ctx,
    });
    const change = plan.changes[0];
    expect(change?.action === "create" && change.after["state"]).toBe("enabledForReportingButNotEnforced");
    expect(change?.action === "create" && change.notes.join()).toContain("state rewritten from enabled to enabledForReportingButNotEnforced (reportOnlyNewPolicies)");
    expect(plan.guards).toEqual([]);
    expect(plan.diagnostics.map((d) => d.code)).toEqual(["report-only"]);
  });
});
