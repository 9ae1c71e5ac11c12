import { describe, expect, it } from "vitest";
import { changesWithActors, withChangeActors } from "../../src/engine/sync/drift-actors.js";
import type { DirectoryAudit } from "../../src/engine/sync/audit-entry.js";
import { renderText } from "../../src/render/text.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { samplePlan } from "../render/sample-plan.js";

function audit(id: string, target: string, at: string, who: DirectoryAudit["initiatedBy"], result = "success"): DirectoryAudit {
  return { id, activityDateTime: at, activityDisplayName: "Update conditional access policy", result, initiatedBy: who, targetResources: [{ id: target, modifiedProperties: [] }] };
}

describe("withChangeActors", () => {
  it("names the latest successful entry's actor on the change it explains, in text and markdown; other changes keep no name", () => {
    const plan = samplePlan();
    const audits = [
      audit("a1", "p1", "2026-12-06T10:30:00Z", { user: { id: "u-bob", userPrincipalName: "bob@contoso.com" } }),
      audit("a2", "p1", "2026-12-06T10:42:10Z", { user: { id: "u-alice", displayName: "Alice", userPrincipalName: "alice@contoso.com" } }),
      audit("a3", "p1", "2026-12-06T10:50:00Z", { user: { id: "u-eve", userPrincipalName: "eve@contoso.com" } }, "failure"),
      audit("a4", "p2", "2026-12-06T09:00:00Z", { app: { appId: "app-1", displayName: "Deploy bot" } }),
    ];
    const named = withChangeActors(plan, audits, []);
    const by = new Map<string, unknown>(named.changes.map((c) => [c.address, c.action === "noop" ? undefined : c.changedBy]));
    expect(by.get("conditionalAccessPolicy/require-mfa")).toEqual({ name: "Alice", label: "alice@contoso.com", email: "alice@contoso.com", type: "user", at: "2026-12-06T10:42:10Z", activity: "Update conditional access policy" });
    expect(by.get("conditionalAccessPolicy/block-legacy")).toMatchObject({ label: "Deploy bot", type: "app" });
    expect(by.get("group/stale")).toBeUndefined();
    const text = renderText(named, { color: false, mode: "drift" });
    expect(text).toContain("conditionalAccessPolicy/require-mfa (p1) changed outside git (changed by alice@contoso.com at 2026-12-06 10:42 UTC)");
    expect(renderText(named, { color: false, mode: "plan" })).not.toContain("changed by");
    expect(renderMarkdown(named, { mode: "drift" })).toContain("<code>conditionalAccessPolicy/block-legacy</code> changed outside git (changed by Deploy bot at 2026-12-06 09:00 UTC)");
    expect(withChangeActors(plan, [], [])).toBe(plan);
    // Git recorded the policy after alice's entry: her entry explains git's state, bob's even older one too.
    const recorded = withChangeActors(plan, audits, [], new Map([["conditionalAccessPolicy/require-mfa", new Date("2026-12-06T10:45:00Z")]]));
    const policy = recorded.changes.find((c) => String(c.address) === "conditionalAccessPolicy/require-mfa");
    expect(policy && policy.action !== "noop" ? policy.changedBy : "noop").toBeUndefined();
  });

  it("walks git's record only for changes a successful entry matches: the others are named alike whatever their record", () => {
    const plan = samplePlan();
    const audits = [
      audit("a2", "p1", "2026-12-06T10:42:10Z", { user: { id: "u-alice", userPrincipalName: "alice@contoso.com" } }),
      audit("a3", "p2", "2026-12-06T10:50:00Z", { user: { id: "u-eve", userPrincipalName: "eve@contoso.com" } }, "failure"),
    ];
    expect([...changesWithActors(plan, audits, [])]).toEqual(["conditionalAccessPolicy/require-mfa"]);
    expect(changesWithActors(plan, [audits[1]!], []).size).toBe(0);
    const without = withChangeActors(plan, audits, []);
    const late = new Date("2026-12-06T23:00:00Z");
    const others = plan.changes.filter((c) => c.action !== "noop" && String(c.address) !== "conditionalAccessPolicy/require-mfa").map((c) => [c.address, late] as const);
    expect(others.length).toBeGreaterThan(0);
    expect(withChangeActors(plan, audits, [], new Map(others))).toEqual(without);
  });
});
