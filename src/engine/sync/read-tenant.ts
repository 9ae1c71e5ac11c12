/**
 * Sync's read of the tenant: an export into the committed folder held in memory (README
 * "Incremental sync"; documents/document-folder.ts), no file written or read back: a full export
 * of every kind, or an incremental one (incremental-read.ts decides, by delta and the audit log)
 * into a folder that holds only the documents it may change. Either way
 * `before` and `after` hold the same paths' committed and exported texts, so finding the changes,
 * attributing and committing them does not depend on how the tenant was read.
 */
import { documentPathOfAddress } from "../../git/paths.js";
import { join } from "node:path";
import type { JsonObject } from "../../model/document.js";
import type { GitRepository } from "../../git/repository.js";
import { readBinaryFilesAtRevision, readFileAtRevision, readFilesAtRevision } from "../../git/tree.js";
import { streamPathOf } from "../streams.js";
import type { GraphGateway } from "../../graph/types.js";
import type { Kind } from "../../model/kind.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { CheckedContent, ReadState, SyncState } from "../../state/sync-state.js";
import { parseTenantState } from "../../state/tenant-state.js";
import { exportTenant } from "../export.js";
import { memoryFolderOf, type MemoryFolder } from "../../documents/document-folder.js";
import type { ExportOptions, ExportResult } from "../export.js";
import { hasDelta, latestLinks, planRead } from "./incremental-read.js";
import { documentsChangedSinceRead } from "./changed-in-git.js";
import type { ReadDecision } from "./incremental-read.js";
import { committedTree, documentsContaining, readCommitted } from "./committed-tree.js";
import type { CommittedTree } from "./committed-tree.js";
import { addressesById, idCoverage } from "./id-lookups.js";
import { checkedCoverage, checkedTree, factsOfWalk, listedKindsOf } from "./checked-content.js";
import type { ContentIds } from "./checked-content.js";
import { SortedIdMap } from "../../state/sorted-id-map.js";
import { mergedTenantState, partialRead, reservedNames, touchedAddresses } from "./partial-read.js";

/** How a sync read the tenant, for its report. */
export interface ReadReport {
  mode: "full" | "incremental";
  /** Why a full read (`--full`, no state yet, an expired token, …). */
  reason?: string;
  /** Incremental: documents it may have changed, objects read again, kinds read whole (with why), delta items. */
  documents?: number;
  objects?: number;
  whole?: Map<Kind, string>;
  deltaItems?: number;
  /** Incremental: why every committed document and id was listed, when the facts the last sync recorded could not answer (checked-content.ts). */
  listed?: string;
}

export interface TenantRead {
  report: ReadReport;
  /** Committed texts of the paths the read covered (every document for a full read). */
  before: Map<string, string>;
  /** Exported texts of the same folder after the read. */
  after: Map<string, string>;
  exported: ExportResult;
  /**
   * The documents at HEAD (for the kinds the folder holds and the ids it keeps); after an
   * incremental read also the committed ids whose documents are absent at HEAD (idCoverage).
   */
  committed: Pick<CommittedTree, "names" | "addresses"> & { idsWithoutDocuments?: readonly string[] };
  /** The whole committed folder and its export (a revert plans against every document): read on demand. */
  everything(): Promise<{ before: Map<string, string>; after: Map<string, string> }>;
  /**
   * Stream files (company branding images beside the documents) of the kinds whose streams this
   * read covered (every such kind for a full read; for an incremental one, those the audit log
   * names): the committed bytes and the exported bytes, by repository-relative path.
   */
  streams: StreamFiles;
  /** The credential metadata as a full read would record it (merged with the committed one for an incremental read). */
  tenantState: Map<string, JsonObject> | undefined;
  /** The read state to record when the run's commits are made, or undefined to keep the committed one. */
  nextRead(outcome: { heldKinds: ReadonlySet<Kind>; changed: boolean; now: Date }): ReadState | undefined;
}

export interface TenantReadOptions {
  repo: GitRepository;
  folder: string;
  head: string;
  gateway: GraphGateway;
  descriptors: readonly KindDescriptor[];
  /** The committed id map (address → id). */
  ids: ReadonlyMap<string, string>;
  /** Its text as committed, when canonical: a few ids are looked up in it instead of turning the map around. */
  idsText?: { text: string | undefined; canonical: boolean };
  syncState: SyncState;
  exportOptions: Omit<ExportOptions, "ids" | "partial">;
  /** The committed documents (after a migration), when the caller already read them all. */
  before?: Map<string, string>;
  /** Incremental reads need the sync state kept and the id map: without them, or with --full, a full read. */
  incremental: boolean;
  /** The git objects of the folder and the id map at HEAD (checked-content.ts), when the state is kept. */
  content?: ContentIds;
  /** Facts recorded by the last sync that still hold at HEAD: the documents are the id map's addresses (no listing, no walk). */
  checked?: CheckedContent;
  /** Why the recorded facts did not answer, when `checked` is absent. */
  uncheckedBecause?: string;
  /** Why not, when `incremental` is false. */
  notIncremental?: string;
  /** Record delta links for the next sync (the sync state is kept). */
  keepsState: boolean;
  full?: boolean;
  credentialsPath?: string;
  /** The sync state file, repository-relative: the documents git changed since its read are read again. */
  syncStatePath?: string;
  now: Date;
}

/** Stream files of a sync's read (`TenantRead.streams`). */
export interface StreamFiles {
  kinds: ReadonlySet<Kind>;
  before: Map<string, Buffer>;
  after: Map<string, Buffer>;
}

/** A committed read state is rewritten at least this often even when nothing changed (the links stay fresh). */
export const REFRESH_MS = 6 * 60 * 60 * 1000;

export async function readTenant(options: TenantReadOptions): Promise<TenantRead> {
  const { repo, folder, head } = options;
  // The recorded facts hold: the documents at HEAD are the id map's addresses (README "Incremental sync").
  const checked = options.incremental && options.checked && options.ids instanceof SortedIdMap ? { facts: options.checked, ids: options.ids } : undefined;
  const tree = checked
    ? checkedTree(checked.ids, head, folder, await committedTree(repo, head, folder, checked.facts.listedKinds), checked.facts.listedKinds)
    : await committedTree(repo, head, options.folder);
  const byId = addressesById(options.incremental ? options.ids : new Map<string, string>(), options.idsText);
  const recorded = options.syncState.read;
  const changedInGit = options.incremental && recorded && options.syncStatePath && !options.full ? await documentsChangedSinceRead(repo, head, folder, options.syncStatePath, recorded.at) : [];
  const decision: ReadDecision = !options.incremental
    ? { mode: "full", reason: options.notIncremental ?? "the sync state is not kept" }
    : changedInGit === undefined
      ? { mode: "full", reason: "the commit that recorded the last read is not in this clone's history" }
      : await planRead({
          gateway: options.gateway,
          descriptors: options.descriptors,
          state: options.syncState.read,
          ids: options.ids,
          byId,
          names: tree.names,
          pending: options.syncState.pending.keys(),
          changedInGit,
          documentsContaining: (texts) => documentsContaining(repo, head, folder, texts),
          documentText: async (address) => (await readCommitted(repo, tree, [documentPathOfAddress(folder, address)])).get(documentPathOfAddress(folder, address)),
          now: options.now,
          ...(options.full ? { full: true } : {}),
        });
  if (decision.mode === "full") return fullRead(options, tree, decision.reason);

  const coverage = checked ? checkedCoverage(checked.ids, tree, checked.facts.listedKinds) : idCoverage(options.ids, tree);
  // What to record for the next run: the facts checked, or found by this walk.
  const facts = checked ? { ...checked.facts, listedKinds: listedKindsOf(tree, coverage) } : (options.content ? factsOfWalk(options.ids, tree, coverage, options.content) : undefined);
  const touched = touchedAddresses(decision, options.ids, byId, tree, coverage);
  const before = await readCommitted(repo, tree, [...touched].map((a) => documentPathOfAddress(folder, a)));
  // Images are read again only for kinds read whole because the audit log names them.
  const streamKinds = new Set(options.descriptors.filter((d) => d.streams && decision.whole.has(d.kind) && decision.named.has(d.kind)).map((d) => d.kind));
  const streamsBefore = await committedStreams(options, streamKinds);
  const target = memoryFolderOf(join(options.repo.root, options.folder), options.folder, before, streamsBefore);
  const exported = await exportTenant(options.gateway, options.descriptors, target, {
    ...options.exportOptions,
    ids: options.ids,
    partial: { ...partialRead(options.gateway, options.descriptors, decision, options.ids, { referencedOnly: true }), reservedNames: reservedNames(tree, touched) },
    ...(streamKinds.size > 0 ? { streams: streamKinds } : {}),
  });
  const after = new Map(target.documents(`${options.folder}/`));
  const streams = { kinds: streamKinds, before: streamsBefore, after: exportedStreams(options, target, streamKinds) };
  let tenantState: Map<string, JsonObject> | undefined;
  if (exported.tenantState && options.credentialsPath) {
    const text = await readFileAtRevision(repo, head, options.credentialsPath);
    const committed = text === undefined ? new Map<string, JsonObject>() : parseTenantState(text, options.credentialsPath);
    const read = new Set([...touched, ...exported.snapshot.documents.map((d) => `${d.kind}/${d.name}`)]);
    tenantState = mergedTenantState(committed, read, exported.tenantState);
  }
  const objects = [...decision.objects.values()].reduce((n, ids) => n + ids.size, 0);
  const previous = options.syncState.read as ReadState;
  return {
    report: {
      mode: "incremental",
      documents: touched.size,
      objects,
      whole: decision.whole,
      deltaItems: decision.deltaItems,
      ...(checked ? {} : { listed: options.uncheckedBecause ?? "the id map is not canonical" }),
    },
    before,
    after,
    exported,
    committed: { ...tree, idsWithoutDocuments: coverage.idsWithoutDocuments },
    streams,
    everything: async () => {
      const all = await readFilesAtRevision(repo, head, folder);
      const exportedAll = new Map(all);
      for (const path of before.keys()) if (!after.has(path)) exportedAll.delete(path);
      for (const [path, content] of after) exportedAll.set(path, content);
      return { before: all, after: exportedAll };
    },
    tenantState,
    nextRead: ({ heldKinds, changed, now }) => {
      const links = new Map(decision.links);
      // A kind that failed, or with a change held back, is read from the same point again next time.
      for (const kind of [...exported.failed.keys(), ...heldKinds]) {
        const old = previous.deltaLinks.get(kind);
        if (old) links.set(kind, old);
      }
      const quiet = !changed && decision.deltaItems === 0 && now.getTime() - Date.parse(previous.at) < REFRESH_MS;
      if (quiet) return undefined;
      return { at: exported.failed.size > 0 ? previous.at : now.toISOString(), fullAt: previous.fullAt, deltaLinks: links, ...(facts ? { checked: facts } : {}) };
    },
  };
}

async function fullRead(options: TenantReadOptions, tree: CommittedTree, reason: string): Promise<TenantRead> {
  const { repo, folder, head } = options;
  // Links taken before the read: changes made during it are reported again next time (harmless).
  let links = new Map<Kind, string>();
  if (options.keepsState) links = await latestLinks(options.gateway, options.descriptors).catch(() => new Map<Kind, string>());
  const before = options.before ?? (head ? await readFilesAtRevision(repo, head, folder) : new Map<string, string>());
  const streamKinds = new Set(options.descriptors.filter((d) => d.streams).map((d) => d.kind));
  const streamsBefore = await committedStreams(options, streamKinds);
  const target = memoryFolderOf(join(options.repo.root, options.folder), options.folder, before, streamsBefore);
  const exported = await exportTenant(options.gateway, options.descriptors, target, { ...options.exportOptions, ids: options.ids, ...(streamKinds.size > 0 ? { streams: streamKinds } : {}) });
  const after = new Map(target.documents(`${options.folder}/`));
  const streams = { kinds: streamKinds, before: streamsBefore, after: exportedStreams(options, target, streamKinds) };
  const previous = options.syncState.read;
  return {
    report: { mode: "full", reason },
    before,
    after,
    exported,
    committed: tree,
    streams,
    everything: () => Promise.resolve({ before, after }),
    tenantState: exported.tenantState,
    nextRead: ({ heldKinds, now }) => {
      if (!options.keepsState) return undefined;
      const deltaLinks = new Map(links);
      for (const kind of heldKinds) {
        const old = previous?.deltaLinks.get(kind);
        if (old) deltaLinks.set(kind, old);
        else deltaLinks.delete(kind);
      }
      const missing = options.descriptors.some((d) => hasDelta(d.kind) && !deltaLinks.has(d.kind));
      // Incomplete (a kind failed, a change held back with no earlier link): the committed state
      // stays, and with no links the next sync reads everything again.
      if (exported.failed.size > 0 || missing) return undefined;
      const facts = options.checked ?? (options.content ? factsOfWalk(options.ids, tree, idCoverage(options.ids, tree), options.content) : undefined);
      return { at: now.toISOString(), fullAt: now.toISOString(), deltaLinks, ...(facts ? { checked: facts } : {}) };
    },
  };
}

/** The committed stream files of these kinds (bytes), by repository-relative path. */
async function committedStreams(options: TenantReadOptions, kinds: ReadonlySet<Kind>): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  if (!options.head) return files;
  for (const descriptor of options.descriptors) {
    if (!kinds.has(descriptor.kind)) continue;
    const kindFolder = `${options.folder}/${descriptor.kind}`;
    const read = await readBinaryFilesAtRevision(options.repo, options.head, kindFolder, (path) => streamPathOf([descriptor], options.folder, path) !== undefined);
    for (const [path, bytes] of read) files.set(path, bytes);
  }
  return files;
}

/** The stream files of these kinds after the export, by repository-relative path. */
function exportedStreams(options: TenantReadOptions, folder: MemoryFolder, kinds: ReadonlySet<Kind>): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const [path, bytes] of folder.kindFiles(kinds, (path) => streamPathOf(options.descriptors, "", path) !== undefined)) files.set(`${options.folder}/${path}`, bytes);
  return files;
}
