import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { lstat, mkdir, open, readdir, readFile, rename, rmdir, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { DirtyWorkTreeError, type DirtyFile } from "./errors.js";
import type { GitRepository } from "./repository.js";
import { runGit } from "./run-git.js";

const TEMP_MARK = ".entra-gitops-";

/**
 * Writes a file so that readers see the old content or the new content, never a part: the bytes
 * go to a temporary file in the same directory and replace the target with one rename. A crash
 * leaves at most a `.<name>.entra-gitops-*.tmp` file, which `removeStaleTempFiles` deletes.
 * `fsync` also flushes the bytes before the rename (power-loss durability; costs a disk flush per
 * file, so work-tree files, which git can always re-create from the commit, skip it).
 */
export async function writeFileAtomic(path: string, content: string | Buffer, options: { fsync?: boolean } = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  const handle = await open(temp, "w", 0o644);
  try {
    await handle.writeFile(content);
    if (options.fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

/**
 * The same contract as `writeFileAtomic` for many small files: synchronous calls avoid a thread
 * pool round trip per step, which dominates when a commit touches thousands of documents.
 * `madeDirs` remembers folders already created during one batch.
 */
export function writeFileAtomicSync(path: string, content: string, madeDirs: Set<string> = new Set()): void {
  const dir = dirname(path);
  if (!madeDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const temp = join(dir, `.${basename(path)}${TEMP_MARK}${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
  writeFileSync(temp, content, { mode: 0o644 });
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}

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

/** Deletes temporary files that interrupted `writeFileAtomic` calls left in these folders (one listing each). */
export async function removeStaleTempFiles(dirs: Iterable<string>): Promise<void> {
  for (const dir of new Set(dirs)) {
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const entry of entries) {
      if (entry.startsWith(".") && entry.includes(TEMP_MARK) && entry.endsWith(".tmp")) await unlink(join(dir, entry)).catch(() => undefined);
    }
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
