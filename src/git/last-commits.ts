import { rememberCommits, type GitRepository } from "./repository.js";
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
  /** Its first parent's id; absent for a root commit (or a shallow clone's first). */
  parent?: string;
}

/**
 * For each path (repository-relative), the last commit at `revision` that touched it; paths no
 * commit touched are absent. The history is read from `revision` back only until every path's
 * commit is found (a sync's history grows by a commit or two each run). A commit id's answers are
 * kept for the process (its history never changes), so a sync that asks twice about the same
 * file (when it was recorded, whether apply has written it) walks the history once. Without
 * rename detection (`--no-renames`): a path a commit renamed away is touched by that commit, as
 * `git log -- <path>` says, and git does not pair the files of each commit walked.
 */
export async function lastCommitsOf(repo: GitRepository, revision: string, paths: readonly string[]): Promise<Map<string, LastCommit>> {
  const found = new Map<string, LastCommit>();
  const known = FULL_ID.test(revision) ? answersAt(repo, revision) : undefined;
  const asked: string[] = [];
  for (const path of new Set(paths)) {
    const answer = known?.get(path);
    if (answer === undefined) asked.push(path);
    else if (answer !== null) found.set(path, answer);
  }
  for (let i = 0; i < asked.length; i += CHUNK) {
    const chunk = asked.slice(i, i + CHUNK);
    const wanted = new Set(chunk);
    let current: LastCommit | undefined;
    // A NUL before each commit line (no path starts with one), its fields apart by \x01.
    await gitLinesUntil(repo.root, ["-c", "core.quotePath=false", "log", "--no-renames", "--format=%x00%aI%x01%ce%x01%H%x01%P%x01%s", "--name-only", revision, "--", ...chunk], (line) => {
      if (line.startsWith("\0")) {
        const [authorDate = "", committerEmail = "", commit = "", parents = "", ...subject] = line.slice(1).split("\x01");
        const parent = parents.split(" ")[0];
        current = { authorDate, committerEmail, commit, subject: subject.join("\x01"), ...(parent ? { parent } : {}) };
        rememberCommits(repo, parent ? [commit, parent] : [commit]);
      } else if (line && current !== undefined && wanted.has(line) && !found.has(line)) {
        found.set(line, current);
        known?.set(line, current);
        wanted.delete(line);
      }
      return wanted.size === 0;
    });
    // The whole history was read: no commit touched these.
    for (const path of wanted) known?.set(path, null);
  }
  return found;
}

const FULL_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** `lastCommitsOf`'s answers per repository and commit id (`null`: no commit touched the path). */
const answers = new WeakMap<GitRepository, Map<string, Map<string, LastCommit | null>>>();

function answersAt(repo: GitRepository, commit: string): Map<string, LastCommit | null> {
  let byCommit = answers.get(repo);
  if (!byCommit) answers.set(repo, (byCommit = new Map()));
  let known = byCommit.get(commit);
  if (!known) byCommit.set(commit, (known = new Map()));
  return known;
}
