import { commitFiles, type CommitFilesResult } from "../../git/commit-files.js";
import type { GitRepository } from "../../git/repository.js";
import type { DriftCommit } from "./types.js";

export interface CommitDriftOptions {
  /** Branch to record drift on (created beforehand with `createBranch`); default: checked out. */
  branch?: string;
  /** The sync wrote the exported files into the work tree itself: let commitFiles overwrite them. */
  allowDirty?: boolean;
}

/**
 * Records the attribution's commits in order, each one `commitFiles` call (one atomic commit).
 * Stops at the first failure: the commits made before it stay, complete; the error names how far
 * it got. Commits whose files already match (nothing to record) are skipped.
 */
export async function commitDrift(
  repo: GitRepository,
  commits: readonly DriftCommit[],
  options: CommitDriftOptions = {},
): Promise<{ commit: string; subject: string }[]> {
  const made: { commit: string; subject: string }[] = [];
  for (const [index, drift] of commits.entries()) {
    let result: CommitFilesResult;
    try {
      result = await commitFiles(repo, {
        files: drift.files,
        author: drift.author,
        committer: drift.committer,
        message: drift.message,
        ...(options.branch !== undefined ? { branch: options.branch } : {}),
        ...(options.allowDirty !== undefined ? { allowDirty: options.allowDirty } : {}),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`drift commit ${index + 1} of ${commits.length} failed after ${made.length} commit(s): ${message}`, {
        cause: error,
      });
    }
    if (result.committed) made.push({ commit: result.commit, subject: drift.message.split("\n")[0] ?? "" });
  }
  return made;
}
