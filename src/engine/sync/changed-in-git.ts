/**
 * The documents git changed since the last recorded read of the tenant (README "Incremental
 * sync"): an incremental read compares them again even when nobody changed their object in the
 * tenant, so a merge made after the read (applied or not) is compared like a full read compares it.
 * The read's commit is the one that brought the sync state's current `read.at` (the state rides in
 * a run's last commit); it is found by walking back the commits that changed the sync state file.
 */
import { parseDocumentPath } from "../../git/paths.js";
import type { GitRepository } from "../../git/repository.js";
import { commitsChanging, isShallow } from "../../git/file-commits.js";
import { changedPaths, readFileAtRevision } from "../../git/tree.js";
import { address } from "../../model/kind.js";
import { parseSyncState } from "../../state/sync-state.js";

/** How many commits of the sync state file are looked at before giving up (a full read then). */
const MAX_STATE_COMMITS = 200;

/**
 * Addresses of the documents under `folder` added, changed, deleted or renamed (both names)
 * between the commit that recorded the read of `at` and `rev`; undefined when that commit cannot be
 * found (a shallow clone that ends before it, a state edited by hand).
 */
export async function documentsChangedSinceRead(repo: GitRepository, rev: string, folder: string, syncStatePath: string, at: string): Promise<string[] | undefined> {
  const commit = await readCommit(repo, rev, syncStatePath, at);
  if (commit === undefined) return undefined;
  const out = new Set<string>();
  // Both names of a rename are wanted: no rename detection (a deletion and an addition).
  for (const change of await changedPaths(repo, commit, rev, folder, { renames: false })) {
    for (const path of change.status === "R" ? [change.oldPath, change.path] : [change.path]) {
      const where = parseDocumentPath(folder, path);
      if (where) out.add(address(where.kind, where.name));
    }
  }
  return [...out].sort();
}

/** The commit at or before `rev` whose sync state first holds the read of `at`. */
export async function readCommit(repo: GitRepository, rev: string, syncStatePath: string, at: string): Promise<string | undefined> {
  for (const { commit, parent } of await commitsChanging(repo, rev, syncStatePath, MAX_STATE_COMMITS)) {
    if ((await readAt(repo, commit, syncStatePath)) !== at) return undefined;
    // A root commit holds the read itself; a shallow clone's first commit may not (its parent is not here).
    if (parent === undefined) return (await isShallow(repo)) ? undefined : commit;
    if ((await readAt(repo, parent, syncStatePath)) !== at) return commit;
  }
  return undefined;
}

async function readAt(repo: GitRepository, commit: string, path: string): Promise<string | undefined> {
  const text = await readFileAtRevision(repo, commit, path).catch(() => undefined);
  if (text === undefined) return undefined;
  return parseSyncState(text, path).state.read?.at;
}
