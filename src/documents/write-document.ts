/**
 * Writing documents into the configuration folder: atomically (temp file in the same folder, fsync,
 * rename, one folder fsync per batch) and only inside it, whatever a name contains.
 */
import { lstat, mkdir, readdir, readFile, rm } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { isKind } from "../model/kind.js";
import { replaceWith, syncFolder, TEMP_FILE, writeTempFile } from "../files/atomic-write.js";
import { formatDocument } from "./format-document.js";
import type { FormatOptions } from "./format-document.js";
import { nameProblem } from "./names.js";
import type { EntraDocument } from "../model/document.js";

/** A write that would land outside the configuration folder, or under a name that is not valid. */
export class UnsafeDocumentPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsafeDocumentPathError";
  }
}

/** `<root>/<kind>/<name>.yaml`, after checking that kind and name are valid and the result stays in root. */
export function documentPath(root: string, kind: string, name: string): string {
  if (!isKind(kind)) throw new UnsafeDocumentPathError(`refused to write: unknown kind "${kind}"`);
  const problem = nameProblem(name);
  if (problem) throw new UnsafeDocumentPathError(`refused to write ${kind}/${String(name)}: ${problem}`);
  const base = resolve(root);
  const target = resolve(base, kind, `${name}.yaml`);
  const rel = relative(base, target);
  if (rel.startsWith("..") || isAbsolute(rel) || rel !== join(kind, `${name}.yaml`)) {
    throw new UnsafeDocumentPathError(`refused to write ${kind}/${name}: the path leaves ${base}`);
  }
  return target;
}

/** Refuse a kind folder that is a symbolic link (it could point anywhere). */
async function ensureKindFolder(root: string, kind: string): Promise<string> {
  const folder = join(resolve(root), kind);
  try {
    const info = await lstat(folder);
    if (info.isSymbolicLink() || !info.isDirectory()) {
      throw new UnsafeDocumentPathError(`refused to write into ${folder}: not a plain folder`);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    await mkdir(folder, { recursive: true });
  }
  return folder;
}

export type WriteOutcome = "created" | "updated" | "unchanged";

/** Format and write one document; an identical file is left untouched (its mtime too). */
export async function writeDocument(root: string, document: EntraDocument, options: FormatOptions = {}): Promise<{ path: string; outcome: WriteOutcome }> {
  const [written] = await writeDocuments(root, [{ document, options }]);
  if (!written) throw new Error("writeDocument: nothing written");
  return written;
}

/** One document and its formatting options, for `writeDocuments`. */
export interface DocumentWrite {
  document: EntraDocument;
  options?: FormatOptions;
}

export interface WriteDocumentsOptions {
  /** Files in flight at once (default 16). */
  concurrency?: number;
}

/**
 * Many documents at once, each file replaced atomically (temporary file, fsync, rename) and only
 * when its bytes change (mtime kept otherwise). Per kind folder: one check that it is a plain
 * folder, one listing (so new files need no read of an old one), one folder fsync after all its
 * renames instead of one per file, and temporary files of an earlier crashed run removed. On an
 * error no new file is started, the files in flight finish or are undone, the folders are
 * flushed, and the error is thrown: every file is then its old or its new content, and no
 * temporary file stays behind. Outcomes come in the order of `writes`.
 */
export async function writeDocuments(root: string, writes: readonly DocumentWrite[], options: WriteDocumentsOptions = {}): Promise<Array<{ path: string; outcome: WriteOutcome }>> {
  const paths = writes.map(({ document }) => documentPath(root, document.kind, document.name));
  const folders = new Map<string, Set<string>>();
  for (const { document } of writes) {
    if (folders.has(document.kind)) continue;
    folders.set(document.kind, await prepareKindFolder(root, document.kind));
  }
  const outcomes: Array<{ path: string; outcome: WriteOutcome }> = new Array(writes.length);
  const renamedIn = new Set<string>();
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (!failure && next < writes.length) {
      const index = next++;
      const write = writes[index];
      const path = paths[index];
      if (!write || !path) continue;
      try {
        const content = formatDocument(write.document, write.options ?? {});
        const present = folders.get(write.document.kind)?.has(`${write.document.name}.yaml`) ?? true;
        const existing = present ? await readExisting(path) : undefined;
        if (existing === content) {
          outcomes[index] = { path, outcome: "unchanged" };
          continue;
        }
        const temp = await writeTempFile(path, content, { fsync: true });
        if (failure) {
          await rm(temp, { force: true });
          return;
        }
        await replaceWith(temp, path);
        renamedIn.add(write.document.kind);
        outcomes[index] = { path, outcome: existing === undefined ? "created" : "updated" };
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 16, writes.length)) }, worker));
  for (const kind of renamedIn) await syncFolder(join(resolve(root), kind));
  if (failure) throw failure.error;
  return outcomes;
}

/** A kind folder made safe to write into: plain (not a link), existing, no stale temporary files; its file names. */
async function prepareKindFolder(root: string, kind: string): Promise<Set<string>> {
  const folder = await ensureKindFolder(root, kind);
  const names = new Set<string>();
  for (const entry of await readdir(folder)) {
    if (TEMP_FILE.test(entry)) await rm(join(folder, entry), { force: true });
    else names.add(entry);
  }
  return names;
}

async function readExisting(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    return undefined;
  }
}

/** Remove one document file (for an object deleted from the tenant); missing is fine. */
export async function removeDocument(root: string, kind: string, name: string): Promise<boolean> {
  const path = documentPath(root, kind, name);
  try {
    await rm(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
}
