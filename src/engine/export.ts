import { diskFolder } from "../documents/document-folder.js";
import type { DocumentFolder } from "../documents/document-folder.js";
import type { PlainDocument } from "../documents/read-existing-tree.js";
import { parseDocumentText } from "../documents/read-document.js";
import type { Diagnostic, EntraDocument, JsonObject, JsonValue, SourcedDocument } from "../model/document.js";
import { renderForEnvironment, retemplate } from "../documents/environment-view.js";
import type { EnvironmentView } from "../documents/environment-view.js";
import { getKind, naturalKeyValue } from "../kinds/registry.js";
import { documentPath } from "../documents/write-document.js";
import type { DocumentWrite, WriteOutcome } from "../documents/write-document.js";
import type { GraphGateway, GraphVersion } from "../graph/types.js";
import { schemaFileName } from "../kinds/beta-properties.js";
import { keepSecretReferences } from "../kinds/secret-references.js";
import { address, type Kind } from "../model/kind.js";
import { idsInDocuments } from "../state/id-map.js";
import { EditedIdMap } from "../state/edited-id-map.js";
import type { NameSet } from "../kinds/naming.js";
import type { KindDescriptor } from "../kinds/types.js";
import { takeSnapshot } from "./snapshot/snapshot.js";
import { readLiveStreams, removeOrphanStreamFiles, writeStreamFiles } from "./streams.js";
import type { LiveDocument, PartialRead, Snapshot } from "./snapshot/snapshot.js";

export interface ExportResult {
  snapshot: Snapshot;
  /**
   * The environment's id map after this export: every live object's id by address, plus the
   * previous id of every document still in the folder whose object was not read.
   */
  ids: Map<string, string>;
  /** Documents that still had an `id:` line (now written without it: the id lives in `ids`). */
  migratedIds: number;
  created: string[];
  updated: string[];
  unchanged: number;
  removed: string[];
  /**
   * With several environments: each live object's tenant-state properties (credential metadata),
   * left out of the shared documents, by address (README "Several tenants"); undefined otherwise.
   */
  tenantState?: Map<string, JsonObject>;
  /** Kinds that failed to read: their files were left as they were. */
  failed: Map<Kind, string>;
  /** Stream files (images) written or removed, with `streams`. */
  streamFiles?: string[];
  counts: Map<Kind, number>;
}

export interface ExportOptions {
  onKind?: (kind: Kind, count: number | Error) => void;
  /** The environment's id map before this export (keeps file names; see `ExportResult.ids`). */
  ids?: ReadonlyMap<string, string>;
  /**
   * The environment exported (README "Several tenants"): its vars are written back as the
   * documents' `${name}` templates, and other environments' documents are left as they are.
   */
  environment?: EnvironmentView;
  /** The documents' modeline folder (`schemaDirFor` of the configuration); default for `tenant-config/`. */
  schemaDir?: string;
  /** The configured kinds, when a run reads fewer (`SnapshotOptions.scope`). */
  scope?: readonly Kind[];
  /**
   * An incremental read into a folder that holds only the documents it may change (README
   * "Incremental sync"): which objects to read, and the names of the documents left out, which a
   * new object may not take.
   */
  partial?: PartialRead & { reservedNames: ReadonlyMap<Kind, NameSet> };
  /**
   * Also write each object's stream properties (company branding images) beside its document and
   * remove those it no longer has (`engine/streams.ts`): every kind's (`export`, a full sync), or
   * those of the kinds given (an incremental sync: the kinds the audit log names).
   */
  streams?: true | ReadonlySet<Kind>;
}

/** A document in the folder that does not render for the environment: exporting over it would lose its template. */
export class ExportRefusedError extends Error {
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[],
  ) {
    super(message);
    this.name = "ExportRefusedError";
  }
}

/** What naming needs of an existing document: a plain one always has its id (read-existing-tree.ts). */
export type NamedDocument = Pick<EntraDocument, "kind" | "name" | "id"> & { spec?: EntraDocument["spec"] };

/**
 * Names of existing documents by kind: by id, and (documents without an id, e.g. written by hand
 * and created by apply) by lower-cased natural key, so that neither is renamed by an export. A kind
 * written through requests (PIM schedules) is identified by its natural key, not its id (an update
 * can answer with a new schedule id): its documents with an id are keyed too, for when that id is
 * gone (`assignNames` in snapshot.ts uses the key only then).
 */
export function documentNames(documents: readonly NamedDocument[]): { byId: Map<Kind, Map<string, string>>; byKey: Map<Kind, Map<string, string>> } {
  const byId = new Map<Kind, Map<string, string>>();
  const byKey = new Map<Kind, Map<string, string>>();
  const add = (map: Map<Kind, Map<string, string>>, kind: Kind, key: string, name: string): void => {
    let names = map.get(kind);
    if (!names) map.set(kind, (names = new Map()));
    names.set(key, name);
  };
  const keyed: NamedDocument[] = [];
  for (const doc of documents) {
    if (doc.id !== undefined) add(byId, doc.kind, doc.id, doc.name);
    if (doc.id === undefined) {
      const key = doc.spec ? naturalKeyValue(getKind(doc.kind), doc.spec)?.toLowerCase() : undefined;
      if (key !== undefined) add(byKey, doc.kind, key, doc.name);
    } else if (getKind(doc.kind).writeRequests) {
      keyed.push(doc);
    }
  }
  // After the documents without an id, which keep the key if both have it.
  for (const doc of keyed) {
    const key = doc.spec ? naturalKeyValue(getKind(doc.kind), doc.spec)?.toLowerCase() : undefined;
    if (key !== undefined && !byKey.get(doc.kind)?.has(key)) add(byKey, doc.kind, key, doc.name);
  }
  return { byId, byKey };
}

/**
 * The tenant → `root/<kind>/<name>.yaml`: every object of the kinds in scope written
 * deterministically and atomically; files of objects gone from the tenant removed, but only for
 * kinds that were read completely. `target` is the folder on disk, or a folder held in memory
 * (documents/document-folder.ts: sync's read), which gets the same documents, results and ids.
 */
export async function exportTenant(
  gateway: GraphGateway,
  descriptors: readonly KindDescriptor[],
  target: string | DocumentFolder,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const folder = typeof target === "string" ? diskFolder(target) : target;
  const root = folder.root;
  // Each file read once; a file shaped as export writes it whose id the map holds is not parsed
  // (its text is only compared with what is written; documents/read-existing-tree.ts).
  const before = folder.readExisting((at) => options.ids?.has(at) === true);
  if (before.symlinks.length > 0) {
    throw new Error(`refused to export: symbolic links are not allowed in the configuration folder (${before.symlinks.join(", ")}); nothing was written`);
  }
  const parsed = before.documents.filter((doc): doc is SourcedDocument => !("plain" in doc));
  const view = options.environment ? renderForEnvironment(parsed, options.environment) : { documents: parsed, excluded: [], diagnostics: [], templates: new Map<string, Map<string, string>>() };
  if (view.diagnostics.length > 0) throw new ExportRefusedError(`refused to export: ${view.diagnostics.length} document(s) do not render for this environment; nothing was written`, view.diagnostics);
  // The environment's documents in file order: a plain document is in every environment as it is.
  const rendered = new Map<string, SourcedDocument>(view.documents.map((doc) => [doc.file, doc]));
  const ours: ExistingDocument[] = [];
  for (const doc of before.documents) {
    if ("plain" in doc) ours.push(doc);
    else {
      const shown = rendered.get(doc.file);
      if (shown) ours.push(shown);
    }
  }
  // New documents are recorded for this environment only when several share the folder and it
  // already holds documents (the first export is everyone's baseline).
  const shared = options.environment !== undefined && options.environment.known.length > 1;
  const tagNew = shared && options.environment?.name !== undefined && before.documents.length > 0;
  // The environment's ids (and any id: a document still carries) keep every file name.
  // Looked up, not copied: the environment's id map may hold 100,000 ids for a few documents here.
  const previousIds: ReadonlyMap<string, string> = options.ids ? new EditedIdMap(idsInDocuments(view.documents), options.ids) : idsInDocuments(view.documents);
  const names = documentNames(ours.map((doc) => withId(doc, previousIds)));
  const excluded = new Map<Kind, Set<string>>();
  for (const doc of view.excluded) excluded.set(doc.kind, (excluded.get(doc.kind) ?? new Set()).add(doc.name));
  const reservedNames = new Map<Kind, NameSet>(excluded);
  for (const [kind, names] of options.partial?.reservedNames ?? []) {
    const own = excluded.get(kind);
    reservedNames.set(kind, own ? { has: (name) => own.has(name) || names.has(name) } : names);
  }
  const existing = new Map(ours.map((doc) => [address(doc.kind, doc.name), doc]));
  const tenantState = new Map<string, JsonObject>();
  // What is written for a live object: the shared document's templates and environments list kept.
  const asWritten = (doc: LiveDocument): LiveDocument => {
    const key = address(doc.kind, doc.name);
    const current = existing.get(key);
    const environments = current ? current.environments : tagNew && options.environment?.name ? [options.environment.name] : undefined;
    const live = retemplate(shared ? withoutTenantState(doc) : doc.spec, view.templates.get(key));
    const spec = getKind(doc.kind).secrets ? keepSecretReferences(getKind(doc.kind), live, current ? existingSpec(current, before.texts) : undefined) : live;
    return { ...doc, spec, ...(environments ? { environments } : {}) };
  };
  // Documents are written while the tenant is still read (README "export"): a kind without
  // references is published as soon as it is read; a group's document is staged (formatted, its
  // bytes in a temporary file) as soon as its members are read, and published only once the whole
  // kind was read, so a kind that fails keeps its files. A failure is kept and thrown after the read.
  const versions = new Map<Kind, GraphVersion>(descriptors.map((d) => [d.kind, d.apiVersion]));
  const stage = folder.stage(before.texts);
  const stageDocument = (doc: LiveDocument): void => stage.stage(toWrite(asWritten(doc), options.schemaDir, versions));
  const earlyKinds = new Set<Kind>();
  const streamed = new Set<LiveDocument>();
  const earlyWrites: Array<Promise<Written[]>> = [];
  const snapshot = await takeSnapshot(gateway, descriptors, {
    existingNames: names.byId,
    namesByKey: names.byKey,
    reservedNames,
    ...(options.scope ? { scope: new Set(options.scope) } : {}),
    ...(options.onKind ? { onKind: options.onKind } : {}),
    ...(options.partial ? { partial: options.partial } : {}),
    onEarlyDocuments: (kind, documents) => {
      earlyKinds.add(kind);
      for (const doc of documents) stageDocument(doc);
      const writing = stage.publish(new Set([kind]));
      writing.catch(() => undefined);
      earlyWrites.push(writing);
    },
    onStreamedDocument: (doc) => {
      streamed.add(doc);
      stageDocument(doc);
    },
  }).catch(async (error: unknown) => {
    await Promise.allSettled(earlyWrites);
    await stage.discard();
    await stage.close();
    throw error;
  });
  const result: ExportResult = {
    snapshot,
    ids: new Map(),
    migratedIds: parsed.filter((doc) => doc.id !== undefined).length,
    created: [],
    updated: [],
    unchanged: 0,
    removed: [],
    failed: snapshot.failed,
    counts: new Map(),
    ...(shared ? { tenantState } : {}),
  };
  const live = new Set<string>();
  for (const doc of snapshot.documents) {
    live.add(`${doc.kind}/${doc.name}`);
    result.counts.set(doc.kind, (result.counts.get(doc.kind) ?? 0) + 1);
    if (!shared) continue;
    const state = tenantStateOf(doc);
    if (state) tenantState.set(address(doc.kind, doc.name), state);
  }
  // Staged documents of a kind that failed or was withheld are dropped; the rest is published.
  const published = new Set<Kind>(snapshot.read.filter((kind) => !earlyKinds.has(kind)));
  await stage.discard(new Set(descriptors.map((d) => d.kind).filter((kind) => !earlyKinds.has(kind) && !published.has(kind))));
  for (const doc of snapshot.documents) if (!earlyKinds.has(doc.kind) && !streamed.has(doc)) stageDocument(doc);
  const rest = stage.publish(published);
  const outcomes = new Map<string, WriteOutcome>();
  const batches = await Promise.allSettled([...earlyWrites, rest]);
  await stage.close();
  for (const batch of batches) {
    if (batch.status === "rejected") {
      await stage.discard();
      throw batch.reason;
    }
    for (const { path, outcome } of batch.value) outcomes.set(path, outcome);
  }
  for (const doc of snapshot.documents) {
    const path = documentPath(root, doc.kind, doc.name);
    const outcome = outcomes.get(path);
    if (outcome === "created") result.created.push(path);
    else if (outcome === "updated") result.updated.push(path);
    else result.unchanged += 1;
  }
  const read = new Set<Kind>(snapshot.read);
  const removed = new Set<string>();
  for (const doc of ours) {
    if (!read.has(doc.kind) || live.has(`${doc.kind}/${doc.name}`)) continue;
    // A plain document is parsed before it is removed: a file that is no document stays, as ever.
    if ("plain" in doc && !parsesAs(doc, before.texts.get(address(doc.kind, doc.name)))) continue;
    if (await folder.remove(doc.kind, doc.name)) {
      result.removed.push(doc.file);
      removed.add(doc.file);
    }
  }
  if (options.streams) {
    const only = options.streams === true ? undefined : options.streams;
    result.streamFiles = await exportStreams(gateway, only ? descriptors.filter((d) => only.has(d.kind)) : descriptors, folder, snapshot);
  }
  for (const kind of snapshot.read) if (!result.counts.has(kind)) result.counts.set(kind, 0);
  const kept = new Set<string>(before.documents.filter((doc) => !removed.has(doc.file)).map((doc) => address(doc.kind, doc.name)));
  result.ids = idsAfter(snapshot, previousIds, kept);
  return result;
}

type Written = { path: string; outcome: WriteOutcome };

/** Each read kind's streams written beside its documents; files of objects gone removed. */
async function exportStreams(gateway: GraphGateway, descriptors: readonly KindDescriptor[], folder: DocumentFolder, snapshot: Snapshot): Promise<string[]> {
  const touched: string[] = [];
  for (const descriptor of descriptors) {
    if (!descriptor.streams || !snapshot.read.includes(descriptor.kind)) continue;
    const documents = snapshot.documents.filter((doc) => doc.kind === descriptor.kind && doc.id !== undefined);
    for (const doc of documents) touched.push(...(await writeStreamFiles(descriptor, folder.files, doc.name, await readLiveStreams(gateway, descriptor, doc.id as string))));
    touched.push(...(await removeOrphanStreamFiles(descriptor, folder.files, new Set(documents.map((doc) => doc.name)))));
  }
  return touched;
}

/**
 * Live ids by address; and the previous id of every document still in the folder whose object was
 * not read (a kind that failed or is out of scope, an object deleted but its document kept): so a
 * restore can still bring it back with its id.
 */
function idsAfter(snapshot: Snapshot, previous: ReadonlyMap<string, string>, kept: ReadonlySet<string>): Map<string, string> {
  const ids = new Map<string, string>();
  for (const key of kept) {
    const id = previous.get(key);
    if (id !== undefined) ids.set(key, id);
  }
  for (const doc of snapshot.documents) if (doc.id !== undefined) ids.set(address(doc.kind, doc.name), doc.id);
  return ids;
}

/** A document in the folder: parsed, or plain (its kind and name from its place, documents/read-existing-tree.ts). */
type ExistingDocument = SourcedDocument | (PlainDocument & { plain: true; id?: undefined; environments?: undefined });

/** The document with the environment's id for its address, if any (as `withEnvironmentIds`). */
function withId(doc: ExistingDocument, ids: ReadonlyMap<string, string>): NamedDocument {
  const id = ids.get(address(doc.kind, doc.name)) ?? doc.id;
  return { kind: doc.kind, name: doc.name, ...(id !== undefined ? { id } : {}), ...("spec" in doc ? { spec: doc.spec } : {}) };
}

/** The spec of a document export is about to rewrite (a plain one is parsed from its text). */
function existingSpec(doc: ExistingDocument, texts: ReadonlyMap<string, string>): JsonObject | undefined {
  if ("spec" in doc) return doc.spec;
  // Texts are kept by the address of their place, not by file path (documents/read-existing-tree.ts).
  const text = texts.get(address(doc.kind, doc.name));
  return text === undefined ? undefined : parseDocumentText(text, doc.file).document?.spec;
}

/** True when the plain document's text parses as the document its place says. */
function parsesAs(doc: PlainDocument, text: string | undefined): boolean {
  if (text === undefined) return false;
  const { document } = parseDocumentText(text, doc.file);
  return document !== undefined && document.kind === doc.kind && document.name === doc.name;
}

/** What the writer is given for a live document. */
function toWrite(doc: LiveDocument, schemaDir: string | undefined, versions: ReadonlyMap<Kind, GraphVersion>): DocumentWrite {
  return {
    // The id is tenant state: it goes to the environment's id map, never into the shared document.
    document: { kind: doc.kind, name: doc.name, ...(doc.environments ? { environments: doc.environments } : {}), spec: doc.spec },
    // A kind managed through beta points editors at its beta schema (README "Beta-only properties").
    options: { annotations: annotationsById(doc), ...(schemaDir !== undefined ? { schemaDir } : {}), schemaFile: schemaFileName(doc.kind, versions.get(doc.kind) ?? "v1.0") },
  };
}

/** Normalization keys annotations by spec path; the writer wants them by id. */
export function annotationsById(doc: LiveDocument): Record<string, string> {
  const byId: Record<string, string> = {};
  for (const [path, displayName] of Object.entries(doc.annotations)) {
    const value = valueAt(doc.spec, path);
    if (typeof value === "string") byId[value.toLowerCase()] = displayName;
  }
  return byId;
}

function valueAt(root: JsonValue, path: string): JsonValue | undefined {
  let node: JsonValue | undefined = root;
  for (const part of path.match(/[^.[\]]+|\[\d+\]/g) ?? []) {
    if (node === undefined || node === null || typeof node !== "object") return undefined;
    if (part.startsWith("[")) node = Array.isArray(node) ? node[Number(part.slice(1, -1))] : undefined;
    else node = Array.isArray(node) ? undefined : node[part];
  }
  return node;
}

/** The spec without the kind's tenant state (credential metadata), for documents several tenants share. */
function withoutTenantState(doc: LiveDocument): LiveDocument["spec"] {
  const fields = getKind(doc.kind).tenantState ?? [];
  if (!fields.some((field) => field in doc.spec)) return doc.spec;
  const spec = { ...doc.spec };
  for (const field of fields) delete spec[field];
  return spec;
}

/** The kind's tenant-state properties the live object has, or undefined. */
function tenantStateOf(doc: LiveDocument): JsonObject | undefined {
  const state: JsonObject = {};
  for (const field of getKind(doc.kind).tenantState ?? []) {
    const value = doc.spec[field];
    if (value !== undefined) state[field] = value;
  }
  return Object.keys(state).length > 0 ? state : undefined;
}
