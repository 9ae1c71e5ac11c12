import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkedCoverage, checkedTree, checkSinceRecorded, contentIds, factsOfWalk } from "../../src/engine/sync/checked-content.js";
import { committedTree, readCommitted } from "../../src/engine/sync/committed-tree.js";
import { idCoverage } from "../../src/engine/sync/id-lookups.js";
import { openRepository } from "../../src/git/repository.js";
import type { GitRepository } from "../../src/git/repository.js";
import { addedLinesCanonical, SortedIdMap } from "../../src/state/sorted-id-map.js";
import { formatSyncState, parseSyncState } from "../../src/state/sync-state.js";
import type { CheckedContent } from "../../src/state/sync-state.js";
import { tempRepo, type TempRepo } from "../git/git-fixture.js";

/**
 * The facts a sync records of the committed folder and id map (engine/sync/checked-content.ts,
 * README "Incremental sync"), checked against real git history: what git changed since keeps them,
 * or the reason they no longer hold.
 */
const IDS = ".entra-gitops/state/default/ids.yaml";
const FOLDER = "tenant-config";
const P = (address: string): string => `${FOLDER}/${address}.yaml`;
const doc = (address: string, text = "x"): string => `kind: ${address.split("/")[0] ?? ""}\nname: ${address.split("/")[1] ?? ""}\nspec:\n  displayName: ${text}\n`;
const HEADER = "# Object ids of environment \"default\".\n# Written by entra-gitops.\n";
const map = (entries: Record<string, string>): string => HEADER + Object.keys(entries).sort().map((k) => `${k}: ${entries[k] ?? ""}\n`).join("");

const BASE = { "group/finance": "0f1", "group/hr": "0f2", "user/ann": "0a1", "user/bob": "0a2" };

let repo: TempRepo;
let git: GitRepository;
let recorded: CheckedContent;
beforeEach(async () => {
  repo = tempRepo();
  repo.commit("export", {
    ...Object.fromEntries(Object.keys(BASE).map((a) => [P(a), doc(a)])),
    [P("organization/contoso")]: doc("organization/contoso"),
    [IDS]: map(BASE),
  });
  git = await openRepository(repo.dir);
  // What a sync records after walking this HEAD in full.
  const ids = SortedIdMap.of(map(BASE)) as SortedIdMap;
  const tree = await committedTree(git, "HEAD", FOLDER);
  const facts = factsOfWalk(ids, tree, idCoverage(ids, tree), await contentIds(git, "HEAD", FOLDER, IDS));
  expect(facts?.listedKinds).toEqual(["organization"]);
  recorded = facts as CheckedContent;
});
afterEach(() => repo.cleanup());

async function check(): Promise<{ ok: boolean; reason?: string; entries?: number }> {
  const now = await contentIds(git, "HEAD", FOLDER, IDS);
  const text = await import("node:fs").then((fs) => fs.readFileSync(`${repo.dir}/${IDS}`, "utf8"));
  const outcome = await checkSinceRecorded(git, FOLDER, recorded, now, text);
  return outcome.ok ? { ok: true, entries: outcome.facts.entries } : { ok: false, reason: outcome.reason };
}

describe("facts recorded of the committed folder and id map", () => {
  it("hold when nothing changed, and when documents come and go with their ids (the map's lines checked, its entries counted)", async () => {
    expect(await check()).toEqual({ ok: true, entries: 4 });
    repo.commit("a user with its id, a group gone with its id, an id changed", {
      [P("user/cid")]: doc("user/cid"),
      [P("group/hr")]: null,
      [P("organization/contoso")]: doc("organization/contoso", "edited"),
      [IDS]: map({ "group/finance": "0f9", "user/ann": "0a1", "user/bob": "0a2", "user/cid": "0a3" }),
    });
    expect(await check()).toEqual({ ok: true, entries: 4 });
  });

  it("answer the documents from the map: names, sizes, blobs by commit and path, the listed kinds from git", async () => {
    const head = repo.commit("a new singleton without an id", { [P("organization/second")]: doc("organization/second") });
    const now = await contentIds(git, "HEAD", FOLDER, IDS);
    const outcome = await checkSinceRecorded(git, FOLDER, recorded, now, map(BASE));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const tree = checkedTree(outcome.ids, head, FOLDER, await committedTree(git, head, FOLDER, recorded.listedKinds), recorded.listedKinds);
    expect([...tree.names.keys()]).toEqual(["group", "organization", "user"]);
    expect([...(tree.names.get("user") ?? [])]).toEqual(["ann", "bob"]);
    expect(tree.names.get("group")?.size).toBe(2);
    expect(tree.names.get("organization")?.has("second")).toBe(true);
    expect(tree.addresses.has("user/bob")).toBe(true);
    expect(tree.addresses.has("user/zed")).toBe(false);
    expect(await readCommitted(git, tree, [P("user/ann"), P("organization/second"), P("user/zed")])).toEqual(new Map([[P("organization/second"), doc("organization/second")], [P("user/ann"), doc("user/ann")]]));
    // The same answers as the full walk.
    const walked = await committedTree(git, head, FOLDER);
    expect(checkedCoverage(outcome.ids, tree, recorded.listedKinds)).toEqual(idCoverage(outcome.ids, walked));
  });

  it("do not hold, saying why, for a document without an id, an id without its document, a non-canonical line, a file that is not a document", async () => {
    repo.commit("a user without an id", { [P("user/cid")]: doc("user/cid") });
    expect(await check()).toEqual({ ok: false, reason: "user/cid has no id" });
    repo.commit("undo", { [P("user/cid")]: null });
    expect((await check()).ok).toBe(true);

    repo.commit("a document deleted by hand", { [P("user/bob")]: null });
    expect(await check()).toEqual({ ok: false, reason: "the id of user/bob names no document" });
    repo.commit("undo", { [P("user/bob")]: doc("user/bob") });

    repo.commit("an id removed by hand", { [IDS]: map({ "group/finance": "0f1", "group/hr": "0f2", "user/ann": "0a1" }) });
    expect(await check()).toEqual({ ok: false, reason: "user/bob has no id" });
    repo.commit("an id added by hand", { [IDS]: map({ ...BASE, "user/zed": "0a9" }) });
    expect(await check()).toEqual({ ok: false, reason: "the id of user/zed names no document" });

    repo.commit("a quoted value", { [IDS]: map(BASE).replace("user/bob: 0a2", "user/bob: '0a2'") });
    expect(await check()).toEqual({ ok: false, reason: "a line of the id map changed since the last check is not canonical" });
    repo.commit("out of order", { [IDS]: `${HEADER}group/finance: 0f1\ngroup/hr: 0f2\nuser/bob: 0a2\nuser/ann: 0a1\n` });
    expect((await check()).reason).toBe("a line of the id map changed since the last check is not canonical");
    repo.commit("a comment among the entries", { [IDS]: map(BASE).replace("user/ann", "# note\nuser/ann") });
    expect((await check()).reason).toBe("a line of the id map changed since the last check is not canonical");
    repo.commit("no final newline", { [IDS]: map(BASE).slice(0, -1) });
    expect((await check()).reason).toBe("the id map's change since the last check is not a diff of entry lines");
    repo.commit("the header edited", { [IDS]: map(BASE).replace("Written by", "Edited by") });
    expect((await check()).reason).toBe("the id map's change since the last check is not a diff of entry lines");

    repo.commit("back", { [IDS]: map(BASE), [`${FOLDER}/user/notes.txt`]: "notes\n" });
    expect(await check()).toEqual({ ok: false, reason: `${FOLDER}/user/notes.txt changed and is not a document` });
  });

  it("do not hold when git no longer has the recorded objects", async () => {
    const gone = { ...recorded, folderTree: "1".repeat(40), idMap: "2".repeat(40) };
    repo.commit("a user with its id", { [P("user/cid")]: doc("user/cid"), [IDS]: map({ ...BASE, "user/cid": "0a3" }) });
    const now = await contentIds(git, "HEAD", FOLDER, IDS);
    const outcome = await checkSinceRecorded(git, FOLDER, gone, now, map({ ...BASE, "user/cid": "0a3" }));
    expect(outcome).toEqual({ ok: false, reason: "the id map's change since the last check is not a diff of entry lines" });
  });
});

describe("added lines of a canonical id map", () => {
  const text = map({ "group/a": "i1", "group/c": "i3", "user/b": "i2" });
  it("are canonical when each is a plain entry line, in order between its neighbours", () => {
    expect(addedLinesCanonical(text, [{ line: 4, text: "group/c: i3" }])).toBe(true);
    expect(addedLinesCanonical(text, [{ line: 3, text: "group/a: i1" }, { line: 5, text: "user/b: i2" }])).toBe(true);
    // A number is not: YAML reads it as one.
    expect(addedLinesCanonical(map({ "group/a": "3" }), [{ line: 3, text: "group/a: 3" }])).toBe(false);
  });
  it("are not when out of order, not where the diff says, ambiguous to YAML, of an unknown kind, or a duplicate key", () => {
    expect(addedLinesCanonical(map({ "group/a": "i1" }) + "group/0: i2\n", [{ line: 4, text: "group/0: i2" }])).toBe(false);
    expect(addedLinesCanonical(text, [{ line: 3, text: "group/c: i3" }])).toBe(false);
    expect(addedLinesCanonical(map({ "group/a": "true" }), [{ line: 3, text: "group/a: true" }])).toBe(false);
    expect(addedLinesCanonical(map({ "gadget/a": "i1" }), [{ line: 3, text: "gadget/a: i1" }])).toBe(false);
    expect(addedLinesCanonical(`${HEADER}group/a: i1\ngroup/a: i2\n`, [{ line: 4, text: "group/a: i2" }])).toBe(false);
  });
});

describe("the sync state's record of them", () => {
  it("round-trips, and a wrong field is a diagnostic naming it", () => {
    const read = { at: "2026-12-07T10:00:00.000Z", fullAt: "2026-12-07T10:00:00.000Z", deltaLinks: new Map(), checked: { folderTree: "a".repeat(40), idMap: "b".repeat(40), entries: 3, lowerCaseIds: true, listedKinds: ["organization" as const] } };
    const text = formatSyncState({ pending: new Map(), read }, undefined);
    expect(parseSyncState(text, "sync.yaml").state.read?.checked).toEqual(read.checked);
    const bad = parseSyncState(text.replace("entries: 3", "entries: -1").replace("- organization", "- gadget"), "sync.yaml");
    expect(bad.state.read).toBeUndefined();
    expect(bad.diagnostics.map((d) => d.path)).toEqual(["read.checked.entries", "read.checked.listedKinds"]);
  });
});
