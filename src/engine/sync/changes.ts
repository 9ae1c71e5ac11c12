import { parseDocumentText } from "../../documents/read-document.js";
import type { EntraDocument } from "../../model/document.js";
import { parseDocumentPath } from "../../git/paths.js";
import { jsonEqual } from "../../model/json.js";
import type { ChangedObject } from "./types.js";

export interface DetectChangesInput {
  /** Configuration folder, repository-relative. */
  folder: string;
  /** Files committed at HEAD (`readFilesAtRevision(repo, "HEAD", folder)`). */
  before: ReadonlyMap<string, string>;
  /** Files as the export produced them (`readFolderFiles` after export, or the writer's output). */
  after: ReadonlyMap<string, string>;
  /** The environment's ids by address (documents no longer carry them), for audit matching. */
  ids?: ReadonlyMap<string, string>;
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
  const paths = [...new Set([...input.before.keys(), ...input.after.keys()])].sort();
  for (const path of paths) {
    const where = parseDocumentPath(input.folder, path);
    if (!where) continue;
    const oldText = input.before.get(path);
    const newText = input.after.get(path);
    if (oldText === newText) continue;
    const previous = oldText === undefined ? null : parse(oldText, path, unreadable);
    const document = newText === undefined ? null : parse(newText, path, unreadable);
    if (previous && document && sameContent(previous, document)) continue;
    const id = document?.id ?? previous?.id ?? input.ids?.get(where.address);
    changes.push({
      address: where.address,
      kind: where.kind,
      ...(id !== undefined ? { id } : {}),
      change: oldText === undefined ? "added" : newText === undefined ? "deleted" : "modified",
      document,
      previous,
      file: { path, content: newText ?? null },
    });
  }
  return { changes, unreadable: [...new Set(unreadable)] };
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
