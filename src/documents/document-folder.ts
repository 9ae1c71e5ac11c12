/**
 * Where an export reads the documents it writes over and writes the tenant's (README "export",
 * ARCHITECTURE.md "Documents"): the configuration folder on disk (`diskFolder`: read once,
 * written atomically through `DocumentStage`, symbolic links refused), or a folder held in memory
 * (`MemoryFolder`: sync's read of the tenant, README "Incremental sync"), which starts from the
 * committed texts and bytes and ends with the exported ones, without a file written or read. Both
 * give an export the same documents in the same order, the same outcomes and the same paths
 * (`root` names them; a memory folder never touches it).
 */
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../files/atomic-write.js";
import { DOCUMENT_EXTENSION, documentFileName } from "../model/document-path.js";
import { isKind } from "../model/kind.js";
import { decodeUtf8 } from "./decode.js";
import { formatDocument } from "./format-document.js";
import { MAX_DOCUMENT_BYTES } from "./read-document.js";
import { addExistingDocument, readExistingTree } from "./read-existing-tree.js";
import type { ExistingTree } from "./read-existing-tree.js";
import { documentPath, DocumentStage, removeDocument } from "./write-document.js";
import type { DocumentWrite, WriteOutcome } from "./write-document.js";

/** Documents staged while the tenant is read and published per kind (staged-writes.ts). */
export interface DocumentStaging {
  stage(write: DocumentWrite): void;
  publish(kinds?: ReadonlySet<string>): Promise<Array<{ path: string; outcome: WriteOutcome }>>;
  discard(kinds?: ReadonlySet<string>): Promise<void>;
  close(): Promise<void>;
}

/** The other files of a kind's folder (stream files: company branding images, engine/streams.ts), by file name. */
export interface KindFiles {
  entries(kind: string): Promise<string[]>;
  /** The file's bytes, or undefined when it cannot be read. */
  read(kind: string, entry: string): Promise<Buffer | undefined>;
  write(kind: string, entry: string, bytes: Buffer): Promise<void>;
  remove(kind: string, entry: string): Promise<void>;
  /** How results name the file. */
  path(kind: string, entry: string): string;
}

export interface DocumentFolder {
  /** The folder's path: results name documents under it. */
  readonly root: string;
  /** The documents there before the export (`readExistingTree`). */
  readExisting(known: (address: string) => boolean): ExistingTree;
  /** A stage for the export's documents; `existing` are the texts read already, by address. */
  stage(existing: Map<string, string>): DocumentStaging;
  /** Removes a document; false when there was none. */
  remove(kind: string, name: string): Promise<boolean>;
  readonly files: KindFiles;
}

/** The configuration folder on disk, as `export` writes it. */
export function diskFolder(root: string): DocumentFolder {
  return {
    root,
    readExisting: (known) => readExistingTree(root, known),
    stage: (existing) => new DocumentStage(root, 16, { worker: true, existing }),
    remove: (kind, name) => removeDocument(root, kind, name),
    files: {
      entries: (kind) => readdir(join(root, kind)).catch(() => [] as string[]),
      read: (kind, entry) => readFile(join(root, kind, entry)).catch(() => undefined),
      write: (kind, entry, bytes) => writeFileAtomic(join(root, kind, entry), bytes),
      remove: (kind, entry) => rm(join(root, kind, entry), { force: true }),
      path: (kind, entry) => join(root, kind, entry),
    },
  };
}

function byName<T>(a: [string, string, T], b: [string, string, T]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/**
 * The committed files of the configuration folder at `folder` (repository-relative), given by
 * repository-relative path (`<folder>/<kind>/<file>`: texts, then images as bytes), held in memory
 * as that folder; `root` is the folder on disk its results name (it is never touched).
 */
export function memoryFolderOf(root: string, folder: string, ...sources: Iterable<readonly [string, string | Buffer]>[]): MemoryFolder {
  const skip = folder.length + 1;
  const contents = function* (): Generator<[string, string | Buffer]> {
    for (const source of sources) for (const [path, content] of source) yield [path.slice(skip), content];
  };
  return new MemoryFolder(root, contents());
}

/**
 * A configuration folder held in memory: files by their path in it (`<kind>/<file>`), texts
 * (documents) or bytes (images). What the export reads, writes and removes, it reads, writes and
 * removes here; `documents()` and `kindFiles()` give the result as the folder on disk would hold it.
 */
export class MemoryFolder implements DocumentFolder {
  private readonly contents = new Map<string, string | Buffer>();
  readonly files: KindFiles;

  constructor(
    readonly root: string,
    files: Iterable<readonly [string, string | Buffer]>,
  ) {
    for (const [path, content] of files) this.contents.set(path, content);
    const contents = this.contents;
    this.files = {
      entries: (kind) => Promise.resolve(this.entriesOf((k) => k === kind).map(([, entry]) => entry)),
      read: (kind, entry) => {
        const content = contents.get(`${kind}/${entry}`);
        return Promise.resolve(content === undefined ? undefined : typeof content === "string" ? Buffer.from(content, "utf8") : content);
      },
      write: (kind, entry, bytes) => {
        contents.set(`${kind}/${entry}`, bytes);
        return Promise.resolve();
      },
      remove: (kind, entry) => {
        contents.delete(`${kind}/${entry}`);
        return Promise.resolve();
      },
      path: (kind, entry) => join(root, kind, entry),
    };
  }

  /** The folder's files directly in a folder `inFolder` picks, by folder and then file name. */
  private entriesOf(inFolder: (folder: string) => boolean): Array<[string, string, string | Buffer]> {
    const found: Array<[string, string, string | Buffer]> = [];
    for (const [path, content] of this.contents) {
      const slash = path.indexOf("/");
      if (slash <= 0 || path.indexOf("/", slash + 1) >= 0) continue;
      const folder = path.slice(0, slash);
      if (inFolder(folder)) found.push([folder, path.slice(slash + 1), content]);
    }
    return found.sort(byName);
  }

  /** The documents as the export found them (set by `readExisting`). */
  found: ExistingTree | undefined;

  readExisting(known: (address: string) => boolean): ExistingTree {
    const tree: ExistingTree = { documents: [], texts: new Map(), symlinks: [] };
    this.found = tree;
    for (const [kind, entry, content] of this.entriesOf((folder) => !folder.startsWith(".") && isKind(folder))) {
      if (entry.startsWith(".") || !entry.endsWith(DOCUMENT_EXTENSION) || !isKind(kind)) continue;
      const text = typeof content === "string" ? content : decoded(content);
      // Over the size a document may have, as on disk: not a document to keep.
      if (text === undefined || (text.length * 3 > MAX_DOCUMENT_BYTES && Buffer.byteLength(text, "utf8") > MAX_DOCUMENT_BYTES)) continue;
      addExistingDocument(tree, kind, entry.slice(0, -DOCUMENT_EXTENSION.length), join(this.root, kind, entry), text, known);
    }
    return tree;
  }

  stage(): DocumentStaging {
    return new MemoryStage(this.root, this.contents);
  }

  remove(kind: string, name: string): Promise<boolean> {
    documentPath(this.root, kind, name);
    return Promise.resolve(this.contents.delete(`${kind}/${documentFileName(name)}`));
  }

  /**
   * Every `.yaml` file directly in a folder, as text, in folder and file order (as sync reads a
   * folder back); each path after `prefix` (the folder's repository-relative path and a slash, for
   * the texts by repository path).
   */
  documents(prefix = ""): Array<[string, string]> {
    return this.entriesOf(() => true)
      .filter(([, entry]) => entry.endsWith(DOCUMENT_EXTENSION))
      .map(([folder, entry, content]) => [`${prefix}${folder}/${entry}`, typeof content === "string" ? content : content.toString("utf8")]);
  }

  /** The files in these kinds' folders that `wanted` picks (by `<kind>/<file>`), as bytes. */
  kindFiles(kinds: ReadonlySet<string>, wanted: (path: string) => boolean): Array<[string, Buffer]> {
    return this.entriesOf((folder) => kinds.has(folder))
      .map(([folder, entry, content]): [string, Buffer | string] => [`${folder}/${entry}`, content])
      .filter(([path]) => wanted(path))
      .map(([path, content]) => [path, typeof content === "string" ? Buffer.from(content, "utf8") : content]);
  }
}

function decoded(bytes: Buffer): string | undefined {
  const result = decodeUtf8(bytes);
  return result.ok ? result.text : undefined;
}

interface MemoryEntry {
  kind: string;
  key: string;
  path: string;
  content: string;
  outcome: WriteOutcome;
  done: boolean;
}

/**
 * `DocumentStage` for a memory folder: a document is formatted and compared when staged, and
 * replaces the folder's text when its kind is published. A failure while staging is thrown by the
 * next `publish`, and nothing staged is kept.
 */
class MemoryStage implements DocumentStaging {
  private readonly entries: MemoryEntry[] = [];
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly root: string,
    private readonly contents: Map<string, string | Buffer>,
  ) {}

  stage(write: DocumentWrite): void {
    const { document } = write;
    try {
      const path = documentPath(this.root, document.kind, document.name);
      const content = formatDocument(document, write.options ?? {});
      const key = `${document.kind}/${documentFileName(document.name)}`;
      const present = this.contents.get(key);
      const text = present === undefined || typeof present === "string" ? present : present.toString("utf8");
      const outcome: WriteOutcome = text === undefined ? "created" : text === content ? "unchanged" : "updated";
      this.entries.push({ kind: document.kind, key, path, content, outcome, done: false });
    } catch (error) {
      this.failure ??= { error };
    }
  }

  // Async like the disk stage's: a failure is a rejected promise, never a throw.
  async publish(kinds?: ReadonlySet<string>): Promise<Array<{ path: string; outcome: WriteOutcome }>> {
    if (this.failure) {
      for (const entry of this.entries) entry.done = true;
      throw this.failure.error;
    }
    const published: Array<{ path: string; outcome: WriteOutcome }> = [];
    for (const entry of this.entries) {
      if (entry.done || (kinds !== undefined && !kinds.has(entry.kind))) continue;
      entry.done = true;
      if (entry.outcome !== "unchanged") this.contents.set(entry.key, entry.content);
      published.push({ path: entry.path, outcome: entry.outcome });
    }
    return published;
  }

  async discard(kinds?: ReadonlySet<string>): Promise<void> {
    for (const entry of this.entries) if (kinds === undefined || kinds.has(entry.kind)) entry.done = true;
  }

  async close(): Promise<void> {}
}
