/**
 * A repository from before the id map (README "Environments"): the documents' `id:` lines move
 * into the environment's map in one bot commit, made with the run's other commits.
 */
import { commitFiles } from "../../git/commit-files.js";
import type { FileChange } from "../../git/commit-files.js";
import { formatIdMap } from "../../state/id-map.js";
import { stateEnvironment } from "../../state/paths.js";
import type { SyncOptions } from "../sync-tenant.js";
import { applyFileChanges, migrationCommitMessage, stripDocumentIds } from "./environment-ids.js";
import { readStateNote } from "./state-files.js";
import type { IdState, StateFileChange } from "./state-files.js";
import { writeWorkTree } from "./work-tree.js";

/** The migration's bot commit, made with the run's other commits. */
export interface MigrationCommit {
  files: FileChange[];
  message: string;
}

/**
 * A repository from before the id map: documents committed with `id:` lines. Their ids move into
 * this environment's map (entries already in the map win), in one bot commit made with the run's
 * other commits (commitMigration), or into the work tree with --no-commit; the sync then runs on
 * the migrated documents.
 */
export async function migrateDocumentIds(
  options: Pick<SyncOptions, "repo" | "folder" | "config" | "idsPath" | "noCommit">,
  before: ReadonlyMap<string, string>,
  state: IdState,
): Promise<{ before: Map<string, string>; commit?: MigrationCommit; written: string[] } | undefined> {
  if (!options.idsPath) return undefined;
  const stripped = stripDocumentIds(options.folder, before);
  if (stripped.files.length === 0) return undefined;
  const environment = stateEnvironment(options.config.environment?.name);
  const ids = new Map(state.ids);
  for (const [key, id] of stripped.ids) if (!ids.has(key)) ids.set(key, id);
  state.ids = ids;
  const mapText = formatIdMap(state.ids, options.config.environment?.name);
  state.text = mapText;
  const files = [...stripped.files, { path: options.idsPath, content: mapText }];
  const migratedBefore = applyFileChanges(before, stripped.files);
  if (options.noCommit) return { before: migratedBefore, written: await writeWorkTree(options.repo, files) };
  return { before: migratedBefore, written: [], commit: { files, message: migrationCommitMessage(environment, options.idsPath, stripped.files.length) } };
}

/** Commits the migration as the bot, with where the read stopped when it carries it (README "Incremental sync"). */
export async function commitMigration(options: Pick<SyncOptions, "repo" | "config">, migration: MigrationCommit, branch: string | undefined, readState: StateFileChange | undefined): Promise<{ commit: string; subject: string } | undefined> {
  const bot = options.config.git;
  const files = readState ? [...migration.files, readState.file] : migration.files;
  const message = readState ? `${migration.message.trimEnd()}\n\n${readStateNote(readState)}\n` : migration.message;
  const result = await commitFiles(options.repo, { files, author: bot, committer: bot, message, ...(branch ? { branch } : {}) });
  return result.committed ? { commit: result.commit, subject: migration.message.split("\n")[0] ?? "" } : undefined;
}
