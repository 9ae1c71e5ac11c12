import { describe, expect, it } from "vitest";
import { TestTenant } from "../tenant/helpers.js";

const LOCATIONS = "/identity/conditionalAccess/namedLocations";
const STRENGTHS = "/policies/authenticationStrengthPolicies";
const CONTEXTS = "/identity/conditionalAccess/authenticationContextClassReferences";

const ip = (displayName: string, cidr = "203.0.113.0/24") => ({
  "@odata.type": "#microsoft.graph.ipNamedLocation",
  displayName,
  isTrusted: true,
  ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: cidr }],
});
const country = (displayName: string, countriesAndRegions: string[]) => ({ "@odata.type": "#microsoft.graph.countryNamedLocation", displayName, countriesAndRegions });

function values(body: Record<string, unknown>): Record<string, unknown>[] {
  return body["value"] as Record<string, unknown>[];
}

describe("named locations", () => {
  it("creates ip and country locations with Graph's defaults", async () => {
    const t = new TestTenant();
    const a = await t.call(LOCATIONS, { method: "POST", body: ip("HQ") });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ "@odata.type": "#microsoft.graph.ipNamedLocation", createdDateTime: "2026-01-01T00:00:00.000Z", modifiedDateTime: "2026-01-01T00:00:00.000Z", isTrusted: true });
    const b = await t.call(LOCATIONS, { method: "POST", body: country("Allowed", ["US", "CA"]) });
    expect(b.body).toMatchObject({ includeUnknownCountriesAndRegions: false, countryLookupMethod: "clientIpAddress" });
  });

  it("supports isof() and countriesAndRegions/any() filters", async () => {
    const t = new TestTenant();
    await t.call(LOCATIONS, { method: "POST", body: ip("HQ") });
    await t.call(LOCATIONS, { method: "POST", body: country("North America", ["US", "CA"]) });
    await t.call(LOCATIONS, { method: "POST", body: country("Europe", ["DE", "NL"]) });
    const ips = await t.call(`${LOCATIONS}?$filter=${encodeURIComponent("isof('microsoft.graph.ipNamedLocation')")}`);
    expect(values(ips.body).map((l) => l["displayName"])).toEqual(["HQ"]);
    const withCanada = await t.call(`${LOCATIONS}?$filter=${encodeURIComponent("microsoft.graph.countryNamedLocation/countriesAndRegions/any(c: c eq 'CA')")}`);
    expect(values(withCanada.body).map((l) => l["displayName"])).toEqual(["North America"]);
  });

  it("refuses a missing @odata.type, an invalid CIDR and a lowercase country code", async () => {
    const t = new TestTenant();
    expect((await t.call(LOCATIONS, { method: "POST", body: { displayName: "x", isTrusted: false } })).status).toBe(400);
    const cidr = await t.call(LOCATIONS, { method: "POST", body: ip("x", "10.0.0.0/4") });
    expect((cidr.body["error"] as Record<string, unknown>)["message"]).toContain("Invalid IP range: '10.0.0.0/4'");
    const code = await t.call(LOCATIONS, { method: "POST", body: country("x", ["us"]) });
    expect((code.body["error"] as Record<string, unknown>)["message"]).toContain("Invalid country or region code: 'us'");
  });

  it("refuses to delete a trusted location until it is made untrusted", async () => {
    const t = new TestTenant();
    const id = String((await t.call(LOCATIONS, { method: "POST", body: { ...ip("Trusted HQ"), isTrusted: true } })).body["id"]);
    const refused = await t.call(`${LOCATIONS}/${id}`, { method: "DELETE" });
    expect(refused.status).toBe(400);
    expect((refused.body["error"] as Record<string, unknown>)["message"]).toMatch(/trusted and cannot be deleted/);
    expect((await t.call(`${LOCATIONS}/${id}`, { method: "PATCH", body: { "@odata.type": "#microsoft.graph.ipNamedLocation", isTrusted: false } })).status).toBe(204);
    expect((await t.call(`${LOCATIONS}/${id}`, { method: "DELETE" })).status).toBe(204);
  });

  it("refuses to delete a location a policy uses, soft-deletes and restores one that is free", async () => {
    const t = new TestTenant();
    const used = String((await t.call(LOCATIONS, { method: "POST", body: ip("HQ") })).body["id"]);
    const free = String((await t.call(LOCATIONS, { method: "POST", body: { ...ip("Branch", "198.51.100.0/24"), isTrusted: false } })).body["id"]);
    const policy = await t.call("/identity/conditionalAccess/policies", {
      method: "POST",
      body: { displayName: "Block outside HQ", state: "disabled", conditions: { users: { includeUsers: ["All"] }, applications: { includeApplications: ["All"] }, locations: { includeLocations: ["All"], excludeLocations: [used] } }, grantControls: { operator: "OR", builtInControls: ["block"] } },
    });
    expect(policy.status).toBe(201);
    expect((await t.call(`${LOCATIONS}/${used}`, { method: "DELETE" })).status).toBe(400);
    expect((await t.call(`${LOCATIONS}/${free}`, { method: "DELETE" })).status).toBe(204);
    const bin = await t.call("/identity/conditionalAccess/deletedItems/namedLocations", { version: "beta" });
    expect(values(bin.body).map((l) => l["id"])).toEqual([free]);
    expect((await t.call(`/identity/conditionalAccess/deletedItems/namedLocations/${free}/restore`, { method: "POST", version: "beta" })).body).toMatchObject({ id: free, deletedDateTime: null, displayName: "Branch" });
  });

  it("PATCH keeps the type and replaces ipRanges whole", async () => {
    const t = new TestTenant();
    const id = String((await t.call(LOCATIONS, { method: "POST", body: ip("HQ") })).body["id"]);
    const patch = { "@odata.type": "#microsoft.graph.ipNamedLocation", ipRanges: [{ "@odata.type": "#microsoft.graph.iPv6CidrRange", cidrAddress: "2001:db8::/48" }] };
    expect((await t.call(`${LOCATIONS}/${id}`, { method: "PATCH", body: patch })).status).toBe(204);
    expect((await t.call(`${LOCATIONS}/${id}`)).body["ipRanges"]).toEqual(patch.ipRanges);
    expect((await t.call(`${LOCATIONS}/${id}`, { method: "PATCH", body: { "@odata.type": "#microsoft.graph.countryNamedLocation", countriesAndRegions: ["US"] } })).status).toBe(400);
    expect((await t.call(`${LOCATIONS}/${id}`, { method: "PATCH", body: { displayName: "No type" } })).status).toBe(400);
    const audit = await t.call("/auditLogs/directoryAudits");
    expect((audit.body["value"] as Record<string, unknown>[]).map((e) => e["activityDisplayName"]).sort()).toEqual(["Add named location", "Update named location"]);
  });
});

describe("authentication strengths", () => {
  it("lists the three built-ins with their fixed ids; they are read-only", async () => {
    const t = new TestTenant();
    const list = await t.call(STRENGTHS);
    const builtIns = values(list.body).filter((s) => s["policyType"] === "builtIn").map((s) => [s["id"], s["displayName"]]);
    expect(builtIns).toEqual([
      ["00000000-0000-0000-0000-000000000002", "Multifactor authentication"],
      ["00000000-0000-0000-0000-000000000003", "Passwordless MFA"],
      ["00000000-0000-0000-0000-000000000004", "Phishing-resistant MFA"],
    ]);
    expect((await t.call(`${STRENGTHS}/00000000-0000-0000-0000-000000000004`, { method: "PATCH", body: { displayName: "x" } })).status).toBe(400);
    expect((await t.call(`${STRENGTHS}/00000000-0000-0000-0000-000000000004`, { method: "DELETE" })).status).toBe(400);
  });

  it("creates a custom strength like the docs example, with combinations canonical", async () => {
    const t = new TestTenant();
    const created = await t.call(STRENGTHS, { method: "POST", body: { "@odata.type": "#microsoft.graph.authenticationStrengthPolicy", displayName: "Contoso", allowedCombinations: ["password, hardwareOath", "password, sms"] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ policyType: "custom", requirementsSatisfied: "mfa", allowedCombinations: ["password,hardwareOath", "password,sms"] });
    const id = String(created.body["id"]);
    expect((await t.call(`${STRENGTHS}/${id}`, { method: "PATCH", body: { allowedCombinations: ["fido2"] } })).status).toBe(400);
    const update = await t.call(`${STRENGTHS}/${id}/updateAllowedCombinations`, { method: "POST", body: { allowedCombinations: ["fido2", "password"] } });
    expect(update.body).toMatchObject({ previousCombinations: ["password,hardwareOath", "password,sms"], currentCombinations: ["fido2", "password"] });
    expect((await t.call(`${STRENGTHS}/${id}`)).body["requirementsSatisfied"]).toBe("none");
    // Flag enum members in another order are the same combination (the engine writes them sorted).
    const reordered = await t.call(`${STRENGTHS}/${id}/updateAllowedCombinations`, { method: "POST", body: { allowedCombinations: ["hardwareOath,password"] } });
    expect(reordered.status).toBe(200);
    expect(reordered.body).toMatchObject({ currentCombinations: ["password,hardwareOath"] });
  });

  it("manages FIDO2 combination configurations and refuses deleting a strength a policy uses", async () => {
    const t = new TestTenant();
    const id = String((await t.call(STRENGTHS, { method: "POST", body: { displayName: "Keys", allowedCombinations: ["fido2"] } })).body["id"]);
    const config = await t.call(`${STRENGTHS}/${id}/combinationConfigurations`, { method: "POST", body: { "@odata.type": "#microsoft.graph.fido2CombinationConfiguration", allowedAAGUIDs: ["90a3ccdf-635c-4729-a248-9b709135078f"], appliesToCombinations: ["fido2"] } });
    expect(config.status).toBe(201);
    expect(values((await t.call(`${STRENGTHS}/${id}/combinationConfigurations`)).body)).toHaveLength(1);
    await t.call("/identity/conditionalAccess/policies", {
      method: "POST",
      body: { displayName: "Keys only", state: "disabled", conditions: { users: { includeUsers: ["All"] }, applications: { includeApplications: ["All"] } }, grantControls: { operator: "OR", authenticationStrength: { id } } },
    });
    expect((await t.call(`${STRENGTHS}/${id}`, { method: "DELETE" })).status).toBe(400);
    const usage = await t.call(`${STRENGTHS}/${id}/usage`);
    expect((usage.body["mfa"] as unknown[]).length).toBe(1);
  });
});

describe("authentication context class references", () => {
  it("PATCH upserts c1..c99 and refuses other ids", async () => {
    const t = new TestTenant();
    expect((await t.call(`${CONTEXTS}/c1`, { method: "PATCH", body: { displayName: "Sensitive", isAvailable: true } })).status).toBe(204);
    expect((await t.call(`${CONTEXTS}/c1`, { method: "PATCH", body: { description: "HR data" } })).status).toBe(204);
    expect((await t.call(`${CONTEXTS}/c1`)).body).toMatchObject({ id: "c1", displayName: "Sensitive", description: "HR data", isAvailable: true });
    expect((await t.call(`${CONTEXTS}/c100`, { method: "PATCH", body: { displayName: "x" } })).status).toBe(400);
    const policy = await t.call("/identity/conditionalAccess/policies", {
      method: "POST",
      body: { displayName: "Step-up", state: "disabled", conditions: { users: { includeUsers: ["All"] }, applications: { includeAuthenticationContextClassReferences: ["c2"] } }, grantControls: { operator: "OR", builtInControls: ["mfa"] } },
    });
    expect((policy.body["error"] as Record<string, unknown>)["message"]).toBe("1060: Invalid authentication context value: c2.");
  });
});
