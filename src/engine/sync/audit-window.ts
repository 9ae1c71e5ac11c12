import type { GitRepository } from "../../git/repository.js";
import { lastCommitDate } from "../../git/last-commits.js";
import type { GraphGateway } from "../../graph/types.js";
import type { SyncState } from "../../state/sync-state.js";
import { auditQuery, parseDirectoryAudits } from "./audit-entry.js";
import type { DirectoryAudit } from "./audit-entry.js";

/** How late directory audit entries arrive at most (docs/graph-behaviour.md §12): the window starts this much earlier. */
export const AUDIT_LAG_MS = 15 * 60 * 1000;
const AUDIT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * The audit window of a sync or drift report starts at the folder's last commit (at `rev`, default
 * HEAD), less the audit log's lag, at most 30 days back (the log's retention).
 */
export async function auditWindowStart(repo: GitRepository, folder: string, now: Date, rev = "HEAD"): Promise<Date> {
  const last = await lastCommitDate(repo, rev, folder);
  const floor = now.getTime() - AUDIT_RETENTION_MS;
  const start = last ? Date.parse(last) - AUDIT_LAG_MS : floor;
  return new Date(Math.max(start, floor));
}

/**
 * The window reaches back to the earliest audit-window start of the changes sync holds back (the
 * committed sync state, README "Sync state"), so their late entries are read by sync and drift alike.
 */
export function reachingBackToPending(since: Date, state: SyncState): Date {
  const starts = [...state.pending.values()].map((p) => Date.parse(p.since));
  return new Date(Math.min(since.getTime(), ...starts));
}

/** The directory audit entries from `since` on. */
export async function readAudits(gateway: GraphGateway, since: Date): Promise<DirectoryAudit[]> {
  // No upper bound: an entry newer than this run explains the state just read as well.
  const values = await gateway.list("/auditLogs/directoryAudits", { query: auditQuery(since) });
  return parseDirectoryAudits(values).audits;
}
