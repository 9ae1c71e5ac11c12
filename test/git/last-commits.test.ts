import { renameSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lastCommitsOf } from "../../src/git/last-commits.js";
import { openRepository } from "../../src/git/repository.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo();
});
afterEach(() => repo.cleanup());

describe("lastCommitsOf", () => {
  it("names each path's last commit and its parent, a rename touching both names, and asks git once per commit id", async () => {
    const one = repo.commit("one", { "a.yaml": "same content\n", "b.yaml": "b\n" }, "2026-01-01T00:00:00Z");
    repo.git("mv", "a.yaml", "c.yaml");
    repo.git("commit", "-q", "-m", "rename a to c");
    const two = repo.git("rev-parse", "HEAD");
    const r = await openRepository(repo.dir);
    const paths = ["a.yaml", "b.yaml", "c.yaml", "never.yaml"];
    const last = await lastCommitsOf(r, two, paths);
    // Without rename detection the rename commit touched a.yaml as well as c.yaml (git log -- a.yaml).
    expect(Object.fromEntries([...last].map(([path, c]) => [path, [c.commit, c.parent ?? null, c.subject]]))).toEqual({
      "a.yaml": [two, one, "rename a to c"],
      "b.yaml": [one, null, "one"],
      "c.yaml": [two, one, "rename a to c"],
    });
    expect(last.get("b.yaml")?.authorDate).toBe("2026-01-01T00:00:00+00:00");
    expect(repo.git("log", "--format=%H", "-1", two, "--", "a.yaml")).toBe(two);
    // Asked again at the same commit: answered without git (its folder moved away meanwhile).
    renameSync(join(repo.dir, ".git"), join(repo.dir, ".git-away"));
    try {
      const again = await lastCommitsOf(r, two, paths);
      expect([...again.keys()].sort()).toEqual(["a.yaml", "b.yaml", "c.yaml"]);
      expect(again.get("a.yaml")).toEqual(last.get("a.yaml"));
      await expect(lastCommitsOf(r, one, ["b.yaml"])).rejects.toThrow();
    } finally {
      renameSync(join(repo.dir, ".git-away"), join(repo.dir, ".git"));
    }
  });
});
