import { normalizeFolder } from "./paths.js";
import type { GitRepository } from "./repository.js";
import { resolveRevision } from "./repository.js";
import { readBlobs } from "./blobs.js";
import { readObjects } from "./object-reader.js";
import { runGit } from "./run-git.js";

/** One file in a commit's tree. */
export interface TreeEntry {
  path: string;
  mode: string;
  blob: string;
}

/**
 * Files (recursively) under `folder` at `rev`, sorted by path; read from the object store, not the
 * work tree. The last listing is kept per repository (a commit's tree never changes), so a command
 * that lists the same folder at the same commit again (a drift checking for symbolic links, then
 * reading the texts, then the images) starts one `ls-tree` of a folder of 100,000 files, not three.
 * The array is shared: read-only (frozen).
 */
export async function listTree(repo: GitRepository, rev: string, folder: string): Promise<readonly TreeEntry[]> {
  const commit = await resolveRevision(repo, rev);
  const key = `${commit}\0${normalizeFolder(folder)}`;
  const last = lastListing.get(repo);
  if (last?.key === key) return last.entries;
  const entries: TreeEntry[] = [];
  // `<mode> SP <type> SP <object> TAB <path>` NUL, read by position (a folder of 100,000 documents).
  const text = await listTreeText(repo, commit, folder);
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf("\0", start);
    if (end < 0) end = text.length;
    const space = text.indexOf(" ", start);
    const tab = text.indexOf("\t", start);
    if (space > start && tab > space && tab < end && text.startsWith(" blob ", space)) {
      entries.push({ mode: text.slice(start, space), blob: text.slice(space + 6, tab), path: text.slice(tab + 1, end) });
    }
    start = end + 1;
  }
  const sorted = Object.freeze(entries.sort((a, b) => compare(a.path, b.path)));
  lastListing.set(repo, { key, entries: sorted });
  return sorted;
}

/** The last folder listed per repository: `<commit> NUL <folder>` and its entries. */
const lastListing = new WeakMap<GitRepository, { key: string; entries: readonly TreeEntry[] }>();

/** `git ls-tree -r -z` of `folder` at `rev`, as git prints it (entries sorted by path). */
export async function listTreeText(repo: GitRepository, rev: string, folder: string): Promise<string> {
  const commit = await resolveRevision(repo, rev);
  const prefix = normalizeFolder(folder);
  const args = ["ls-tree", "-r", "-z", "--full-tree", commit];
  const result = await runGit(repo.root, prefix === "" ? args : [...args, "--", prefix]);
  return result.stdout.toString("utf8");
}

/** `git ls-tree -r -z` of these paths (folders end in `/`) at `commit`, as git prints it. */
export async function listPathsText(repo: GitRepository, commit: string, paths: readonly string[]): Promise<string> {
  const result = await runGit(repo.root, ["ls-tree", "-r", "-z", "--full-tree", commit, "--", ...paths]);
  return result.stdout.toString("utf8");
}

/** Every file under `folder` at `rev` as UTF-8 text, keyed by repository-relative path (sorted). */
export async function readFilesAtRevision(repo: GitRepository, rev: string, folder: string): Promise<Map<string, string>> {
  const entries = await listTree(repo, rev, folder);
  const blobs = await readBlobs(
    repo,
    entries.map((e) => e.blob),
  );
  const files = new Map<string, string>();
  for (const entry of entries) files.set(entry.path, (blobs.get(entry.blob) ?? Buffer.alloc(0)).toString("utf8"));
  return files;
}

/** Files under `folder` at `rev` that `wanted` picks, as bytes (images beside the documents), keyed by repository-relative path. */
export async function readBinaryFilesAtRevision(repo: GitRepository, rev: string, folder: string, wanted: (path: string) => boolean): Promise<Map<string, Buffer>> {
  const entries = (await listTree(repo, rev, folder)).filter((e) => wanted(e.path));
  const blobs = await readBlobs(repo, entries.map((e) => e.blob));
  return new Map(entries.map((e) => [e.path, blobs.get(e.blob) ?? Buffer.alloc(0)]));
}

/** One file at `rev` as bytes, or `undefined` when it does not exist there. */
export async function readBinaryFileAtRevision(repo: GitRepository, rev: string, path: string): Promise<Buffer | undefined> {
  const commit = await resolveRevision(repo, rev);
  return fileAtCommit(repo, commit, path);
}

/** The blob at `path` in `commit` (a full id), through the repository's `cat-file --batch`; `undefined` when there is none. */
async function fileAtCommit(repo: GitRepository, commit: string, path: string): Promise<Buffer | undefined> {
  if (/[\n\r]/.test(path)) {
    // Not one line of a batch request: one process of its own.
    const result = await runGit(repo.root, ["cat-file", "blob", `${commit}:${path}`], { okExitCodes: [0, 128] });
    return result.exitCode === 0 ? result.stdout : undefined;
  }
  const [object] = await readObjects(repo, [`${commit}:${path}`]);
  return object?.type === "blob" ? object.content : undefined;
}

/** One file at `rev` as UTF-8 text, or `undefined` when it does not exist there (`git show REV:path`). */
export async function readFileAtRevision(repo: GitRepository, rev: string, path: string): Promise<string | undefined> {
  const commit = await resolveRevision(repo, rev);
  // A commit's file never changes: the last few read are kept, so a run that reads the same state
  // file at the same commit twice (the sync state, README "Incremental sync") asks git once.
  const key = `${commit}:${path}`;
  let recent = recentFiles.get(repo);
  if (!recent) recentFiles.set(repo, (recent = new Map()));
  if (recent.has(key)) return recent.get(key);
  const text = (await fileAtCommit(repo, commit, path))?.toString("utf8");
  recent.set(key, text);
  if (recent.size > RECENT_FILES) recent.delete(recent.keys().next().value as string);
  return text;
}

/** Files read at a commit, kept per repository (the oldest dropped past `RECENT_FILES`). */
const recentFiles = new WeakMap<GitRepository, Map<string, string | undefined>>();
const RECENT_FILES = 8;

/** A file that differs between two revisions. `R` carries the old path (rename detection on). */
export type PathChange =
  | { status: "A" | "M" | "D" | "T"; path: string }
  | { status: "R"; path: string; oldPath: string; similarity: number };

/**
 * Files under `folder` that differ between `from` and `to` (`git diff --name-status -M`), sorted by
 * path. With `renames: false` a rename is its deletion and its addition (`--no-renames`): for a
 * caller that wants both names anyway, git then pairs no added file with a deleted one.
 */
export async function changedPaths(repo: GitRepository, from: string, to: string, folder: string, options: { renames?: boolean } = {}): Promise<PathChange[]> {
  const [a, b] = [await resolveRevision(repo, from), await resolveRevision(repo, to)];
  if (a === b) return [];
  const prefix = normalizeFolder(folder);
  const args = ["diff", "--name-status", "-z", options.renames === false ? "--no-renames" : "-M", "--no-ext-diff", a, b];
  const { stdout } = await runGit(repo.root, prefix === "" ? args : [...args, "--", prefix]);
  const fields = stdout.toString("utf8").split("\0");
  const changes: PathChange[] = [];
  for (let i = 0; i < fields.length; ) {
    const status = fields[i] ?? "";
    if (status === "") break;
    if (status.startsWith("R") || status.startsWith("C")) {
      const oldPath = fields[i + 1] ?? "";
      const path = fields[i + 2] ?? "";
      if (status.startsWith("R")) changes.push({ status: "R", path, oldPath, similarity: Number(status.slice(1)) || 0 });
      else changes.push({ status: "A", path });
      i += 3;
    } else {
      const code = status[0];
      const path = fields[i + 1] ?? "";
      if (code === "A" || code === "M" || code === "D" || code === "T") changes.push({ status: code, path });
      i += 2;
    }
  }
  return changes.sort((x, y) => compare(x.path, y.path));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
