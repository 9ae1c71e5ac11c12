/**
 * The committed folder at HEAD as an incremental sync sees it (README "Incremental sync"): document
 * names and blobs by kind from one listing of git's tree, without reading the files, and the files
 * read only for the paths asked for.
 */
import { normalizeFolder, parseDocumentPath } from "../../git/paths.js";
import type { GitRepository } from "../../git/repository.js";
import { listPathsText, listTreeText } from "../../git/tree.js";
import { DOCUMENT_EXTENSION } from "../../model/document-path.js";
import { readBlobs } from "../../git/blobs.js";
import { filesContaining } from "../../git/grep.js";
import type { Kind } from "../../model/kind.js";
import { address as addressOf, isKind } from "../../model/kind.js";

/** The documents of one kind at HEAD: their names (a set), and their addresses `KIND/NAME`. */
export interface KindDocuments extends ReadonlySet<string> {
  readonly kind: Kind;
  /** Whether the document of this address (`KIND/NAME`, of this kind) exists. */
  hasAddress(address: string): boolean;
  /** The documents' addresses. */
  addresses(): Iterable<string>;
}

/**
 * A kind's document names as a set, given its addresses (`KIND/NAME`): the set methods every
 * KindDocuments shares (the listing's here, the checked id map's in checked-content.ts).
 */
export abstract class KindNameSet implements KindDocuments {
  constructor(readonly kind: Kind) {}

  abstract has(name: string): boolean;
  abstract hasAddress(address: string): boolean;
  abstract addresses(): Iterable<string>;
  abstract get size(): number;

  *keys(): IterableIterator<string> {
    const skip = this.kind.length + 1;
    for (const address of this.addresses()) yield address.slice(skip);
  }

  values(): IterableIterator<string> {
    return this.keys();
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of this.keys()) yield [name, name];
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const name of this.keys()) callback.call(thisArg, name, name, this);
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.keys();
  }
}

/**
 * The documents of one kind at HEAD: their names (a set), each with its blob. Kept by address
 * (`KIND/NAME`, a slice of git's listing): the id map's keys are addresses too, so the two are
 * compared without building a string per document.
 */
export class DocumentNames extends KindNameSet {
  constructor(
    kind: Kind,
    /** Address → where its blob's id starts in `listing` (no string is made per document until asked). */
    readonly byAddress: ReadonlyMap<string, number>,
    /** git's listing of the folder the offsets point into. */
    private readonly listing: string,
  ) {
    super(kind);
  }

  /** The blob of the document `name`. */
  blob(name: string): string | undefined {
    const at = this.byAddress.get(`${this.kind}/${name}`);
    return at === undefined ? undefined : this.listing.slice(at, this.listing.indexOf("\t", at));
  }

  has(name: string): boolean {
    return this.byAddress.has(`${this.kind}/${name}`);
  }

  hasAddress(address: string): boolean {
    return this.byAddress.has(address);
  }

  addresses(): Iterable<string> {
    return this.byAddress.keys();
  }

  get size(): number {
    return this.byAddress.size;
  }

}

/**
 * The committed folder at HEAD by path, without reading the files: document names and blobs by
 * kind (one map entry per document, built from git's listing without parsing each path on its
 * own: a folder of 100,000 documents), and the blobs of any other file under the folder.
 */
export interface CommittedTree {
  /** Document names by kind. */
  names: Map<Kind, KindDocuments>;
  /** Whether a document `KIND/NAME` exists. */
  addresses: { has(address: string): boolean };
  /** The blob of a repository-relative path, if it is a file under the folder (or `<commit>:<path>`, which `git cat-file` reads alike). */
  blob(path: string): string | undefined;
}

/** With `kinds`, only the folders of those kinds are listed (the others are absent). */
export async function committedTree(repo: GitRepository, head: string, folder: string, kinds?: readonly Kind[]): Promise<CommittedTree> {
  const byKind = new Map<Kind, Map<string, number>>();
  const others = new Map<string, string>();
  let text = "";
  if (head && kinds?.length !== 0) {
    text = kinds ? await listKindsText(repo, head, folder, kinds) : await listTreeText(repo, head, folder);
    const clean = normalizeFolder(folder);
    const prefix = clean === "" ? "" : `${clean}/`;
    // The entries of one kind folder come one after another (git lists them sorted by path).
    let kindStart = "";
    let kindBlobs: Map<string, number> | undefined;
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf("\0", start);
      if (end < 0) end = text.length;
      const space = text.indexOf(" ", start);
      const tab = text.indexOf("\t", start);
      const entry = start;
      start = end + 1;
      // `<mode> SP blob SP <object> TAB <path>` NUL.
      if (!(space > entry && tab > space && tab < end && text.startsWith(" blob ", space))) continue;
      const at = tab + 1;
      if (!(kindStart !== "" && text.startsWith(kindStart, at))) {
        kindBlobs = undefined;
        kindStart = "";
        const slash = text.indexOf("/", at + prefix.length);
        const kind = text.startsWith(prefix, at) && slash > at + prefix.length && slash < end ? text.slice(at + prefix.length, slash) : undefined;
        if (kind !== undefined && isKind(kind)) {
          kindStart = `${prefix}${kind}/`;
          kindBlobs = byKind.get(kind);
          if (!kindBlobs) byKind.set(kind, (kindBlobs = new Map()));
        }
      }
      const nameAt = at + kindStart.length;
      const named = kindBlobs !== undefined && end - nameAt > DOCUMENT_EXTENSION.length && text.startsWith(DOCUMENT_EXTENSION, end - DOCUMENT_EXTENSION.length);
      const slash = named ? text.indexOf("/", nameAt) : -1;
      // The address `KIND/NAME` is the path less the folder and the extension.
      if (kindBlobs && named && (slash < 0 || slash >= end)) kindBlobs.set(text.slice(at + prefix.length, end - DOCUMENT_EXTENSION.length), space + 6);
      else others.set(text.slice(at, end), text.slice(space + 6, tab));
    }
  }
  const listed = new Map([...byKind].map(([kind, blobs]) => [kind, new DocumentNames(kind, blobs, text)]));
  const names = new Map<Kind, KindDocuments>(listed);
  let lastKind: { prefix: string; blobs: Map<string, number> } | undefined;
  return {
    names,
    addresses: {
      has: (address) => {
        // Asked for every id of the map in turn: addresses of one kind come one after another.
        if (lastKind && address.startsWith(lastKind.prefix)) return lastKind.blobs.has(address);
        const slash = address.indexOf("/");
        const blobs = slash > 0 ? byKind.get(address.slice(0, slash) as Kind) : undefined;
        if (!blobs) return false;
        lastKind = { prefix: address.slice(0, slash + 1), blobs };
        return blobs.has(address);
      },
    },
    blob: (path) => {
      const where = parseDocumentPath(folder, path);
      return (where ? listed.get(where.kind)?.blob(where.name) : undefined) ?? others.get(path);
    },
  };
}

/** `git ls-tree -r -z` of the folders of these kinds at `commit`, as `listTreeText` prints the whole folder. */
async function listKindsText(repo: GitRepository, commit: string, folder: string, kinds: readonly Kind[]): Promise<string> {
  const prefix = normalizeFolder(folder);
  const paths = [...kinds].sort().map((kind) => (prefix === "" ? `${kind}/` : `${prefix}/${kind}/`));
  return listPathsText(repo, commit, paths);
}

/** The files at HEAD of these paths (those that exist). */
export async function readCommitted(repo: GitRepository, tree: CommittedTree, paths: Iterable<string>): Promise<Map<string, string>> {
  const blobs = new Map<string, string>();
  for (const path of paths) {
    const blob = tree.blob(path);
    if (blob !== undefined) blobs.set(path, blob);
  }
  const wanted = [...blobs.keys()].sort();
  const contents = await readBlobs(repo, [...blobs.values()]);
  return new Map(wanted.map((p) => [p, (contents.get(blobs.get(p) as string) ?? Buffer.alloc(0)).toString("utf8")]));
}

/** Addresses of the documents at `head` under `folder` that contain any of the texts (`git grep -F`). */
export async function documentsContaining(repo: GitRepository, head: string, folder: string, texts: readonly string[]): Promise<string[]> {
  if (texts.length === 0 || !head) return [];
  const out: string[] = [];
  for (const path of await filesContaining(repo, head, folder, texts)) {
    const where = parseDocumentPath(folder, path);
    if (where) out.push(addressOf(where.kind, where.name));
  }
  return out;
}
