import { describe, expect, it } from "vitest";
import type { Kind } from "../../src/model/kind.js";
import { normalizeDocument, normalizeLive } from "../../src/kinds/normalize.js";
import { NO_IDS } from "../../src/kinds/references.js";
import { getKind } from "../../src/kinds/registry.js";
import { hasCorpus, listCorpus, readCorpusJson } from "./corpus.js";

const API = ["microsoftgraph__microsoft-graph-docs-contrib", "api-reference", "v1.0", "api"];

/** POST examples of the Graph reference: the request a person wrote and the object Graph created. */
const POSTS: [string, Kind][] = [
  ["conditionalaccessroot-post-policies", "conditionalAccessPolicy"],
  ["conditionalaccessroot-post-namedlocations", "namedLocation"],
  ["authenticationstrengthroot-post-policies", "authenticationStrengthPolicy"],
  ["crosstenantaccesspolicy-post-partners", "crossTenantAccessPolicyPartner"],
];

const GETS: [string, Kind][] = [
  ["application-get", "application"],
  ["authorizationpolicy-get", "authorizationPolicy"],
  ["crosstenantaccesspolicyconfigurationdefault-get", "crossTenantAccessPolicyDefault"],
];

// Skipped at collection by `existsSync` alone: the corpus is listed and read only inside tests, so
// a clone with nothing beside it collects this file without touching ../shared.
describe.skipIf(!hasCorpus)("Graph reference examples (requires ../shared/corpus)", () => {
  describe.each(POSTS)("%s", (folder, kind) => {
    it("every request body normalizes to the created object (export then plan is empty)", () => {
      const descriptor = getKind(kind);
      const examples = listCorpus(...API, folder)
        .filter((f) => f.endsWith("-request.json"))
        .map((f) => f.replace("-request.json", ""));
      expect(examples.length).toBeGreaterThan(0);
      for (const example of examples) {
        const request = readCorpusJson(...API, folder, `${example}-request.json`);
        const response = readCorpusJson(...API, folder, `${example}-response.json`);
        const live = normalizeLive(descriptor, response, NO_IDS);
        expect(normalizeDocument(descriptor, request), example).toStrictEqual(live.spec);
        expect(normalizeDocument(descriptor, live.spec), example).toStrictEqual(live.spec);
      }
    });
  });

  describe.each(GETS)("%s", (folder, kind) => {
    it("every example normalizes idempotently without OData noise or server fields", () => {
      const descriptor = getKind(kind);
      const files = listCorpus(...API, folder);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const live = readCorpusJson(...API, folder, file);
        const { spec } = normalizeLive(descriptor, live, NO_IDS);
        expect(normalizeDocument(descriptor, spec), file).toStrictEqual(spec);
        expect(JSON.stringify(spec), file).not.toMatch(/@odata|createdDateTime|isServiceDefault|publisherDomain/);
        for (const key of ["id", "appId", "deletedDateTime"]) expect(spec, file).not.toHaveProperty(key);
        expect(Object.keys(spec).length, file).toBeGreaterThan(0);
      }
    });
  });

  it("keeps what matters in the application example and drops Graph's empty placeholders", () => {
    const { spec, name } = normalizeLive(getKind("application"), readCorpusJson(...API, "application-get", "example1-response.json"), NO_IDS);
    expect(name).toBe("display-name");
    expect(spec).toStrictEqual({
      displayName: "Display name",
      samlMetadataUrl: "https://graph.microsoft.com/2h5hjaj542de/app",
      signInAudience: "AzureADandPersonalMicrosoftAccount",
      api: { requestedAccessTokenVersion: 2 },
    });
  });
});
