import { describe, expect, it } from "vitest";
import { prepareCreate, prepareUpdate, renderPolicy } from "../../../src/sandbox/tenant/resources/policies/conditional-access/policy-body.js";
import type { ReferenceKind, ReferenceLookup } from "../../../src/sandbox/tenant/resources/policies/references.js";

const GROUP = "ba8e7ded-8b0f-4836-ba06-8ff1ecc5c8ba";
const ADMIN_ROLE = "62e90394-69f5-4237-9190-012177145e10";
const STRENGTH = "00000000-0000-0000-0000-000000000004";

function lookup(known: Partial<Record<ReferenceKind, string[]>>): ReferenceLookup {
  return { exists: (kind, id) => (known[kind] ?? []).includes(id) };
}

const refs = lookup({ group: [GROUP], directoryRoleTemplate: [ADMIN_ROLE], authenticationStrengthPolicy: [STRENGTH] });
const v1 = { version: "v1.0" as const, includeUnknownEnumMembers: false, refs };
const beta = { ...v1, version: "beta" as const };

const base = {
  displayName: "Require MFA",
  state: "enabled",
  conditions: { applications: { includeApplications: ["All"] }, users: { includeGroups: [GROUP] } },
  grantControls: { operator: "OR", builtInControls: ["mfa"] },
};

function render(value: Record<string, unknown>, version: "v1.0" | "beta" = "v1.0", includeUnknownEnumMembers = false) {
  return renderPolicy({ id: "p1", ...value }, { version, includeUnknownEnumMembers, authenticationStrength: (id) => ({ id, displayName: "Phishing-resistant MFA" }) });
}

function errorOf(body: unknown, ctx = v1): string {
  const result = prepareCreate(body, ctx);
  if (result.ok) throw new Error("expected a refusal");
  return `${result.error.status} ${result.error.code} ${result.error.message}`;
}

describe("Conditional Access policy bodies", () => {
  it("fills empty arrays, clientAppTypes all and null blocks as Graph's create response does", () => {
    const result = prepareCreate(base, v1);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const shown = render(result.value);
    expect(shown["sessionControls"]).toBeNull();
    const conditions = shown["conditions"] as Record<string, unknown>;
    expect(conditions["clientAppTypes"]).toEqual(["all"]);
    expect(conditions["platforms"]).toBeNull();
    expect(conditions["signInRiskLevels"]).toEqual([]);
    expect(conditions["users"]).toMatchObject({ includeUsers: [], excludeGroups: [], includeGroups: [GROUP] });
    expect(shown["grantControls"]).toMatchObject({ termsOfUse: [], customAuthenticationFactors: [], authenticationStrength: null });
  });

  it("reads an empty locations or platforms block back as null, and refuses excludes without includes", () => {
    const empty = prepareCreate({ ...base, conditions: { ...base.conditions, locations: { includeLocations: [], excludeLocations: [] }, platforms: { includePlatforms: [] } } }, v1);
    expect(empty.ok).toBe(true);
    if (!empty.ok) return;
    const conditions = render(empty.value)["conditions"] as Record<string, unknown>;
    expect(conditions["locations"]).toBeNull();
    expect(conditions["platforms"]).toBeNull();
    expect(errorOf({ ...base, conditions: { ...base.conditions, locations: { includeLocations: [], excludeLocations: ["AllTrusted"] } } })).toContain("InvalidLocationsCondition");
  });

  it("refuses a non-object body and schema mismatches with 1007", () => {
    expect(errorOf(null)).toMatch(/^400 BadRequest 1007: Incoming ConditionalAccessPolicy object is null/);
    expect(errorOf({ ...base, state: "on" })).toMatch(/1007/);
    expect(errorOf({ ...base, conditions: { ...base.conditions, clientAppTypes: ["All"] } })).toMatch(/1007/);
  });

  it("refuses All in includeGroups and ids of objects that do not exist", () => {
    const withGroups = (groups: string[]) => ({ ...base, conditions: { ...base.conditions, users: { includeGroups: groups } } });
    expect(errorOf(withGroups(["All"]))).toBe("400 BadRequest 1054: Invalid group value: All.");
    expect(errorOf(withGroups(["<EmergencyAccessAccountsGroup>"]))).toContain("Invalid group value: <EmergencyAccessAccountsGroup>");
    expect(errorOf(withGroups(["11111111-1111-1111-1111-111111111111"]))).toContain("1054");
    expect(errorOf({ ...base, conditions: { ...base.conditions, users: { includeRoles: ["All"] } } })).toContain("Invalid role value: All.");
  });

  it("requires users, applications and a grant or session control", () => {
    expect(errorOf({ ...base, conditions: { applications: { includeApplications: ["All"] } } })).toContain("MissingUsersCondition");
    expect(errorOf({ ...base, conditions: { users: { includeUsers: ["All"] } } })).toContain("MissingApplicationsCondition");
    const { grantControls: _, ...noGrant } = base;
    expect(errorOf(noGrant)).toContain("MissingGrantOrSessionControls");
  });

  it("refuses includeApplications together with includeUserActions (1012)", () => {
    const body = { ...base, conditions: { ...base.conditions, applications: { includeApplications: ["All"], includeUserActions: ["urn:user:registersecurityinfo"] } } };
    expect(errorOf(body)).toContain("1012: 'applications' condition cannot include both");
  });

  it("accepts beta-only blocks on beta and refuses them on v1.0 like the OData reader", () => {
    const body = { ...base, conditions: { ...base.conditions, times: null } };
    expect(errorOf(body)).toBe(
      "400 BadRequest The property 'times' does not exist on type 'microsoft.graph.conditionalAccessConditionSet'. Make sure to only use property names that are defined by the type or mark the type as open type.",
    );
    expect(prepareCreate(body, beta).ok).toBe(true);
  });

  it("writes flag enums comma-joined in declaration order", () => {
    const body = {
      ...base,
      conditions: { ...base.conditions, users: { includeGuestsOrExternalUsers: { guestOrExternalUserTypes: "serviceProvider, b2bCollaborationGuest", externalTenants: { "@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", membershipKind: "all" } } } },
    };
    const result = prepareCreate(body, v1);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const users = (result.value["conditions"] as Record<string, Record<string, Record<string, unknown>>>)["users"];
    expect(users?.["includeGuestsOrExternalUsers"]?.["guestOrExternalUserTypes"]).toBe("b2bCollaborationGuest,serviceProvider");
  });

  it("hides riskRemediation unless Prefer: include-unknown-enum-members", () => {
    const body = {
      ...base,
      conditions: { ...base.conditions, applications: { includeApplications: ["All"] }, users: { includeUsers: ["All"] }, userRiskLevels: ["high"] },
      grantControls: { operator: "AND", builtInControls: ["riskRemediation"] },
    };
    expect(errorOf(body)).toContain("1007");
    const result = prepareCreate(body, { ...v1, includeUnknownEnumMembers: true });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect((render(result.value)["grantControls"] as Record<string, unknown>)["builtInControls"]).toEqual(["unknownFutureValue"]);
    expect((render(result.value, "v1.0", true)["grantControls"] as Record<string, unknown>)["builtInControls"]).toEqual(["riskRemediation"]);
  });

  it("stores an authentication strength as a reference and embeds it on read", () => {
    const body = { ...base, grantControls: { operator: "OR", builtInControls: [], authenticationStrength: { id: STRENGTH, displayName: "ignored" } } };
    const result = prepareCreate(body, v1);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect((result.value["grantControls"] as Record<string, unknown>)["authenticationStrength"]).toEqual({ id: STRENGTH });
    expect((render(result.value)["grantControls"] as Record<string, unknown>)["authenticationStrength"]).toEqual({ id: STRENGTH, displayName: "Phishing-resistant MFA" });
    expect(errorOf({ ...body, grantControls: { operator: "OR", builtInControls: ["mfa"], authenticationStrength: { id: STRENGTH } } })).toContain("1032");
  });

  it("PATCH merges complex values, replaces arrays and keeps beta blocks a v1.0 client cannot see", () => {
    const created = prepareCreate({ ...base, conditions: { ...base.conditions, times: { included: null } } }, beta);
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    const updated = prepareUpdate(created.value, { conditions: { users: { includeUsers: ["All"] } }, state: "disabled" }, v1);
    expect(updated.ok).toBe(true);
    if (!updated.ok) return;
    const conditions = updated.value["conditions"] as Record<string, unknown>;
    expect(conditions["users"]).toMatchObject({ includeUsers: ["All"], includeGroups: [GROUP] });
    expect(conditions["times"]).toEqual({ included: null });
    expect(updated.value["state"]).toBe("disabled");
    expect(render(updated.value)["conditions"]).not.toHaveProperty("times");
    expect(render(updated.value, "beta")["conditions"]).toHaveProperty("times");
  });
});
