import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import type { JsonObject } from "../../src/model/document.js";
import type { GuardContext } from "../../src/guards/types.js";
import type { Plan } from "../../src/model/plan.js";
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

describe("lockout guard messages", () => {
  it("one finding per change, naming who loses access, an example sign-in and the one-line fix", () => {
    const plan = planFor(caSpec("Block everyone", { users: { includeUsers: ["All"] }, grant: BLOCK }));
    const [message, ...rest] = lockouts(plan);
    expect(rest).toEqual([]);
    expect(message).toContain('conditionalAccessPolicy/p ("Block everyone") makes access worse for break-glass user:bg1@contoso.com; all users; holders of role:Global Administrator');
    expect(message).toContain("allowed before, blocked after (blocked by p)");
    expect(message).toContain("Fix: in conditionalAccessPolicy/p, add group:emergency-access to conditions.users.excludeGroups");
    expect(plan.guards[0]).toMatchObject({ severity: "block", overridden: false, override: "apply --allow-lockout (recorded in the plan)" });
    expect(plan.summary.blocked).toBe(1);
  });

  it("accepts a blocking policy that leaves ordinary users a way in and excludes the break-glass account or its group", () => {
    const narrow = { conditions: { clientAppTypes: ["exchangeActiveSync", "other"] } };
    expect(lockouts(planFor(caSpec("B", { users: { includeUsers: ["All"], excludeUsers: ["user:BG1@contoso.com"] }, grant: BLOCK, ...narrow })))).toEqual([]);
    expect(lockouts(planFor(caSpec("B", { users: { includeUsers: ["All"], excludeGroups: ["group:emergency-access"] }, grant: BLOCK, ...narrow })))).toEqual([]);
    const viaMembership: GuardContext = { ...ctx, breakGlass: { accounts: ["user:bg1@contoso.com"], groups: [] }, memberOf: { "user:bg1@contoso.com": ["group:tier0"] } };
    expect(lockouts(planFor(caSpec("B", { users: { includeUsers: ["All"], excludeGroups: ["group:tier0"] }, grant: BLOCK, ...narrow }), viaMembership))).toEqual([]);
  });

  it("never treats report-only or disabled policies as lockouts", () => {
    for (const state of ["enabledForReportingButNotEnforced", "disabled"]) {
      expect(lockouts(planFor(caSpec("B", { state, users: { includeUsers: ["All"] }, grant: BLOCK })))).toEqual([]);
    }
  });

  it("a rename of an already-enabled blocking policy changes nothing and passes, even with no breakGlass configured", () => {
    const none: GuardContext = { ...ctx, breakGlass: { accounts: [], groups: [] } };
    const spec = caSpec("B", { users: { includeUsers: ["All"], excludeGroups: ["group:emergency-access"] }, grant: BLOCK });
    const plan = planFor({ ...spec, displayName: "B renamed" }, none, spec);
    expect(plan.changes[0]?.action).toBe("update");
    expect(lockouts(plan)).toEqual([]);
  });

  it("with no breakGlass configured and none to propose, says the exact lines to add", () => {
    const none: GuardContext = { ...ctx, breakGlass: { accounts: [], groups: [] } };
    const [message] = lockouts(planFor(caSpec("B", { users: { includeUsers: ["All"] }, grant: BLOCK }), none));
    expect(message).toContain("add to entra-gitops.yaml: breakGlass: { accounts: [user:<upn>] }");
  });

  it("protects the identity that runs apply: a service principal and a user", () => {
    const app: GuardContext = { ...ctx, runner: { type: "application", identifiers: ["servicePrincipal:entra-gitops-ci", "0000aaaa-0000-0000-0000-000000000001"] } };
    const workload = caSpec("W", { users: { includeUsers: ["None"] }, grant: BLOCK, conditions: { clientApplications: { includeServicePrincipals: ["ServicePrincipalsInMyTenant"] } } });
    const [spMessage] = lockouts(planFor(workload, app));
    expect(spMessage).toContain("makes access worse for the service principal that runs apply (servicePrincipal:entra-gitops-ci)");
    expect(spMessage).toContain("add servicePrincipal:entra-gitops-ci to conditions.clientApplications.excludeServicePrincipals");
    const excluded = caSpec("W", { users: { includeUsers: ["None"] }, grant: BLOCK, conditions: { clientApplications: { includeServicePrincipals: ["ServicePrincipalsInMyTenant"], excludeServicePrincipals: ["servicePrincipal:entra-gitops-ci"] } } });
    expect(lockouts(planFor(excluded, app))).toEqual([]);

    const user: GuardContext = { ...ctx, runner: { type: "user", identifiers: ["user:ops@contoso.com"], memberOf: ["group:platform"] } };
    const byGroup = caSpec("U", { users: { includeGroups: ["group:platform"] }, grant: BLOCK });
    expect(lockouts(planFor(byGroup, user))[0]).toContain("the user that runs apply (user:ops@contoso.com)");
    const userExcluded = caSpec("U", { users: { includeGroups: ["group:platform"], excludeUsers: ["user:ops@contoso.com"] }, grant: BLOCK });
    expect(lockouts(planFor(userExcluded, user))).toEqual([]);
  });

  it("records an explicit override in the plan instead of blocking", () => {
    const plan = planFor(caSpec("B", { users: { includeUsers: ["All"] }, grant: BLOCK }), { ...ctx, overrides: { lockout: ["conditionalAccessPolicy/p"] } });
    expect(plan.guards[0]).toMatchObject({ guard: "lockout", overridden: true });
    expect(plan.overrides).toEqual(["lockout"]);
    expect(plan.summary.blocked).toBe(0);
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
    expect(plan.guards).toEqual([]);
    expect(plan.diagnostics.map((d) => d.code)).toEqual(["report-only"]);
  });
});
