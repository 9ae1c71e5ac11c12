import { sameFileContent, type FileChange } from "../../git/commit-files.js";
import type { GitRepository } from "../../git/repository.js";
import { branchRefsByNewest } from "../../git/branches.js";
import { readBinaryFileAtRevision } from "../../git/tree.js";

/**
 * A drift branch (local, or fetched from a remote) that already holds exactly these files: the same
 * `pr` drift was proposed by an earlier sync whose pull request is still open. Returns its short
 * name (`entra-gitops/drift-…` or `origin/entra-gitops/drift-…`), newest first, or undefined.
 * Scheduled syncs then do not open one pull request per run for the same change.
 */
export async function findProposedBranch(repo: GitRepository, prefix: string, files: readonly FileChange[]): Promise<string | undefined> {
  if (files.length === 0) return undefined;
  for (const ref of await branchRefsByNewest(repo, prefix)) {
    if (await holdsAll(repo, ref, files)) return ref.replace(/^refs\/(heads|remotes)\//, "");
  }
  return undefined;
}

async function holdsAll(repo: GitRepository, ref: string, files: readonly FileChange[]): Promise<boolean> {
  for (const file of files) {
    const content = await readBinaryFileAtRevision(repo, ref, file.path).catch(() => undefined);
    if (!sameFileContent(content, file.content)) return false;
  }
  return true;
}
