/**
 * Reading a whole configuration folder (`tenant-config/<kind>/<name>.yaml`) into documents and
 * diagnostics: nothing stops at the first problem, so a user sees them all at once.
 */
import { lstat, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { isKind } from "../model/kind.js";
import { getKind } from "../kinds/registry.js";
import { isStreamFileName } from "../kinds/stream-files.js";
import { readDocumentFile } from "./read-document.js";
import type { Diagnostic, SourcedDocument } from "../model/document.js";

export interface TreeReadResult {
  documents: SourcedDocument[];
  diagnostics: Diagnostic[];
  /** Symbolic links found in the folder (each also an error diagnostic). */
  symlinks: string[];
}

/**
 * A symbolic link in the configuration folder is refused, never skipped: a linked kind folder left
 * out would make every object of its kind look deleted (and with `prune: true` be planned for
 * deletion), and a link can point outside the repository.
 */
export function symlinkDiagnostic(path: string): Diagnostic {
  return { severity: "error", file: path, message: "refused: symbolic links are not allowed in the configuration folder (replace the link with the folder or file itself)" };
}

/** Read every `<kind>/*.yaml` below `root`. Files are visited in sorted order (stable output). */
export async function readConfigTree(root: string): Promise<TreeReadResult> {
  const documents: SourcedDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const symlinks: string[] = [];
  const refuseLink = (path: string): void => {
    symlinks.push(path);
    diagnostics.push(symlinkDiagnostic(path));
  };
  if ((await lstat(root).catch(() => undefined))?.isSymbolicLink()) {
    refuseLink(root);
    return { documents, diagnostics, symlinks };
  }
  let entries: string[];
  try {
    entries = (await readdir(root)).sort();
  } catch (e) {
    return { documents, diagnostics: [{ severity: "error", file: root, message: `cannot read folder: ${(e as NodeJS.ErrnoException).code ?? String(e)}` }], symlinks };
  }
  for (const entry of entries) {
    if (entry.startsWith(".")) continue;
    const path = join(root, entry);
    const info = await lstat(path);
    if (info.isSymbolicLink()) {
      refuseLink(path);
    } else if (info.isDirectory()) {
      if (!isKind(entry)) {
        diagnostics.push({ severity: "error", file: path, message: `unknown kind folder "${entry}"` });
        continue;
      }
      const files: string[] = [];
      for (const file of (await readdir(path)).sort()) {
        if (file.startsWith(".")) continue;
        const filePath = join(path, file);
        if ((await lstat(filePath)).isSymbolicLink()) {
          refuseLink(filePath);
          continue;
        }
        // A kind's files kept beside its documents (an agreement's PDFs) are not documents.
        const attachments = getKind(entry).attachments;
        if (attachments && file.endsWith(`.${attachments.extension}`)) continue;
        // A kind's stream files (company branding images: `default.bannerLogo.png`) neither.
        if (getKind(entry).streams && isStreamFileName(getKind(entry), file)) continue;
        if (!file.endsWith(".yaml")) {
          const message = file.endsWith(".yml") ? "document files end in .yaml, not .yml" : "not a document (expected <name>.yaml)";
          diagnostics.push({ severity: file.endsWith(".yml") ? "error" : "warning", file: filePath, message });
          continue;
        }
        files.push(filePath);
      }
      // Read in parallel (bounded), keep the sorted order in the results.
      const results = await mapLimit(files, 32, (file) => readDocumentFile(file));
      for (const result of results) {
        diagnostics.push(...result.diagnostics);
        if (result.document) documents.push(result.document);
      }
    } else if (entry.endsWith(".yaml") || entry.endsWith(".yml")) {
      diagnostics.push({ severity: "error", file: path, message: "documents belong in a kind folder: <kind>/<name>.yaml" });
    }
  }
  diagnostics.push(...duplicateNames(documents));
  return { documents, diagnostics, symlinks };
}

/** Two documents of one kind with the same name (possible when a name disagrees with its file name). */
export function duplicateNames(documents: readonly SourcedDocument[]): Diagnostic[] {
  const seen = new Map<string, SourcedDocument>();
  const diagnostics: Diagnostic[] = [];
  for (const doc of documents) {
    const key = `${doc.kind}/${doc.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, doc);
      continue;
    }
    const pos = doc.positionOf(["name"]);
    diagnostics.push({
      severity: "error",
      file: doc.file,
      ...(pos ?? {}),
      path: "name",
      message: `duplicate name: ${key} is also defined in ${relative(process.cwd(), first.file) || first.file}`,
    });
  }
  return diagnostics;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
