/**
 * Sync's last step: with --no-commit, the changes written into the work tree for review (reverts
 * planned only); otherwise the migration, drift and state-file commits, the `pr` drift branch, the
 * revert, and the push. The work tree is only written by the commits themselves, so an interrupted
 * sync leaves complete commits only.
 */
import { branchExists, createBranch, push } from "../../git/branches.js";
import { currentBranch } from "../../git/repository.js";
import type { Kind } from "../../model/kind.js";
import type { ReadState, SyncState } from "../../state/sync-state.js";
import type { PullRequestDrift, SyncOptions, SyncResult } from "../sync-tenant.js";
import type { ClassifiedChanges } from "./classify-changes.js";
import { commitDrift } from "./commit-drift.js";
import type { DriftDestinations } from "./drift-destinations.js";
import { commitMigration } from "./id-migration.js";
import { driftBranchName, driftBranchPrefix } from "./policy.js";
import { findProposedBranch } from "./proposed-branch.js";
import { REFRESH_MS } from "./read-tenant.js";
import { commitAsBot, credentialsFile, idsFile, readStateNote, syncStateFile } from "./state-files.js";
import type { SyncRead } from "./sync-read.js";
import type { DriftAttribution } from "./types.js";
import { writeWorkTree } from "./work-tree.js";

/** --no-commit: the exported files and the state files written into the work tree, reverts planned only. */
export async function writeForReview(options: SyncOptions, synced: SyncRead, classified: ClassifiedChanges, destinations: DriftDestinations): Promise<SyncResult> {
  const { repo } = options;
  const { head, idState, read, migratedWritten } = synced;
  const { exported } = read;
  const { attributedOnCurrent, onPrBranch, revert, finalIds } = destinations;
  const { attribution, split, held, notApplied, graceMinutes } = classified;
  const written = [...migratedWritten, ...(await writeWorkTree(repo, [...attributedOnCurrent.commits, ...(onPrBranch?.commits ?? [])].flatMap((c) => c.files)))];
  const reverted = await revert(true, head);
  const ids = idsFile(options, idState, finalIds(reverted), reverted, idState);
  if (ids) written.push(...(await writeWorkTree(repo, [ids.file])));
  const credentials = await credentialsFile(options, head, { ...exported, ...(read.tenantState ? { tenantState: read.tenantState } : {}) });
  if (credentials) written.push(...(await writeWorkTree(repo, [credentials.file])));
  return { read: read.report, attribution, commits: [], failed: exported.failed, written, pushed: [], firstRecord: split.firstRecord, heldBack: held.held, notApplied, graceMinutes, ...(reverted ? { revert: reverted } : {}) };
}

/** Commits the run: the migration, the drift, the `pr` drift branch, the revert, the state files; and pushes with --push. */
export async function commitRun(options: SyncOptions, synced: SyncRead, classified: ClassifiedChanges, destinations: DriftDestinations): Promise<SyncResult> {
  const { repo } = options;
  const { idState, read, migrated, now, stateAtHead: syncState } = synced;
  let { head } = synced;
  const { exported } = read;
  const { attribution, split, held, notApplied, graceMinutes, found } = classified;
  const { onCurrent, onPrBranch, recordedIds, revert, finalIds } = destinations;
  let branch = options.branch;
  if (branch && branch !== (await currentBranch(repo)) && !(await branchExists(repo, branch))) await createBranch(repo, branch);
  // Where the read stopped rides along in the run's last commit: one bot commit per run at most,
  // and none on a quiet run but every 6 hours (README "Incremental sync"). Changes held back or
  // released keep their own commit, which says so.
  // While a merged change waits for apply, the read stays where it was recorded, before the merge:
  // the next sync compares that document again and reports it until apply has written it.
  const syncChange = syncStateFile(options, syncState, withRead(syncState, held.state, notApplied.length > 0 ? undefined : read.nextRead({ heldKinds: new Set(held.held.map((h) => h.address.slice(0, h.address.indexOf("/")) as Kind)), changed: found.length > 0, now })), held.state.pending.size);
  const readOnly = syncChange?.readOnly ? syncChange : undefined;
  const lastDrift = onCurrent.commits.length - 1;
  const driftCommits = readOnly && lastDrift >= 0
    ? onCurrent.commits.map((c, i) => (i === lastDrift ? { ...c, files: [...c.files, readOnly.file], message: `${c.message.trimEnd()}\n\n${readStateNote(readOnly)}\n` } : c))
    : onCurrent.commits;
  const carriedByDrift = readOnly !== undefined && lastDrift >= 0;
  // With no drift commit, the migration commit (the run's first) carries it instead.
  const carriedByMigration = readOnly !== undefined && !carriedByDrift && migrated?.commit !== undefined;
  const migratedCommit = migrated?.commit ? await commitMigration(options, migrated.commit, branch, carriedByMigration ? readOnly : undefined) : undefined;
  if (migratedCommit) head = migratedCommit.commit;
  const commits = [...(migratedCommit ? [migratedCommit] : []), ...(await commitDrift(repo, driftCommits, branch ? { branch } : {}))];
  branch ??= await currentBranch(repo);
  const pullRequest = onPrBranch && onPrBranch.commits.length > 0 ? await commitOnDriftBranch(options, onPrBranch, now) : undefined;
  const reverted = await revert(false, head);
  // The environment's state files, each its own bot commit after the drift commits.
  const stateFiles = [
    idsFile(options, recordedIds, finalIds(reverted), reverted, idState),
    await credentialsFile(options, head, { ...exported, ...(read.tenantState ? { tenantState: read.tenantState } : {}) }),
    readOnly ? undefined : syncChange,
  ];
  // Alone, where the read stopped is committed only after a full read (its fresh links spare the
  // next run another one) or when the recorded read is 6 hours old (a delta link can be used
  // again), and never by a run whose revert failed.
  const previousRead = syncState.read;
  const due = read.report.mode === "full" || !previousRead || now.getTime() - Date.parse(previousRead.at) >= REFRESH_MS;
  const failedRevert = reverted !== undefined && (reverted.status === "blocked" || reverted.status === "failed");
  const alone = readOnly && !carriedByDrift && !carriedByMigration && (stateFiles.some((c) => c !== undefined) || (due && !failedRevert)) ? readOnly : undefined;
  commits.push(...(await commitAsBot(options, stateFiles, branch, alone)));
  const pushed: string[] = [];
  if (options.push && branch && commits.length > 0) {
    await push(repo, "origin", branch);
    pushed.push(branch);
  }
  if (pullRequest?.pushed) pushed.push(pullRequest.branch);
  return {
    read: read.report,
    attribution,
    commits,
    failed: exported.failed,
    ...(branch ? { branch } : {}),
    ...(pullRequest ? { pullRequest } : {}),
    ...(reverted ? { revert: reverted } : {}),
    pushed,
    firstRecord: split.firstRecord,
    written: [],
    heldBack: held.held,
    notApplied,
    graceMinutes,
  };
}

/** The sync state to commit: the held changes, and the read state (the committed one when the read leaves it). */
function withRead(committed: SyncState, held: SyncState, read: ReadState | undefined): SyncState {
  const next = read ?? committed.read;
  return next ? { ...held, read: next } : held;
}

/**
 * `pr` drift: a new branch from HEAD (after this run's `commit` drift) and its commits, pushed with
 * --push; unless a drift branch of this environment (local or fetched) already holds exactly these
 * files, i.e. an earlier sync proposed the same drift and its pull request is still open.
 */
async function commitOnDriftBranch(options: SyncOptions, attribution: DriftAttribution, now: Date): Promise<PullRequestDrift> {
  const { repo } = options;
  const environment = options.config.environment?.name;
  const files = attribution.commits.flatMap((c) => c.files);
  const proposed = await findProposedBranch(repo, driftBranchPrefix(environment), files);
  if (proposed) return { branch: proposed, commits: [], pushed: false, alreadyProposed: true };
  const base = driftBranchName(environment, now);
  let branch = base;
  for (let n = 2; await branchExists(repo, branch); n += 1) branch = `${base}-${n}`;
  await createBranch(repo, branch);
  const commits = await commitDrift(repo, attribution.commits, { branch });
  if (options.push && commits.length > 0) await push(repo, "origin", branch);
  return { branch, commits, pushed: Boolean(options.push && commits.length > 0), alreadyProposed: false };
}
