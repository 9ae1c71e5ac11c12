import { describe, expect, it } from "vitest";
import type { JsonObject, JsonValue } from "../../src/documents/types.js";
import { slugify } from "../../src/kinds/naming.js";
import { allReferenceFields, normalizeDocument, normalizeLive } from "../../src/kinds/normalize.js";
import { namesToIds, NO_IDS } from "../../src/kinds/references.js";
import { getKind } from "../../src/kinds/registry.js";
import { toGraph } from "../../src/kinds/toGraph.js";
import { FakeDirectory } from "./directory.js";
import { hasCorpus, listCorpus, readCorpusJson } from "./corpus.js";

const BASELINE = ["j0eyv__ConditionalAccessBaseline", "Config"];
const ca = getKind("conditionalAccessPolicy");

function text(value: JsonValue | undefined): string {
  return typeof value === "string" ? value : "";
}

/** The baseline's tenant: its groups and named locations managed, the rest known by name from the migration table. */
function baselineDirectory(): FakeDirectory {
  const directory = new FakeDirectory();
  for (const file of listCorpus(...BASELINE, "Groups")) {
    const group = readCorpusJson(...BASELINE, "Groups", file);
    directory.add("group", slugify(text(group.displayName)), text(group.id));
  }
  for (const file of listCorpus(...BASELINE, "NamedLocations")) {
    const location = readCorpusJson(...BASELINE, "NamedLocations", file);
    directory.add("namedLocation", slugify(text(location.displayName)), text(location.id));
  }
  const table = readCorpusJson(...BASELINE, "MigrationTable.json").Objects;
  for (const entry of Array.isArray(table) ? table : []) {
    if (typeof entry === "object" && entry !== null && !Array.isArray(entry)) directory.known(text(entry.Id), text(entry.DisplayName));
  }
  return directory;
}

describe.skipIf(!hasCorpus)("real Conditional Access baselines (requires ../shared/corpus)", () => {
  const directory = baselineDirectory();
  const policies = listCorpus(...BASELINE, "ConditionalAccess");

  it.each(policies)("j0eyv %s: beta export → clean, idempotent document whose references round-trip", (file) => {
    const live = readCorpusJson(...BASELINE, "ConditionalAccess", file);
    const { spec, name, id } = normalizeLive(ca, live, directory);
    expect(id).toBe(live.id);
    expect(name).toBe(slugify(text(live.displayName)));
    const json = JSON.stringify(spec);
    expect(json).not.toMatch(/@odata\.(context|id|editLink|navigationLink|associationLink)|"#microsoft\.graph\.\w+":|DateTime"/);
    expect(normalizeDocument(ca, spec, directory)).toStrictEqual(spec);
    // Every group GUID of the baseline is now a name.
    expect(json).not.toMatch(/"(include|exclude)Groups":\[[^\]]*"[0-9a-f]{8}-/);
    const withIds = structuredClone(spec);
    namesToIds(withIds, allReferenceFields(ca), directory);
    expect(normalizeLive(ca, withIds, directory).spec).toStrictEqual(spec);
    expect(() => toGraph(ca, spec, directory, "create")).not.toThrow();
  });

  it("names the embedded built-in authentication strength like the {id} form of another baseline", () => {
    const embedded = normalizeLive(ca, readCorpusJson(...BASELINE, "ConditionalAccess", "CA105-Admins-IdentityProtection-AnyApp-AnyPlatform-PhishingResistantMFA.json"), directory);
    expect(embedded.spec.grantControls).toStrictEqual({ operator: "OR", authenticationStrength: { id: "authenticationStrength:Phishing-resistant MFA" } });
    const byId = normalizeDocument(ca, readCorpusJson("AlexFilipin__ConditionalAccess", "PolicyRepository", "Base protection", "202 - RING - Base protection - All apps Require Strong Auth When medium or above sign-in risk is detected.json"));
    expect(byId.grantControls).toStrictEqual(embedded.spec.grantControls);
  });

  it("annotates break-glass exclusions it can name but does not manage", () => {
    const live = readCorpusJson(...BASELINE, "ConditionalAccess", "CA000-Global-IdentityProtection-AnyApp-AnyPlatform-MFA.json");
    const directoryWithoutGroups = new FakeDirectory().known("8e75af29-5176-4372-a718-724b8a4620dc", "CA101-Admins-IdentityProtection-AnyApp-AnyPlatform-MFA - Exclude");
    const { spec, annotations } = normalizeLive(ca, live, directoryWithoutGroups);
    const groups = (spec.conditions as JsonObject).users as JsonObject;
    const index = (groups.excludeGroups as string[]).indexOf("8e75af29-5176-4372-a718-724b8a4620dc");
    expect(annotations[`conditions.users.excludeGroups[${index}]`]).toBe("CA101-Admins-IdentityProtection-AnyApp-AnyPlatform-MFA - Exclude");
    expect(groups.excludeRoles).toStrictEqual(["role:Directory Synchronization Accounts"]);
  });

  it.each(listCorpus(...BASELINE, "NamedLocations"))("j0eyv named location %s normalizes idempotently", (file) => {
    const location = getKind("namedLocation");
    const { spec } = normalizeLive(location, readCorpusJson(...BASELINE, "NamedLocations", file), NO_IDS);
    // The baseline also holds a beta-only compliantNetworkNamedLocation.
    expect(spec["@odata.type"]).toMatch(/^#microsoft\.graph\.\w+NamedLocation$/);
    expect(spec).not.toHaveProperty("countryLookupMethod", "clientIpAddress");
    expect(normalizeDocument(location, spec)).toStrictEqual(spec);
  });

  it.each(listCorpus(...BASELINE, "Groups"))("j0eyv group %s drops placeholders and sync fields", (file) => {
    const group = getKind("group");
    const { spec } = normalizeLive(group, readCorpusJson(...BASELINE, "Groups", file), NO_IDS);
    for (const key of ["organizationId", "securityIdentifier", "createdByAppId", "renewedDateTime", "writebackConfiguration"]) {
      expect(spec).not.toHaveProperty(key);
    }
    expect(normalizeDocument(group, spec)).toStrictEqual(spec);
  });

  it("treats Fortigi's clientAppTypes [\"All\"] as Graph's [all]", () => {
    const policy = readCorpusJson("Fortigi__ConditionalAccess", "Examples", "Policy", "CA-01- All Apps - All Admins - Require MFA.json");
    const spec = normalizeDocument(ca, policy);
    expect(spec.conditions).not.toHaveProperty("clientAppTypes");
    expect(normalizeDocument(ca, { ...policy, conditions: { ...(policy.conditions as JsonObject), clientAppTypes: ["all"] } })).toStrictEqual(spec);
  });
});
