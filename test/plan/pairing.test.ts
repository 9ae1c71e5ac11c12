import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import { KINDS, SOURCE, doc, live } from "./fixtures.js";

const opts = { descriptors: KINDS, source: SOURCE, scope: ["group", "authorizationPolicy", "user"] as const };

describe("pairing documents with tenant objects", () => {
  it("pairs by id even when the display name changed (an update, not create + delete)", () => {
    const plan = computePlan(
      [doc("group", "admins", { displayName: "Admins v2" }, "AAAAAAAA-0000-0000-0000-000000000001")],
      [live("group", "admins", "aaaaaaaa-0000-0000-0000-000000000001", { displayName: "Admins" })],
      { ...opts, scope: ["group"], prune: true },
    );
    expect(plan.changes.map((c) => [c.action, c.address])).toEqual([["update", "group/admins"]]);
    const change = plan.changes[0];
    expect(change?.action === "update" && change.fields).toEqual([{ op: "update", path: "displayName", before: "Admins", after: "Admins v2" }]);
  });

  it("pairs by natural key (case-insensitive) when the document has no id or an unknown id", () => {
    const plan = computePlan(
      [doc("group", "a", { displayName: "Team A" }), doc("group", "b", { displayName: "team b" }, "99999999-0000-0000-0000-000000000000")],
      [live("group", "team-a", "id-a", { displayName: "Team A" }), live("group", "team-b", "id-b", { displayName: "Team B" })],
      { ...opts, scope: ["group"], prune: true },
    );
    expect(plan.changes.map((c) => [c.action, c.address, "id" in c ? c.id : undefined])).toEqual([
      ["noop", "group/a", "id-a"],
      ["update", "group/b", "id-b"],
    ]);
    expect(plan.summary.delete).toBe(0);
  });

  it("reports an ambiguous natural key as an error naming both objects, and neither changes nor deletes them", () => {
    const plan = computePlan(
      [doc("group", "ops", { displayName: "Ops" })],
      [live("group", "ops", "id-1", { displayName: "Ops" }), live("group", "ops-2", "id-2", { displayName: "ops" })],
      { ...opts, scope: ["group"], prune: true },
    );
    expect(plan.changes).toEqual([]);
    const error = plan.diagnostics.find((d) => d.code === "ambiguous-match");
    expect(error?.severity).toBe("error");
    expect(error?.address).toBe("group/ops");
    expect(error?.message).toContain("id-1");
    expect(error?.message).toContain("id-2");
    expect(plan.summary.errors).toBe(1);
  });

  it("reports two documents claiming the same tenant object", () => {
    const plan = computePlan(
      [doc("group", "x", { displayName: "Same" }), doc("group", "y", { displayName: "same" })],
      [live("group", "same", "id-1", { displayName: "Same" })],
      { ...opts, scope: ["group"] },
    );
    expect(plan.diagnostics.map((d) => d.code)).toEqual(["ambiguous-match"]);
    expect(plan.diagnostics[0]?.message).toMatch(/group\/x and group\/y both match tenant object id-1/);
  });

  it("always pairs a singleton, whatever its name, and never deletes it", () => {
    const plan = computePlan(
      [doc("authorizationPolicy", "authorization-policy", { displayName: "Authorization Policy", allowInvitesFrom: "adminsAndGuestInviters" })],
      [live("authorizationPolicy", "authorizationPolicy", "authorizationPolicy", { displayName: "Authorization Policy", allowInvitesFrom: "everyone" })],
      { ...opts, scope: ["authorizationPolicy"], prune: true },
    );
    expect(plan.changes.map((c) => [c.action, c.address])).toEqual([["update", "authorizationPolicy/authorization-policy"]]);
    const none = computePlan([], [live("authorizationPolicy", "authorizationPolicy", "authorizationPolicy", {})], { ...opts, scope: ["authorizationPolicy"], prune: true });
    expect(none.changes).toEqual([]);
    expect(none.unmanaged.map((u) => u.address)).toEqual(["authorizationPolicy/authorizationPolicy"]);
  });

  it("an orphan is a delete only with prune, else unmanaged info; kinds out of scope are neither", () => {
    const actual = [live("group", "old", "id-old", { displayName: "Old" })];
    const kept = computePlan([], actual, { ...opts, scope: ["group"] });
    expect(kept.changes).toEqual([]);
    expect(kept.unmanaged).toEqual([{ address: "group/old", kind: "group", id: "id-old" }]);
    const pruned = computePlan([], actual, { ...opts, scope: ["group"], prune: true });
    expect(pruned.changes.map((c) => [c.action, c.address])).toEqual([["delete", "group/old"]]);
    const outOfScope = computePlan([doc("user", "u", { userPrincipalName: "u@x" })], actual, { ...opts, scope: ["group"], prune: true });
    expect(outOfScope.changes.map((c) => c.action)).toEqual(["delete"]);
    expect(outOfScope.diagnostics.map((d) => d.code)).toEqual(["kind-out-of-scope"]);
  });

  it("a document whose id is soft-deleted becomes a restore with the differences to apply after it", () => {
    const plan = computePlan([doc("group", "m365", { displayName: "M365", description: "new" }, "id-del")], [], {
      ...opts,
      scope: ["group"],
      deleted: [{ kind: "group", id: "id-del" as never, deletedDateTime: "2026-11-20T00:00:00Z", spec: { displayName: "M365", description: "old" } }],
    });
    const change = plan.changes[0];
    expect(change?.action).toBe("restore");
    if (change?.action !== "restore") return;
    expect(change.id).toBe("id-del");
    expect(change.fields).toEqual([{ op: "update", path: "description", before: "old", after: "new" }]);
    expect(plan.summary.restore).toBe(1);
  });

  it("a restore whose deleted properties are unknown writes every field of the document", () => {
    const plan = computePlan([doc("group", "m365", { displayName: "M365", description: "d" }, "id-del")], [], { ...opts, scope: ["group"], deleted: [{ kind: "group", id: "id-del" as never }] });
    const change = plan.changes[0];
    expect(change?.action === "restore" && change.fields.map((f) => [f.op, f.path])).toEqual([
      ["add", "description"],
      ["add", "displayName"],
    ]);
    expect(change?.action === "restore" && change.notes[0]).toContain("every field is written");
  });

  it("an unmatched document is a create; an unknown id is noted", () => {
    const plan = computePlan([doc("group", "n", { displayName: "New" }, "12345678-dead-beef-0000-000000000000")], [], { ...opts, scope: ["group"] });
    const change = plan.changes[0];
    expect(change?.action).toBe("create");
    expect(change?.action === "create" && change.notes[0]).toMatch(/id 12345678-dead-beef-0000-000000000000 does not exist in the tenant/);
  });

  it("gives an orphan whose proposed name is taken by a document a unique address", () => {
    const plan = computePlan(
      [doc("group", "team", { displayName: "Team (new)" })],
      [live("group", "team", "abcdef12-0000", { displayName: "Team" })],
      { ...opts, scope: ["group"], prune: true },
    );
    expect(plan.changes.map((c) => c.address).sort()).toEqual(["group/team", "group/team-abcdef12"]);
  });
});
