import { describe, expect, it } from "vitest";
import { parseFilter } from "../../../src/sandbox/tenant/odata/filter-parser.js";
import { evaluateFilter, propertyUses } from "../../../src/sandbox/tenant/odata/filter-eval.js";

const group = {
  id: "0f9b2d3c-1111-4a4a-8b8b-222222222222",
  displayName: "Finance Team",
  groupTypes: ["Unified"],
  securityEnabled: false,
  createdDateTime: "2026-01-05T10:00:00Z",
  initiatedBy: { user: { userPrincipalName: "Alice@contoso.com" } },
  targetResources: [{ id: "t1", type: "Group" }, { id: "t2", type: "User" }],
};

function matches(filter: string, entity: unknown = group): boolean {
  return evaluateFilter(parseFilter(filter), entity);
}

describe("$filter parser and evaluator", () => {
  it("compares strings case-insensitively with eq, ne and in", () => {
    expect(matches("displayName eq 'finance team'")).toBe(true);
    expect(matches("displayName ne 'Finance Team'")).toBe(false);
    expect(matches("displayName in ('HR', 'Finance Team')")).toBe(true);
    expect(matches("displayName eq 'O''Brien'", { displayName: "O'Brien" })).toBe(true);
  });

  it("handles startsWith, endsWith, not, and/or and parentheses", () => {
    expect(matches("startsWith(displayName,'fin')")).toBe(true);
    expect(matches("endswith(displayName, 'TEAM')")).toBe(true);
    expect(matches("not startsWith(displayName,'HR')")).toBe(true);
    expect(matches("(displayName eq 'x' or securityEnabled eq false) and startsWith(displayName,'F')")).toBe(true);
    expect(matches("displayName eq 'x' or securityEnabled eq true")).toBe(false);
  });

  it("evaluates any/all lambdas and nested paths", () => {
    expect(matches("groupTypes/any(c:c eq 'Unified')")).toBe(true);
    expect(matches("groupTypes/any(c:c eq 'DynamicMembership')")).toBe(false);
    expect(matches("targetResources/any(t: t/id eq 't2')")).toBe(true);
    expect(matches("targetResources/all(t: t/type eq 'Group')")).toBe(false);
    expect(matches("initiatedBy/user/userPrincipalName eq 'alice@contoso.com'")).toBe(true);
  });

  it("compares date-times and GUID literals", () => {
    expect(matches("createdDateTime ge 2026-01-01T00:00:00Z and createdDateTime lt 2026-02-01T00:00:00Z")).toBe(true);
    expect(matches("createdDateTime le 2026-01-04")).toBe(false);
    expect(matches("id eq 0f9b2d3c-1111-4a4a-8b8b-222222222222")).toBe(true);
    expect(matches("id eq '0F9B2D3C-1111-4A4A-8B8B-222222222222'")).toBe(true);
  });

  it("supports isof and type-cast segments for polymorphic collections", () => {
    const ip = { "@odata.type": "#microsoft.graph.ipNamedLocation", isTrusted: true };
    const country = { "@odata.type": "#microsoft.graph.countryNamedLocation", countriesAndRegions: ["CA", "US"] };
    expect(matches("isof('microsoft.graph.ipNamedLocation')", ip)).toBe(true);
    expect(matches("isof('microsoft.graph.ipNamedLocation')", country)).toBe(false);
    expect(matches("microsoft.graph.countryNamedLocation/countriesAndRegions/any(c: c eq 'CA')", country)).toBe(true);
    expect(matches("microsoft.graph.countryNamedLocation/countriesAndRegions/any(c: c eq 'CA')", ip)).toBe(false);
  });

  it("reports which operator touches which property", () => {
    const uses = propertyUses(parseFilter("groupTypes/any(c:c eq 'Unified') and not(displayName eq 'x') and endsWith(mail,'@x.com')"));
    expect(uses).toEqual(
      expect.arrayContaining([
        { path: "groupTypes", op: "any" },
        { path: "displayName", op: "not" },
        { path: "mail", op: "endsWith" },
      ]),
    );
  });

  it("rejects malformed filters with a 400", () => {
    expect(() => parseFilter("displayName eq")).toThrowError(/Invalid filter clause/);
    expect(() => parseFilter("displayName eq 'unterminated")).toThrowError(/unterminated/);
  });
});
