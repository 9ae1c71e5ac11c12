/**
 * Writing documents into the configuration folder: atomically (temporary file in the same folder,
 * flushed, renamed, one folder flush per batch; staged-writes.ts) and only inside it, whatever a
 * name contains.
 */
import { rm } from "node:fs/promises";
import type { FormatOptions } from "./format-document.js";
import type { EntraDocument } from "../model/document.js";
import { documentPath } from "./document-path.js";
import { DocumentStage } from "./staged-writes.js";
import type { DocumentWrite, WriteOutcome } from "./staged-writes.js";

export { documentPath, UnsafeDocumentPathError } from "./document-path.js";
export { DocumentStage } from "./staged-writes.js";
export type { DocumentWrite, WriteOutcome } from "./staged-writes.js";

/** Format and write one document; an identical file is left untouched (its mtime too). */
export async function writeDocument(root: string, document: EntraDocument, options: FormatOptions = {}): Promise<{ path: string; outcome: WriteOutcome }> {
  const [written] = await writeDocuments(root, [{ document, options }]);
  if (!written) throw new Error("writeDocument: nothing written");
  return written;
}

export interface WriteDocumentsOptions {
  /** Files in flight at once (default 16). */
  concurrency?: number;
}

/**
 * Many documents at once, each file replaced atomically and only when its bytes change (mtime kept
 * otherwise): every document staged (per kind folder one check that it is a plain folder, one
 * listing, stale temporary files of an earlier crashed run removed), then all published together
 * (one flush of their bytes, the renames, one flush per folder). An invalid name is refused before
 * anything is written. On an error no new file is started, nothing staged stays behind, and the
 * error is thrown: every file is then its old or its new content. Outcomes come in the order of `writes`.
 */
export async function writeDocuments(root: string, writes: readonly DocumentWrite[], options: WriteDocumentsOptions = {}): Promise<Array<{ path: string; outcome: WriteOutcome }>> {
  for (const { document } of writes) documentPath(root, document.kind, document.name);
  const stage = new DocumentStage(root, options.concurrency ?? 16);
  for (const write of writes) stage.stage(write);
  return stage.publish();
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
