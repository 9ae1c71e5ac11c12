import { lastCommitsOf } from "../../git/last-commits.js";
import type { GitRepository } from "../../git/repository.js";
import type { DirectoryAudit } from "./audit-entry.js";
import { matchActivities, type AuditIndex } from "./audit-match.js";
import type { ChangedObject } from "./types.js";

/**
 * When git last recorded each file at `revision`: the author date of the last commit that touched
 * it (a drift commit's author date is its latest audit entry; a person's commit, its time). Audit
 * entries at or before that time explain the committed state, not a newer change (README "Sync state").
 */
export async function recordedTimes(repo: GitRepository, revision: string, paths: readonly string[], bot: { email: string }): Promise<Map<string, Date>> {
  const times = new Map<string, Date>();
  for (const [path, last] of await lastCommitsOf(repo, revision, paths)) {
    // Git keeps whole seconds: a drift commit's author date is its latest entry's time cut to
    // the second, so that whole second is the recorded entry's.
    const bots = last.committerEmail.toLowerCase() === bot.email.toLowerCase();
    times.set(path, new Date(Date.parse(last.authorDate) + (bots ? 999 : 0)));
  }
  return times;
}

/**
 * The changes whose record can change a decision. Git's record (`recordedAt`) is read only where
 * entries are matched to an object (audit-match.ts), to leave out the matching entries at or before
 * it: a change no entry matches is attributed, held back or reverted alike whatever its record, so
 * its file's history need not be walked (a tree read per commit walked, README "Incremental sync").
 * Fewer entries (attribution drops failures) never match where these do not.
 */
export function changesWithEntries<C extends ChangedObject>(changes: readonly C[], audits: readonly DirectoryAudit[], index: AuditIndex): C[] {
  return audits.length === 0 ? [] : changes.filter((c) => matchActivities(c, audits, index).length > 0);
}
