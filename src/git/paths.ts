import { posix } from "node:path";
import { address, isKind, type Address, type Kind } from "../model/kind.js";
import { GitError } from "./errors.js";

/** The configuration folder relative to the repository root, as docs/design.md §2 lays it out. */
export const DEFAULT_CONFIG_FOLDER = "tenant-config";

/** `tenant-config/<kind>/<name>.yaml` (repository-relative, `/` separators). */
export function documentPath(folder: string, kind: Kind, name: string): string {
  return posix.join(normalizeFolder(folder), kind, `${name}.yaml`);
}

/** The inverse of `documentPath`: `undefined` for files that are not documents (README, other kinds' folders). */
export function parseDocumentPath(
  folder: string,
  path: string,
): { kind: Kind; name: string; address: Address } | undefined {
  const prefix = normalizeFolder(folder);
  const rest = prefix === "" ? path : path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : undefined;
  if (rest === undefined) return undefined;
  const parts = rest.split("/");
  if (parts.length !== 2) return undefined;
  const [kind, file] = parts as [string, string];
  if (!isKind(kind) || !file.endsWith(".yaml")) return undefined;
  const name = file.slice(0, -".yaml".length);
  if (name.length === 0) return undefined;
  return { kind, name, address: address(kind, name) };
}

/** Folder as a clean repository-relative path without trailing slash (`""` for the root). */
export function normalizeFolder(folder: string): string {
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
