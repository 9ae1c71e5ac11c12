/**
 * The configuration folder as export finds it before writing over it (README "export"): each
 * document file read once, its text kept to compare with what export writes (so an unchanged file
 * is never read again), and parsed only when export needs what it says: a file shaped as export
 * writes it (plain-document.ts) whose object's id the environment's id map holds is known by its
 * place alone. The same files and symbolic links as `readConfigTree` (read-tree.ts), whose
 * diagnostics export does not report; a file that does not parse is not a document here either.
 *
 * Synchronous on purpose: one open, stat, read and close per file without a thread-pool round trip
 * and a promise each (a re-export of 100,000 files spent more CPU on those than on the reading).
 */
import fs from "node:fs";
import { join } from "node:path";
import { isKind, address, type Kind } from "../model/kind.js";
import { DOCUMENT_EXTENSION } from "../model/document-path.js";
import type { SourcedDocument } from "../model/document.js";
import { decodeUtf8 } from "./decode.js";
import { isPlainDocument } from "./plain-document.js";
import { MAX_DOCUMENT_BYTES, parseDocumentText } from "./read-document.js";

/** A document known from its place and bytes, not parsed: no id, no environments, no template. */
export interface PlainDocument {
  kind: Kind;
  name: string;
  file: string;
}

export interface ExistingTree {
  /** Every document in file order: parsed, or plain (`"plain" in doc`). */
  documents: Array<SourcedDocument | (PlainDocument & { plain: true })>;
  /** Each document file's text by the address of its place (`<kind>/<file name without .yaml>`). */
  texts: Map<string, string>;
  symlinks: string[];
}

/**
 * Reads `root/<kind>/*.yaml`. `known(address)` says whether the id map holds the object's id
 * there (a plain document without it is parsed: export matches it by its natural key).
 */
export function readExistingTree(root: string, known: (address: string) => boolean): ExistingTree {
  const tree: ExistingTree = { documents: [], texts: new Map(), symlinks: [] };
  if (fs.lstatSync(root, { throwIfNoEntry: false })?.isSymbolicLink()) {
    tree.symlinks.push(root);
    return tree;
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true }).sort(byName);
  } catch {
    return tree; // no folder yet (a first export), or one that cannot be read: nothing to keep
  }
  for (const entry of entries) {
    if (entry.name.startsWith(".")) continue;
    const path = join(root, entry.name);
    if (entry.isSymbolicLink()) tree.symlinks.push(path);
    else if (entry.isDirectory() && isKind(entry.name)) readKindFolder(tree, path, entry.name, known);
  }
  return tree;
}

function readKindFolder(tree: ExistingTree, folder: string, kind: Kind, known: (address: string) => boolean): void {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort(byName)) {
    if (entry.name.startsWith(".")) continue;
    const file = join(folder, entry.name);
    if (entry.isSymbolicLink()) {
      tree.symlinks.push(file);
      continue;
    }
    if (!entry.name.endsWith(DOCUMENT_EXTENSION) || !entry.isFile()) continue;
    const bytes = readSmallFile(file);
    if (bytes === "symlink") tree.symlinks.push(file);
    if (bytes === undefined || bytes === "symlink") continue;
    const decoded = decodeUtf8(bytes);
    if (!decoded.ok) continue;
    addExistingDocument(tree, kind, entry.name.slice(0, -DOCUMENT_EXTENSION.length), file, decoded.text, known);
  }
}

/**
 * One document file's text into the tree: kept by its address, and parsed unless it is plain and
 * known (see the top of this file). For the folder on disk and for one held in memory
 * (document-folder.ts), which calls it in the same order (kind folders, then files, by name).
 */
export function addExistingDocument(tree: ExistingTree, kind: Kind, name: string, file: string, text: string, known: (address: string) => boolean): void {
  const at = address(kind, name);
  tree.texts.set(at, text);
  if (known(at) && isPlainDocument(text, kind, name)) {
    tree.documents.push({ kind, name, file, plain: true });
    return;
  }
  const { document } = parseDocumentText(text, file);
  if (document) tree.documents.push(document);
}

/** The file's bytes; undefined when it is gone, not a regular file or over MAX_DOCUMENT_BYTES; "symlink" when it became one. */
function readSmallFile(file: string): Buffer | undefined | "symlink" {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ELOOP") return "symlink";
    return undefined;
  }
  try {
    const info = fs.fstatSync(fd);
    if (!info.isFile() || info.size > MAX_DOCUMENT_BYTES) return undefined;
    const bytes = Buffer.allocUnsafe(info.size);
    let length = 0;
    while (length < bytes.length) {
      const read = fs.readSync(fd, bytes, length, bytes.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return bytes.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}

function byName(a: fs.Dirent, b: fs.Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
