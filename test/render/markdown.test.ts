import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import { commentMarker, GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../src/render/markdown.js";
import { KINDS, SOURCE, doc, live } from "../plan/fixtures.js";
import { samplePlan } from "./sample-plan.js";

describe("markdown renderer", () => {
  const plan = samplePlan();
  const md = renderMarkdown(plan);

  it("starts with a stable marker so CI can edit its comment in place", () => {
    expect(md.startsWith("<!-- entra-gitops-plan:prod -->\n")).toBe(true);
    expect(commentMarker({}, "drift")).toBe("<!-- entra-gitops-drift:default -->");
  });

  it("has a summary table with the counts", () => {
    expect(md).toContain("| `+` Create | `~` Update | `-/+` Replace | `-` Delete | `↺` Restore | Unchanged | Unmanaged |");
    expect(md).toContain("| 2 | 2 | 0 | 3 | 1 | 0 | 0 |");
  });

  it("puts blocking guard findings in a caution callout with the override", () => {
    expect(md).toContain("> [!CAUTION]\n> **Apply is blocked by 2 guard findings**");
    expect(md).toMatch(/> - \*\*lockout\*\*: conditionalAccessPolicy\/block-legacy .* — override: `apply --allow-lockout/);
  });

  it("has one details block per changed object with the field diff as -/+ lines", () => {
    expect(md.match(/<details><summary><code>/g)?.length).toBe(8);
    expect(md).toContain("<details><summary><code>~</code> <code>conditionalAccessPolicy/require-mfa</code> will be updated in place · 3 fields</summary>");
    expect(md).toContain('```diff\n+ conditions.users.excludeGroups: group:emergency-access\n- conditions.users.excludeGroups: group:old-bg\n- state: "disabled"\n+ state: "enabled"\n# after group/emergency-access\n```');
  });

  it("draws a mermaid graph of changed objects and their references", () => {
    expect(md).toContain("```mermaid\ngraph LR\n");
    expect(md).toMatch(/n\d+\["~ conditionalAccessPolicy\/require-mfa"\]:::update/);
    expect(md).toMatch(/n4 -->\|uses\| n1/);
  });

  it("redacts secrets", () => {
    expect(md).not.toContain("SuperSecret");
  });

  it("escapes HTML in names and widens the code fence around backticks", () => {
    const tricky = computePlan([doc("group", "x<y>", { displayName: "```weird```" })], [], { descriptors: KINDS, source: SOURCE, scope: ["group"] });
    const out = renderMarkdown(tricky);
    expect(out).toContain("<code>group/x&lt;y&gt;</code>");
    expect(out).toContain('````diff\n+ displayName: "```weird```"\n````');
  });

  it("stays under GitHub's comment limit with a note when the plan is huge", () => {
    const docs = Array.from({ length: 3000 }, (_, i) => doc("group", `group-${String(i).padStart(4, "0")}`, { displayName: `Group ${i}`, description: "x".repeat(40), mailNickname: `g${i}` }));
    const big = computePlan(docs, [], { descriptors: KINDS, source: SOURCE, scope: ["group"] });
    const out = renderMarkdown(big);
    expect(out.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(out).toContain("> [!NOTE]\n> Truncated to fit GitHub's 65,536-character limit:");
    expect(out).toContain("<!-- entra-gitops-plan:prod -->");
    expect(out).toContain("| 3000 | 0 | 0 | 0 | 0 | 0 | 0 |");
    expect(out).not.toContain("```mermaid");
    expect(out).toContain("<summary><code>+</code> <code>group/group-0000</code>");
    const small = renderMarkdown(big, { maxLength: 5000, fullPlanHint: "the job summary" });
    expect(small.length).toBeLessThanOrEqual(5000);
    expect(small).toMatch(/- … and \d+ more/);
    expect(small).toContain("The full plan is in the job summary.");
  });

  it("when truncating, gives details to guarded and destructive changes first", () => {
    const docs = Array.from({ length: 2000 }, (_, i) => doc("group", `group-${String(i).padStart(4, "0")}`, { displayName: `Group ${i}`, description: "y".repeat(60) }));
    const big = computePlan(docs, [live("group", "zz-stale", "g-stale", { displayName: "Stale" })], {
      descriptors: KINDS,
      source: SOURCE,
      scope: ["group"],
      prune: true,
      guards: { allowDelete: false, maxDeletes: 5, protected: [], breakGlass: { accounts: [], groups: [] } },
    });
    const out = renderMarkdown(big, { maxLength: 20_000 });
    expect(out.length).toBeLessThanOrEqual(20_000);
    expect(out).toContain("<summary><code>-</code> <code>group/zz-stale</code> will be deleted</summary>");
    expect(out).toContain("**Apply is blocked by 1 guard finding**");
  });

  it("words drift for the drift report", () => {
    const drift = renderMarkdown(plan, { mode: "drift" });
    expect(drift.startsWith("<!-- entra-gitops-drift:prod -->")).toBe(true);
    expect(drift).toContain("### entra-gitops drift: changes made outside git · `prod`");
    expect(drift).toContain("| Changed outside git | Created outside git | Deleted outside git | Unchanged |");
    expect(drift).toContain("changed outside git · 3 fields");
  });
});
