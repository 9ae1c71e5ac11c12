import { GitError } from "./errors.js";
import type { GitRepository } from "./repository.js";
import { resolveRevision } from "./repository.js";
import { runGit } from "./run-git.js";
import { readFileAtRevision } from "./tree.js";

/** A document's text and the commit it was read from. */
export interface DocumentVersion {
  revision: string;
  path: string;
  content: string;
}

/**
 * The version of a document that `restore KIND/NAME [--from REV]` brings back: with `from`, the
 * file at that revision; otherwise the file at HEAD, or, when it was deleted, its content just
 * before the commit that deleted it. `undefined` when git never had it.
 */
export async function findDocumentVersion(
  repo: GitRepository,
  path: string,
  from?: string,
): Promise<DocumentVersion | undefined> {
  if (from !== undefined) {
    const revision = await resolveRevision(repo, from);
    const content = await readFileAtRevision(repo, revision, path);
    return content === undefined ? undefined : { revision, path, content };
  }
  const head = await runGit(repo.root, ["rev-parse", "--verify", "--quiet", "HEAD"], { okExitCodes: [0, 1, 128] });
  if (head.exitCode !== 0) return undefined;
  const headId = head.stdout.toString("utf8").trim();
  const atHead = await readFileAtRevision(repo, headId, path);
  if (atHead !== undefined) return { revision: headId, path, content: atHead };
  const log = await runGit(repo.root, ["log", "-1", "--format=%H", "--diff-filter=D", "--no-renames", headId, "--", path]);
  const deletedIn = log.stdout.toString("utf8").trim();
  if (!deletedIn) return undefined;
  const parent = await runGit(repo.root, ["rev-parse", "--verify", "--quiet", `${deletedIn}^`], { okExitCodes: [0, 1, 128] });
  if (parent.exitCode !== 0) throw new GitError(`cannot read the parent of ${deletedIn}`);
  const revision = parent.stdout.toString("utf8").trim();
  const content = await readFileAtRevision(repo, revision, path);
  return content === undefined ? undefined : { revision, path, content };
}
