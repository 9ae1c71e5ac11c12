import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/model/document.js";
import { KIND_NAMES } from "../../src/model/kind.js";
import { allReferenceFields, normalizeDocument, normalizeLive } from "../../src/kinds/normalize.js";
import { namesToIds } from "../../src/kinds/references.js";
import { getKind } from "../../src/kinds/registry.js";
import { contosoDirectory } from "./directory.js";
import { directoryFixtures } from "./fixtures-directory.js";
import { policyFixtures } from "./fixtures-policies.js";
import { tenantPolicyFixtures } from "./fixtures-tenant.js";

const fixtures = [...policyFixtures, ...tenantPolicyFixtures, ...directoryFixtures];
const directory = contosoDirectory();

describe("fixtures", () => {
  it("cover every kind", () => {
    expect(new Set(fixtures.map((f) => f.kind))).toEqual(new Set(KIND_NAMES));
  });
});

describe.each(fixtures)("$kind: live object → document", (fixture) => {
  const descriptor = getKind(fixture.kind);
  const original = structuredClone(fixture.live);
  const normalized = normalizeLive(descriptor, fixture.live, directory);

  it("gives the expected spec, name, id and annotations", () => {
    expect(normalized.spec).toStrictEqual(fixture.spec);
    expect(normalized.name).toBe(fixture.name);
    expect(normalized.id).toBe(fixture.id);
    expect(normalized.annotations).toStrictEqual(fixture.annotations ?? {});
  });

  it("leaves the live object untouched", () => {
    expect(fixture.live).toStrictEqual(original);
  });

  it("is idempotent: normalizeDocument(spec) is the spec, with or without a resolver", () => {
    expect(normalizeDocument(descriptor, normalized.spec)).toStrictEqual(normalized.spec);
    expect(normalizeDocument(descriptor, normalized.spec, directory)).toStrictEqual(normalized.spec);
    expect(normalizeLive(descriptor, normalized.spec, directory).spec).toStrictEqual(normalized.spec);
  });

  it("round-trips ids: names → ids → names gives the same document", () => {
    const withIds = structuredClone(normalized.spec);
    namesToIds(withIds, allReferenceFields(descriptor), directory);
    expect(JSON.stringify(withIds)).not.toMatch(/"(group|user|namedLocation|application|servicePrincipal|administrativeUnit|authenticationContext|authenticationStrength|role):/);
    expect(normalizeLive(descriptor, withIds, directory).spec).toStrictEqual(normalized.spec);
  });

  it("puts no server-managed field and no OData annotation other than @odata.type in the spec", () => {
    const text = JSON.stringify(normalized.spec);
    expect(text).not.toMatch(/"@odata\.(context|id|editLink|nextLink)"|@odata\.(navigationLink|associationLink)|"#microsoft\.graph\.restore"/);
    for (const field of ["createdDateTime", "modifiedDateTime", "deletedDateTime", "lastModifiedDateTime", "secretText", "hint"]) {
      expect(text).not.toContain(`"${field}"`);
    }
  });
});

describe("normalizeDocument", () => {
  const ca = getKind("conditionalAccessPolicy");

  it("treats null, empty arrays, empty objects and absence alike", () => {
    const a: JsonObject = {
      displayName: "x",
      state: "enabled",
      sessionControls: null,
      conditions: { users: { includeUsers: ["All"], excludeUsers: [] }, platforms: { includePlatforms: [] }, locations: null },
      grantControls: { operator: "OR", builtInControls: ["mfa"], termsOfUse: [] },
    };
    const b: JsonObject = {
      displayName: "x",
      state: "enabled",
      conditions: { users: { includeUsers: ["All"] } },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    };
    expect(normalizeDocument(ca, a)).toStrictEqual(normalizeDocument(ca, b));
    expect(normalizeDocument(ca, a)).not.toHaveProperty("sessionControls");
  });

  it("keeps false and zero, which are values and not absence", () => {
    const spec = normalizeDocument(getKind("authorizationPolicy"), { allowedToUseSSPR: false, defaultUserRolePermissions: { allowedToCreateApps: false } });
    expect(spec).toStrictEqual({ allowedToUseSSPR: false, defaultUserRolePermissions: { allowedToCreateApps: false } });
  });

  it("drops values equal to Graph's defaults on both sides", () => {
    const location = getKind("namedLocation");
    const written = { "@odata.type": "#microsoft.graph.countryNamedLocation", displayName: "EU", countriesAndRegions: ["fr", "DE"] };
    const live = { ...written, id: "1c4427fd-0885-4a3d-8b23-09a899ffa959", countryLookupMethod: "clientIpAddress", countriesAndRegions: ["DE", "FR"] };
    expect(normalizeDocument(location, written)).toStrictEqual(normalizeLive(location, live, directory).spec);
  });

  it("sorts and de-duplicates set arrays deterministically", () => {
    const spec = normalizeDocument(ca, { conditions: { users: { excludeGroups: ["group:b", "group:a", "group:b"] } } });
    expect(spec).toStrictEqual({ conditions: { users: { excludeGroups: ["group:a", "group:b"] } } });
  });

  it("converts GUIDs of managed objects to references when given a resolver", () => {
    const spec = normalizeDocument(ca, { conditions: { users: { excludeGroups: ["8E75AF29-5176-4372-A718-724B8A4620DC"] } } }, directory);
    expect(spec).toStrictEqual({ conditions: { users: { excludeGroups: ["group:emergency-access"] } } });
  });

  it("adds the IP range type Graph needs when a person leaves it out", () => {
    const spec = normalizeDocument(getKind("namedLocation"), {
      "@odata.type": "#microsoft.graph.ipNamedLocation",
      displayName: "Office",
      ipRanges: [{ cidrAddress: "2001:DB8::/32" }, { cidrAddress: "10.0.0.0/8" }],
    });
    expect(spec.ipRanges).toStrictEqual([
      { cidrAddress: "10.0.0.0/8", "@odata.type": "#microsoft.graph.iPv4CidrRange" },
      { cidrAddress: "2001:db8::/32", "@odata.type": "#microsoft.graph.iPv6CidrRange" },
    ]);
  });
});

describe("unmanaged GUIDs", () => {
  it("compare case-insensitively, as Graph does", () => {
    const ca = getKind("conditionalAccessPolicy");
    const written = normalizeDocument(ca, { grantControls: { operator: "OR", termsOfUse: [] }, conditions: { users: { excludeUsers: ["124C5B6A-FFA5-483A-9B88-04C3FCE5574A"] } } });
    expect(written).toStrictEqual({ conditions: { users: { excludeUsers: ["124c5b6a-ffa5-483a-9b88-04c3fce5574a"] } } });
  });
});
