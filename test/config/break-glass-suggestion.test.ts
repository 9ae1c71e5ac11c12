import { describe, expect, it } from "vitest";
import { SUGGESTION_END, SUGGESTION_START, suggestionLines, withSuggestion } from "../../src/config/break-glass-suggestion.js";

const CONFIG = ["configDir: tenant-config", "# Emergency access", "breakGlass:", "  accounts: []", "  groups: []", ""].join("\n");

describe("the breakGlass suggestion block", () => {
  it("goes above the key and its comment, and a second proposal replaces it", () => {
    const first = withSuggestion(CONFIG, suggestionLines({ accounts: ["user:bg@contoso.com"], groups: [] }));
    const lines = first.split("\n");
    expect(lines.indexOf(SUGGESTION_START)).toBe(1);
    expect(lines[lines.indexOf(SUGGESTION_END) + 1]).toBe("# Emergency access");
    const second = withSuggestion(first, suggestionLines({ accounts: [], groups: ["group:bg"] }));
    expect(second.split("\n").filter((l) => l === SUGGESTION_START)).toHaveLength(1);
    expect(second).toContain("#     - group:bg");
    expect(second).not.toContain("user:bg@contoso.com");
    expect(withSuggestion(second, [])).toBe(CONFIG);
  });

  it("replaces a block an earlier version wrote under its export-only marker", () => {
    const legacy = CONFIG.replace(
      "# Emergency access",
      ["# >>> breakGlass proposed by entra-gitops export: replace the breakGlass key below with these lines", "# breakGlass:", "#   accounts:", "#     - user:old@contoso.com", SUGGESTION_END, "# Emergency access"].join("\n"),
    );
    const replaced = withSuggestion(legacy, suggestionLines({ accounts: ["user:new@contoso.com"], groups: [] }));
    expect(replaced).not.toContain("user:old@contoso.com");
    expect(replaced).not.toContain("proposed by entra-gitops export:");
    expect(replaced.split("\n").filter((l) => l === SUGGESTION_START)).toHaveLength(1);
    expect(withSuggestion(legacy, [])).toBe(CONFIG);
  });
});
