/**
 * Where a document lives in the configuration folder: `<kind>/<name>.yaml` (docs/design.md §2), its
 * address plus the extension. One definition for writing, reading, git history and sync.
 */
import { address, isKind, type Address, type Kind } from "./kind.js";

export const DOCUMENT_EXTENSION = ".yaml";

/** `<name>.yaml`: a document's file name in its kind folder. */
export function documentFileName(name: string): string {
  return `${name}${DOCUMENT_EXTENSION}`;
}

/** `<kind>/<name>.yaml` of an address, relative to the configuration folder (`/` separators). */
export function documentFile(at: string): string {
  return documentFileName(at);
}

/** The inverse of `documentFile`: undefined for anything that is not `<kind>/<name>.yaml` of a known kind. */
export function parseDocumentFile(file: string): { kind: Kind; name: string; address: Address } | undefined {
  const parts = file.split("/");
  if (parts.length !== 2) return undefined;
  const [kind, base] = parts as [string, string];
  if (!isKind(kind) || !base.endsWith(DOCUMENT_EXTENSION)) return undefined;
  const name = base.slice(0, -DOCUMENT_EXTENSION.length);
  if (name.length === 0) return undefined;
  return { kind, name, address: address(kind, name) };
}
