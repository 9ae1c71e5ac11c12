import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import { driftBranchName, kindsWithDocuments, splitByPolicy } from "../../src/engine/sync/policy.js";
import { focusRevert, revertDesired } from "../../src/engine/sync/revert-plan.js";
import { idMapCommitMessage, idsAfterSync, stripDocumentIds } from "../../src/engine/sync/environment-ids.js";
import { formatIdMap } from "../../src/state/id-map.js";
import type { ChangedObject } from "../../src/engine/sync/types.js";
import { KIND_NAMES, address, type Address, type Kind } from "../../src/model/kind.js";
import type { DriftPolicy } from "../../src/config/index.js";
import { KINDS, SOURCE, caSpec, doc, live } from "../plan/fixtures.js";

function changed(kind: Kind, name: string, change: ChangedObject["change"]): ChangedObject {
  return {
    address: address(kind, name),
    kind,
    change,
    document: null,
    file: { path: `tenant-config/${kind}/${name}.yaml`, content: change === "deleted" ? null : "x" },
  };
}

function policies(overrides: Partial<Record<Kind, DriftPolicy>>): Record<Kind, DriftPolicy> {
  return Object.fromEntries(KIND_NAMES.map((k) => [k, overrides[k] ?? "commit"])) as Record<Kind, DriftPolicy>;
}

const yaml = (kind: Kind, name: string, spec: string): string => `kind: ${kind}\nname: ${name}\nspec:\n${spec}\n`;

describe("drift policy per kind", () => {
  it("splits changes by their kind's policy and never reverts a deletion of a kind that failed to export", () => {
    const changes = [
      changed("conditionalAccessPolicy", "a", "modified"),
      changed("conditionalAccessPolicy", "b", "deleted"),
      changed("namedLocation", "hq", "modified"),
      changed("group", "g", "added"),
      changed("user", "u", "deleted"),
    ];
    const split = splitByPolicy(changes, policies({ conditionalAccessPolicy: "revert", namedLocation: "pr", user: "revert" }), { failedKinds: ["user"] });
    expect(split.revert.map((c) => c.address)).toEqual(["conditionalAccessPolicy/a", "conditionalAccessPolicy/b"]);
    expect(split.pr.map((c) => c.address)).toEqual(["namedLocation/hq"]);
    expect(split.commit.map((c) => c.address)).toEqual(["group/g"]);
  });

  it("commits drift of a revert kind that has no document at HEAD yet (first sync, kind newly in scope)", () => {
    const changes = [changed("conditionalAccessPolicy", "a", "modified"), changed("group", "g", "added"), changed("group", "h", "added")];
    const committedKinds = kindsWithDocuments("tenant-config", ["tenant-config/conditionalAccessPolicy/a.yaml", "tenant-config/README.md", "other/group/x.yaml"]);
    expect([...committedKinds]).toEqual(["conditionalAccessPolicy"]);
    const split = splitByPolicy(changes, policies({ conditionalAccessPolicy: "revert", group: "revert" }), { committedKinds });
    expect(split.revert.map((c) => c.address)).toEqual(["conditionalAccessPolicy/a"]);
    expect(split.commit.map((c) => c.address)).toEqual(["group/g", "group/h"]);
    expect(split.firstRecord).toEqual(["group"]);
  });

  it("names the drift branch after the environment and the UTC time, in characters git accepts", () => {
    const now = new Date("2026-11-22T09:05:07.123Z");
    expect(driftBranchName(undefined, now)).toBe("entra-gitops/drift-default-20261122T090507Z");
    expect(driftBranchName("Prod EU..West", now)).toBe("entra-gitops/drift-prod-eu.west-20261122T090507Z");
    expect(driftBranchName("~^:", now)).toBe("entra-gitops/drift-default-20261122T090507Z");
  });
});

describe("revert planning", () => {
  it("takes the reverted documents from HEAD and every other document as exported; portal-created ones are left out", () => {
    const before = new Map([
      ["tenant-config/namedLocation/hq.yaml", yaml("namedLocation", "hq", "  displayName: HQ\n  isTrusted: true")],
      ["tenant-config/namedLocation/branch.yaml", yaml("namedLocation", "branch", "  displayName: Branch\n  isTrusted: true")],
      ["tenant-config/README.md", "not a document"],
    ]);
    const after = new Map([
      ["tenant-config/namedLocation/hq.yaml", yaml("namedLocation", "hq", "  displayName: HQ\n  isTrusted: false")],
      ["tenant-config/namedLocation/branch.yaml", yaml("namedLocation", "branch", "  displayName: Branch\n  isTrusted: false")],
      ["tenant-config/namedLocation/new.yaml", yaml("namedLocation", "new", "  displayName: New")],
    ]);
    const revertPaths = new Set(["tenant-config/namedLocation/hq.yaml", "tenant-config/namedLocation/new.yaml"]);
    const { documents, diagnostics } = revertDesired({ folder: "tenant-config", before, after, revertPaths });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(documents.map((d) => [d.name, d.spec.isTrusted])).toEqual([
      ["branch", false],
      ["hq", true],
    ]);
  });

  it("keeps the targets' changes, the writes that wait for or repoint to them, and only their unmanaged entries", () => {
    const desired = [
      doc("group", "pilot", { displayName: "Pilot" }),
      doc("conditionalAccessPolicy", "uses-pilot", caSpec("Uses pilot", { users: { includeGroups: ["group:pilot"] } }), "p1"),
      doc("conditionalAccessPolicy", "other", caSpec("Other", { state: "disabled" }), "p2"),
      doc("namedLocation", "hq", { displayName: "HQ" }, "n1"),
    ];
    const actual = [
      live("conditionalAccessPolicy", "uses-pilot", "p1", caSpec("Uses pilot", { users: { includeGroups: [] } })),
      live("conditionalAccessPolicy", "other", "p2", caSpec("Other")),
      live("namedLocation", "hq", "n1", { displayName: "HQ" }),
      live("group", "stray", "g9", { displayName: "Stray" }),
      live("group", "stray-2", "g8", { displayName: "Stray 2" }),
    ];
    const plan = computePlan(desired, actual, { descriptors: KINDS, source: SOURCE, scope: ["conditionalAccessPolicy", "group", "namedLocation"], prune: false });
    const targets = new Set<Address>([address("group", "pilot"), address("group", "stray"), address("namedLocation", "hq")]);
    const focused = focusRevert(plan, targets);
    expect(focused.changes.map((c) => `${c.action} ${c.address}`)).toEqual(["noop namedLocation/hq", "create group/pilot", "update conditionalAccessPolicy/uses-pilot"]);
    expect(focused.unmanaged.map((u) => u.address)).toEqual(["group/stray"]);
    expect(focused.summary).toMatchObject({ create: 1, update: 1, noop: 1, unmanaged: 1 });
  });
});

describe("the environment's id map in sync", () => {
  it("moves only the top-level id line of documents into the map, leaving nested ids and other files alone", () => {
    const group = "kind: group\nname: pilot\nid: 'old-id'\nspec:\n  displayName: Pilot\n  id: nested-untouched\n";
    const noId = "kind: group\nname: fresh\nspec:\n  displayName: Fresh\n";
    const committed = new Map([
      ["tenant-config/group/pilot.yaml", group],
      ["tenant-config/group/fresh.yaml", noId],
      ["tenant-config/README.md", "id: not-a-document\n"],
    ]);
    const { files, ids } = stripDocumentIds("tenant-config", committed);
    expect(files).toEqual([{ path: "tenant-config/group/pilot.yaml", content: "kind: group\nname: pilot\nspec:\n  displayName: Pilot\n  id: nested-untouched\n" }]);
    expect([...ids]).toEqual([["group/pilot", "old-id"]]);
  });

  it("keeps ids of documents that exist after the sync, and words a self-heal's new ids as such", () => {
    const committed = new Map([["group/pilot", "p1"], ["group/gone", "g"], ["group/portal-only", "x"], ["user/alice", "a"]]);
    const ids = idsAfterSync({
      committed,
      live: new Map([["group/pilot", "p2"], ["group/new", "n"]]),
      recreated: [],
      committedDocuments: new Set(["group/pilot", "group/gone"]),
      files: [
        { path: "tenant-config/group/gone.yaml", content: null },
        { path: "tenant-config/group/new.yaml", content: "x" },
      ],
      folder: "tenant-config",
      readKinds: new Set(["group"]),
    });
    // A user's id stays: users were not read. The committed map is edited, not copied.
    expect([...ids].sort()).toEqual([["group/new", "n"], ["group/pilot", "p2"], ["user/alice", "a"]]);
    expect(ids.size).toBe(3);
    expect(ids.base).toBe(committed);
    const text = formatIdMap(committed, "prod");
    expect(formatIdMap(ids, "prod", { ids: committed, text, canonical: true })).toBe(formatIdMap(new Map(ids), "prod"));
    const healed = idMapCommitMessage("prod", ".entra-gitops/state/prod/ids.yaml", new Map([["group/pilot", "p1"], ["group/new", "n"]]), new Map([["group/pilot", "p2"], ["group/new", "n"]]), new Set(["group/pilot"]));
    expect(healed.split("\n")[0]).toBe("Self-heal: record the new id of 1 re-created object(s)");
    expect(healed).toContain("group/pilot: p1 -> p2");
    const recorded = idMapCommitMessage("prod", ".entra-gitops/state/prod/ids.yaml", committed, ids, new Set());
    expect(recorded.split("\n")[0]).toBe("Record the object ids of environment prod: 1 new, 1 changed, 2 removed");
    expect(recorded).toContain("group/gone: g -> (none)");
    expect(recorded).toContain("group/portal-only: x -> (none)");
    expect(recorded).toContain("group/new: (none) -> n");
  });
});
