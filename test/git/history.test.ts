import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { diffSpecs } from "../../src/git/field-diff.js";
import { objectHistory } from "../../src/git/history.js";
import { formatHistory } from "../../src/git/history-format.js";
import { openRepository } from "../../src/git/repository.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo();
});
afterEach(() => repo.cleanup());

const doc = (name: string, id: string, spec: string): string =>
  `kind: conditionalAccessPolicy\nname: ${name}\nid: ${id}\nspec:\n${spec}`;
const OLD = "tenant-config/conditionalAccessPolicy/mfa-admins.yaml";
const NEW = "tenant-config/conditionalAccessPolicy/require-mfa-for-admins.yaml";
const SPEC1 = `  displayName: MFA admins
  state: enabledForReportingButNotEnforced
  conditions:
    users:
      includeRoles: [role:Global Administrator]
      excludeGroups: [group:break-glass]
  grantControls:
    operator: OR
    builtInControls: [mfa]
`;

describe("objectHistory", () => {
  it("follows a rename and lists field changes per commit, newest first", async () => {
    repo.commit("export", { [OLD]: doc("mfa-admins", "p1", SPEC1) }, "2026-01-01T10:00:00Z");
    const spec2 = SPEC1.replace("enabledForReportingButNotEnforced", "enabled").replace(
      "includeRoles: [role:Global Administrator]",
      "includeRoles: [role:Global Administrator, role:Security Administrator]",
    );
    repo.commit("alice: enforce", { [OLD]: doc("mfa-admins", "p1", spec2) }, "2026-01-02T10:00:00Z");
    const spec3 = spec2.replace("displayName: MFA admins", "displayName: Require MFA for admins");
    repo.commit("bob: rename", { [OLD]: null, [NEW]: doc("require-mfa-for-admins", "p1", spec3) }, "2026-01-03T10:00:00Z");
    repo.commit("unrelated", { "tenant-config/group/x.yaml": "kind: group\n" }, "2026-01-04T10:00:00Z");
    repo.commit("deleted in portal", { [NEW]: null }, "2026-01-05T10:00:00Z");

    const r = await openRepository(repo.dir);
    const history = await objectHistory(r, { folder: "tenant-config", kind: "conditionalAccessPolicy", name: "require-mfa-for-admins" });
    expect(history.map((h) => [h.subject, h.change])).toEqual([
      ["deleted in portal", "deleted"],
      ["bob: rename", "renamed"],
      ["alice: enforce", "modified"],
      ["export", "created"],
    ]);
    const [deleted, renamed, modified, created] = history;
    expect(deleted?.fields.map((f) => f.path)).toContain("displayName");
    expect(renamed).toMatchObject({ previousPath: OLD, path: NEW, authorDate: "2026-01-03T10:00:00+00:00" });
    expect(renamed?.fields).toEqual([
      { path: "displayName", kind: "changed", before: "MFA admins", after: "Require MFA for admins" },
    ]);
    expect(modified?.fields).toEqual([
      { path: "conditions.users.includeRoles", kind: "added", after: "role:Security Administrator", element: true },
      { path: "state", kind: "changed", before: "enabledForReportingButNotEnforced", after: "enabled" },
    ]);
    expect(modified?.author).toEqual({ name: "Test User", email: "test@example.com" });
    expect(created?.idChange).toEqual({ after: "p1" });
    expect(created?.fields.find((f) => f.path === "grantControls")).toMatchObject({ kind: "added" });

    const text = formatHistory("conditionalAccessPolicy/require-mfa-for-admins", history);
    expect(text).toContain("conditionalAccessPolicy/require-mfa-for-admins: 4 commits");
    expect(text).toContain(`renamed ${OLD} → ${NEW}`);
    expect(text).toContain('displayName: "MFA admins" → "Require MFA for admins"');
    expect(text).toContain('conditions.users.includeRoles: + "role:Security Administrator"');
    expect(text).toContain("2026-01-02 10:00 UTC  Test User <test@example.com>");
    expect(text.indexOf("deleted in portal")).toBeLessThan(text.indexOf("alice: enforce"));
    expect(text).toContain("spec: conditions, displayName, grantControls, state");
  });

  it("bridges a rename git cannot detect (content rewritten) through the document id", async () => {
    repo.commit("export", { [OLD]: doc("mfa-admins", "p1", SPEC1), "tenant-config/conditionalAccessPolicy/other.yaml": doc("other", "p2", SPEC1) });
    const rewritten = `  displayName: Completely different\n  state: disabled\n  sessionControls:\n    signInFrequency:\n      value: 4\n      type: hours\n      isEnabled: true\n`;
    repo.commit("renamed and rewritten", { [OLD]: null, "tenant-config/conditionalAccessPolicy/other.yaml": null, [NEW]: doc("require-mfa-for-admins", "p1", rewritten) });
    // git alone does not see a rename here.
    expect(repo.git("log", "--follow", "--format=%s", "--", NEW)).toBe("renamed and rewritten");
    const r = await openRepository(repo.dir);
    const history = await objectHistory(r, { path: NEW });
    expect(history.map((h) => [h.subject, h.change, h.previousPath ?? null])).toEqual([
      ["renamed and rewritten", "renamed", OLD],
      ["export", "created", null],
    ]);
    expect(history[0]?.fields).toContainEqual({ path: "state", kind: "changed", before: "enabledForReportingButNotEnforced", after: "disabled" });
    expect(history[0]?.idChange).toBeUndefined();
  });

  it("notes a version that is not valid YAML and an empty history", async () => {
    repo.commit("bad", { [OLD]: "kind: [unclosed\n" });
    repo.commit("fixed", { [OLD]: doc("mfa-admins", "p1", SPEC1) });
    const r = await openRepository(repo.dir);
    const history = await objectHistory(r, { path: OLD });
    expect(history[0]?.note).toMatch(/unparseable YAML/);
    expect(await objectHistory(r, { path: "tenant-config/group/none.yaml" })).toEqual([]);
    expect(formatHistory("group/none", [])).toMatch(/no history/);
  });
});

describe("diffSpecs", () => {
  it("treats arrays as sets, ignores member key order and merges type changes", () => {
    const changes = diffSpecs(
      { ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "10.0.0.0/8" }], sessionControls: { a: 1 } },
      {
        ipRanges: [
          { cidrAddress: "10.0.0.0/8", "@odata.type": "#microsoft.graph.iPv4CidrRange" },
          { cidrAddress: "192.168.0.0/16", "@odata.type": "#microsoft.graph.iPv4CidrRange" },
        ],
        sessionControls: null,
        "@odata.type": "#microsoft.graph.ipNamedLocation",
      },
    );
    expect(changes).toEqual([
      { path: "@odata.type", kind: "added", after: "#microsoft.graph.ipNamedLocation" },
      {
        path: "ipRanges",
        kind: "added",
        element: true,
        after: { cidrAddress: "192.168.0.0/16", "@odata.type": "#microsoft.graph.iPv4CidrRange" },
      },
      { path: "sessionControls", kind: "changed", before: { a: 1 }, after: null },
    ]);
    expect(diffSpecs({ a: [1, 2] }, { a: [2, 1] })).toEqual([]);
  });
});
