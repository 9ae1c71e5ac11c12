import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitFiles } from "../../src/git/commit-files.js";
import { ConcurrentUpdateError, DirtyWorkTreeError } from "../../src/git/errors.js";
import { openRepository } from "../../src/git/repository.js";
import { assertCleanFolder } from "../../src/git/worktree.js";
import { ALICE, BOT, tempRepo, type TempRepo } from "./git-fixture.js";

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo();
});
afterEach(() => repo.cleanup());

const A = "tenant-config/namedLocation/office.yaml";
const B = "tenant-config/namedLocation/branch.yaml";

describe("commitFiles", () => {
  it("commits exactly the given files with author, author date and bot committer", async () => {
    repo.commit("init", { [A]: "kind: namedLocation\nname: office\n", "README.md": "hi\n" });
    repo.write("notes.txt", "staged but not ours\n");
    repo.git("add", "notes.txt");
    const r = await openRepository(repo.dir);
    const result = await commitFiles(r, {
      files: [
        { path: A, content: null },
        { path: B, content: "kind: namedLocation\nname: branch\n" },
      ],
      author: { ...ALICE, date: new Date("2026-03-04T05:06:07.890Z") },
      committer: BOT,
      message: "alice@contoso.com: delete namedLocation/office, add namedLocation/branch\n\nbody line",
    });
    expect(result.committed).toBe(true);
    const log = repo.git("log", "-1", "--format=%an|%ae|%aI|%cn|%ce|%s|%b").trim();
    expect(log).toBe(
      "Alice Admin|alice@contoso.com|2026-03-04T05:06:07+00:00|entra-gitops[bot]|bot@noreply.entra-gitops|alice@contoso.com: delete namedLocation/office, add namedLocation/branch|body line",
    );
    expect(repo.git("show", "--no-renames", "--name-status", "--format=", "HEAD").split("\n").sort()).toEqual([`A\t${B}`, `D\t${A}`]);
    expect(existsSync(join(repo.dir, A))).toBe(false);
    expect(readFileSync(join(repo.dir, B), "utf8")).toBe("kind: namedLocation\nname: branch\n");
    // The user's own staged file stays staged and out of the commit; nothing else is dirty.
    expect(repo.git("status", "--porcelain")).toBe("A  notes.txt");
    // Global/local config untouched: the repo's configured user is still the test user.
    expect(repo.git("config", "user.name")).toBe("Test User");
  });

  it("makes the first commit of an empty repository and reports no-op commits", async () => {
    const r = await openRepository(repo.dir);
    const first = await commitFiles(r, { files: [{ path: A, content: "x\n" }], author: ALICE, committer: BOT, message: "first" });
    expect(first.committed && first.parent).toBeUndefined();
    expect(repo.git("rev-list", "--count", "HEAD")).toBe("1");
    const again = await commitFiles(r, { files: [{ path: A, content: "x\n" }], author: ALICE, committer: BOT, message: "same" });
    expect(again.committed).toBe(false);
    expect(repo.git("rev-list", "--count", "HEAD")).toBe("1");
    expect(repo.git("status", "--porcelain")).toBe("");
  });

  it("refuses to overwrite a touched file with local changes, naming it", async () => {
    repo.commit("init", { [A]: "v1\n" });
    repo.write(A, "local edit\n");
    const r = await openRepository(repo.dir);
    const attempt = commitFiles(r, { files: [{ path: A, content: "v2\n" }], author: ALICE, committer: BOT, message: "m" });
    await expect(attempt).rejects.toBeInstanceOf(DirtyWorkTreeError);
    await expect(attempt).rejects.toThrow(/ M tenant-config\/namedLocation\/office.yaml/);
    expect(readFileSync(join(repo.dir, A), "utf8")).toBe("local edit\n");
    await expect(assertCleanFolder(r, "tenant-config")).rejects.toThrow(/1 file/);
    expect(await assertCleanFolder(r, "tenant-config", { allowDirty: true })).toEqual([{ path: A, status: " M" }]);
    const forced = await commitFiles(r, { files: [{ path: A, content: "v2\n" }], author: ALICE, committer: BOT, message: "m", allowDirty: true });
    expect(forced.committed).toBe(true);
    expect(repo.git("status", "--porcelain")).toBe("");
  });

  it("examines only the touched paths, taken literally: an untracked file at one is refused, others are left alone", async () => {
    const glob = "tenant-config/namedLocation/[ab]*.yaml";
    repo.commit("init", { [A]: "v1\n" });
    repo.write(glob, "someone's new file\n");
    repo.write(B, "untracked, not touched\n");
    const r = await openRepository(repo.dir);
    const attempt = commitFiles(r, { files: [{ path: glob, content: "ours\n" }], author: ALICE, committer: BOT, message: "m" });
    await expect(attempt).rejects.toThrow(/\?\? tenant-config\/namedLocation\/\[ab\]\*\.yaml/);
    await expect(attempt).rejects.not.toThrow(/branch\.yaml/);
    const other = await commitFiles(r, { files: [{ path: A, content: "v2\n" }], author: ALICE, committer: BOT, message: "m" });
    expect(other.committed).toBe(true);
    expect(readFileSync(join(repo.dir, glob), "utf8")).toBe("someone's new file\n");
    expect(repo.git("status", "--porcelain", "--untracked-files=all")).toBe(`?? ${glob}\n?? ${B}`);
  });

  it("refuses what git status reports at a touched path even when the disk matches the commit: a staged change, a mode change; an ignored file is git's to ignore", async () => {
    const C = "tenant-config/namedLocation/ignored.yaml";
    repo.commit("init", { [A]: "v1\n", [B]: "b1\n", ".gitignore": "ignored.yaml\n" });
    // Staged v2, then the disk put back to the committed v1: the index differs from HEAD.
    repo.write(A, "v2\n");
    repo.git("add", A);
    repo.write(A, "v1\n");
    chmodSync(join(repo.dir, B), 0o755);
    repo.write(C, "local, ignored\n");
    const r = await openRepository(repo.dir);
    const staged = commitFiles(r, { files: [{ path: A, content: "v3\n" }], author: ALICE, committer: BOT, message: "m" });
    await expect(staged).rejects.toThrow(/MM tenant-config\/namedLocation\/office\.yaml/);
    const mode = commitFiles(r, { files: [{ path: B, content: "b2\n" }], author: ALICE, committer: BOT, message: "m" });
    await expect(mode).rejects.toThrow(/ M tenant-config\/namedLocation\/branch\.yaml/);
    // Clean paths beside them pass, and an ignored file is overwritten as git status does not report it.
    const clean = await commitFiles(r, { files: [{ path: C, content: "ours\n" }, { path: "tenant-config/namedLocation/new.yaml", content: "n\n" }], author: ALICE, committer: BOT, message: "m" });
    expect(clean.committed).toBe(true);
    expect(readFileSync(join(repo.dir, C), "utf8")).toBe("ours\n");
    expect(repo.git("status", "--porcelain").split("\n").map((line) => line.trim())).toEqual([`M ${B}`, `MM ${A}`]);
  });

  it("accepts touched files whose local content already equals the new content", async () => {
    repo.commit("init", { [A]: "v1\n", [B]: "b1\n" });
    repo.write(A, "v2\n");
    repo.write("tenant-config/namedLocation/new.yaml", "n1\n");
    repo.git("rm", "-q", "--cached", B);
    repo.git("clean", "-q", "-f", "--", B);
    const r = await openRepository(repo.dir);
    const result = await commitFiles(r, {
      files: [
        { path: A, content: "v2\n" },
        { path: B, content: null },
        { path: "tenant-config/namedLocation/new.yaml", content: "n1\n" },
      ],
      author: ALICE,
      committer: BOT,
      message: "export already wrote these",
    });
    expect(result.committed).toBe(true);
    expect(repo.git("status", "--porcelain")).toBe("");
  });

  it("commits to a branch that is not checked out without touching the work tree", async () => {
    repo.commit("init", { [A]: "v1\n" });
    repo.git("branch", "drift");
    const r = await openRepository(repo.dir);
    const result = await commitFiles(r, { files: [{ path: A, content: "v2\n" }], author: ALICE, committer: BOT, message: "m", branch: "drift" });
    expect(result.committed && result.ref).toBe("refs/heads/drift");
    expect(repo.git("show", `drift:${A}`)).toBe("v2");
    expect(readFileSync(join(repo.dir, A), "utf8")).toBe("v1\n");
    expect(repo.git("status", "--porcelain")).toBe("");
    await expect(
      commitFiles(r, { files: [{ path: A, content: "v3\n" }], author: ALICE, committer: BOT, message: "m", branch: "missing" }),
    ).rejects.toThrow(/branch missing does not exist/);
  });

  it("rejects paths that escape the work tree", async () => {
    const r = await openRepository(repo.dir);
    for (const path of ["../x.yaml", "/etc/passwd", ".git/config", "a/./b.yaml"]) {
      await expect(commitFiles(r, { files: [{ path, content: "x" }], author: ALICE, committer: BOT, message: "m" })).rejects.toThrow(
        /unsafe repository path/,
      );
    }
  });

  it("fails without changing anything when the branch moved meanwhile", async () => {
    const base = repo.commit("init", { [A]: "v1\n" });
    const r = await openRepository(repo.dir);
    const attempt = commitFiles(r, {
      files: [{ path: B, content: "new\n" }],
      author: ALICE,
      committer: BOT,
      message: "m",
      onStep: (step) => {
        if (step === "journal-written") repo.commit("someone else", { "other.txt": "o\n" });
      },
    });
    await expect(attempt).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(repo.git("rev-parse", "HEAD~1")).toBe(base);
    expect(repo.git("log", "-1", "--format=%s")).toBe("someone else");
    expect(existsSync(join(repo.dir, B))).toBe(false);
    expect(repo.git("status", "--porcelain")).toBe("");
    expect((await openRepository(repo.dir)).recovered).toBeUndefined();
  });

  it("builds the tree from the parent's and the changed files only: other folders keep their trees, names with quotes and spaces pass, a missing file's deletion is a no-op, and no ref is left behind", async () => {
    const odd = 'tenant-config/group/a "quoted" name.yaml';
    const base = repo.commit("init", { [A]: "v1\n", "tenant-config/user/u1.yaml": "u1\n", "tenant-config/user/u2.yaml": "u2\n", ".entra-gitops/state/prod/ids.yaml": "ids\n" });
    const r = await openRepository(repo.dir);
    const result = await commitFiles(r, {
      files: [
        { path: "tenant-config/user/u2.yaml", content: "u2 changed\n" },
        { path: odd, content: "odd\n" },
        { path: "tenant-config/user/never-there.yaml", content: null },
      ],
      author: ALICE,
      committer: BOT,
      message: "m",
    });
    expect(result.committed).toBe(true);
    // git's own listing of the new commit: exactly the parent's entries with the two files changed.
    expect(repo.git("ls-tree", "-r", "--name-only", "-z", "HEAD").split("\0").filter(Boolean).sort()).toEqual(
      [".entra-gitops/state/prod/ids.yaml", A, odd, "tenant-config/user/u1.yaml", "tenant-config/user/u2.yaml"].sort(),
    );
    expect(repo.git("show", `HEAD:${odd}`)).toBe("odd");
    expect(repo.git("show", "HEAD:tenant-config/user/u2.yaml")).toBe("u2 changed");
    // Folders no file touched keep the parent's tree objects; everything is connected (the throwaway commit fast-import made is garbage).
    for (const folder of ["tenant-config/namedLocation", ".entra-gitops"]) expect(repo.git("rev-parse", `HEAD:${folder}`)).toBe(repo.git("rev-parse", `${base}:${folder}`));
    expect(repo.git("fsck", "--no-progress", "--no-dangling", "--connectivity-only")).toBe("");
    expect(repo.git("for-each-ref", "--format=%(refname)")).toBe("refs/heads/main");
    expect(repo.git("status", "--porcelain")).toBe("");
    // The same content again: no commit.
    const again = await commitFiles(r, { files: [{ path: odd, content: "odd\n" }], author: ALICE, committer: BOT, message: "m" });
    expect(again.committed).toBe(false);
    expect(repo.git("rev-list", "--count", "HEAD")).toBe("2");
    expect(repo.git("for-each-ref", "--format=%(refname)")).toBe("refs/heads/main");
  });

  it("writes the commit git itself writes for the change (same tree and commit id as `git commit` in a clone that compresses at level 9), and fsck and gc stay clean", async () => {
    const users = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`tenant-config/user/u${String(i).padStart(3, "0")}.yaml`, `kind: user\nname: u${i}\n`]));
    repo.commit("init", { [A]: "v1\n", ...users });
    const clone = mkdtempSync(join(tmpdir(), "entra-gitops-git-clone-"));
    try {
      execFileSync("git", ["clone", "-q", repo.dir, clone]);
      const cloneGit = (args: string[], env: Record<string, string> = {}): string =>
        execFileSync("git", args, { cwd: clone, encoding: "utf8", env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: clone, ...env } }).trim();
      cloneGit(["config", "core.compression", "9"]);
      cloneGit(["config", "commit.gpgsign", "false"]);
      const author = { ...ALICE, date: new Date("2026-05-06T07:08:09Z") };
      const committer = { ...BOT, date: new Date("2026-05-06T07:10:00Z") };
      const r = await openRepository(repo.dir);
      const result = await commitFiles(r, {
        files: [
          { path: "tenant-config/user/u150.yaml", content: "kind: user\nname: u150\nspec:\n  department: Sales\n" },
          { path: A, content: null },
          { path: B, content: "kind: namedLocation\nname: branch\n" },
        ],
        author,
        committer,
        message: "alice@contoso.com: update user/u150",
      });
      if (!result.committed) throw new Error("expected a commit");
      // The same change by git's porcelain in the clone.
      writeFileSync(join(clone, "tenant-config/user/u150.yaml"), "kind: user\nname: u150\nspec:\n  department: Sales\n");
      writeFileSync(join(clone, B), "kind: namedLocation\nname: branch\n");
      cloneGit(["rm", "-q", "--", A]);
      cloneGit(["add", "--", "tenant-config"]);
      cloneGit(["commit", "-q", "-m", "alice@contoso.com: update user/u150"], {
        GIT_AUTHOR_NAME: ALICE.name,
        GIT_AUTHOR_EMAIL: ALICE.email,
        GIT_AUTHOR_DATE: "2026-05-06T07:08:09Z",
        GIT_COMMITTER_NAME: BOT.name,
        GIT_COMMITTER_EMAIL: BOT.email,
        GIT_COMMITTER_DATE: "2026-05-06T07:10:00Z",
      });
      expect(cloneGit(["rev-parse", "HEAD^{tree}"])).toBe(repo.git("rev-parse", "HEAD^{tree}"));
      expect(cloneGit(["rev-parse", "HEAD"])).toBe(result.commit);
      // fast-import's pack is sound, and stays so once gc has repacked it with the rest.
      expect(repo.git("fsck", "--full", "--strict", "--no-progress", "--no-dangling")).toBe("");
      repo.git("gc", "-q", "--prune=now");
      expect(repo.git("fsck", "--full", "--strict", "--no-progress", "--no-dangling")).toBe("");
      expect(repo.git("rev-parse", "HEAD")).toBe(result.commit);
      expect(repo.git("status", "--porcelain")).toBe("");
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it("on a detached HEAD refuses to commit without a branch and commits on a named one, the work tree untouched", async () => {
    const base = repo.commit("init", { [A]: "v1\n" });
    repo.git("checkout", "-q", "--detach");
    const r = await openRepository(repo.dir);
    await expect(commitFiles(r, { files: [{ path: A, content: "v2\n" }], author: ALICE, committer: BOT, message: "m" })).rejects.toThrow(/HEAD is detached/);
    const onMain = await commitFiles(r, { files: [{ path: A, content: "v2\n" }], author: ALICE, committer: BOT, message: "m", branch: "main" });
    expect(onMain.committed && onMain.parent).toBe(base);
    expect(repo.git("rev-parse", "HEAD")).toBe(base);
    expect(repo.git("show", "main:" + A)).toBe("v2");
    expect(readFileSync(join(repo.dir, A), "utf8")).toBe("v1\n");
  });
});
