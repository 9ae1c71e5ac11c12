import type { GitRepository } from "./repository.js";
import { gitLinesUntil, gitText } from "./run-git.js";

const CHUNK = 100;

/** The committer date (ISO 8601) of the last commit at `rev` that touched `folder`; undefined when none (or no such revision). */
export async function lastCommitDate(repo: GitRepository, rev: string, folder: string): Promise<string | undefined> {
  const last = await gitText(repo.root, ["log", "-1", "--format=%cI", rev, "--", folder]).catch(() => "");
  return last || undefined;
}

/** Who last recorded a file: the author date and committer e-mail of the last commit that touched it. */
export interface LastCommit {
  /** ISO 8601, whole seconds (git keeps no finer time). */
  authorDate: string;
  committerEmail: string;
  /** The commit's id and subject. */
  commit: string;
  subject: string;
}

/**
 * For each path (repository-relative), the last commit at `revision` that touched it; paths no
 * commit touched are absent. The history is read from `revision` back only until every path's
 * commit is found (a sync's history grows by a commit or two each run).
 */
export async function lastCommitsOf(repo: GitRepository, revision: string, paths: readonly string[]): Promise<Map<string, LastCommit>> {
  const found = new Map<string, LastCommit>();
  for (let i = 0; i < paths.length; i += CHUNK) {
    const chunk = paths.slice(i, i + CHUNK);
    const wanted = new Set(chunk);
    let current: LastCommit | undefined;
    // A NUL before each commit line: no path starts with one.
    await gitLinesUntil(repo.root, ["-c", "core.quotePath=false", "log", "--format=%x00%aI %ce %H %s", "--name-only", revision, "--", ...chunk], (line) => {
      if (line.startsWith("\0")) {
        const [authorDate = "", committerEmail = "", commit = "", ...subject] = line.slice(1).split(" ");
        current = { authorDate, committerEmail, commit, subject: subject.join(" ") };
      } else if (line && current !== undefined && wanted.has(line) && !found.has(line)) {
        found.set(line, current);
        wanted.delete(line);
      }
      return wanted.size === 0;
    });
  }
  return found;
}
