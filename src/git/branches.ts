import { GitError } from "./errors.js";
import { resolveRevision, type GitRepository } from "./repository.js";
import { gitText, runGit } from "./run-git.js";

/**
 * Creates branch `name` at `startPoint` (default HEAD) without checking it out; commits go to it
 * with `commitFiles({ branch: name })`. Refuses to move an existing branch.
 */
export async function createBranch(repo: GitRepository, name: string, startPoint = "HEAD"): Promise<string> {
  const ref = `refs/heads/${name}`;
  await runGit(repo.root, ["check-ref-format", ref]).catch(() => {
    throw new GitError(`invalid branch name: ${name}`);
  });
  const commit = await resolveRevision(repo, startPoint);
  const result = await runGit(repo.root, ["update-ref", "-m", `entra-gitops: branch ${name}`, ref, commit, "0".repeat(commit.length)], {
    okExitCodes: [0, 1, 128],
  });
  if (result.exitCode !== 0) throw new GitError(`branch ${name} already exists`, { stderr: result.stderr });
  return commit;
}

/** Whether `refs/heads/<name>` exists. */
export async function branchExists(repo: GitRepository, name: string): Promise<boolean> {
  const result = await runGit(repo.root, ["show-ref", "--verify", "--quiet", `refs/heads/${name}`], { okExitCodes: [0, 1, 128] });
  return result.exitCode === 0;
}

/**
 * Pushes `branch` to `remote` (fast-forward only; never forces). Credentials come from the
 * environment git already uses (credential helper, GITHUB_TOKEN via actions/checkout), never from
 * here; git's messages are passed through only after removing userinfo from URLs.
 */
export async function push(repo: GitRepository, remote: string, branch: string): Promise<void> {
  if (remote.startsWith("-") || branch.startsWith("-")) throw new GitError("invalid remote or branch name");
  try {
    await repo.git.push(remote, `refs/heads/${branch}:refs/heads/${branch}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new GitError(`git push ${remote} ${branch} failed: ${redactUrls(message)}`);
  }
}

function redactUrls(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, "$1***@");
}

/**
 * Local branches `refs/heads/<prefix>*` and remote-tracking ones `refs/remotes/*\/<prefix>*` (no
 * remote `HEAD`), as full ref names, newest commit first; empty when git cannot list them.
 */
export async function branchRefsByNewest(repo: GitRepository, prefix: string): Promise<string[]> {
  const listed = await gitText(repo.root, ["for-each-ref", "--sort=-committerdate", "--format=%(refname)", `refs/heads/${prefix}*`, `refs/remotes/*/${prefix}*`]).catch(() => "");
  return listed.split("\n").filter((ref) => ref !== "" && !ref.endsWith("/HEAD"));
}
