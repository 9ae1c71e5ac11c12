import { isAbsolute, relative, resolve, sep } from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { GitError } from "./errors.js";
import { gitText, runGit } from "./run-git.js";
import { recoverInterruptedCommit, type RecoveryResult } from "./commit-journal.js";

/** An open repository: a work tree with its git directory. Functions in src/git take it first. */
export interface GitRepository {
  /** Absolute path of the work tree root (`git rev-parse --show-toplevel`). */
  readonly root: string;
  /** Absolute git directory of this work tree (`.git`, or `.git/worktrees/<name>`). */
  readonly gitDir: string;
  /** A simple-git handle rooted at `root`, for porcelain commands. */
  readonly git: SimpleGit;
}

export interface OpenRepositoryOptions {
  /**
   * Finish (or discard) a commit that an earlier run left half done (see commit-journal.ts).
   * Default true: every command that opens the repository starts from a consistent state.
   */
  recover?: boolean;
}

/** Opens the repository that contains `dir`. Throws `GitError` when `dir` is not in a work tree. */
export async function openRepository(
  dir: string,
  options: OpenRepositoryOptions = {},
): Promise<GitRepository & { recovered?: RecoveryResult }> {
  const absolute = resolve(dir);
  let root: string;
  let gitDir: string;
  try {
    // One process for both (each git process costs a scheduled run a few milliseconds).
    const [top, dotGit] = (await gitText(absolute, ["rev-parse", "--show-toplevel", "--absolute-git-dir"])).split("\n");
    if (!top || !dotGit) throw new GitError(`git rev-parse did not name the work tree and git folder of ${absolute}`);
    root = top;
    gitDir = dotGit;
  } catch (error) {
    throw new GitError(`${absolute} is not inside a git work tree (run \`git init\` first)`, {
      stderr: error instanceof GitError ? error.details.stderr : undefined,
    });
  }
  const repo: GitRepository = { root, gitDir, git: simpleGit({ baseDir: root }) };
  if (options.recover === false) return repo;
  const recovered = await recoverInterruptedCommit(repo);
  return recovered ? { ...repo, recovered } : repo;
}

/** The commit id HEAD points at, or `undefined` in a repository with no commits yet. */
export async function currentRevision(repo: GitRepository): Promise<string | undefined> {
  return tryResolve(repo, "HEAD");
}

/** Resolves a revision (`HEAD~2`, a tag, a short id, a branch) to its full commit id. */
export async function resolveRevision(repo: GitRepository, rev: string): Promise<string> {
  const id = await tryResolve(repo, rev);
  if (id === undefined) throw new GitError(`unknown revision: ${rev}`);
  return id;
}

/** The abbreviated commit id git would print for `rev` (at least 7 characters, unique). */
export async function shortRevision(repo: GitRepository, rev: string): Promise<string> {
  const id = await resolveRevision(repo, rev);
  return gitText(repo.root, ["rev-parse", "--short", id]);
}

/** The checked-out branch name (`main`), or `undefined` when HEAD is detached. */
export async function currentBranch(repo: GitRepository): Promise<string | undefined> {
  const result = await runGit(repo.root, ["symbolic-ref", "-q", "--short", "HEAD"], { okExitCodes: [0, 1] });
  const name = result.stdout.toString("utf8").trim();
  return result.exitCode === 0 && name ? name : undefined;
}

/** A path relative to the work tree root with `/` separators, for use in git pathspecs and trees. */
export function repoRelative(repo: GitRepository, path: string): string {
  const rel = relative(repo.root, isAbsolute(path) ? path : resolve(path));
  if (rel.startsWith("..") || isAbsolute(rel)) throw new GitError(`${path} is outside the repository ${repo.root}`);
  return rel.split(sep).join("/");
}

/**
 * Full commit ids this process already resolved, per repository: a commit never stops being one,
 * so a sync that reads several files at the same commit asks git once, not once per file.
 */
const knownCommits = new WeakMap<GitRepository, Set<string>>();

/** Records ids git itself printed as commits (a log's commits and parents), so resolving one later starts no process. */
export function rememberCommits(repo: GitRepository, ids: readonly string[]): void {
  let known = knownCommits.get(repo);
  if (!known) knownCommits.set(repo, (known = new Set()));
  for (const id of ids) if (/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(id)) known.add(id);
}

async function tryResolve(repo: GitRepository, rev: string): Promise<string | undefined> {
  if (rev.startsWith("-")) throw new GitError(`invalid revision: ${rev}`);
  if (/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(rev) && knownCommits.get(repo)?.has(rev)) return rev;
  const result = await runGit(repo.root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${rev}^{commit}`], {
    okExitCodes: [0, 1, 128],
  });
  const id = result.stdout.toString("utf8").trim();
  if (result.exitCode !== 0 || !id) return undefined;
  let known = knownCommits.get(repo);
  if (!known) knownCommits.set(repo, (known = new Set()));
  known.add(id);
  return id;
}

/** `user.name` and `user.email` from git's configuration for this repository, when both are set. */
export async function configuredIdentity(repo: GitRepository): Promise<{ name: string; email: string } | undefined> {
  const name = await gitText(repo.root, ["config", "user.name"]).catch(() => "");
  const email = await gitText(repo.root, ["config", "user.email"]).catch(() => "");
  return name && email ? { name, email } : undefined;
}
