import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A real git repository in a temp folder with a local (repo-config) user, for tests. */
export interface TempRepo {
  dir: string;
  git(...args: string[]): string;
  write(path: string, content: string): void;
  /** Writes files, stages them and commits with `git commit` (fixed dates for determinism). */
  commit(message: string, files: Record<string, string | null>, date?: string): string;
  cleanup(): void;
}

export function tempRepo(): TempRepo {
  const dir = mkdtempSync(join(tmpdir(), "entra-gitops-git-test-"));
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: dir, GIT_AUTHOR_DATE: "", GIT_COMMITTER_DATE: "" };
  const git = (...args: string[]): string => execFileSync("git", args, { cwd: dir, env, encoding: "utf8" }).replace(/\n$/, "");
  git("init", "-q", "-b", "main");
  git("config", "user.name", "Test User");
  git("config", "user.email", "test@example.com");
  git("config", "commit.gpgsign", "false");
  const write = (path: string, content: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  return {
    dir,
    git,
    write,
    commit(message, files, date = "2026-01-01T00:00:00Z") {
      for (const [path, content] of Object.entries(files)) {
        if (content === null) git("rm", "-q", "--", path);
        else {
          write(path, content);
          git("add", "--", path);
        }
      }
      execFileSync("git", ["commit", "-q", "-m", message], {
        cwd: dir,
        env: { ...env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      });
      return git("rev-parse", "HEAD");
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const BOT = { name: "entra-gitops[bot]", email: "bot@noreply.entra-gitops" };
export const ALICE = { name: "Alice Admin", email: "alice@contoso.com" };
