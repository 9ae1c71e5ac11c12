import { describe, expect, it } from "vitest";
import { renderText } from "../../src/render/text.js";
import { samplePlan } from "./sample-plan.js";

describe("text renderer", () => {
  const plan = samplePlan();
  const text = renderText(plan, { color: false });
  const lines = text.split("\n");

  it("shows each action with its symbol, address, id and wording", () => {
    expect(lines).toContain("  + group/emergency-access will be created");
    expect(lines).toContain("  ~ conditionalAccessPolicy/require-mfa (p1) will be updated in place");
    expect(lines).toContain("  - group/stale (g-stale) will be deleted");
    expect(lines).toContain("  ↺ namedLocation/hq (n1) will be restored from deleted items (deleted 2026-11-20T08:00:00Z)");
  });

  it("shows nested field diffs with before → after, set members and references by name", () => {
    expect(lines).toContain('      ~ state: "disabled" → "enabled"');
    expect(lines).toContain("      ~ conditions.users.excludeGroups:");
    expect(lines).toContain("          + group:emergency-access");
    expect(lines).toContain("          - group:old-bg");
    expect(lines).toContain("      # after group/emergency-access");
    expect(lines).toContain('      + displayName: "Emergency access"');
  });

  it("shows guard findings with how to override, and the summary", () => {
    expect(text).toContain("blocked [lockout]: conditionalAccessPolicy/block-legacy");
    expect(text).toContain("    to override: apply --allow-lockout (recorded in the plan)");
    expect(lines).toContain("Plan: 2 to create, 2 to update, 3 to delete, 1 to restore; 0 unchanged. 2 guard findings block apply.");
  });

  it("uses colour only when asked", () => {
    expect(text).not.toContain("\u001b[");
    const coloured = renderText(plan, { color: true });
    expect(coloured).toContain("\u001b[32m+\u001b[0m");
    expect(coloured).toContain("\u001b[31m-\u001b[0m");
  });

  it("hides unchanged objects unless asked", () => {
    const noop = { ...plan, changes: [{ action: "noop" as const, address: "group/same" as never, kind: "group" as const, name: "same", id: "g9" as never }] };
    expect(renderText(noop, { color: false })).not.toContain("group/same");
    expect(renderText(noop, { color: false, showUnchanged: true })).toContain("group/same (g9) unchanged");
  });

  it("words drift as changes made outside git, tenant values on the new side", () => {
    const drift = renderText(plan, { color: false, mode: "drift" }).split("\n");
    expect(drift[0]).toBe("entra-gitops drift: changes made outside git (prod)");
    expect(drift).toContain("  ~ conditionalAccessPolicy/require-mfa (p1) changed outside git");
    expect(drift).toContain('      ~ state: "enabled" → "disabled"');
    expect(drift).toContain("  + group/stale (g-stale) created outside git (not in git)");
    expect(drift).toContain("  - group/emergency-access deleted outside git (in git, missing from the tenant)");
    expect(drift.some((l) => l.includes("# after"))).toBe(false);
    expect(drift).toContain("Drift: 2 changed outside git, 3 created outside git, 3 deleted outside git; 0 unchanged.");
  });

  it("lists unmanaged objects, and only a count past 100", () => {
    const unmanaged = Array.from({ length: 150 }, (_, i) => ({ address: `group/g${i}` as never, kind: "group" as const, id: `id-${i}` as never }));
    const many = renderText({ ...plan, unmanaged }, { color: false }).split("\n");
    expect(many).toContain("  150 objects in the tenant with no document (left alone; prune is off or the kind is a singleton):");
    expect(many).toContain("      ? group/g99 (id-99)");
    expect(many).not.toContain("      ? group/g100 (id-100)");
    expect(many).toContain("      … and 50 more (all of them are in the JSON plan)");
  });

  it("never shows a secret value", () => {
    expect(text).not.toContain("SuperSecret");
    expect(text).toContain('secretText: "<redacted>"');
    expect(text).toContain('hint: "abc"');
  });
});
