/**
 * Sync's first step (docs/design.md §1 step 4): decide how to read the tenant (incrementally from
 * the committed sync state, or in full and why), migrate a repository from before the id map, and
 * read (read-tenant.ts).
 */
import { currentRevision } from "../../git/repository.js";
import { readFilesAtRevision } from "../../git/tree.js";
import { environmentView } from "../../documents/environment-view.js";
import { schemaDirFor } from "../../config/schema-copies.js";
import type { SyncState } from "../../state/sync-state.js";
import { betaCheckWarnings } from "../snapshot/beta-only.js";
import type { SyncOptions } from "../sync-tenant.js";
import { migrateDocumentIds } from "./id-migration.js";
import { readTenant } from "./read-tenant.js";
import type { TenantRead } from "./read-tenant.js";
import { committedIds, committedSyncState } from "./state-files.js";
import type { IdState } from "./state-files.js";

/** What the read step leaves for the rest of the run. */
export interface SyncRead {
  /**
   * HEAD when the run started: before a migration commit, which rewrites every document and would
   * hide their real history.
   */
  head: string;
  /** The sync state committed at HEAD. */
  stateAtHead: SyncState;
  /** The committed id map (after a migration: with the ids moved out of the documents). */
  idState: IdState;
  /** A migration of the documents' ids, when the repository is from before the id map. */
  migrated: Awaited<ReturnType<typeof migrateDocumentIds>>;
  /** With --no-commit: files the migration wrote into the work tree. */
  migratedWritten: string[];
  /** The committed texts the changes are found against (the read's). */
  before: Map<string, string>;
  now: Date;
  read: TenantRead;
}

/** Decides how to read, migrates the ids when needed, reads the tenant and reports the read and the export's warnings. */
export async function readForSync(options: SyncOptions): Promise<SyncRead> {
  const { repo, folder } = options;
  const head = (await currentRevision(repo)) ?? "";
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
  const { exported } = read;
  for (const warning of betaCheckWarnings(exported.snapshot.betaChecks, exported.snapshot.documents)) options.onWarning?.(warning);
  return { head, stateAtHead, idState, migrated, migratedWritten, before: read.before, now, read };
}
