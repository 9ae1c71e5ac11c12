import type { GitRepository } from "./repository.js";
import { runGit } from "./run-git.js";

/**
 * Diffs of two git objects by id (the sync state's recorded folder tree and id map against HEAD's,
 * engine/sync/checked-content.ts): git's output as it prints it, parsed by the caller; undefined
 * when git cannot read either object (a clone without it).
 */

/** `git diff -U0` of two blobs (no colour, external diff or text conversion). */
export async function blobDiffText(repo: GitRepository, from: string, to: string): Promise<string | undefined> {
  const result = await runGit(repo.root, ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "-U0", from, to], { okExitCodes: [0, 1, 128] });
  return result.exitCode === 128 ? undefined : result.stdout.toString("utf8");
}

/** `git diff-tree -r --name-status` of two trees, without rename detection: each changed path (relative to the trees) with its status letter. */
export async function treeDiff(repo: GitRepository, from: string, to: string): Promise<{ status: string; path: string }[] | undefined> {
  const result = await runGit(repo.root, ["diff-tree", "-r", "-z", "--no-renames", "--name-status", from, to], { okExitCodes: [0, 128] });
  if (result.exitCode !== 0) return undefined;
  const fields = result.stdout.toString("utf8").split("\0");
  const out: { status: string; path: string }[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) out.push({ status: fields[i] as string, path: fields[i + 1] as string });
  return out;
}
