import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import type { JsonObject } from "../../src/model/document.js";
import type { Kind } from "../../src/model/kind.js";
import type { Plan, UpdateChange } from "../../src/model/plan.js";
import { KINDS, SOURCE, caSpec, doc, live } from "./fixtures.js";

function update(kind: Kind, desired: JsonObject, actual: JsonObject, extra: Partial<Parameters<typeof computePlan>[2]> = {}): { plan: Plan; change: UpdateChange | undefined } {
  const plan = computePlan([doc(kind, "x", desired, "id-x")], [live(kind, "x", "id-x", actual)], { descriptors: KINDS, source: SOURCE, scope: [kind], ...extra });
  const change = plan.changes[0];
  return { plan, change: change?.action === "update" ? change : undefined };
}

describe("field-level differences", () => {
  it("compares set arrays as sets: reordering is no change, members are added and removed", () => {
    const before = caSpec("P", { users: { includeUsers: ["All"], excludeGroups: ["group:a", "group:b"] } });
    const reordered = caSpec("P", { users: { includeUsers: ["All"], excludeGroups: ["group:b", "group:a"] } });
    expect(update("conditionalAccessPolicy", reordered, before).plan.changes[0]?.action).toBe("noop");
    const changed = caSpec("P", { users: { includeUsers: ["All"], excludeGroups: ["group:b", "group:c"] } });
    expect(update("conditionalAccessPolicy", changed, before).change?.fields).toEqual([
      { op: "add", path: "conditions.users.excludeGroups", after: "group:c", member: true },
      { op: "remove", path: "conditions.users.excludeGroups", before: "group:a", member: true },
    ]);
  });

  it("matches arrays of objects by the kind's Graph key, and shows an ordered array whole", () => {
    const role = (id: string, value: string): JsonObject => ({ id, value, allowedMemberTypes: ["User"], isEnabled: true });
    const { change } = update(
      "application",
      { displayName: "App", appRoles: [role("r2", "Writer"), role("r1", "Reader.All")], identifierUris: ["api://b", "api://a"] },
      { displayName: "App", appRoles: [role("r1", "Reader"), role("r2", "Writer"), role("r3", "Old")], identifierUris: ["api://a", "api://b"] },
    );
    expect(change?.fields).toEqual([
      { op: "update", path: "appRoles[id=r1].value", before: "Reader", after: "Reader.All" },
      { op: "remove", path: "appRoles[id=r3]", before: role("r3", "Old") },
      { op: "update", path: "identifierUris", before: ["api://a", "api://b"], after: ["api://b", "api://a"] },
    ]);
  });

  it("treats set arrays of objects by content (named location ip ranges)", () => {
    const range = (cidr: string): JsonObject => ({ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: cidr });
    const { change } = update("namedLocation", { displayName: "HQ", ipRanges: [range("10.0.0.0/8"), range("192.168.0.0/16")] }, { displayName: "HQ", ipRanges: [range("192.168.0.0/16"), range("172.16.0.0/12")] });
    expect(change?.fields.map((f) => [f.op, f.path, f.member])).toEqual([
      ["add", "ipRanges", true],
      ["remove", "ipRanges", true],
    ]);
    expect(change?.fields[0]?.after).toEqual(range("10.0.0.0/8"));
  });

  it("treats null, [] and {} as absent, so a document may leave unset values out", () => {
    const { plan } = update("conditionalAccessPolicy", caSpec("P"), { ...caSpec("P"), sessionControls: null, conditions: { ...(caSpec("P")["conditions"] as JsonObject), platforms: null, clientAppTypes: [] } });
    expect(plan.changes[0]?.action).toBe("noop");
  });

  it("absent fields are removed by default and kept with absentFields: keep", () => {
    const live = { displayName: "G", description: "from portal" };
    const removed = update("group", { displayName: "G" }, live).change;
    expect(removed?.fields).toEqual([{ op: "remove", path: "description", before: "from portal" }]);
    expect(removed?.after).toEqual({ displayName: "G" });
    expect(update("group", { displayName: "G" }, live, { absentFields: "keep" }).plan.changes[0]?.action).toBe("noop");
  });

  it("ignoreDifferences paths never produce changes, and the resulting spec keeps the tenant's value", () => {
    const desired = caSpec("P", { conditions: { clientAppTypes: ["browser"] } });
    const actual = caSpec("P", { conditions: { clientAppTypes: ["all"] } });
    const ignored = update("conditionalAccessPolicy", desired, actual, { ignoreDifferences: { conditionalAccessPolicy: ["/conditions/clientAppTypes"] } });
    expect(ignored.plan.changes[0]?.action).toBe("noop");
    const withOther = update("conditionalAccessPolicy", { ...desired, state: "disabled" }, actual, { ignoreDifferences: { "*": ["conditions.clientAppTypes"] } });
    expect(withOther.change?.fields.map((f) => f.path)).toEqual(["state"]);
    expect((withOther.change?.after["conditions"] as JsonObject)["clientAppTypes"]).toEqual(["all"]);
  });

  it("ignore paths with * match any one segment, also array elements", () => {
    const role = (id: string, enabled: boolean): JsonObject => ({ id, value: "R", isEnabled: enabled });
    const { plan } = update("application", { displayName: "A", appRoles: [role("1", false)] }, { displayName: "A", appRoles: [role("1", true)] }, { ignoreDifferences: { application: ["/appRoles/*/isEnabled"] } });
    expect(plan.changes[0]?.action).toBe("noop");
  });

  it("flags create-only fields: the update says replace-needed", () => {
    const { change, plan } = update("group", { displayName: "G", isAssignableToRole: true, mailNickname: "g" }, { displayName: "G", isAssignableToRole: false, mailNickname: "g" });
    expect(change?.fields).toEqual([{ op: "update", path: "isAssignableToRole", before: false, after: true, createOnly: true }]);
    expect(change?.replace).toEqual({ fields: ["isAssignableToRole"] });
    expect(plan.summary.replace).toBe(1);
  });

  it("reports a type change as one update", () => {
    const { change } = update("group", { displayName: "G", extra: { a: 1 } }, { displayName: "G", extra: "text" });
    expect(change?.fields).toEqual([{ op: "update", path: "extra", before: "text", after: { a: 1 } }]);
  });
});
