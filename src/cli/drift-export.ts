/**
 * How a full `drift` reads the tenant (README "drift"): an export of every kind into the folder at
 * `--rev` held in memory (documents/document-folder.ts), as sync's full read does. A document
 * export knows by its place and finds byte for byte as it would write it (a plain document its id
 * map holds, no images beside it) matched its object and is not compared again; every other file
 * (a document that changed, one the tenant no longer has, a hand-written, templated or
 * environment-restricted one, a file that is no document) goes through validation and the plan as
 * before, with the objects export wrote a changed or new document for. So a full drift parses
 * only what an export parses. The export's read is the plan's (`PlanRequest.read`).
 */
import type { ResolvedConfig } from "../config/index.js";
import { schemaDirFor } from "../config/index.js";
import { environmentView } from "../documents/environment-view.js";
import { memoryFolderOf } from "../documents/document-folder.js";
import { exportTenant, ExportRefusedError } from "../engine/export.js";
import { revisionStreams, streamPathOf } from "../engine/streams.js";
import type { Snapshot } from "../engine/snapshot/snapshot.js";
import { parseDocumentPath } from "../git/paths.js";
import { repoRelative, resolveRevision } from "../git/repository.js";
import { listTree, readBinaryFilesAtRevision, readFilesAtRevision } from "../git/tree.js";
import type { GraphGateway } from "../graph/types.js";
import type { KindDescriptor } from "../kinds/types.js";
import { address, type Kind } from "../model/kind.js";
import { readEnvironmentIds } from "../state/environment-state.js";
import { desiredFromFiles, desiredOptions } from "./desired.js";
import type { DesiredState } from "./desired.js";
import { documentNames } from "./drift-read.js";
import { UserError } from "./errors.js";
import { configRepository } from "./repo.js";

export interface ExportedDrift {
  /** The documents to compare (validated). */
  desired: DesiredState;
  /** The tenant as read, the addresses to compare, and references to the documents not compared. */
  read: { snapshot: Snapshot; compared: ReadonlySet<string>; namesUnread: (reference: string) => boolean };
  /** Documents of the kinds in scope not compared: export found them as they are. */
  unchanged: number;
}

/**
 * The full drift's documents and read, or undefined when it must plan every document (a symbolic
 * link committed, a document that does not render for the environment, a kind that could not be
 * read: the plan then reports it as before).
 */
export async function exportedDrift(config: ResolvedConfig, rev: string, gateway: GraphGateway, descriptors: readonly KindDescriptor[]): Promise<ExportedDrift | undefined> {
  const { repo } = await configRepository(config);
  const commit = await resolveRevision(repo, rev).catch(() => {
    throw new UserError(`unknown revision ${rev}`);
  });
  const folder = repoRelative(repo, config.configDirPath);
  if ((await listTree(repo, commit, folder)).some((entry) => entry.mode === "120000")) return undefined;
  const ids = await readEnvironmentIds(config);
  const files = await readFilesAtRevision(repo, commit, folder);
  const streamKinds = new Set(descriptors.filter((d) => d.streams).map((d) => d.kind));
  const images = await readBinaryFilesAtRevision(repo, commit, folder, (path) => streamPathOf(descriptors, folder, path) !== undefined);
  const memory = memoryFolderOf(config.configDirPath, folder, files, images);
  const exported = await exportTenant(gateway, descriptors, memory, {
    ids,
    environment: environmentView(config),
    schemaDir: schemaDirFor(config.rootDir, config.configDirPath),
    scope: config.kinds,
    ...(streamKinds.size > 0 ? { streams: streamKinds } : {}),
  }).catch((error: unknown) => {
    if (error instanceof ExportRefusedError) return undefined;
    throw error;
  });
  const existing = memory.found;
  if (!exported || exported.failed.size > 0 || !existing) return undefined;

  // Known by its place, as export writes it, and written again the same: matched, not compared.
  const plain = new Set(existing.documents.filter((doc) => "plain" in doc).map((doc) => address(doc.kind, doc.name)));
  const after = new Map(memory.documents(`${folder}/`));
  const inScope = new Set<Kind>(descriptors.map((d) => d.kind));
  const compare = new Map<string, string>();
  const compared = new Set<string>();
  const names = new Map<Kind, Set<string>>();
  let unchanged = 0;
  for (const [path, text] of files) {
    const where = parseDocumentPath(folder, path);
    if (where) names.set(where.kind, (names.get(where.kind) ?? new Set()).add(where.name));
    if (where && plain.has(where.address) && !streamKinds.has(where.kind) && after.get(path) === text) {
      if (inScope.has(where.kind)) unchanged += 1;
      continue;
    }
    compare.set(path, text);
    if (where) compared.add(where.address);
  }
  // Objects export wrote a new document for (created outside git, or known under another name).
  for (const path of after.keys()) {
    const where = files.has(path) ? undefined : parseDocumentPath(folder, path);
    if (where) compared.add(where.address);
  }
  const { isKnown, namesUnread } = documentNames(names);
  const desired = { ...desiredFromFiles(compare, `@${commit.slice(0, 12)}`, commit, "nothing was planned", { ...desiredOptions(config, ids), isKnown }), streams: revisionStreams(repo, commit, folder) };
  return { desired, read: { snapshot: exported.snapshot, compared, namesUnread }, unchanged };
}
