/**
 * What a sync knows of the committed folder and id map without walking them (README "Incremental
 * sync"): the sync state records, by git object id, a folder tree and an id map blob that were
 * checked (the map canonical, an id for exactly the documents); the next run checks only what git
 * changed since those two objects (`git diff-tree` of the folder, `git diff` of the map) and, when
 * that holds, answers every question about the documents at HEAD from the id map. Anything else
 * (no record, an object git no longer has, a changed line that is not canonical, a document without
 * an id, an id without its document, a file that is not a document) is the full walk, as before.
 */
import { normalizeFolder, parseDocumentPath } from "../../git/paths.js";
import { objectIds } from "../../git/object-reader.js";
import type { GitRepository } from "../../git/repository.js";
import { blobDiffText, treeDiff } from "../../git/object-diff.js";
import { blobId } from "../../git/object-id.js";
import type { Kind } from "../../model/kind.js";
import { addedLinesCanonical, hasUpperCase, SortedIdMap } from "../../state/sorted-id-map.js";
import type { CheckedContent } from "../../state/sync-state.js";
import { KindNameSet, type CommittedTree, type KindDocuments } from "./committed-tree.js";
import type { IdCoverage } from "./id-lookups.js";

/** The git objects of the folder (a tree) and of the id map (a blob) at a commit; absent when not there. */
export interface ContentIds {
  folderTree?: string;
  idMap?: string;
}

/**
 * The objects at `<commit>:<folder>` and `<commit>:<id map>` (git/object-reader.ts: the map just
 * read at that commit needs no git process, the folder's tree is one request to the run's
 * `cat-file --batch`). Nothing for a folder that is the repository's root (its tree holds the id
 * map too: never checked this way).
 */
export async function contentIds(repo: GitRepository, commit: string, folder: string, idsPath: string): Promise<ContentIds> {
  if (normalizeFolder(folder) === "" || !commit) return {};
  const [tree, blob] = await objectIds(repo, [`${commit}:${normalizeFolder(folder)}`, `${commit}:${idsPath}`]);
  const folderTree = tree?.type === "tree" ? tree.oid : undefined;
  const idMap = blob?.type === "blob" ? blob.oid : undefined;
  return { ...(folderTree ? { folderTree } : {}), ...(idMap ? { idMap } : {}) };
}

export type CheckOutcome = { ok: true; ids: SortedIdMap; facts: CheckedContent } | { ok: false; reason: string };

/**
 * Whether the facts recorded of `recorded`'s objects still hold for `now`'s (the same folder and id
 * map at HEAD, `text` the map's text): the map's changed lines keep it canonical, and every document
 * git added or deleted since has, or lost, its id with it. Then the map of `text`, not scanned again.
 */
export async function checkSinceRecorded(repo: GitRepository, folder: string, recorded: CheckedContent, now: ContentIds, text: string): Promise<CheckOutcome> {
  if (!now.folderTree || !now.idMap) return { ok: false, reason: "no folder or id map at HEAD" };
  let entries = recorded.entries;
  let lowerCaseIds = recorded.lowerCaseIds;
  /** Keys whose line was added or removed (not both: a changed id changes no document). */
  const keys = new Map<string, "added" | "removed">();
  if (now.idMap !== recorded.idMap) {
    const diff = await mapDiff(repo, recorded.idMap, now.idMap);
    if (!diff) return { ok: false, reason: "the id map's change since the last check is not a diff of entry lines" };
    if (!addedLinesCanonical(text, diff.added)) return { ok: false, reason: "a line of the id map changed since the last check is not canonical" };
    entries += diff.added.length - diff.removed.length;
    if (entries < 1) return { ok: false, reason: "the id map is empty" };
    if (diff.added.some((line) => hasUpperCase(line.text.slice(line.text.indexOf(": ") + 2)))) lowerCaseIds = false;
    for (const line of diff.removed) keys.set(keyOf(line), "removed");
    for (const line of diff.added) {
      const key = keyOf(line.text);
      if (keys.get(key) === "removed") keys.delete(key);
      else keys.set(key, "added");
    }
  }
  const ids = SortedIdMap.checked(text, entries, lowerCaseIds);
  // The listed kinds are listed from git and compared with the map again: nothing to check here.
  const listed = new Set<string>(recorded.listedKinds);
  const unlisted = (address: string): boolean => !listed.has(address.slice(0, address.indexOf("/")));
  if (now.folderTree !== recorded.folderTree) {
    const changed = await treeDiff(repo, recorded.folderTree, now.folderTree);
    if (!changed) return { ok: false, reason: "the folder's change since the last check could not be read" };
    const prefix = normalizeFolder(folder);
    for (const { status, path } of changed) {
      const where = parseDocumentPath(prefix, `${prefix}/${path}`);
      if (!unlisted(path)) continue;
      if (!where) return { ok: false, reason: `${prefix}/${path} changed and is not a document` };
      const exists = status !== "D";
      if (ids.has(where.address) !== exists) return { ok: false, reason: exists ? `${where.address} has no id` : `the id of ${where.address} names no document` };
      keys.delete(where.address);
    }
  }
  // A key added or removed whose document git did not add or delete: an id without its document,
  // or a document that lost its id.
  for (const [key, change] of keys) {
    if (unlisted(key)) return { ok: false, reason: change === "added" ? `the id of ${key} names no document` : `${key} has no id` };
  }
  return { ok: true, ids, facts: { folderTree: now.folderTree, idMap: now.idMap, entries, lowerCaseIds, listedKinds: recorded.listedKinds } };
}

function keyOf(line: string): string {
  return line.slice(0, line.indexOf(": "));
}

/** `git diff -U0` of two blobs: the lines removed, and those added with their line number in the new text; undefined for anything else. */
async function mapDiff(repo: GitRepository, from: string, to: string): Promise<{ removed: string[]; added: { line: number; text: string }[] } | undefined> {
  const text = await blobDiffText(repo, from, to);
  if (text === undefined) return undefined;
  const removed: string[] = [];
  const added: { line: number; text: string }[] = [];
  let hunks = false;
  let next = 0;
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) {
    if (line.startsWith("@@ ")) {
      const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!header) return undefined;
      hunks = true;
      next = Number(header[1]);
    } else if (!hunks) {
      // The header: `diff --git`, `index`, `---`, `+++` (a binary file says so instead of hunks).
      if (!/^(?:diff --git |index |--- |\+\+\+ )/.test(line)) return undefined;
    } else if (line.startsWith("+")) added.push({ line: next++, text: line.slice(1) });
    else if (line.startsWith("-")) removed.push(line.slice(1));
    // `\ No newline at end of file`, or anything not a line of a hunk.
    else return undefined;
  }
  if (!hunks) return undefined;
  // Only entry lines may go: a comment line (the header) or a blank one is not a map's entry.
  if (removed.some((line) => !/^[A-Za-z0-9][^:]*: \S+$/.test(line))) return undefined;
  return { removed, added };
}

/**
 * `checkSinceRecorded` for a map read from the work tree (`drift`): only when its text is the
 * blob committed at `commit` (anything else, an edit not committed, is read as before).
 */
export async function checkWorkTreeMap(repo: GitRepository, commit: string, folder: string, idsPath: string, recorded: CheckedContent | undefined, text: string): Promise<CheckOutcome> {
  if (!recorded) return { ok: false, reason: "no check of them is recorded in the sync state" };
  const now = await contentIds(repo, commit, folder, idsPath);
  if (!now.idMap || blobId(text, now.idMap.length) !== now.idMap) return { ok: false, reason: "the id map in the work tree is not the one committed" };
  return checkSinceRecorded(repo, folder, recorded, now, text);
}

/**
 * The documents of one kind at HEAD as the checked id map holds them (an id for exactly the
 * documents): looked up in the map's text, never listed from git.
 */
class MapDocuments extends KindNameSet {
  private count: number | undefined;

  constructor(
    kind: Kind,
    private readonly ids: SortedIdMap,
  ) {
    super(kind);
  }

  hasAddress(address: string): boolean {
    return this.ids.has(address);
  }

  has(name: string): boolean {
    return this.ids.has(`${this.kind}/${name}`);
  }

  get size(): number {
    this.count ??= this.ids.countOf(`${this.kind}/`);
    return this.count;
  }

  *addresses(): IterableIterator<string> {
    for (const [address] of this.ids.withPrefix(`${this.kind}/`)) yield address;
  }

}

/**
 * The committed folder at `head` answered from a checked id map: the documents of a kind not
 * listed are exactly its addresses in the map (a document's blob read by `<head>:<path>`, which
 * `git cat-file --batch` takes as it takes a blob id); the listed kinds as git lists them (`listed`).
 */
export function checkedTree(ids: SortedIdMap, head: string, folder: string, listed: CommittedTree, listedKinds: readonly Kind[]): CommittedTree {
  const isListed = new Set<string>(listedKinds);
  const names = new Map<Kind, KindDocuments>();
  for (const kind of ids.kinds()) if (!isListed.has(kind)) names.set(kind as Kind, new MapDocuments(kind as Kind, ids));
  for (const [kind, documents] of listed.names) names.set(kind, documents);
  const sorted = new Map([...names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const kindOf = (address: string): string => address.slice(0, address.indexOf("/"));
  return {
    names: sorted,
    addresses: { has: (address) => (isListed.has(kindOf(address)) ? listed.addresses.has(address) : ids.has(address)) },
    blob: (path) => {
      const where = parseDocumentPath(folder, path);
      if (where && !isListed.has(where.kind)) return ids.has(where.address) ? `${head}:${path}` : undefined;
      return listed.blob(path);
    },
  };
}

/** A checked map's coverage: in the kinds not listed every document has an id and every id its document; the listed ones compared. */
export function checkedCoverage(ids: SortedIdMap, tree: CommittedTree, listedKinds: readonly Kind[]): IdCoverage {
  const isListed = new Set<string>(listedKinds);
  const withId = new Map<Kind, number>();
  const idsWithoutDocuments: string[] = [];
  for (const [kind, names] of tree.names) {
    if (!isListed.has(kind)) withId.set(kind, names.size);
    else {
      let count = 0;
      for (const address of names.addresses()) if (ids.has(address)) count += 1;
      if (count > 0) withId.set(kind, count);
    }
  }
  for (const kind of [...isListed].sort()) for (const [address] of ids.withPrefix(`${kind}/`)) if (!tree.addresses.has(address)) idsWithoutDocuments.push(address);
  return { idsWithoutDocuments, withId };
}

/**
 * The facts to record of a folder and map walked in full (the committed tree listed, `idCoverage`
 * walked), when the map is canonical: the kinds where documents and ids differ are listed ones.
 */
export function factsOfWalk(ids: ReadonlyMap<string, string>, tree: CommittedTree, coverage: IdCoverage, content: ContentIds): CheckedContent | undefined {
  if (!(ids instanceof SortedIdMap) || !content.folderTree || !content.idMap) return undefined;
  return { folderTree: content.folderTree, idMap: content.idMap, entries: ids.size, lowerCaseIds: !ids.hasUpperCaseIds(), listedKinds: listedKindsOf(tree, coverage) };
}

/** The kinds where documents and ids differ (a document without an id, an id without its document): listed from git next time. */
export function listedKindsOf(tree: CommittedTree, coverage: IdCoverage): Kind[] {
  const listed = new Set<Kind>();
  for (const [kind, names] of tree.names) if (names.size === 0 || coverage.withId.get(kind) !== names.size) listed.add(kind);
  for (const address of coverage.idsWithoutDocuments) listed.add(address.slice(0, address.indexOf("/")) as Kind);
  return [...listed].sort();
}
