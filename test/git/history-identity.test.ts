import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { objectHistory } from "../../src/git/history.js";
import { resolveHistoryTarget } from "../../src/git/history-target.js";
import { openRepository } from "../../src/git/repository.js";
import { parseIdMap } from "../../src/state/id-map.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo();
});
afterEach(() => repo.cleanup());

const FOLDER = "tenant-config";
const doc = (name: string, id: string, displayName: string, state = "enabled"): string =>
  `kind: conditionalAccessPolicy\nname: ${name}\nid: ${id}\nspec:\n  displayName: ${displayName}\n  state: ${state}\n  conditions:\n    users:\n      includeUsers: [All]\n    applications:\n      includeApplications: [All]\n  grantControls:\n    operator: OR\n    builtInControls: [mfa]\n`;
const A = "tenant-config/conditionalAccessPolicy/block-legacy.yaml";
const B = "tenant-config/conditionalAccessPolicy/block-legacy-copy.yaml";

describe("history follows an object by its id, never by git's similarity", () => {
  it("a copy of another policy (different id) that git --follow takes for a rename is a new object", async () => {
    repo.commit("export", { [A]: doc("block-legacy", "p1", "Block legacy") }, "2026-01-01T10:00:00Z");
    repo.commit("alice: report-only", { [A]: doc("block-legacy", "p1", "Block legacy", "disabled") }, "2026-01-02T10:00:00Z");
    // p1 deleted in the portal and a look-alike p2 created the same day: git sees a rename.
    repo.commit("sync", { [A]: null, [B]: doc("block-legacy-copy", "p2", "Block legacy (copy)", "disabled") }, "2026-01-03T10:00:00Z");
    expect(repo.git("log", "--follow", "--format=%s", "--", B).split("\n")).toEqual(["sync", "alice: report-only", "export"]);
    const history = await objectHistory(await openRepository(repo.dir), { path: B });
    expect(history.map((h) => [h.subject, h.change])).toEqual([["sync", "created"]]);
  });

  it("a file name used earlier by another object shows only the current object's life", async () => {
    repo.commit("export", { [A]: doc("block-legacy", "p1", "Block legacy") });
    repo.commit("deleted", { [A]: null });
    repo.commit("new policy, same name", { [A]: doc("block-legacy", "p3", "Block legacy") });
    repo.commit("bob: disable", { [A]: doc("block-legacy", "p3", "Block legacy", "disabled") });
    const history = await objectHistory(await openRepository(repo.dir), { path: A });
    expect(history.map((h) => [h.subject, h.change])).toEqual([
      ["bob: disable", "modified"],
      ["new policy, same name", "created"],
    ]);
  });

  it("the same id deleted and restored under its name is one life", async () => {
    repo.commit("export", { [A]: doc("block-legacy", "p1", "Block legacy") });
    repo.commit("deleted", { [A]: null });
    repo.commit("restored", { [A]: doc("block-legacy", "p1", "Block legacy") });
    const history = await objectHistory(await openRepository(repo.dir), { path: A });
    expect(history.map((h) => [h.subject, h.change])).toEqual([
      ["restored", "created"],
      ["deleted", "deleted"],
      ["export", "created"],
    ]);
  });
});

describe("history reads ids from the environment's id map", () => {
  const MAP = ".entra-gitops/state/prod/ids.yaml";
  const bare = (name: string, displayName: string, state = "enabled"): string => doc(name, "x", displayName, state).replace("id: x\n", "");
  const ids = (entries: Record<string, string>): string => Object.entries(entries).map(([k, v]) => `${k}: ${v}\n`).join("");
  const idMap = { path: MAP, parse: (text: string) => parseIdMap(text, MAP).ids };

  it("follows a rename by the id the map holds, and tells a re-created object from a restored one", async () => {
    repo.commit("export", { [A]: bare("block-legacy", "Block legacy"), [MAP]: ids({ "conditionalAccessPolicy/block-legacy": "p1" }) });
    repo.commit("alice: disable", { [A]: bare("block-legacy", "Block legacy", "disabled") });
    // The same object (p1) under a new file name.
    repo.commit("rename", { [A]: null, [B]: bare("block-legacy-copy", "Block legacy"), [MAP]: ids({ "conditionalAccessPolicy/block-legacy-copy": "p1" }) });
    const r = await openRepository(repo.dir);
    expect((await objectHistory(r, { path: B }, { idMap })).map((h) => [h.subject, h.change])).toEqual([
      ["rename", "renamed"],
      ["alice: disable", "modified"],
      ["export", "created"],
    ]);
    // Without the map there is no id to follow: the rename is a new file.
    expect((await objectHistory(r, { path: B })).map((h) => h.change)).toEqual(["created"]);

    // Deleted, then a new object (p2) under the old name: another life.
    repo.commit("deleted", { [B]: null, [MAP]: ids({}) });
    repo.commit("re-created", { [B]: bare("block-legacy-copy", "Block legacy"), [MAP]: ids({ "conditionalAccessPolicy/block-legacy-copy": "p2" }) });
    const recreated = await objectHistory(r, { path: B }, { idMap });
    expect(recreated.map((h) => [h.subject, h.change])).toEqual([["re-created", "created"]]);
  });
});

describe("history targets: address, file or display name", () => {
  it("resolves each form, and says clearly when nothing or several documents match", async () => {
    repo.commit("export", {
      [A]: doc("block-legacy", "p1", "Block legacy"),
      "tenant-config/conditionalAccessPolicy/twin-1.yaml": doc("twin-1", "t1", "Twin"),
      "tenant-config/conditionalAccessPolicy/twin-2.yaml": doc("twin-2", "t2", "Twin"),
    });
    const r = await openRepository(repo.dir);
    expect(await resolveHistoryTarget(r, FOLDER, "conditionalAccessPolicy/block-legacy")).toEqual({ ok: true, path: A, title: "conditionalAccessPolicy/block-legacy" });
    expect(await resolveHistoryTarget(r, FOLDER, A, repo.dir)).toEqual({ ok: true, path: A, title: "conditionalAccessPolicy/block-legacy" });
    expect(await resolveHistoryTarget(r, FOLDER, "conditionalAccessPolicy/block-legacy.yaml", `${repo.dir}/tenant-config`)).toEqual({ ok: true, path: A, title: "conditionalAccessPolicy/block-legacy" });
    expect(await resolveHistoryTarget(r, FOLDER, "block LEGACY")).toEqual({ ok: true, path: A, title: "conditionalAccessPolicy/block-legacy" });
    expect(await resolveHistoryTarget(r, FOLDER, "Twin")).toEqual({
      ok: false,
      message: '"Twin" is the display name of 2 documents: conditionalAccessPolicy/twin-1, conditionalAccessPolicy/twin-2; name one as KIND/NAME',
    });
    expect(await resolveHistoryTarget(r, FOLDER, "No such policy")).toEqual({
      ok: false,
      message: 'nothing matches "No such policy": no KIND/NAME address, document file, or display name of a document committed at HEAD (a deleted document is named by its KIND/NAME)',
    });
    expect(await resolveHistoryTarget(r, FOLDER, "README.yaml", repo.dir)).toMatchObject({ ok: false });
  });
});
