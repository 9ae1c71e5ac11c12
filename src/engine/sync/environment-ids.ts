/**
 * Pure bookkeeping of the environment's id map during `sync`: moving `id:` lines out of documents
 * committed before the id map existed, keeping only ids of documents that exist after the sync,
 * and describing a change of the map in a commit message.
 */
import type { FileChange } from "../../git/commit-files.js";
import { parseDocumentPath } from "../../git/paths.js";
import type { DriftCommit } from "./types.js";

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

/** Addresses of the documents among `paths` (files outside the folder or not documents are skipped). */
export function documentAddresses(folder: string, paths: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const path of paths) {
    const where = parseDocumentPath(folder, path);
    if (where) out.add(where.address);
  }
  return out;
}

/** The committed files after `changes` are applied (deletions as `null`). */
export function applyFileChanges(files: ReadonlyMap<string, string>, changes: readonly FileChange[]): Map<string, string> {
  const out = new Map(files);
  for (const change of changes) {
    if (change.content === null) out.delete(change.path);
    else out.set(change.path, change.content);
  }
  return out;
}

/**
 * Only the ids of addresses that have a document (an object recorded nowhere needs no id), among
 * the kinds this sync read: entries of other kinds stay as they were.
 */
export function idsOfDocuments(ids: ReadonlyMap<string, string>, addresses: ReadonlySet<string>, readKinds?: ReadonlySet<string>): Map<string, string> {
  return new Map([...ids].filter(([key]) => addresses.has(key) || (readKinds !== undefined && !readKinds.has(key.slice(0, key.indexOf("/"))))));
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
  for (const [key, id] of after) {
    const old = before.get(key);
    if (old === undefined) added.push(key);
    else if (old.toLowerCase() !== id.toLowerCase()) changed.push(key);
  }
  for (const key of before.keys()) if (!after.has(key)) removed.push(key);
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
 * bytes for the same map). Returns the commits and the map after the last one.
 */
export function withIdMapChanges(
  commits: readonly DriftCommit[],
  start: ReadonlyMap<string, string>,
  live: ReadonlyMap<string, string>,
  folder: string,
  path: string,
  render: (ids: ReadonlyMap<string, string>) => string,
): { commits: DriftCommit[]; ids: Map<string, string> } {
  let ids = new Map(start);
  const out: DriftCommit[] = [];
  for (const commit of commits) {
    const next = new Map(ids);
    for (const file of commit.files) {
      const where = parseDocumentPath(folder, file.path);
      if (!where) continue;
      const id = live.get(where.address);
      if (file.content === null) next.delete(where.address);
      else if (id !== undefined) next.set(where.address, id);
    }
    const text = render(next);
    out.push(text === render(ids) ? commit : { ...commit, files: [...commit.files, { path, content: text }] });
    ids = next;
  }
  return { commits: out, ids };
}
