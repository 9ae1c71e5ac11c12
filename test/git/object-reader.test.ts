import { readdirSync, readFileSync, realpathSync, renameSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readBlobs } from "../../src/git/blobs.js";
import { endObjectReaders, objectIds, readObjects } from "../../src/git/object-reader.js";
import { openRepository } from "../../src/git/repository.js";
import { readFileAtRevision } from "../../src/git/tree.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo();
});
afterEach(() => repo.cleanup());

describe("readObjects (one cat-file --batch per repository)", () => {
  it("answers blobs, commit:path names, trees and missing names in the order asked, requests pipelined, across large objects", async () => {
    const big = "x".repeat(1_500_000) + "\n";
    const first = repo.commit("one", { "a.yaml": "a1\n", "dir/big.txt": big, "dir/b.yaml": "b\n" });
    const r = await openRepository(repo.dir);
    const blob = repo.git("rev-parse", `${first}:a.yaml`);
    const [many, again, more] = await Promise.all([
      readObjects(r, [`${first}:dir/big.txt`, blob, `${first}:nowhere.yaml`, `${first}:dir`, "0".repeat(40)]),
      readObjects(r, [`${first}:dir/b.yaml`]),
      readObjects(r, [blob, `${first}:dir/big.txt`]),
    ]);
    expect(many.map((o) => o?.type)).toEqual(["blob", "blob", undefined, "tree", undefined]);
    expect(many[0]?.content.toString("utf8")).toBe(big);
    expect(many[1]?.content.toString("utf8")).toBe("a1\n");
    expect(many[1]?.oid).toBe(blob);
    expect(again[0]?.content.toString("utf8")).toBe("b\n");
    expect(more[1]?.content.length).toBe(big.length);
    // A file at a path that is a folder, or nowhere, is no file; a missing blob is an error.
    expect(await readFileAtRevision(r, first, "dir")).toBeUndefined();
    expect(await readFileAtRevision(r, first, "nowhere.yaml")).toBeUndefined();
    await expect(readBlobs(r, ["1".repeat(40)])).rejects.toThrow(/missing/);
  });

  it("finds objects written after it started, and starts again after it ended when idle", async () => {
    const first = repo.commit("one", { "a.yaml": "a1\n" });
    const r = await openRepository(repo.dir);
    expect((await readObjects(r, [`${first}:a.yaml`]))[0]?.content.toString("utf8")).toBe("a1\n");
    const second = repo.commit("two", { "a.yaml": "a2\n" });
    expect((await readObjects(r, [`${second}:a.yaml`]))[0]?.content.toString("utf8")).toBe("a2\n");
    // Past its idle time the process has ended: the next request starts another.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const third = repo.commit("three", { "a.yaml": "a3\n" });
    const [a3, a1] = await readObjects(r, [`${third}:a.yaml`, `${first}:a.yaml`]);
    expect([a3?.content.toString("utf8"), a1?.content.toString("utf8")]).toEqual(["a3\n", "a1\n"]);
  });

  it("ends every cat-file --batch when the CLI is done (endObjectReaders): git has exited before it resolves, and a later read starts another", async () => {
    const first = repo.commit("one", { "a.yaml": "a1\n" });
    const r = await openRepository(repo.dir);
    expect((await readObjects(r, [`${first}:a.yaml`]))[0]?.content.toString("utf8")).toBe("a1\n");
    // The git processes of this repository's folder (Linux: /proc).
    const running = (): string[] =>
      readdirSync("/proc").filter((pid) => {
        try {
          return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, "utf8").startsWith("git\0cat-file\0--batch") && realpathSync(`/proc/${pid}/cwd`) === realpathSync(repo.dir);
        } catch {
          return false; // ended meanwhile, or not ours to read
        }
      });
    expect(running()).toHaveLength(1);
    await endObjectReaders();
    expect(running()).toEqual([]);
    expect((await readObjects(r, [`${first}:a.yaml`]))[0]?.content.toString("utf8")).toBe("a1\n");
    await endObjectReaders();
  });

  it("gives object ids: a name read at a commit without git, others through the batch", async () => {
    const first = repo.commit("one", { "dir/a.yaml": "a1\n" });
    const r = await openRepository(repo.dir);
    expect(await readFileAtRevision(r, first, "dir/a.yaml")).toBe("a1\n");
    expect(await readFileAtRevision(r, first, "dir/none.yaml")).toBeUndefined();
    renameSync(join(repo.dir, ".git"), join(repo.dir, ".git-away"));
    try {
      // Read before: answered without git (its folder moved away), the missing one too.
      expect(await objectIds(r, [`${first}:dir/a.yaml`, `${first}:dir/none.yaml`])).toEqual([{ oid: expect.stringMatching(/^[0-9a-f]{40}$/), type: "blob" }, undefined]);
    } finally {
      renameSync(join(repo.dir, ".git-away"), join(repo.dir, ".git"));
    }
    const [tree, blob] = await objectIds(r, [`${first}:dir`, `${first}:dir/a.yaml`]);
    expect(tree).toEqual({ oid: repo.git("rev-parse", `${first}:dir`), type: "tree" });
    expect(blob?.oid).toBe(repo.git("rev-parse", `${first}:dir/a.yaml`));
  });
});
