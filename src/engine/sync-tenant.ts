import type { ResolvedConfig } from "../config/index.js";
import { branchExists, createBranch, push } from "../git/branches.js";
import type { GitRepository } from "../git/repository.js";
import { currentBranch, currentRevision } from "../git/repository.js";
import { readFilesAtRevision } from "../git/tree.js";
import type { GraphGateway } from "../graph/types.js";
import type { Kind } from "../model/kind.js";
import type { KindDescriptor } from "../kinds/types.js";
import { betaCheckWarnings } from "./snapshot/beta-only.js";
import { environmentView } from "../documents/environment-view.js";
import { schemaDirFor } from "../config/schema-copies.js";
import { attributeDrift } from "./sync/attribution.js";
import { detectChanges } from "./sync/changes.js";
import { commitDrift } from "./sync/commit-drift.js";
import type { ChangedObject, DriftAttribution } from "./sync/types.js";
import type { ObjectResult } from "./apply/apply.js";
import { formatIdMap } from "../state/id-map.js";
import type { IdMapText } from "../state/id-map.js";
import { EditedIdMap } from "../state/edited-id-map.js";
import { idsAfterSync, withIdMapChanges } from "./sync/environment-ids.js";
import { driftBranchName, driftBranchPrefix, followsDeletedPrincipal, splitByPolicy } from "./sync/policy.js";
import { indexAuditsByTarget, matchActivities } from "./sync/audit-match.js";
import { findProposedBranch } from "./sync/proposed-branch.js";
import { revertDrift } from "./sync/revert-drift.js";
import type { RevertOutcome } from "./sync/revert-drift.js";
import { holdBack } from "./sync/hold-back.js";
import { engineIdentity } from "./sync/own-writes.js";
import type { EngineIdentity } from "./sync/own-writes.js";
import { commitAsBot, committedIds, committedSyncState, credentialsFile, idsFile, readStateNote, recreatedResults, syncStateFile } from "./sync/state-files.js";
import { changesWithEntries, recordedTimes } from "./sync/recorded-at.js";
import { auditWindowStart, reachingBackToPending, readAudits } from "./sync/audit-window.js";
import { notAppliedChanges, sameMeaning } from "./sync/not-applied.js";
import type { NotApplied } from "./sync/not-applied.js";
import type { HeldChange } from "./sync/hold-back.js";
import type { ReadState, SyncState } from "../state/sync-state.js";
import { readTenant, REFRESH_MS } from "./sync/read-tenant.js";
import { commitMigration, migrateDocumentIds } from "./sync/id-migration.js";
import { writeWorkTree } from "./sync/work-tree.js";
import type { ReadReport } from "./sync/read-tenant.js";

export interface SyncOptions {
  repo: GitRepository;
  /** Configuration folder, repository-relative. */
  folder: string;
  config: ResolvedConfig;
  gateway: GraphGateway;
  descriptors: readonly KindDescriptor[];
  /**
   * The environment's id map, repository-relative (`.entra-gitops/state/<env>/ids.yaml`): read at
   * HEAD, and committed by the bot when the sync changes it. Without it ids are not recorded.
   */
  idsPath?: string;
  /** The environment's credential metadata file, repository-relative (several environments only). */
  credentialsPath?: string;
  /**
   * The environment's sync state, repository-relative (`.entra-gitops/state/<env>/sync.yaml`):
   * the changes held back for want of an audit entry, read at HEAD and committed by the bot.
   * Without it nothing is held back.
   */
  syncStatePath?: string;
  /** Grace period for a change's audit entry (default: `sync.auditGrace` of the configuration). */
  auditGraceMs?: number;
  /** Graph root (`https://graph.microsoft.com`): needed to write reverts. */
  graphUrl: string;
  /** Write the exported files into the work tree, commit nothing, write nothing to the tenant (reverts are planned only). */
  noCommit?: boolean;
  /**
   * The drift branch: `commit` and `pr` drift is committed there (created from HEAD when missing)
   * instead of on the checked-out branch. Without it, `pr` drift goes to `driftBranchName(…)`.
   */
  branch?: string;
  push?: boolean;
  /** Start of the audit window; default: the last commit of the folder, less 15 minutes. */
  since?: Date;
  now?: Date;
  /** Read every kind in full instead of continuing from the sync state's delta links (`--full`). */
  full?: boolean;
  /** How the tenant is read, once decided. */
  onRead?: (report: ReadReport) => void;
  onKind?: (kind: Kind, count: number | Error) => void;
  onRevert?: (result: ObjectResult) => void;
  /**
   * Warnings about the export, as `export` prints them: objects with beta-only properties that
   * their kind's v1.0 read cannot return (README "Beta-only properties").
   */
  onWarning?: (warning: { address?: string; message: string }) => void;
}

export interface SyncResult {
  /** How the tenant was read: in full (and why), or incrementally (README "Incremental sync"). */
  read: ReadReport;
  /** Every change found, attributed (commit, pr and revert kinds alike). */
  attribution: DriftAttribution;
  /** Commits made on `branch` (the checked-out branch, or `--branch`). */
  commits: { commit: string; subject: string }[];
  failed: Map<Kind, string>;
  branch?: string;
  /** `pr` drift: the branch it was committed on and its commits (absent when there was none). */
  pullRequest?: PullRequestDrift;
  /** `revert` drift: what was applied back (absent when there was none). */
  revert?: RevertOutcome;
  /** `revert` kinds that had no document at HEAD: their drift was committed as a first record. */
  firstRecord: Kind[];
  /** Branches pushed to origin. */
  pushed: string[];
  /** With --no-commit: files written into the work tree. */
  written: string[];
  /** Changes left as at HEAD this time: no audit entry yet, or waiting behind one that has none. */
  heldBack: HeldChange[];
  /** Changes that are a person's commit apply has not written yet: not drift, neither committed nor reverted. */
  notApplied: NotApplied[];
  /** The grace period the held changes wait for, in minutes. */
  graceMinutes: number;
}

export interface PullRequestDrift {
  branch: string;
  commits: { commit: string; subject: string }[];
  pushed: boolean;
  /** An earlier sync's drift branch already holds exactly this drift: nothing new was committed. */
  alreadyProposed: boolean;
}

/**
 * Drift into git history (docs/design.md §1 step 4): export the tenant into the committed folder
 * held in memory (sync/read-tenant.ts), find the documents that changed, attribute them with the
 * directory audit log and act per the kind's drift policy: `commit` records one atomic commit per actor and burst on
 * the checked-out branch; `pr` does the same on a drift branch; `revert` commits nothing and
 * applies the committed documents back over the drift (through the guards). The work tree is only
 * written by the commits themselves, so an interrupted sync leaves complete commits only.
 */
export async function syncTenant(options: SyncOptions): Promise<SyncResult> {
  const { repo, folder } = options;
  let head = (await currentRevision(repo)) ?? "";
  // Before a migration commit, which rewrites every document and would hide their real history.
  const recordedHead = head;
  const stateAtHead = await committedSyncState(options, head);
  // The facts the last sync recorded of the folder and the map, checked against what git changed
  // since (checked-content.ts), when the state is kept: then neither is walked in full.
  const keepsState = Boolean(options.config.sync.incremental && options.syncStatePath && options.idsPath && !options.noCommit);
  const idState = await committedIds(options, head, keepsState ? { folder, recorded: stateAtHead.read?.checked } : undefined);
  // An incremental read continues from the committed sync state; a repository from before the id
  // map (documents with ids to migrate), --full or --no-commit read everything (README "Incremental sync").
  const incrementalOn = options.config.sync.incremental;
  const notIncremental = !incrementalOn
    ? "sync.incremental is off"
    : options.full
    ? "--full"
    : !options.syncStatePath || !options.idsPath || options.noCommit
      ? "the sync state is not kept"
      : idState.text === undefined
        ? "no id map is committed yet"
        : !stateAtHead.read
          ? "no earlier read is recorded in the sync state"
          : undefined;
  let before = notIncremental === undefined || !head ? new Map<string, string>() : await readFilesAtRevision(repo, head, folder);
  // The migration is committed with the run's other commits, after the read (it changes no
  // document's meaning, so the read of the recorded HEAD stands): where the read stopped can ride in it.
  const migrated = notIncremental === undefined ? undefined : await migrateDocumentIds(options, before, idState);
  const migratedWritten: string[] = [];
  if (migrated) {
    before = migrated.before;
    migratedWritten.push(...migrated.written);
  }
  const now = options.now ?? new Date();
  const read = await readTenant({
    repo,
    folder,
    head,
    gateway: options.gateway,
    descriptors: options.descriptors,
    ids: idState.ids,
    // The map as its committed text holds it (a migration adds to it: then it is turned around).
    ...(migrated ? {} : { idsText: idState }),
    syncState: stateAtHead,
    exportOptions: {
      environment: environmentView(options.config),
      schemaDir: schemaDirFor(options.config.rootDir, options.config.configDirPath),
      scope: options.config.kinds,
      ...(options.onKind ? { onKind: options.onKind } : {}),
    },
    ...(notIncremental === undefined ? {} : { before }),
    incremental: notIncremental === undefined,
    ...(notIncremental === undefined ? {} : { notIncremental }),
    keepsState,
    // Not after a migration: its commit changes every document the facts are about.
    ...(idState.content && !migrated ? { content: idState.content } : {}),
    ...(idState.checked && !migrated ? { checked: idState.checked } : {}),
    ...(idState.uncheckedBecause ? { uncheckedBecause: idState.uncheckedBecause } : {}),
    ...(options.full ? { full: true } : {}),
    ...(options.credentialsPath ? { credentialsPath: options.credentialsPath } : {}),
    ...(options.syncStatePath ? { syncStatePath: options.syncStatePath } : {}),
    now,
  });
  options.onRead?.(read.report);
  before = read.before;
  const { exported, after } = read;
  for (const warning of betaCheckWarnings(exported.snapshot.betaChecks, exported.snapshot.documents)) options.onWarning?.(warning);
  // The committed ids with the export's over them (looked up, never copied: README "Incremental sync").
  const liveIds = new EditedIdMap(idState.ids, exported.ids);
  const detected = detectChanges({ folder, before, after, ids: liveIds, streams: { descriptors: options.descriptors, before: read.streams.before, after: read.streams.after } }).changes;
  // Entries older than what git last recorded of an object explain that state, not this change.
  // A document's record is its file's last commit, or a later one of the images beside it.
  const recordedPaths = (c: ChangedObject): string[] => (c.previous !== undefined && before.has(c.file.path) ? [c.file.path, ...(c.streams ?? []).map((f) => f.path)] : []);
  const syncState = stateAtHead;
  const since = options.since ?? reachingBackToPending(await auditWindowStart(repo, folder, now), syncState);
  const audits = detected.length === 0 ? [] : await readAudits(options.gateway, since);
  const auditIndex = indexAuditsByTarget(audits);
  // Only a change some entry matches needs git's record (its file's history walked).
  const recorded = recordedHead ? await recordedTimes(repo, recordedHead, changesWithEntries(detected, audits, auditIndex).flatMap(recordedPaths), options.config.git) : new Map<string, Date>();
  const found = detected.map((c): ChangedObject => {
    const at = recordedPaths(c).flatMap((path) => recorded.get(path) ?? []).reduce<Date | undefined>((latest, time) => (latest && latest >= time ? latest : time), undefined);
    return at ? { ...c, recordedAt: at } : c;
  });
  const failedKinds = [...exported.failed.keys()];
  // Held back only when the state can be kept; --no-commit writes every change for review.
  const graceMs = options.syncStatePath && !options.noCommit ? (options.auditGraceMs ?? options.config.sync.auditGraceMinutes * 60_000) : 0;
  const graceMinutes = graceMs / 60_000;
  let expired = false;
  // The engine's own writes of committed documents explain no change (README "Sync state").
  const engine = audits.length === 0 ? undefined : await engineOf(options);
  const attribute = (list: readonly ChangedObject[]): DriftAttribution =>
    attributeDrift({ changes: list, audits, failedKinds, bot: options.config.git, now, ...(engine ? { engine } : {}), ...(expired ? { graceMinutes } : {}) });
  const split = splitByPolicy(found, options.config.drift, { failedKinds, committedKinds: new Set(read.committed.names.keys()) });
  // Drift that follows a deleted principal or member cannot be reverted: it is recorded instead.
  const unrevertable = split.revert.filter((change) => followsDeletedPrincipal(change, matchActivities(change, audits, auditIndex)));
  if (unrevertable.length > 0) {
    split.revert = split.revert.filter((change) => !unrevertable.includes(change));
    split.commit.push(...unrevertable);
  }
  // A person's commit apply has not written yet is not drift: never committed over, nor applied
  // by a revert without apply's review (README "Sync state").
  const untouched = [...split.commit, ...split.pr, ...split.revert].filter((change) => matchActivities(change, audits, auditIndex).length === 0);
  const notApplied = recordedHead && !migrated?.commit ? await notAppliedChanges({ repo, revision: head, changes: untouched, bot: options.config.git, descriptors: options.descriptors }) : [];
  const notAppliedAddresses = new Set(notApplied.map((n) => n.address));
  split.commit = split.commit.filter((c) => !notAppliedAddresses.has(c.address));
  split.pr = split.pr.filter((c) => !notAppliedAddresses.has(c.address));
  split.revert = split.revert.filter((c) => !notAppliedAddresses.has(c.address));
  // A recorded change no audit entry explains yet waits (README "Sync state"); revert kinds never wait.
  const held = holdBack({ attribution: attribute([...split.commit, ...split.pr]), state: syncState, graceMs, now, since, canonicalOnly: (change) => canonicalOnly(change, options.descriptors) });
  const heldAddresses = new Set(held.held.map((h) => h.address));
  expired = held.expired.length > 0;
  split.commit = split.commit.filter((c) => !heldAddresses.has(c.address));
  split.pr = split.pr.filter((c) => !heldAddresses.has(c.address));
  const changes = found.filter((c) => !heldAddresses.has(c.address) && !notAppliedAddresses.has(c.address));
  const attribution = attribute(changes);
  // `--branch` names the drift branch for everything recorded; without it `pr` drift gets its own.
  const attributedOnCurrent = attribute(options.branch ? [...split.commit, ...split.pr] : split.commit);
  const renderIds = (ids: ReadonlyMap<string, string>): string => formatIdMap(ids, options.config.environment?.name, idState);
  const withIds = options.idsPath ? withIdMapChanges(attributedOnCurrent.commits, idState.ids, liveIds, folder, options.idsPath, renderIds) : undefined;
  const onCurrent = withIds ? { ...attributedOnCurrent, commits: withIds.commits } : attributedOnCurrent;
  // What the map holds once the drift commits are made: the bot records any further change.
  const carriesIds = withIds?.commits.some((c, i) => c !== attributedOnCurrent.commits[i]) === true;
  const recordedIds: IdMapText = withIds ? { ids: withIds.ids, text: carriesIds ? renderIds(withIds.ids) : idState.text, canonical: carriesIds || idState.canonical } : idState;
  const onPrBranch = options.branch ? undefined : attribute(split.pr);
  const reverting = attribute(split.revert).commits.flatMap((c) => c.objects);
  const revert = async (planOnly: boolean): Promise<RevertOutcome | undefined> =>
    reverting.length === 0
      ? undefined
      : revertDrift({
          config: options.config,
          gateway: options.gateway,
          descriptors: options.descriptors,
          graphUrl: options.graphUrl,
          folder,
          gitRevision: head || null,
          ...(await read.everything()),
          streams: read.streams,
          objects: reverting,
          ids: liveIds,
          planOnly,
          ...(options.onRevert ? { onResult: options.onRevert } : {}),
        });

  // The ids after this sync: the committed ones, replaced by the export's and by those of
  // objects a self-heal re-created, limited to the documents the checked-out (or --branch)
  // branch holds afterwards (a document kept for an object gone from the tenant keeps its id,
  // so the object can still be restored with it).
  const finalIds = (reverted: RevertOutcome | undefined): EditedIdMap =>
    idsAfterSync({
      committed: idState.ids,
      live: exported.ids,
      recreated: recreatedResults(reverted),
      committedDocuments: read.committed.addresses,
      ...(read.committed.idsWithoutDocuments ? { committedWithoutDocuments: read.committed.idsWithoutDocuments } : {}),
      files: attributedOnCurrent.commits.flatMap((c) => c.files),
      folder,
      readKinds: new Set(exported.snapshot.read),
    });

  if (options.noCommit) {
    const written = [...migratedWritten, ...(await writeWorkTree(repo, [...attributedOnCurrent.commits, ...(onPrBranch?.commits ?? [])].flatMap((c) => c.files)))];
    const reverted = await revert(true);
    const ids = idsFile(options, idState, finalIds(reverted), reverted, idState);
    if (ids) written.push(...(await writeWorkTree(repo, [ids.file])));
    const credentials = await credentialsFile(options, head, { ...exported, ...(read.tenantState ? { tenantState: read.tenantState } : {}) });
    if (credentials) written.push(...(await writeWorkTree(repo, [credentials.file])));
    return { read: read.report, attribution, commits: [], failed: exported.failed, written, pushed: [], firstRecord: split.firstRecord, heldBack: held.held, notApplied, graceMinutes, ...(reverted ? { revert: reverted } : {}) };
  }
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
  const reverted = await revert(false);
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


/** Who the engine writes as: this run's identity and `sync.engineIdentities`. */
export async function engineOf(options: Pick<SyncOptions, "gateway" | "config">): Promise<EngineIdentity> {
  const token = await options.gateway.whoAmI().catch(() => undefined);
  return engineIdentity(token, options.config.sync.engineIdentities);
}

/**
 * A modified document whose exported spec means what the committed one means, as plan compares
 * them (defaults, empty values, order): the engine's own write of a hand-written document,
 * rewritten in canonical form, not someone's change to wait for.
 */
function canonicalOnly(change: ChangedObject, descriptors: readonly KindDescriptor[]): boolean {
  if (change.change !== "modified" || !change.document || !change.previous) return false;
  return sameMeaning(change.document.spec, change.previous.spec, change.kind, descriptors);
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
