import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import { fingerprint } from "../../src/engine/plan/canonical.js";
import { renderJson } from "../../src/render/json.js";
import type { EntraDocument } from "../../src/model/document.js";
import type { LiveObject } from "../../src/model/plan.js";
import { KINDS, SOURCE, caSpec, doc, live } from "./fixtures.js";

const base = { descriptors: KINDS, source: SOURCE };

describe("apply order and dependencies", () => {
  it("creates dependencies first (kinds in dependsOn order, then by name) and deletes last in reverse", () => {
    const desired: EntraDocument[] = [
      doc("conditionalAccessPolicy", "b-policy", caSpec("B", { conditions: { locations: { includeLocations: ["namedLocation:hq"] } } })),
      doc("conditionalAccessPolicy", "a-policy", caSpec("A")),
      doc("group", "emergency-access", { displayName: "Emergency access" }),
      doc("namedLocation", "hq", { displayName: "HQ", ipRanges: [] }),
      doc("application", "app", { displayName: "App" }),
      doc("servicePrincipal", "app", { appId: "application:app" }),
    ];
    const actual: LiveObject[] = [
      live("group", "old-group", "g-old", { displayName: "Old group" }),
      live("conditionalAccessPolicy", "old-policy", "p-old", caSpec("Old", { users: { includeGroups: ["group:old-group"] } })),
    ];
    const plan = computePlan(desired, actual, { ...base, scope: ["conditionalAccessPolicy", "group", "namedLocation", "application", "servicePrincipal", "user"], prune: true });
    expect(plan.changes.map((c) => `${c.action} ${c.address}`)).toEqual([
      "create namedLocation/hq",
      "create group/emergency-access",
      "create application/app",
      "create servicePrincipal/app",
      "create conditionalAccessPolicy/a-policy",
      "create conditionalAccessPolicy/b-policy",
      "delete conditionalAccessPolicy/old-policy",
      "delete group/old-group",
    ]);
    const byAddress = new Map(plan.changes.map((c) => [c.address, c]));
    const b = byAddress.get("conditionalAccessPolicy/b-policy" as never);
    expect(b?.action !== "noop" && b?.dependsOn).toEqual(["group/emergency-access", "namedLocation/hq"]);
    expect(b?.action !== "noop" && b?.references).toEqual(["group:emergency-access", "namedLocation:hq"]);
    const sp = byAddress.get("servicePrincipal/app" as never);
    expect(sp?.action !== "noop" && sp?.dependsOn).toEqual(["application/app"]);
    const oldGroup = byAddress.get("group/old-group" as never);
    expect(oldGroup?.action !== "noop" && oldGroup?.dependsOn).toEqual(["conditionalAccessPolicy/old-policy"]);
  });

  it("orders objects of one kind after the ones they reference (nested groups)", () => {
    const plan = computePlan(
      [doc("group", "a-parent", { displayName: "Parent", members: ["group:z-child"] }), doc("group", "z-child", { displayName: "Child" })],
      [],
      { ...base, scope: ["group"] },
    );
    expect(plan.changes.map((c) => c.address)).toEqual(["group/z-child", "group/a-parent"]);
  });

  it("reports a dependency cycle as an error", () => {
    const plan = computePlan(
      [doc("group", "a", { displayName: "A", members: ["group:b"] }), doc("group", "b", { displayName: "B", members: ["group:a"] })],
      [],
      { ...base, scope: ["group"] },
    );
    expect(plan.diagnostics.map((d) => d.code)).toContain("dependency-cycle");
  });

  it("reports references to nothing in a kind that was read, and to an object the plan deletes", () => {
    const plan = computePlan(
      [doc("conditionalAccessPolicy", "p", caSpec("P", { users: { includeUsers: ["All"], excludeGroups: ["group:missing", "group:old"] } }))],
      [live("group", "old", "g-old", { displayName: "Old" })],
      { ...base, scope: ["conditionalAccessPolicy", "group"], prune: true },
    );
    expect(plan.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["unresolved-reference", "group:missing names no group in the configuration or the tenant"],
      ["reference-to-deleted", "group:old is used here but this plan deletes group/old"],
    ]);
    const builtin = computePlan(
      [doc("conditionalAccessPolicy", "p", caSpec("P", { grant: { operator: "OR", authenticationStrength: "authenticationStrength:Phishing-resistant MFA" } }))],
      [live("authenticationStrengthPolicy", "custom", "s1", { displayName: "Custom" })],
      { ...base, scope: ["conditionalAccessPolicy", "authenticationStrengthPolicy"] },
    );
    expect(builtin.diagnostics.filter((d) => d.code === "unresolved-reference")).toEqual([]);
    const custom = computePlan(
      [doc("conditionalAccessPolicy", "p", caSpec("P", { grant: { operator: "OR", authenticationStrength: "authenticationStrength:Nope" } }))],
      [live("authenticationStrengthPolicy", "custom", "s1", { displayName: "Custom" })],
      { ...base, scope: ["conditionalAccessPolicy", "authenticationStrengthPolicy"] },
    );
    expect(custom.diagnostics.map((d) => d.code)).toEqual(["unresolved-reference"]);
    const outOfScope = computePlan([doc("conditionalAccessPolicy", "p", caSpec("P", { users: { includeUsers: ["user:someone@contoso.com"] } }))], [], { ...base, scope: ["conditionalAccessPolicy"] });
    expect(outOfScope.diagnostics).toEqual([]);
  });
});

describe("the plan artifact", () => {
  it("records source, settings, a fingerprint of every live object and summary counts", () => {
    const actual = [live("group", "g", "id-g", { displayName: "G" }), live("group", "other", "id-o", { displayName: "Other" })];
    const plan = computePlan([doc("group", "g", { displayName: "G", description: "d" })], actual, { ...base, scope: ["group"] });
    expect(plan.formatVersion).toBe("1");
    expect(plan.gitRevision).toBe(SOURCE.gitRevision);
    expect(plan.createdAt).toBe(SOURCE.createdAt);
    expect(plan.tenantId).toBe(SOURCE.tenantId);
    expect(plan.settings).toEqual({ prune: false, absentFields: "remove", reportOnlyNewPolicies: false, scope: ["group"], ignoreDifferences: {} });
    expect(plan.fingerprints).toEqual([
      { address: "group/g", kind: "group", id: "id-g", sha256: fingerprint({ displayName: "G" }) },
      { address: "group/other", kind: "group", id: "id-o", sha256: fingerprint({ displayName: "Other" }) },
    ]);
    expect(fingerprint({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(fingerprint({ a: [1, { c: 3, d: 2 }], b: 1 }));
    expect(plan.summary).toMatchObject({ create: 0, update: 1, delete: 0, restore: 0, noop: 0, unmanaged: 1, errors: 0 });
  });

  it("is deterministic: input order and key order do not change the plan", () => {
    const desired = [
      doc("group", "b", { displayName: "B", description: "x", mailNickname: "b" }),
      doc("group", "a", { description: "y", displayName: "A" }),
      doc("namedLocation", "n", { displayName: "N", countriesAndRegions: ["FR", "DE"] }),
    ];
    const actual = [live("group", "a", "1", { displayName: "A" }), live("namedLocation", "n", "3", { displayName: "N", countriesAndRegions: ["DE"] }), live("group", "z", "2", { displayName: "Z" })];
    const opts = { ...base, scope: ["group", "namedLocation"] as const, prune: true };
    const one = computePlan(desired, actual, { ...opts, scope: [...opts.scope] });
    const reversedKeys = desired.map((d) => ({ ...d, spec: Object.fromEntries(Object.entries(d.spec).reverse()) }));
    const two = computePlan(reversedKeys.reverse(), [...actual].reverse(), { ...opts, scope: [...opts.scope].reverse() });
    // Specs keep the key order they came with; the artifact (renderJson) sorts keys, so it is identical.
    expect(renderJson(two)).toBe(renderJson(one));
    expect(two.changes.map((c) => c.address)).toEqual(one.changes.map((c) => c.address));
  });

  it("an exported tenant compared with itself is an empty plan", () => {
    const actual = [live("conditionalAccessPolicy", "p", "p1", caSpec("P")), live("group", "emergency-access", "g1", { displayName: "Emergency access" })];
    const desired = actual.map((o) => doc(o.kind, o.name, o.spec, o.id));
    const plan = computePlan(desired, actual, { ...base, scope: ["conditionalAccessPolicy", "group"], prune: true });
    expect(plan.changes.every((c) => c.action === "noop")).toBe(true);
    expect(plan.summary.noop).toBe(2);
  });
});
