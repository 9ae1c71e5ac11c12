import { beforeAll, describe, expect, it } from "vitest";
import type { JsonObject, JsonValue } from "../../src/model/document.js";
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

// Skipped at collection by `existsSync` alone: the corpus is listed and read only inside hooks and
// tests, so a clone with nothing beside it collects this file without touching ../shared.
describe.skipIf(!hasCorpus)("real Conditional Access baselines (requires ../shared/corpus)", () => {
  let directory: FakeDirectory;
  beforeAll(() => {
    directory = baselineDirectory();
  });

  it("j0eyv policies: beta export → clean, idempotent documents whose references round-trip", () => {
    const policies = listCorpus(...BASELINE, "ConditionalAccess");
    expect(policies.length).toBeGreaterThan(20);
    for (const file of policies) {
      const live = readCorpusJson(...BASELINE, "ConditionalAccess", file);
      const { spec, name, id } = normalizeLive(ca, live, directory);
      expect(id, file).toBe(live.id);
      expect(name, file).toBe(slugify(text(live.displayName)));
      const json = JSON.stringify(spec);
      expect(json, file).not.toMatch(/@odata\.(context|id|editLink|navigationLink|associationLink)|"#microsoft\.graph\.\w+":|DateTime"/);
      expect(normalizeDocument(ca, spec, directory), file).toStrictEqual(spec);
      // Every group GUID of the baseline is now a name.
      expect(json, file).not.toMatch(/"(include|exclude)Groups":\[[^\]]*"[0-9a-f]{8}-/);
      const withIds = structuredClone(spec);
      namesToIds(withIds, allReferenceFields(ca), directory);
      expect(normalizeLive(ca, withIds, directory).spec, file).toStrictEqual(spec);
      expect(() => toGraph(ca, spec, directory, "create"), file).not.toThrow();
    }
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

  it("j0eyv named locations normalize idempotently", () => {
    const location = getKind("namedLocation");
    const files = listCorpus(...BASELINE, "NamedLocations");
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const { spec } = normalizeLive(location, readCorpusJson(...BASELINE, "NamedLocations", file), NO_IDS);
      // The baseline also holds a beta-only compliantNetworkNamedLocation.
      expect(spec["@odata.type"], file).toMatch(/^#microsoft\.graph\.\w+NamedLocation$/);
      expect(spec, file).not.toHaveProperty("countryLookupMethod", "clientIpAddress");
      expect(normalizeDocument(location, spec), file).toStrictEqual(spec);
    }
  });

  it("j0eyv groups drop placeholders and sync fields", () => {
    const group = getKind("group");
    const files = listCorpus(...BASELINE, "Groups");
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const { spec } = normalizeLive(group, readCorpusJson(...BASELINE, "Groups", file), NO_IDS);
      for (const key of ["organizationId", "securityIdentifier", "createdByAppId", "renewedDateTime", "writebackConfiguration"]) {
        expect(spec, file).not.toHaveProperty(key);
      }
      expect(normalizeDocument(group, spec), file).toStrictEqual(spec);
    }
  });

  it("treats Fortigi's clientAppTypes [\"All\"] as Graph's [all]", () => {
    const policy = readCorpusJson("Fortigi__ConditionalAccess", "Examples", "Policy", "CA-01- All Apps - All Admins - Require MFA.json");
    const spec = normalizeDocument(ca, policy);
    expect(spec.conditions).not.toHaveProperty("clientAppTypes");
    expect(normalizeDocument(ca, { ...policy, conditions: { ...(policy.conditions as JsonObject), clientAppTypes: ["all"] } })).toStrictEqual(spec);
  });
});
