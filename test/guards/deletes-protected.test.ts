import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import { runGuards } from "../../src/guards/run-guards.js";
import { globToRegExp } from "../../src/guards/glob.js";
import type { GuardContext } from "../../src/guards/types.js";
import { blockingFindings, isApplicable } from "../../src/model/plan-summary.js";
import { KINDS, SOURCE, doc, live } from "../plan/fixtures.js";

const ctx: GuardContext = { allowDelete: true, maxDeletes: 2, protected: [], breakGlass: { accounts: [], groups: ["group:emergency-access"] } };
const groups = (n: number) => Array.from({ length: n }, (_, i) => live("group", `g${i}`, `id-${i}`, { displayName: `G${i}` }));
const plan = (n: number, prune = true) => computePlan([], groups(n), { descriptors: KINDS, source: SOURCE, scope: ["group"], prune });

describe("delete guard", () => {
  it("passes deletes with --allow-delete, prune and within maxDeletes", () => {
    const p = runGuards(plan(2), ctx);
    expect(p.guards).toEqual([]);
    expect(isApplicable(p)).toBe(true);
  });

  it("stops deletes without --allow-delete and says how to override", () => {
    const p = runGuards(plan(1), { ...ctx, allowDelete: false });
    expect(blockingFindings(p)).toEqual([{ guard: "delete", severity: "block", message: "1 deletion (group/g0) stopped: deletions need --allow-delete", override: "apply --allow-delete", overridden: false }]);
    expect(isApplicable(p)).toBe(false);
  });

  it("stops more deletes than maxDeletes", () => {
    const p = runGuards(plan(3), ctx);
    expect(p.guards.map((g) => [g.guard, g.message, g.override])).toEqual([["delete", "3 deletions (group/g2, group/g1, group/g0) exceed maxDeletes (2)", "raise maxDeletes in entra-gitops.yaml to at least 3"]]);
  });

  it("stops deletes in a plan made without prune (a hand-edited plan)", () => {
    const pruned = plan(1);
    const p = runGuards({ ...pruned, settings: { ...pruned.settings, prune: false } }, ctx);
    expect(p.guards.map((g) => g.message)).toEqual(["1 deletion (group/g0) stopped: prune is off in the configuration"]);
  });

  it("stops deleting a break-glass group as a lockout", () => {
    const p = runGuards(computePlan([], [live("group", "emergency-access", "bg", { displayName: "Emergency access" })], { descriptors: KINDS, source: SOURCE, scope: ["group"], prune: true }), ctx);
    expect(p.guards.map((g) => [g.guard, g.address])).toEqual([["lockout", "group/emergency-access"]]);
  });
});

describe("protected guard", () => {
  const updated = computePlan(
    [doc("conditionalAccessPolicy", "break-glass-exclusions", { displayName: "X", state: "disabled" }, "p1"), doc("group", "admins", { displayName: "Admins", description: "new" }, "g1")],
    [live("conditionalAccessPolicy", "break-glass-exclusions", "p1", { displayName: "X", state: "enabled" }), live("group", "admins", "g1", { displayName: "Admins" })],
    { descriptors: KINDS, source: SOURCE, scope: ["conditionalAccessPolicy", "group"] },
  );

  it("stops updates of objects matching a protected glob, naming the glob", () => {
    const p = runGuards(updated, { ...ctx, protected: ["conditionalAccessPolicy/break-glass-*"] });
    expect(p.guards.map((g) => [g.guard, g.address, g.message])).toEqual([
      ["protected", "conditionalAccessPolicy/break-glass-exclusions", 'conditionalAccessPolicy/break-glass-exclusions is protected (matches "conditionalAccessPolicy/break-glass-*" in protected); the plan would update it'],
    ]);
    expect(p.guards[0]?.override).toContain("--allow-protected");
  });

  it("matches * for the kind and ? for one character; leaves others alone", () => {
    expect(runGuards(updated, { ...ctx, protected: ["*/admin?"] }).guards.map((g) => g.address)).toEqual(["group/admins"]);
    expect(runGuards(updated, { ...ctx, protected: ["group/other"] }).guards).toEqual([]);
    expect(globToRegExp("group/a.b").test("group/aXb")).toBe(false);
  });

  it("an override is recorded and no longer blocks", () => {
    const p = runGuards(updated, { ...ctx, protected: ["group/*"], overrides: { protected: true } });
    expect(p.guards[0]?.overridden).toBe(true);
    expect(p.overrides).toEqual(["protected"]);
    expect(isApplicable(p)).toBe(true);
  });
});

describe("recreate guard", () => {
  it("stops an update of a create-only field unless recreate is allowed", () => {
    const p = computePlan([doc("group", "g", { displayName: "G", isAssignableToRole: true }, "g1")], [live("group", "g", "g1", { displayName: "G", isAssignableToRole: false })], {
      descriptors: KINDS,
      source: SOURCE,
      scope: ["group"],
      guards: ctx,
    });
    expect(p.guards.map((g) => [g.guard, g.message])).toEqual([
      ["recreate", "group/g: Graph cannot change isAssignableToRole after creation; applying needs a delete and re-create (a new id: references to it from outside this configuration break)"],
    ]);
    expect(runGuards(p, { ...ctx, overrides: { recreate: ["group/*"] } }).guards[0]?.overridden).toBe(true);
  });
});
