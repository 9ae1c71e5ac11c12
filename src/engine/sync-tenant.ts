import type { ResolvedConfig } from "../config/index.js";
import type { GitRepository } from "../git/repository.js";
import type { GraphGateway } from "../graph/types.js";
import type { Kind } from "../model/kind.js";
import type { KindDescriptor } from "../kinds/types.js";
import type { ObjectResult } from "./apply/apply.js";
import { classifyChanges } from "./sync/classify-changes.js";
import { commitRun, writeForReview } from "./sync/commit-run.js";
import { driftDestinations } from "./sync/drift-destinations.js";
import type { HeldChange } from "./sync/hold-back.js";
import type { NotApplied } from "./sync/not-applied.js";
import type { ReadReport } from "./sync/read-tenant.js";
import type { RevertOutcome } from "./sync/revert-drift.js";
import { readForSync } from "./sync/sync-read.js";
import type { DriftAttribution } from "./sync/types.js";

export { engineOf } from "./sync/classify-changes.js";

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
  // How to read (incrementally or in full, and why), an id migration when due, and the read itself.
  const synced = await readForSync(options);
  // The changes found, dated, attributed and sorted: policy, unrevertable, not applied, held back.
  const classified = await classifyChanges(options, synced);
  // Which branch each kind of drift goes to, what is reverted, and the ids afterwards.
  const destinations = driftDestinations(options, synced, classified);
  if (options.noCommit) return writeForReview(options, synced, classified, destinations);
  return commitRun(options, synced, classified, destinations);
}
