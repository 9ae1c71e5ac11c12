import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import { findStale, isStale } from "../../src/engine/plan/staleness.js";
import { KINDS, SOURCE, doc, live } from "./fixtures.js";

describe("stale plan detection", () => {
  const actual = [live("group", "a", "id-a", { displayName: "A" }), live("group", "b", "id-b", { displayName: "B" })];
  const plan = computePlan([doc("group", "a", { displayName: "A", description: "x" }, "id-a")], actual, { descriptors: KINDS, source: SOURCE, scope: ["group"] });

  it("finds nothing when the tenant is as it was read", () => {
    expect(isStale(findStale(plan, [...actual].reverse()))).toBe(false);
  });

  it("names objects changed, deleted or created since the plan", () => {
    const now = [live("group", "a", "id-a", { displayName: "A", description: "portal edit" }), live("group", "c", "id-c", { displayName: "C" })];
    const stale = findStale(plan, now);
    expect(stale.changed.map((f) => f.address)).toEqual(["group/a"]);
    expect(stale.missing.map((f) => f.address)).toEqual(["group/b"]);
    expect(stale.added).toEqual([{ kind: "group", id: "id-c", name: "c" }]);
    expect(isStale(stale)).toBe(true);
  });
});
