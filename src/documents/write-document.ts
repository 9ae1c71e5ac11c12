/**
 * Writing documents into the configuration folder: atomically (temp file in the same folder, fsync,
 * rename) and only inside it, whatever a name contains.
 */
import { randomBytes } from "node:crypto";
import { lstat, mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { isKind } from "../kinds/kind-names.js";
import { formatDocument } from "./format-document.js";
import type { FormatOptions } from "./format-document.js";
import { nameProblem } from "./names.js";
import type { EntraDocument } from "./types.js";

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

/** Write `content` to `target` atomically: a reader sees the old file or the new one, never half. */
export async function writeFileAtomic(target: string, content: string): Promise<void> {
  const dir = resolve(target, "..");
  const temp = join(dir, `.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temp, "wx", 0o644);
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  try {
    const dirHandle = await open(dir, "r");
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  } catch {
    // Some platforms cannot fsync a folder; the rename itself is still atomic.
  }
}

export type WriteOutcome = "created" | "updated" | "unchanged";

/** Format and write one document; an identical file is left untouched (its mtime too). */
export async function writeDocument(root: string, document: EntraDocument, options: FormatOptions = {}): Promise<{ path: string; outcome: WriteOutcome }> {
  const path = documentPath(root, document.kind, document.name);
  const content = formatDocument(document, options);
  await ensureKindFolder(root, document.kind);
  let existing: string | undefined;
  try {
    existing = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (existing === content) return { path, outcome: "unchanged" };
  await writeFileAtomic(path, content);
  return { path, outcome: existing === undefined ? "created" : "updated" };
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
