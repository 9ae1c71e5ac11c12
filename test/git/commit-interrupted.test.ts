import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitFiles, type CommitStep } from "../../src/git/commit-files.js";
import { openRepository } from "../../src/git/repository.js";
import { ALICE, BOT, tempRepo, type TempRepo } from "./git-fixture.js";

let repo: TempRepo;
beforeEach(() => {
  repo = tempRepo();
});
afterEach(() => repo.cleanup());

const A = "tenant-config/group/admins.yaml";
const B = "tenant-config/group/helpdesk.yaml";
const C = "tenant-config/namedLocation/hq.yaml";

class Interrupted extends Error {}

/** HEAD is a complete commit, the index equals HEAD and the work tree equals the index. */
function expectConsistent(): void {
  expect(repo.git("fsck", "--no-dangling", "--connectivity-only")).toBe("");
  expect(repo.git("diff", "--cached", "--name-only")).toBe("");
  expect(repo.git("status", "--porcelain", "--untracked-files=all")).toBe("");
}

describe("commitFiles interrupted at every step", () => {
  const steps: CommitStep[] = ["objects-written", "journal-written", "ref-updated", "checkout-updated"];
  for (const step of steps) {
    it(`leaves only complete commits when stopped after ${step}`, async () => {
      const base = repo.commit("init", { [A]: "a1\n", [B]: "b1\n" });
      const r = await openRepository(repo.dir);
      await expect(
        commitFiles(r, {
          files: [
            { path: A, content: "a2\n" },
            { path: B, content: null },
            { path: C, content: "c1\n" },
          ],
          author: ALICE,
          committer: BOT,
          message: "drift",
          onStep: (s) => {
            if (s === step) throw new Interrupted(s);
          },
        }),
      ).rejects.toBeInstanceOf(Interrupted);

      const moved = step === "ref-updated" || step === "checkout-updated";
      expect(repo.git("rev-parse", moved ? "HEAD~1" : "HEAD")).toBe(base);
      // The next command that opens the repository finishes or discards the interrupted commit.
      const reopened = await openRepository(repo.dir);
      if (step === "ref-updated") expect(reopened.recovered?.action).toBe("completed");
      if (step === "journal-written") expect(reopened.recovered?.action).toBe("discarded");
      expectConsistent();
      if (moved) {
        expect(repo.git("log", "-1", "--format=%s|%an")).toBe("drift|Alice Admin");
        expect(readFileSync(join(repo.dir, A), "utf8")).toBe("a2\n");
        expect(existsSync(join(repo.dir, B))).toBe(false);
        expect(readFileSync(join(repo.dir, C), "utf8")).toBe("c1\n");
      } else {
        expect(readFileSync(join(repo.dir, A), "utf8")).toBe("a1\n");
        expect(existsSync(join(repo.dir, C))).toBe(false);
      }
    });
  }

  it("recovers when the index is locked by another git process after the ref moved", async () => {
    repo.commit("init", { [A]: "a1\n" });
    const r = await openRepository(repo.dir);
    const lock = join(repo.dir, ".git", "index.lock");
    const attempt = commitFiles(r, {
      files: [{ path: A, content: "a2\n" }],
      author: ALICE,
      committer: BOT,
      message: "drift",
      onStep: (s) => {
        if (s === "ref-updated") writeFileSync(lock, "");
      },
    });
    await expect(attempt).rejects.toThrow(/index\.lock/);
    expect(repo.git("log", "-1", "--format=%s")).toBe("drift");
    rmSync(lock);
    const reopened = await openRepository(repo.dir);
    expect(reopened.recovered).toEqual({ action: "completed", commit: repo.git("rev-parse", "HEAD"), paths: [A] });
    expectConsistent();
    expect(readFileSync(join(repo.dir, A), "utf8")).toBe("a2\n");
    // Recovery is idempotent.
    expect((await openRepository(repo.dir)).recovered).toBeUndefined();
  });

  it("commits an image's bytes exactly, and a recovery after the ref moved writes them back byte for byte", async () => {
    repo.commit("init", { [A]: "a1\n" });
    const image = "tenant-config/organizationalBranding/default.bannerLogo.png";
    // Not UTF-8: any decoding on the way would change these bytes.
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80, 0x0a]);
    const r = await openRepository(repo.dir);
    await expect(
      commitFiles(r, {
        files: [{ path: A, content: "a2\n" }, { path: image, content: bytes }],
        author: ALICE,
        committer: BOT,
        message: "drift",
        onStep: (s) => {
          if (s === "ref-updated") throw new Interrupted(s);
        },
      }),
    ).rejects.toBeInstanceOf(Interrupted);
    const reopened = await openRepository(repo.dir);
    expect(reopened.recovered?.action).toBe("completed");
    expectConsistent();
    expect(execFileSync("git", ["-C", repo.dir, "cat-file", "blob", `HEAD:${image}`]).equals(bytes)).toBe(true);
    expect(readFileSync(join(repo.dir, image)).equals(bytes)).toBe(true);
    // The same bytes again: nothing to commit (compared as bytes, not as text).
    const again = await commitFiles(r, { files: [{ path: image, content: Buffer.from(bytes) }], author: ALICE, committer: BOT, message: "same" });
    expect(again.committed).toBe(false);
  });
});
