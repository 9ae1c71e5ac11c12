import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import type { JsonObject } from "../../src/model/document.js";
import type { Kind } from "../../src/model/kind.js";
import { allKinds } from "../../src/kinds/registry.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderText } from "../../src/render/text.js";
import { SOURCE, caSpec, doc, live } from "../plan/fixtures.js";

const members = (n: number): string[] => Array.from({ length: n }, (_, i) => `user:member-${String(i).padStart(3, "0")}@contoso.com`);

/** One update planned with the real kind descriptors (members and owners are relationships there). */
function plan(kind: Kind, desired: JsonObject, actual: JsonObject): ReturnType<typeof computePlan> {
  return computePlan([doc(kind, "x", desired, "id-x")], [live(kind, "x", "id-x", actual)], { descriptors: allKinds(), source: SOURCE, scope: [kind] });
}

describe("set-like arrays render as + / - items", () => {
  it("one member added to a large group is one + line, not the member array twice (text and markdown)", () => {
    const before = members(200);
    const p = plan("group", { displayName: "G", securityEnabled: true, members: [...before, "user:new@contoso.com"] }, { displayName: "G", securityEnabled: true, members: before });
    const text = renderText(p, { color: false });
    const lines = text.split("\n");
    expect(lines).toContain("      ~ members:");
    expect(lines).toContain("          + user:new@contoso.com");
    expect(text).not.toContain("member-000");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(120);
    const md = renderMarkdown(p, {});
    const diffBlock = md.slice(md.indexOf("```diff"));
    expect(diffBlock).toMatch(/^```diff\n\+ members: user:new@contoso\.com\n```/);
  });

  it("owners and members that appear or disappear whole are items too", () => {
    const p = plan("group", { displayName: "G", securityEnabled: true, owners: ["user:alice@contoso.com"] }, { displayName: "G", securityEnabled: true, members: ["user:bob@contoso.com", "group:old"] });
    const lines = renderText(p, { color: false }).split("\n");
    const at = lines.indexOf("      ~ members:");
    expect(lines.slice(at, at + 3)).toEqual(["      ~ members:", "          - group:old", "          - user:bob@contoso.com"]);
    const owners = lines.indexOf("      ~ owners:");
    expect(lines.slice(owners, owners + 2)).toEqual(["      ~ owners:", "          + user:alice@contoso.com"]);
  });

  it("Conditional Access includes and excludes: adds first, then removes; drift swaps the sides", () => {
    const p = plan(
      "conditionalAccessPolicy",
      caSpec("P", { users: { includeUsers: ["All"], excludeUsers: ["user:bg@contoso.com"], excludeGroups: ["group:a", "group:c"] } }),
      caSpec("P", { users: { includeUsers: ["All"], excludeGroups: ["group:a", "group:b"] } }),
    );
    const lines = renderText(p, { color: false }).split("\n");
    const at = lines.indexOf("      ~ conditions.users.excludeGroups:");
    expect(lines.slice(at, at + 3)).toEqual(["      ~ conditions.users.excludeGroups:", "          + group:c", "          - group:b"]);
    const users = lines.indexOf("      ~ conditions.users.excludeUsers:");
    expect(lines.slice(users, users + 2)).toEqual(["      ~ conditions.users.excludeUsers:", "          + user:bg@contoso.com"]);
    const drift = renderText(p, { color: false, mode: "drift" }).split("\n");
    const d = drift.indexOf("      ~ conditions.users.excludeGroups:");
    expect(drift.slice(d, d + 3)).toEqual(["      ~ conditions.users.excludeGroups:", "          + group:b", "          - group:c"]);
  });
});
