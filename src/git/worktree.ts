import { lstat, readdir, readFile, rmdir, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DirtyWorkTreeError, type DirtyFile } from "./errors.js";
import type { GitRepository } from "./repository.js";
import { runGit } from "./run-git.js";

/** Deletes a work-tree file if present, then its parent folders that became empty (never `stopAt`). */
export async function removeFile(path: string, stopAt: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
  let dir = dirname(path);
  while (dir.startsWith(stopAt) && dir !== stopAt) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
    dir = dirname(dir);
  }
}

/**
 * Uncommitted files (staged, modified, deleted, untracked; not ignored) under the given
 * repository-relative pathspecs (whole work tree when empty), sorted by path.
 */
export async function dirtyFiles(repo: GitRepository, pathspecs: readonly string[] = []): Promise<DirtyFile[]> {
  const args = ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"];
  const result = await runGit(repo.root, pathspecs.length > 0 ? [...args, "--", ...pathspecs] : args);
  const files: DirtyFile[] = [];
  for (const entry of result.stdout.toString("utf8").split("\0")) {
    if (entry.length < 4) continue;
    files.push({ status: entry.slice(0, 2), path: entry.slice(3) });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Refuses to go on when the configuration folder has uncommitted changes, naming each file.
 * With `allowDirty` it returns the dirty files instead, so the caller can warn about them.
 */
export async function assertCleanFolder(
  repo: GitRepository,
  folder: string,
  options: { allowDirty?: boolean } = {},
): Promise<DirtyFile[]> {
  const files = await dirtyFiles(repo, [folder === "" ? "." : folder]);
  if (files.length > 0 && !options.allowDirty) throw new DirtyWorkTreeError(files);
  return files;
}

/**
 * The work-tree files under `folder` (repository-relative keys, `/` separators, sorted), skipping
 * dot-files such as leftover temporaries and never following symlinks. For comparing a fresh
 * export with `readFilesAtRevision(repo, "HEAD", folder)`.
 */
export async function readFolderFiles(repo: GitRepository, folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(repo.root, rel)).catch(() => [] as string[]);
    for (const entry of entries.sort()) {
      if (entry.startsWith(".")) continue;
      const child = rel === "" ? entry : `${rel}/${entry}`;
      const info = await lstat(join(repo.root, child));
      if (info.isDirectory()) await walk(child);
      else if (info.isFile()) files.set(child, await readFile(join(repo.root, child), "utf8"));
    }
  };
  await walk(folder.replace(/\/+$/, ""));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
