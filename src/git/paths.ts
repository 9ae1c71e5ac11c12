import { posix } from "node:path";
import { documentFile, parseDocumentFile } from "../model/document-path.js";
import { address, type Address, type Kind } from "../model/kind.js";
import { GitError } from "./errors.js";

/** The configuration folder relative to the repository root, as docs/design.md §2 lays it out. */
export const DEFAULT_CONFIG_FOLDER = "tenant-config";

/** `tenant-config/<kind>/<name>.yaml` (repository-relative, `/` separators). */
export function documentPath(folder: string, kind: Kind, name: string): string {
  return documentPathOfAddress(folder, address(kind, name));
}

/** `tenant-config/<kind>/<name>.yaml` of an address (`<kind>/<name>`). */
export function documentPathOfAddress(folder: string, at: string): string {
  return posix.join(normalizeFolder(folder), documentFile(at));
}

/** The inverse of `documentPath`: `undefined` for files that are not documents (README, other kinds' folders). */
export function parseDocumentPath(
  folder: string,
  path: string,
): { kind: Kind; name: string; address: Address } | undefined {
  const prefix = normalizeFolder(folder);
  const rest = prefix === "" ? path : path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : undefined;
  return rest === undefined ? undefined : parseDocumentFile(rest);
}

const CLEAN_FOLDER = /^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*)(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Folder as a clean repository-relative path without trailing slash (`""` for the root). */
export function normalizeFolder(folder: string): string {
  // The common case (`tenant-config`, already clean) without path normalization: this runs per path.
  if (CLEAN_FOLDER.test(folder)) return folder;
  const clean = posix.normalize(folder.replaceAll("\\", "/")).replace(/\/+$/, "");
  return clean === "." ? "" : clean;
}

/**
 * Checks a repository-relative path before git or the file system sees it: relative, normalized,
 * not escaping the work tree, not inside `.git`.
 */
export function assertSafeRepoPath(path: string): string {
  const clean = posix.normalize(path);
  const bad =
    path.length === 0 ||
    path.includes("\0") ||
    path.includes("\\") ||
    posix.isAbsolute(path) ||
    clean !== path ||
    clean === "." ||
    clean.startsWith("../") ||
    clean === ".." ||
    clean.split("/").some((part) => part.toLowerCase() === ".git");
  if (bad) throw new GitError(`unsafe repository path: ${JSON.stringify(path)}`);
  return clean;
}
