import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { branchExists, createBranch, push } from "../../src/git/branches.js";
import { commitFiles } from "../../src/git/commit-files.js";
import { GitError } from "../../src/git/errors.js";
import { documentPath, parseDocumentPath } from "../../src/git/paths.js";
import { currentBranch, currentRevision, openRepository, repoRelative, resolveRevision, shortRevision } from "../../src/git/repository.js";
import { changedPaths, listTree, readFileAtRevision, readFilesAtRevision } from "../../src/git/tree.js";
import { ALICE, BOT, tempRepo, type TempRepo } from "./git-fixture.js";

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo();
});
afterEach(() => repo.cleanup());

const A = "tenant-config/group/a.yaml";
const B = "tenant-config/group/b.yaml";

describe("repository and trees", () => {
  it("resolves revisions and reads trees at a revision without touching the work tree", async () => {
    const outside = mkdtempSync(join(tmpdir(), "entra-gitops-not-a-repo-"));
    try {
      await expect(openRepository(outside)).rejects.toThrow(/not inside a git work tree/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
    const r0 = await openRepository(join(repo.dir));
    expect(await currentRevision(r0)).toBeUndefined();
    const first = repo.commit("one", { [A]: "a1\n", [B]: "b1 with some shared text for rename detection\n", "other/x.txt": "x\n" });
    repo.git("mv", B, "tenant-config/group/c.yaml");
    const second = repo.commit("two", { [A]: "a2\n" });
    repo.write(A, "uncommitted\n");

    const r = await openRepository(join(repo.dir, "tenant-config"));
    expect(r.root).toBe(repo.dir);
    expect(await currentRevision(r)).toBe(second);
    expect(await resolveRevision(r, "HEAD~1")).toBe(first);
    expect(await shortRevision(r, first)).toBe(first.slice(0, 7));
    await expect(resolveRevision(r, "no-such-rev")).rejects.toBeInstanceOf(GitError);
    await expect(resolveRevision(r, "--output=x")).rejects.toThrow(/invalid revision/);
    expect(await currentBranch(r)).toBe("main");
    expect(repoRelative(r, join(repo.dir, A))).toBe(A);

    expect((await listTree(r, first, "tenant-config")).map((e) => e.path)).toEqual([A, B]);
    expect(await readFilesAtRevision(r, "HEAD", "tenant-config/")).toEqual(
      new Map([
        [A, "a2\n"],
        ["tenant-config/group/c.yaml", "b1 with some shared text for rename detection\n"],
      ]),
    );
    expect(await readFileAtRevision(r, first, A)).toBe("a1\n");
    expect(await readFileAtRevision(r, first, "tenant-config/group/c.yaml")).toBeUndefined();
    expect(await changedPaths(r, first, second, "tenant-config")).toEqual([
      { status: "M", path: A },
      { status: "R", path: "tenant-config/group/c.yaml", oldPath: B, similarity: 100 },
    ]);
    expect(await changedPaths(r, first, second, "tenant-config", { renames: false })).toEqual([
      { status: "M", path: A },
      { status: "D", path: B },
      { status: "A", path: "tenant-config/group/c.yaml" },
    ].sort((x, y) => (x.path < y.path ? -1 : 1)));
  });

  it("maps documents to paths and back", () => {
    expect(documentPath("tenant-config/", "group", "finance")).toBe("tenant-config/group/finance.yaml");
    expect(parseDocumentPath("tenant-config", "tenant-config/group/finance.yaml")).toEqual({ kind: "group", name: "finance", address: "group/finance" });
    expect(parseDocumentPath("tenant-config", "tenant-config/README.md")).toBeUndefined();
    expect(parseDocumentPath("tenant-config", "tenant-config/notakind/x.yaml")).toBeUndefined();
    expect(parseDocumentPath("", "group/x.yaml")?.address).toBe("group/x");
  });
});

describe("branches and push", () => {
  it("creates a branch without checking it out and pushes it to a remote", async () => {
    const base = repo.commit("one", { [A]: "a1\n" });
    const remote = mkdtempSync(join(tmpdir(), "entra-gitops-remote-"));
    try {
      repo.git("init", "-q", "--bare", remote);
      repo.git("remote", "add", "origin", remote);
      const r = await openRepository(repo.dir);
      expect(await createBranch(r, "drift/2026-05-01")).toBe(base);
      await expect(createBranch(r, "drift/2026-05-01")).rejects.toThrow(/already exists/);
      await expect(createBranch(r, "bad..name")).rejects.toThrow(/invalid branch name/);
      expect(await branchExists(r, "drift/2026-05-01")).toBe(true);
      expect(await currentBranch(r)).toBe("main");
      await commitFiles(r, { files: [{ path: A, content: "a2\n" }], author: ALICE, committer: BOT, message: "drift", branch: "drift/2026-05-01" });
      await push(r, "origin", "drift/2026-05-01");
      expect(repo.git("--git-dir", remote, "log", "-1", "--format=%s|%an", "drift/2026-05-01")).toBe("drift|Alice Admin");
      await expect(push(r, "nowhere", "main")).rejects.toThrow(/git push nowhere main failed/);
    } finally {
      rmSync(remote, { recursive: true, force: true });
    }
  });
});

describe("listTree", () => {
  it("lists a folder at a commit once: the same commit and folder again is answered without git, another commit or folder (or HEAD moved) is listed again", async () => {
    const first = repo.commit("one", { [A]: "a1\n", "other/x.txt": "x\n" });
    const r = await openRepository(repo.dir);
    const listed = await listTree(r, first, "tenant-config");
    expect(listed.map((e) => e.path)).toEqual([A]);
    expect(Object.isFrozen(listed)).toBe(true);
    // git's folder moved away: the same listing still answers (no git process), anything else fails.
    renameSync(join(repo.dir, ".git"), join(repo.dir, ".git-away"));
    try {
      expect(await listTree(r, first, "tenant-config/")).toBe(listed);
      await expect(listTree(r, first, "other")).rejects.toThrow();
    } finally {
      renameSync(join(repo.dir, ".git-away"), join(repo.dir, ".git"));
    }
    const second = repo.commit("two", { [B]: "b1\n" });
    expect((await listTree(r, "HEAD", "tenant-config")).map((e) => e.path)).toEqual([A, B]);
    expect(await resolveRevision(r, "HEAD")).toBe(second);
    expect((await listTree(r, first, "other")).map((e) => e.path)).toEqual(["other/x.txt"]);
  });
});
