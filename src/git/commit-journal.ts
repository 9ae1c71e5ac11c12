import { mkdir, readFile, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { forEachLimit } from "./concurrency.js";
import { GitError } from "./errors.js";
import type { GitRepository } from "./repository.js";
import { runGit } from "./run-git.js";
import { readBlobs } from "./blobs.js";
import { removeStaleTempFiles, writeFileAtomic, writeFileAtomicSync } from "../files/atomic-write.js";
import { removeFile } from "./worktree.js";

/**
 * Write-ahead record of a commit in flight (see commit-files.ts). It exists from just before the
 * branch ref moves until the work tree and index of the checked-out branch match the new commit.
 */
interface CommitJournal {
  version: 1;
  /** Full ref name, e.g. `refs/heads/main`. */
  ref: string;
  /** The ref's value before the commit; `null` for an unborn branch. */
  old: string | null;
  new: string;
  /** Repository-relative paths the commit touched. */
  paths: string[];
}

export type RecoveryResult =
  /** The ref had moved to the new commit: the work tree and index were brought in line with it. */
  | { action: "completed"; commit: string; paths: string[] }
  /** The ref never moved: leftovers were removed, HEAD and index were already consistent. */
  | { action: "discarded"; paths: string[] };

function journalPath(repo: GitRepository): string {
  return join(repo.gitDir, "entra-gitops", "commit-journal.json");
}

export async function writeJournal(repo: GitRepository, journal: Omit<CommitJournal, "version">): Promise<void> {
  await mkdir(join(repo.gitDir, "entra-gitops"), { recursive: true });
  await writeFileAtomic(journalPath(repo), `${JSON.stringify({ version: 1, ...journal }, null, 2)}\n`, { createFolder: true });
}

export async function clearJournal(repo: GitRepository): Promise<void> {
  await unlink(journalPath(repo)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}

async function readJournal(repo: GitRepository): Promise<CommitJournal | undefined> {
  let text: string;
  try {
    text = await readFile(journalPath(repo), "utf8");
  } catch {
    return undefined;
  }
  const value: unknown = JSON.parse(text);
  if (!isJournal(value)) throw new GitError(`unreadable commit journal ${journalPath(repo)}; inspect \`git status\` and delete it`);
  return value;
}

/**
 * Brings a repository back to a consistent state after a commit was interrupted (process killed,
 * disk full, lock held). Idempotent; `undefined` when there was nothing to do.
 */
export async function recoverInterruptedCommit(repo: GitRepository): Promise<RecoveryResult | undefined> {
  const journal = await readJournal(repo);
  if (!journal) return undefined;
  const result = await runGit(repo.root, ["rev-parse", "--verify", "--quiet", journal.ref], { okExitCodes: [0, 1, 128] });
  const current = result.exitCode === 0 ? result.stdout.toString("utf8").trim() : null;
  if (current === journal.new) {
    await syncCheckout(repo, journal.new, journal.paths);
    await removeStaleTempFiles(journal.paths.map((p) => dirname(join(repo.root, p))));
    await clearJournal(repo);
    return { action: "completed", commit: journal.new, paths: journal.paths };
  }
  if (current === journal.old) {
    await removeStaleTempFiles(journal.paths.map((p) => dirname(join(repo.root, p))));
    await clearJournal(repo);
    return { action: "discarded", paths: journal.paths };
  }
  throw new GitError(
    `an interrupted entra-gitops commit (${journal.new.slice(0, 12)} on ${journal.ref}) was followed by other commits; ` +
      `check \`git status\` for ${journal.paths.length} file(s) it touched, then delete ${journalPath(repo)}`,
  );
}

/** What a path holds in the commit being checked out: its blob and content (text or bytes), or `null` when absent. */
export type KnownContent = Map<string, { blob: string; content: string | Buffer } | null>;

/**
 * Makes the work tree files and the index entries of `paths` match `commit`, leaving every other
 * path (and any other staged change) alone. Files are written atomically; the index is updated in
 * one `update-index` (git writes it through `index.lock` and a rename), then stat data refreshed.
 */
export async function syncCheckout(
  repo: GitRepository,
  commit: string,
  paths: readonly string[],
  known: KnownContent = new Map(),
): Promise<void> {
  const wanted = new Map<string, { blob: string; content: string | Buffer } | null>();
  const unknown = paths.filter((p) => !known.has(p));
  if (unknown.length > 0) {
    const { stdout } = await runGit(repo.root, ["ls-tree", "-r", "-z", "--full-tree", commit]);
    const blobOf = new Map<string, string>();
    for (const line of stdout.toString("utf8").split("\0")) {
      const match = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(line);
      if (match) blobOf.set(match[2] as string, match[1] as string);
    }
    const blobs = await readBlobs(repo, unknown.flatMap((p) => blobOf.get(p) ?? []));
    for (const path of unknown) {
      const blob = blobOf.get(path);
      // The blob's bytes as they are: an image beside a document must come back byte for byte.
      wanted.set(path, blob ? { blob, content: blobs.get(blob) ?? Buffer.alloc(0) } : null);
    }
  }
  const touched = new Set(paths);
  for (const [path, entry] of known) if (touched.has(path)) wanted.set(path, entry);

  // Deletions first, so that removing an emptied folder never races a write into it.
  const removed = paths.filter((p) => !wanted.get(p));
  const written = paths.filter((p) => wanted.get(p));
  await forEachLimit(removed, 8, (path) => removeFile(join(repo.root, path), repo.root));
  const madeDirs = new Set<string>();
  for (const path of written) writeFileAtomicSync(join(repo.root, path), wanted.get(path)?.content ?? "", madeDirs);
  if (written.length <= REHASH_LIMIT) {
    // One `update-index` for every touched path: a written file is added from the work tree
    // (re-hashed: the bytes are the blob just recorded; fresh stat data), a removed one dropped.
    // Only these paths are looked at, not every file of a work tree of 100,000 documents, and the
    // index is read and written once (README "Incremental sync").
    const all = [...removed, ...written];
    if (all.length > 0) await runGit(repo.root, ["update-index", "--add", "--remove", "-z", "--stdin"], { input: all.map((path) => `${path}\0`).join("") });
    return;
  }
  // A long list: the entries set from the commit, then one refresh of the stat data.
  const lines = [
    ...removed.map((path) => `0 ${"0".repeat(commit.length)}\t${path}`),
    ...written.map((path) => `100644 ${wanted.get(path)?.blob ?? ""}\t${path}`),
  ];
  await runGit(repo.root, ["update-index", "-z", "--index-info"], { input: lines.map((l) => `${l}\0`).join("") });
  await runGit(repo.root, ["update-index", "-q", "--refresh"], { okExitCodes: [0, 1] });
}

/** At most this many written files are added one by one; more are set from the commit and the whole index refreshed. */
const REHASH_LIMIT = 1000;

function isJournal(value: unknown): value is CommitJournal {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.version === 1 &&
    typeof v.ref === "string" &&
    (v.old === null || typeof v.old === "string") &&
    typeof v.new === "string" &&
    Array.isArray(v.paths) &&
    v.paths.every((p) => typeof p === "string")
  );
}
