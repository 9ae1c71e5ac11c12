/**
 * The per-environment state files sync keeps in git (`.entra-gitops/state/<env>/`: the id map, the
 * credential metadata of several environments, the sync state of held-back changes): read at HEAD,
 * their new text when a run changes them, and the bot's commits of them (README "Sync state",
 * "Several tenants").
 */
import type { ResolvedConfig } from "../../config/index.js";
import { commitFiles } from "../../git/commit-files.js";
import type { FileChange } from "../../git/commit-files.js";
import type { GitRepository } from "../../git/repository.js";
import { readFileAtRevision } from "../../git/tree.js";
import { formatIdMap, idMapOfText, StateFileError } from "../../state/id-map.js";
import type { IdMapText } from "../../state/id-map.js";
import { stateEnvironment } from "../../state/paths.js";
import { emptySyncState, formatSyncState, parseSyncState } from "../../state/sync-state.js";
import type { CheckedContent, SyncState } from "../../state/sync-state.js";
import { checkSinceRecorded, contentIds } from "./checked-content.js";
import type { ContentIds } from "./checked-content.js";
import { formatTenantState } from "../../state/tenant-state.js";
import type { ExportResult } from "../export.js";
import { idMapCommitMessage } from "./environment-ids.js";
import type { RevertOutcome } from "./revert-drift.js";

/** What the state files need of a sync's options (paths repository-relative; absent: not kept). */
export interface StateFileOptions {
  repo: GitRepository;
  config: ResolvedConfig;
  idsPath?: string;
  credentialsPath?: string;
  syncStatePath?: string;
}

/** A state file's new content and the bot's commit message for it. */
export interface StateFileChange {
  file: FileChange;
  message: string;
  /** Only where the read stopped changed (no change held back or released): it may ride along in another commit of the run. */
  readOnly?: boolean;
}

/** The environment's id map as committed at HEAD. */
export interface IdState {
  /** The committed id map (after a migration: with the ids moved out of the documents). */
  ids: ReadonlyMap<string, string>;
  /** Its committed text, undefined when there is none. */
  text: string | undefined;
  /** The text is exactly what `formatIdMap` writes for `ids` (edits over it are rendered by changing only their lines). */
  canonical: boolean;
  /** The git objects of the folder and the map at HEAD (when the sync state is kept). */
  content?: ContentIds;
  /** The facts the sync state recorded still hold at HEAD (checked-content.ts): the map was not scanned, the folder need not be listed. */
  checked?: CheckedContent;
  /** Why the recorded facts did not hold (for the report), when some were recorded. */
  uncheckedBecause?: string;
}

/**
 * With `check` (the folder, and the facts the sync state recorded, README "Incremental sync"): the
 * git objects at HEAD, and when the recorded facts still hold there, the map without scanning it.
 */
export async function committedIds(options: StateFileOptions, head: string, check?: { folder: string; recorded: CheckedContent | undefined }): Promise<IdState> {
  if (!options.idsPath || !head) return { ids: new Map(), text: undefined, canonical: false };
  const text = await readFileAtRevision(options.repo, head, options.idsPath);
  if (text === undefined) return { ids: new Map(), text, canonical: false };
  const content = check ? await contentIds(options.repo, head, check.folder, options.idsPath) : undefined;
  let uncheckedBecause = check && !check.recorded ? "no check of them is recorded in the sync state" : undefined;
  if (check?.recorded && content) {
    const outcome = await checkSinceRecorded(options.repo, check.folder, check.recorded, content, text);
    if (outcome.ok) return { ids: outcome.ids, text, canonical: true, content, checked: outcome.facts };
    uncheckedBecause = outcome.reason;
  }
  const { ids, diagnostics, canonical } = idMapOfText(text, `${options.idsPath}@${head.slice(0, 12)}`);
  if (diagnostics.some((d) => d.severity === "error")) throw new StateFileError(`${options.idsPath} at HEAD is not a valid id map`, diagnostics);
  return { ids, text, canonical, ...(content ? { content } : {}), ...(uncheckedBecause ? { uncheckedBecause } : {}) };
}

export async function committedSyncState(options: StateFileOptions, head: string): Promise<SyncState> {
  if (!options.syncStatePath || !head) return emptySyncState();
  const text = await readFileAtRevision(options.repo, head, options.syncStatePath);
  if (text === undefined) return emptySyncState();
  const { state, diagnostics } = parseSyncState(text, `${options.syncStatePath}@${head.slice(0, 12)}`);
  if (diagnostics.some((d) => d.severity === "error")) throw new StateFileError(`${options.syncStatePath} at HEAD is not a valid sync state`, diagnostics);
  return state;
}

/**
 * With several environments: the tenant's credential metadata, kept out of the shared documents,
 * recorded in the environment's `credentials.yaml` by the bot (README "Several tenants"); undefined
 * when unchanged, when only one environment uses the documents, or when a kind failed to read.
 */
export async function credentialsFile(options: StateFileOptions, head: string, exported: ExportResult): Promise<StateFileChange | undefined> {
  if (!options.credentialsPath || !exported.tenantState || exported.failed.size > 0) return undefined;
  const environment = options.config.environment?.name;
  const text = formatTenantState(exported.tenantState, environment);
  const before = head ? await readFileAtRevision(options.repo, head, options.credentialsPath) : undefined;
  if (before === text) return undefined;
  const subject = `Record the credential metadata of environment ${stateEnvironment(environment)}`;
  const body = "Credential metadata (key ids, names, expiry; never secrets) differs per tenant: it is kept per environment, not in the shared documents and not as drift (README \"Several tenants\").";
  return { file: { path: options.credentialsPath, content: text }, message: `${subject}\n\n${body}\n` };
}

/** The sync state's new text and commit message, or undefined when it does not change. */
export function syncStateFile(options: StateFileOptions, before: SyncState, after: SyncState, waiting: number): StateFileChange | undefined {
  if (!options.syncStatePath) return undefined;
  const environment = options.config.environment?.name;
  const kept = (state: SyncState): boolean => state.pending.size > 0 || state.read !== undefined;
  const old = kept(before) ? formatSyncState(before, environment) : undefined;
  const text = kept(after) ? formatSyncState(after, environment) : undefined;
  if (old === text) return undefined;
  const samePending = formatSyncState({ pending: before.pending }, environment) === formatSyncState({ pending: after.pending }, environment);
  if (samePending) {
    const subject = `Record where sync's read of environment ${stateEnvironment(environment)} stopped`;
    const body = "The delta links and the time of the last read let the next sync, from any clone, read only what changed since (README \"Incremental sync\").";
    return { file: { path: options.syncStatePath, content: text ?? null }, message: `${subject}\n\n${body}\n`, readOnly: true };
  }
  const subject = `Record the sync state of environment ${stateEnvironment(environment)}: ${waiting} change(s) waiting for their audit entry`;
  const body = "Changes with no directory audit entry yet are held back (not committed) until their entry arrives or the grace period passes (README \"Sync state\").";
  return { file: { path: options.syncStatePath, content: text ?? null }, message: `${subject}\n\n${body}\n` };
}

/** Objects a self-heal re-created (Graph gave them a new id). */
export function recreatedResults(reverted: RevertOutcome | undefined): { address: string; id: string }[] {
  if (reverted?.status !== "reverted") return [];
  return reverted.results.flatMap((r) => (r.action === "create" && r.status === "done" && r.id ? [{ address: r.address, id: r.id }] : []));
}

/**
 * The id map's new text and commit message, or undefined when it does not change. `from`: the
 * committed map `ids` may be edits over (its text is then changed only at those lines).
 */
export function idsFile(options: StateFileOptions, state: IdMapText, ids: ReadonlyMap<string, string>, reverted: RevertOutcome | undefined, from?: IdMapText): StateFileChange | undefined {
  if (!options.idsPath) return undefined;
  const environment = options.config.environment?.name;
  const text = formatIdMap(ids, environment, from);
  if (text === state.text) return undefined;
  const recreated = new Set(recreatedResults(reverted).map((r) => r.address));
  return { file: { path: options.idsPath, content: text }, message: idMapCommitMessage(stateEnvironment(environment), options.idsPath, state.ids, ids, recreated) };
}

/** The paragraph a commit that also carries where the read stopped ends with. */
export function readStateNote(change: StateFileChange): string {
  return `Also records where sync's read stopped in ${change.file.path} (README "Incremental sync").`;
}

/**
 * Commits each changed state file as the bot, one commit each, in order; the commits made. `extra`
 * (where the read stopped) goes into the last of those commits, or its own when there is none.
 */
export async function commitAsBot(options: StateFileOptions, changes: ReadonlyArray<StateFileChange | undefined>, branch: string | undefined, extra?: StateFileChange): Promise<{ commit: string; subject: string }[]> {
  const bot = options.config.git;
  const commits: { commit: string; subject: string }[] = [];
  const made = changes.filter((c): c is StateFileChange => c !== undefined);
  if (extra && made.length === 0) made.push(extra);
  for (const [index, change] of made.entries()) {
    const carries = extra !== undefined && change !== extra && index === made.length - 1;
    const files = carries ? [change.file, extra.file] : [change.file];
    const message = carries ? `${change.message.trimEnd()}\n\n${readStateNote(extra)}\n` : change.message;
    const result = await commitFiles(options.repo, { files, author: bot, committer: bot, message, ...(branch ? { branch } : {}) });
    if (result.committed) commits.push({ commit: result.commit, subject: change.message.split("\n")[0] ?? "" });
  }
  return commits;
}
