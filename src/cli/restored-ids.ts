import type { ResolvedConfig } from "../config/index.js";
import type { FileChange } from "../git/commit-files.js";
import type { GitRepository } from "../git/repository.js";
import { repoRelative } from "../git/repository.js";
import { readFileAtRevision } from "../git/tree.js";
import { idMapFile, readEnvironmentIds } from "../state/environment-state.js";
import { formatIdMap, parseIdMap } from "../state/id-map.js";

/**
 * Documents brought back from `revision` (rollback, restore) bring their id in this environment
 * back too, when the id map no longer has one: so a soft-deleted object is restored with its id.
 * Returns the id map file to commit with them, or nothing when no entry changes.
 */
export async function restoredIds(repo: GitRepository, config: ResolvedConfig, addresses: readonly string[], revision: string): Promise<FileChange[]> {
  if (addresses.length === 0) return [];
  const path = repoRelative(repo, idMapFile(config));
  const current = await readEnvironmentIds(config);
  const then = parseIdMap((await readFileAtRevision(repo, revision, path)) ?? "", `${path}@${revision.slice(0, 12)}`).ids;
  const next = new Map(current);
  for (const key of addresses) {
    const id = then.get(key);
    if (id !== undefined && !current.has(key)) next.set(key, id);
  }
  if (next.size === current.size) return [];
  return [{ path, content: formatIdMap(next, config.environment?.name) }];
}
