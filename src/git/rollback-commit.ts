import { commitFiles, type CommitFilesResult, type FileChange, type GitIdentity } from "./commit-files.js";
import type { GitRepository } from "./repository.js";
import { currentRevision, resolveRevision, shortRevision } from "./repository.js";
import { planRollback, rollbackCommitInput, type RollbackInput, type RollbackPlan } from "./rollback.js";
import type { Selector } from "./selectors.js";
import { readBinaryFilesAtRevision, readFilesAtRevision } from "./tree.js";
import type { Address } from "../model/kind.js";
import { assertCleanFolder } from "./worktree.js";

export interface RollbackOptions {
  folder: string;
  /** Revision to roll back to (`HEAD~3`, a tag, a commit id). */
  to: string;
  selectors: readonly Selector[];
  /** The person running the rollback (usually git's configured user) and the bot identity. */
  author: GitIdentity;
  committer: GitIdentity;
  allowDirty?: boolean;
  /** Only compute the plan; commit nothing. */
  dryRun?: boolean;
  /** The document a file kept beside documents belongs to (a branding image), or undefined for any other file. */
  attachedTo?: (path: string) => Address | undefined;
  /** Further files the same commit writes (e.g. the environment's id map entries of restored documents). */
  alsoWrite?: (plan: RollbackPlan, revision: string) => Promise<FileChange[]>;
}

/**
 * Reads the folder at `to` and at HEAD from the object store, plans the rollback and records it
 * as one commit on the checked-out branch. Refuses a dirty configuration folder unless allowed
 * (a dry run only reads the object store, so it runs on a dirty folder too).
 */
export async function commitRollback(
  repo: GitRepository,
  options: RollbackOptions,
): Promise<{ plan: RollbackPlan; result?: CommitFilesResult }> {
  if (!options.dryRun) await assertCleanFolder(repo, options.folder, { allowDirty: options.allowDirty ?? false });
  const revision = await resolveRevision(repo, options.to);
  const head = await currentRevision(repo);
  const plan = planRollback({
    folder: options.folder,
    revision,
    shortRevision: await shortRevision(repo, revision),
    selectors: options.selectors,
    atRevision: await readFilesAtRevision(repo, revision, options.folder),
    current: head ? await readFilesAtRevision(repo, head, options.folder) : new Map(),
    ...(options.attachedTo ? { attached: await attachedFiles(repo, options.folder, revision, head, options.attachedTo) } : {}),
  });
  const input = rollbackCommitInput(plan, { author: options.author, committer: options.committer });
  if (!input || options.dryRun) return { plan };
  const extra = options.alsoWrite ? await options.alsoWrite(plan, revision) : [];
  return { plan, result: await commitFiles(repo, { ...input, files: [...input.files, ...extra], allowDirty: options.allowDirty ?? false }) };
}

/** The files kept beside documents at the revision and at HEAD, as bytes. */
async function attachedFiles(repo: GitRepository, folder: string, revision: string, head: string | undefined, documentOf: (path: string) => Address | undefined): Promise<NonNullable<RollbackInput["attached"]>> {
  const wanted = (path: string): boolean => documentOf(path) !== undefined;
  return {
    atRevision: await readBinaryFilesAtRevision(repo, revision, folder, wanted),
    current: head ? await readBinaryFilesAtRevision(repo, head, folder, wanted) : new Map(),
    documentOf,
  };
}
