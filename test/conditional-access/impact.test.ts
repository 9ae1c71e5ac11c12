import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/model/document.js";
import { planImpact } from "../../src/engine/impact/plan-impact.js";
import type { ObjectId } from "../../src/model/kind.js";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderText } from "../../src/render/text.js";
import { documents, LIVE, SCOPE } from "../guards/lockout-tenant.js";
import { SOURCE } from "../plan/fixtures.js";

const guards = { breakGlass: { accounts: [], groups: ["group:bg-exclusion"] }, runner: { type: "application" as const, identifiers: ["servicePrincipal:ci"] } };

function impactOf(edit: (docs: ReturnType<typeof documents>) => void) {
  const desired = documents();
  edit(desired);
  const plan = computePlan(desired, LIVE, { source: SOURCE, scope: SCOPE });
  const impact = planImpact(plan.changes, LIVE, { guards });
  return { plan: impact ? { ...plan, impact } : plan, impact };
}
const pol = (docs: ReturnType<typeof documents>, name: string): JsonObject => docs.find((d) => d.name === name)?.spec as JsonObject;

describe("plan impact", () => {
  it("a report-only policy switched to enabled: who is newly blocked from what, break-glass unaffected", () => {
    const { plan, impact } = impactOf((d) => void (pol(d, "ro-block-all")["state"] = "enabled"));
    expect(impact?.rows).toContainEqual(expect.objectContaining({ target: "all applications", effect: "newly blocked", allOtherUsers: true }));
    const row = impact?.rows.find((r) => r.effect === "newly blocked");
    // every user the tenant names except the two break-glass accounts
    expect(row?.names).toEqual(["user:admin1@contoso.com", "user:admin2@contoso.com", "user:alice@contoso.com", "user:bob@contoso.com", "user:carol@contoso.com", "user:dave@contoso.com"]);
    expect(row?.users).toBe(6);
    // A sign-in that becomes blocked is not also reported as no longer needing its MFA.
    expect(impact?.rows.map((r) => r.effect)).toEqual(["newly blocked"]);
    expect(impact?.breakGlass).toBe("unaffected");
    expect(impact?.summary).toContain("6 users and every other user newly blocked from all applications");
    expect(impact?.summary).toContain("break-glass unaffected");
    const md = renderMarkdown(plan);
    expect(md).toContain("#### Conditional Access impact");
    expect(md).toContain("| 6 + everyone else | newly blocked | `all applications` | user:admin1@contoso.com, user:admin2@contoso.com, user:alice@contoso.com");
    expect(md).toContain("- break-glass unaffected");
    expect(renderText(plan, { color: false })).toContain("  - 6 users and every other user newly blocked from all applications: user:admin1@contoso.com");
  });

  it("a rename shows no change in access", () => {
    const { plan, impact } = impactOf((d) => void (pol(d, "mfa-all")["displayName"] = "CA-G01 MFA for all users"));
    expect(impact?.rows).toEqual([]);
    expect(impact?.summary[0]).toBe("no change in access");
    expect(renderMarkdown(plan)).toContain("**No change in access.**");
  });

  it("a strength for one application: users now need it for that application only; a membership change counts", () => {
    const { impact } = impactOf((d) => {
      d.push({ kind: "conditionalAccessPolicy", name: "crm", spec: { displayName: "CRM", state: "enabled", conditions: { users: { includeGroups: ["group:sales"] }, applications: { includeApplications: ["application:crm"] } }, grantControls: { operator: "OR", authenticationStrength: { id: "authenticationStrength:Phishing-resistant MFA" } } } });
      (d.find((x) => x.name === "sales")?.spec as JsonObject)["members"] = ["group:sales-emea", "user:alice@contoso.com", "user:carol@contoso.com"];
    });
    expect(impact?.rows).toEqual([{ target: "application:crm", effect: "now need Phishing-resistant MFA", users: 3, allOtherUsers: false, names: ["user:alice@contoso.com", "user:bob@contoso.com", "user:carol@contoso.com"] }]);
    expect(impact?.summary).toContain("3 users now need Phishing-resistant MFA for application:crm");
  });

  it("an authentication strength whose allowed methods change: the users whose sign-ins require it, with the change", () => {
    const strength = { kind: "authenticationStrengthPolicy" as const, name: "sales-strength", id: "00000000-0000-4000-8000-0000000000aa" as ObjectId, spec: { displayName: "Sales strength", allowedCombinations: ["fido2", "windowsHelloForBusiness"] } };
    const crm = { kind: "conditionalAccessPolicy" as const, name: "crm-strength", id: "00000000-0000-4000-8000-0000000000ab" as ObjectId, spec: { displayName: "CRM strength", state: "enabled", conditions: { users: { includeGroups: ["group:sales"] }, applications: { includeApplications: ["application:crm"] } }, grantControls: { operator: "OR", authenticationStrength: { id: "authenticationStrength:sales-strength" } } } };
    const live = [...LIVE, strength, crm];
    const desired = live.map((o) => ({ kind: o.kind, name: o.name, id: o.id, spec: structuredClone(o.spec) as JsonObject }));
    (desired.find((d) => d.name === "sales-strength")?.spec as JsonObject)["allowedCombinations"] = ["fido2", "password,sms"];
    const plan = computePlan(desired, live, { source: SOURCE, scope: [...SCOPE, "authenticationStrengthPolicy"] });
    const impact = planImpact(plan.changes, live, { guards });
    expect(impact?.rows.filter((r) => r.target === "application:crm")).toEqual([
      { target: "application:crm", effect: "need sales-strength whose allowed methods change (+password,sms, −windowsHelloForBusiness)", users: 2, allOtherUsers: false, names: ["user:alice@contoso.com", "user:bob@contoso.com"] },
    ]);
    expect(impact?.summary).toContain("2 users need sales-strength whose allowed methods change (+password,sms, −windowsHelloForBusiness) for application:crm");
  });

  it("nothing Conditional Access depends on changed: no impact section", () => {
    const { impact } = impactOf(() => undefined);
    expect(impact).toBeUndefined();
  });
});
