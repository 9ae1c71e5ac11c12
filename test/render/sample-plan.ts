import { computePlan } from "../../src/engine/plan/compute-plan.js";
import type { Plan } from "../../src/model/plan.js";
import { KINDS, SOURCE, caSpec, doc, live } from "../plan/fixtures.js";

/** A plan with one of each action, a guard finding, a note and an unmanaged object. */
export function samplePlan(): Plan {
  return computePlan(
    [
      doc("group", "emergency-access", { displayName: "Emergency access", securityEnabled: true }),
      doc("conditionalAccessPolicy", "require-mfa", caSpec("Require MFA", { users: { includeUsers: ["All"], excludeGroups: ["group:emergency-access"] } }), "p1"),
      doc("conditionalAccessPolicy", "block-legacy", caSpec("Block legacy", { users: { includeUsers: ["All"] }, grant: { operator: "OR", builtInControls: ["block"] } }), "p2"),
      doc("namedLocation", "hq", { displayName: "HQ", countriesAndRegions: ["FR"] }, "n1"),
      doc("application", "portal", {
        displayName: "Portal",
        passwordCredentials: [{ keyId: "k1", displayName: "ci", hint: "abc", secretText: "abcSuperSecretValue" }],
      }),
    ],
    [
      live("conditionalAccessPolicy", "require-mfa", "p1", caSpec("Require MFA", { state: "disabled", users: { includeUsers: ["All"], excludeGroups: ["group:old-bg"] } })),
      live("conditionalAccessPolicy", "block-legacy", "p2", caSpec("Block legacy", { state: "disabled", users: { includeUsers: ["All"] }, grant: { operator: "OR", builtInControls: ["block"] } })),
      live("group", "old-bg", "g-old", { displayName: "Old BG" }),
      live("group", "stale", "g-stale", { displayName: "Stale" }),
      live("user", "someone", "u1", { userPrincipalName: "someone@contoso.com" }),
    ],
    {
      descriptors: KINDS,
      source: SOURCE,
      scope: ["conditionalAccessPolicy", "group", "namedLocation", "application", "user"],
      prune: true,
      deleted: [{ kind: "namedLocation", id: "n1" as never, deletedDateTime: "2026-11-20T08:00:00Z", spec: { displayName: "HQ", countriesAndRegions: ["FR", "DE"] } }],
      guards: { allowDelete: false, maxDeletes: 5, protected: [], breakGlass: { accounts: [], groups: ["group:emergency-access"] } },
    },
  );
}
