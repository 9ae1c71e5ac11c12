import { describe, expect, it } from "vitest";
import { dropSecretValues, keepSecretReferences, resolveSecrets, secretProblems, secretVariable } from "../../src/kinds/secret-references.js";

const kind = { secrets: [{ property: "clientSecret", requiredOnCreate: true as const }] };

describe("write-only secrets named by environment variable", () => {
  it("reads env:NAME and nothing else", () => {
    expect(secretVariable("env:GOOGLE_SECRET")).toBe("GOOGLE_SECRET");
    expect(secretVariable("${env:GOOGLE_SECRET}")).toBeUndefined();
    expect(secretVariable("env:1BAD")).toBeUndefined();
    expect(secretVariable("******")).toBeUndefined();
  });

  it("drops Graph's mask but keeps a reference", () => {
    const live = { clientId: "c", clientSecret: "******" };
    dropSecretValues(kind, live);
    expect(live).toEqual({ clientId: "c" });
    const doc = { clientSecret: "env:S" };
    dropSecretValues(kind, doc);
    expect(doc).toEqual({ clientSecret: "env:S" });
  });

  it("names what a create lacks: the reference, or the variable's value", () => {
    expect(secretProblems(kind, {}, {})[0]?.message).toContain("clientSecret is required to create it");
    expect(secretProblems(kind, { clientSecret: "env:S" }, {})[0]?.message).toBe("clientSecret names the environment variable S, which is not set");
    expect(secretProblems(kind, { clientSecret: "env:S" }, { S: "value" })).toEqual([]);
  });

  it("resolves the value only into the request body", () => {
    expect(resolveSecrets(kind, { clientSecret: "env:S", clientId: "c" }, { S: "value" })).toEqual({ clientSecret: "value", clientId: "c" });
    expect(() => resolveSecrets(kind, { clientSecret: "env:S" }, {})).toThrow("S, which is not set");
  });

  it("keeps the reference of the document export rewrites", () => {
    expect(keepSecretReferences(kind, { clientId: "new" }, { clientId: "old", clientSecret: "env:S" })).toEqual({ clientId: "new", clientSecret: "env:S" });
    expect(keepSecretReferences(kind, { clientId: "new" }, undefined)).toEqual({ clientId: "new" });
  });
});
