/**
 * Pure bookkeeping of the environment's id map during `sync`: moving `id:` lines out of documents
 * committed before the id map existed, keeping only ids of documents that exist after the sync,
 * and describing a change of the map in a commit message.
 */
import type { FileChange } from "../../git/commit-files.js";
import { parseDocumentPath } from "../../git/paths.js";
import type { DriftCommit } from "./types.js";
import { EditedIdMap, keysThatMayDiffer } from "../../state/edited-id-map.js";

const ID_LINE = /^id:[ \t]*["']?([^"'\s#]+)["']?[ \t]*(?:#.*)?$/m;

/**
 * Documents that still carry a top-level `id:` line: their text without it, and the ids by address.
 * Only the `id:` line is removed; everything else in the file stays byte for byte.
 */
export function stripDocumentIds(folder: string, files: ReadonlyMap<string, string>): { files: FileChange[]; ids: Map<string, string> } {
  const changed: FileChange[] = [];
  const ids = new Map<string, string>();
  for (const [path, text] of files) {
    const where = parseDocumentPath(folder, path);
    const id = where ? ID_LINE.exec(text)?.[1] : undefined;
    if (!where || id === undefined) continue;
    ids.set(where.address, id);
    changed.push({ path, content: text.replace(/^id:.*(?:\r?\n|$)/m, "") });
  }
  return { files: changed, ids };
}

/** The committed files after `changes` are applied (deletions as `null`). */
export function applyFileChanges(files: ReadonlyMap<string, string>, changes: readonly FileChange[]): Map<string, string> {
  const out = new Map(files);
  for (const change of changes) {
    if (change.content === null) out.delete(change.path);
    // Bytes are an image beside a document (engine/streams.ts), never a document's text.
    else if (typeof change.content === "string") out.set(change.path, change.content);
  }
  return out;
}

/**
 * The ids after a sync, as edits over the committed map (which is not copied): the committed ids,
 * replaced by the export's (`live`) and by those of objects a self-heal re-created, limited to the
 * documents the branch holds once `files` are committed, among the kinds this sync read (entries
 * of other kinds stay as they were; a document kept for an object gone from the tenant keeps its
 * id, so the object can still be restored with it).
 */
export function idsAfterSync(input: {
  committed: ReadonlyMap<string, string>;
  live: ReadonlyMap<string, string>;
  recreated: readonly { address: string; id: string }[];
  /** Addresses of the documents committed at HEAD. */
  committedDocuments: { has(address: string): boolean };
  /**
   * The addresses of `committed` with no document at HEAD, when known (partial-read.ts
   * `idCoverage`): only those and the files deleted are looked at, not every committed address.
   */
  committedWithoutDocuments?: readonly string[];
  files: readonly FileChange[];
  folder: string;
  readKinds: ReadonlySet<string>;
}): EditedIdMap {
  const exists = new Map<string, boolean>();
  for (const file of input.files) {
    const where = parseDocumentPath(input.folder, file.path);
    if (where) exists.set(where.address, file.content !== null);
  }
  const keep = (address: string): boolean =>
    (exists.get(address) ?? input.committedDocuments.has(address)) || !input.readKinds.has(address.slice(0, address.indexOf("/")));
  const edits = new Map<string, string | null>(input.live);
  for (const { address, id } of input.recreated) edits.set(address, id);
  for (const address of edits.keys()) if (!keep(address)) edits.set(address, null);
  if (input.committedWithoutDocuments === undefined) {
    for (const address of input.committed.keys()) if (!edits.has(address) && !keep(address)) edits.set(address, null);
  } else {
    // An address kept at HEAD is dropped only when a file deletes its document.
    const deleted = [...exists].flatMap(([address, present]) => (present ? [] : [address]));
    for (const address of [...input.committedWithoutDocuments, ...deleted]) if (input.committed.has(address) && !edits.has(address) && !keep(address)) edits.set(address, null);
  }
  return new EditedIdMap(input.committed, edits);
}

export interface IdMapChange {
  added: string[];
  changed: string[];
  removed: string[];
}

export function diffIdMaps(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): IdMapChange {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  // Edits over the same map differ at most at their edited keys: only those are compared.
  const keys = keysThatMayDiffer(before, after);
  for (const key of keys ?? new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(key);
    const id = after.get(key);
    if (old === undefined && id !== undefined) added.push(key);
    else if (old !== undefined && id === undefined) removed.push(key);
    else if (old !== undefined && id !== undefined && old.toLowerCase() !== id.toLowerCase()) changed.push(key);
  }
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
}

/** Commit message for a change of the environment's id map; re-created objects get the self-heal wording. */
export function idMapCommitMessage(
  environment: string,
  path: string,
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  recreated: ReadonlySet<string>,
): string {
  const diff = diffIdMaps(before, after);
  const healed = diff.changed.filter((key) => recreated.has(key)).length + diff.added.filter((key) => recreated.has(key)).length;
  const subject =
    healed > 0 && healed === diff.added.length + diff.changed.length && diff.removed.length === 0
      ? `Self-heal: record the new id of ${healed} re-created object(s)`
      : `Record the object ids of environment ${environment}: ${diff.added.length} new, ${diff.changed.length} changed, ${diff.removed.length} removed`;
  const lines = [
    ...diff.added.map((key) => `${key}: (none) -> ${after.get(key) ?? ""}`),
    ...diff.changed.map((key) => `${key}: ${before.get(key) ?? ""} -> ${after.get(key) ?? ""}`),
    ...diff.removed.map((key) => `${key}: ${before.get(key) ?? ""} -> (none)`),
  ];
  return [
    subject,
    "",
    `Ids are tenant state of environment ${environment} (${path}), not part of the shared documents.`,
    ...(healed > 0 ? ["Objects the self-heal re-created got new ids from Graph; their documents are as committed."] : []),
    "",
    ...lines,
    "",
  ].join("\n");
}

/** Commit message for the one-time move of ids out of the documents. */
export function migrationCommitMessage(environment: string, path: string, count: number): string {
  return [
    `Move the object ids of ${count} document(s) into ${path}`,
    "",
    `Documents are shared by every environment; ids belong to one tenant, so they now live in`,
    `the id map of environment ${environment}. Only the id: lines change.`,
    "",
  ].join("\n");
}

/**
 * Each drift commit also carries the id map change of its own objects: an added document's id
 * comes in with it, a deleted document's id leaves with it. `render` formats the map (the same
 * bytes for the same map); it is called only for a commit that changes the map. Returns the
 * commits and the map after the last one (edits over `start`, which is not copied).
 */
export function withIdMapChanges(
  commits: readonly DriftCommit[],
  start: ReadonlyMap<string, string>,
  live: ReadonlyMap<string, string>,
  folder: string,
  path: string,
  render: (ids: ReadonlyMap<string, string>) => string,
): { commits: DriftCommit[]; ids: EditedIdMap } {
  const edits = new Map<string, string | null>();
  let ids = new EditedIdMap(start, new Map());
  const out: DriftCommit[] = [];
  for (const commit of commits) {
    const mine = new Map<string, string | null>();
    for (const file of commit.files) {
      const where = parseDocumentPath(folder, file.path);
      if (!where) continue;
      const id = live.get(where.address);
      if (file.content === null) mine.set(where.address, null);
      else if (id !== undefined) mine.set(where.address, id);
    }
    // The map's text changes exactly when one of these entries does.
    if (![...mine].some(([address, id]) => (ids.get(address) ?? null) !== id)) {
      out.push(commit);
      continue;
    }
    for (const [address, id] of mine) edits.set(address, id);
    ids = new EditedIdMap(start, new Map(edits));
    out.push({ ...commit, files: [...commit.files, { path, content: render(ids) }] });
  }
  return { commits: out, ids };
}
