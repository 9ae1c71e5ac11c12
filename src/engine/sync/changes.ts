import { parseDocumentText } from "../../documents/read-document.js";
import type { EntraDocument } from "../../model/document.js";
import { jsonEqual } from "../../model/json.js";
import type { ChangedObject } from "./types.js";
import type { FileChange } from "../../git/commit-files.js";
import { documentPathOfAddress, parseDocumentPath } from "../../git/paths.js";
import type { KindDescriptor } from "../../kinds/types.js";
import { address } from "../../model/kind.js";
import { streamPathOf, withStreamDigests } from "../streams.js";

export interface DetectChangesInput {
  /** Configuration folder, repository-relative. */
  folder: string;
  /** Files committed at HEAD (`readFilesAtRevision(repo, "HEAD", folder)`). */
  before: ReadonlyMap<string, string>;
  /** Files as the export produced them (`readFolderFiles` after export, or the writer's output). */
  after: ReadonlyMap<string, string>;
  /** The environment's ids by address (documents no longer carry them), for audit matching. */
  ids?: ReadonlyMap<string, string>;
  /**
   * Stream files (company branding images beside the documents) the read covered, committed and
   * exported bytes by path (`TenantRead.streams`): a document whose images differ is changed too,
   * its images committed with it.
   */
  streams?: { descriptors: readonly KindDescriptor[]; before: ReadonlyMap<string, Buffer>; after: ReadonlyMap<string, Buffer> };
}

/**
 * Pure: the documents whose text differs between HEAD and the fresh export, as attribution input.
 * Only `<folder>/<kind>/<name>.yaml` files count. A file that does not parse is still a change
 * (committed as exported) with `document`/`previous` null; its path is listed in `unreadable`.
 * A document whose name and spec are unchanged is not a change: its text differs only in layout or
 * comments, or it gained the id of the object apply created from it (a document written without
 * an id). Neither is drift, and neither is committed.
 */
export function detectChanges(input: DetectChangesInput): { changes: ChangedObject[]; unreadable: string[] } {
  const changes: ChangedObject[] = [];
  const unreadable: string[] = [];
  const streams = streamChanges(input);
  const paths = [...new Set([...input.before.keys(), ...input.after.keys()])].sort();
  for (const path of paths) {
    const where = parseDocumentPath(input.folder, path);
    if (!where) continue;
    const oldText = input.before.get(path);
    const newText = input.after.get(path);
    const images = streams.get(path);
    if (oldText === newText && !images) continue;
    let previous = oldText === undefined ? null : parse(oldText, path, unreadable);
    let document = newText === undefined ? null : parse(newText, path, unreadable);
    if (images) {
      // Both sides with their images' digests (as plan compares them), so the change is seen.
      if (previous) previous = { ...previous, spec: withStreamDigests(previous.spec, images.before) };
      if (document) document = { ...document, spec: withStreamDigests(document.spec, images.after) };
    }
    if (previous && document && sameContent(previous, document)) continue;
    if (oldText === undefined && newText === undefined) continue;
    const id = document?.id ?? previous?.id ?? input.ids?.get(where.address);
    changes.push({
      address: where.address,
      kind: where.kind,
      ...(id !== undefined ? { id } : {}),
      change: oldText === undefined ? "added" : newText === undefined ? "deleted" : "modified",
      document,
      previous,
      file: { path, content: newText ?? null },
      ...(images ? { streams: images.files } : {}),
    });
  }
  return { changes, unreadable: [...new Set(unreadable)] };
}

interface DocumentStreams {
  /** Every stream set on each side, by property (for the digests). */
  before: Map<string, { bytes: Buffer }>;
  after: Map<string, { bytes: Buffer }>;
  /** The stream files that differ: the exported bytes, or `null` for one gone. */
  files: FileChange[];
}

/** By document path: the documents whose stream files differ between HEAD and the export. */
function streamChanges(input: DetectChangesInput): Map<string, DocumentStreams> {
  const out = new Map<string, DocumentStreams>();
  if (!input.streams) return out;
  const { descriptors, before, after } = input.streams;
  const byDocument = new Map<string, DocumentStreams>();
  for (const path of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const where = streamPathOf(descriptors, input.folder, path);
    if (!where) continue;
    const documentPath = documentPathOfAddress(input.folder, address(where.descriptor.kind, where.name));
    let entry = byDocument.get(documentPath);
    if (!entry) byDocument.set(documentPath, (entry = { before: new Map(), after: new Map(), files: [] }));
    const old = before.get(path);
    const now = after.get(path);
    if (old) entry.before.set(where.property, { bytes: old });
    if (now) entry.after.set(where.property, { bytes: now });
    if (!(old && now && old.equals(now))) entry.files.push({ path, content: now ?? null });
  }
  for (const [path, entry] of byDocument) if (entry.files.length > 0) out.set(path, entry);
  return out;
}

function parse(text: string, path: string, unreadable: string[]): EntraDocument | null {
  const { document } = parseDocumentText(text, path, { checkLocation: false });
  if (!document) {
    unreadable.push(path);
    return null;
  }
  return { kind: document.kind, name: document.name, ...(document.id !== undefined ? { id: document.id } : {}), spec: document.spec };
}

function sameContent(previous: EntraDocument, document: EntraDocument): boolean {
  if (previous.kind !== document.kind || previous.name !== document.name) return false;
  if (previous.id !== undefined && previous.id.toLowerCase() !== document.id?.toLowerCase()) return false;
  return jsonEqual(previous.spec, document.spec);
}
