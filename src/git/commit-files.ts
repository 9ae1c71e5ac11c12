import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import { clearJournal, recoverInterruptedCommit, syncCheckout, writeJournal, type KnownContent } from "./commit-journal.js";
import { ConcurrentUpdateError, DirtyWorkTreeError, GitError, type DirtyFile } from "./errors.js";
import { assertSafeRepoPath } from "./paths.js";
import type { GitRepository } from "./repository.js";
import { blobId } from "./object-id.js";
import { runGit } from "./run-git.js";
import { dirtyFiles } from "./worktree.js";

export interface GitIdentity {
  name: string;
  email: string;
  /** Defaults to now. Stored with second precision in UTC. */
  date?: Date;
}

/**
 * One file of a commit: its new text, its bytes (an image beside a document: recorded byte for
 * byte), or `null` to delete it. Paths are repository-relative.
 */
export interface FileChange {
  path: string;
  content: string | Buffer | null;
}

/** Whether a file holds exactly this content (text as UTF-8, bytes as they are). */
export function sameFileContent(held: Buffer | string | null | undefined, content: string | Buffer | null): boolean {
  if (held === null || held === undefined || content === null) return (held ?? null) === content;
  const a = typeof held === "string" ? Buffer.from(held, "utf8") : held;
  return a.equals(typeof content === "string" ? Buffer.from(content, "utf8") : content);
}

export interface CommitFilesInput {
  files: readonly FileChange[];
  /** Who made the change (audit actor, or the person running rollback); `date` = author date. */
  author: GitIdentity;
  /** Who recorded it: the configured bot. Set through GIT_COMMITTER_* for this one command only. */
  committer: GitIdentity;
  message: string;
  /** Branch to commit on; it must exist unless it is the checked-out (possibly unborn) one. Default: the checked-out branch. */
  branch?: string;
  /**
   * Commit even when a touched file has local changes that differ from the new content (they are
   * overwritten). Without it such files are refused; files that already hold the new content pass.
   */
  allowDirty?: boolean;
  /** Progress callback after each durable step; a throw here aborts the commit at that point. */
  onStep?: (step: CommitStep) => void | Promise<void>;
}

export type CommitStep = "objects-written" | "journal-written" | "ref-updated" | "checkout-updated";

export type CommitFilesResult =
  | { committed: true; commit: string; ref: string; parent: string | undefined; paths: string[] }
  /** The files already hold this content: no commit was made. */
  | { committed: false; ref: string; parent: string | undefined };

/**
 * Records exactly `files` as ONE commit on top of the branch, with the given author, author date
 * and committer, without touching any other path, the user's git config or other staged changes.
 *
 * Crash safety (any interruption leaves only complete commits):
 * 1. Blobs and the tree are written by one `git fast-import` stream, from the branch's tree plus
 *    the changed files (only the folders on their paths are read and rewritten: no index of the
 *    whole tree, README "Incremental sync"); the commit by `git commit-tree`, with git's own
 *    handling of the author and committer: invisible until step 3.
 * 2. A journal (`<gitdir>/entra-gitops/commit-journal.json`) records ref, old and new commit.
 * 3. `git update-ref REF NEW OLD` moves the branch atomically, only if it still points at OLD
 *    (else `ConcurrentUpdateError`, nothing changed). This is the commit point.
 * 4. If the branch is checked out, the touched work-tree files are replaced atomically
 *    (temp + rename) and their index entries set to the new blobs in one `update-index`.
 * 5. The journal is removed.
 * Interrupted before 3: the branch, index and work tree are untouched (unreferenced objects are
 * garbage). Interrupted after 3: `openRepository` (or the next `commitFiles`) finds the journal
 * and finishes step 4, so the index ends equal to HEAD for these paths.
 */
export async function commitFiles(repo: GitRepository, input: CommitFilesInput): Promise<CommitFilesResult> {
  const files = checkFiles(input.files);
  await recoverInterruptedCommit(repo);
  const { ref, checkedOut, parent } = await target(repo, input.branch);
  if (!parent && !checkedOut) throw new GitError(`branch ${input.branch ?? ref} does not exist: create it first (createBranch)`);
  const paths = files.map((f) => f.path);

  const checkDirty = checkedOut && !input.allowDirty && paths.length > 0;
  const written = files.filter((f) => f.content !== null);
  // The tree is written first (objects nothing refers to, if the commit is refused): fast-import
  // also says what the parent holds at each path, which the check of local changes needs.
  const built = await writeTree(repo, parent, files, checkDirty);
  if (checkDirty) {
    const dirty = await conflictingLocalChanges(repo, files, built.parentEntries);
    if (dirty.length > 0) throw new DirtyWorkTreeError(dirty);
  }
  if (built.blobs.length !== written.length) throw new GitError(`fast-import returned ${built.blobs.length} blob ids for ${written.length} files`);
  const known: KnownContent = new Map();
  written.forEach((f, i) => known.set(f.path, { blob: built.blobs[i] ?? "", content: f.content ?? "" }));
  for (const f of files) if (f.content === null) known.set(f.path, null);
  const tree = built.tree;
  if (parent && tree === built.parentTree) return { committed: false, ref, parent };
  const commitEnv = identityEnv(input.author, input.committer);
  const created = await runGit(repo.root, ["commit-tree", tree, ...(parent ? ["-p", parent] : []), "-F", "-"], {
    input: input.message.endsWith("\n") ? input.message : `${input.message}\n`,
    env: commitEnv,
  });
  const commit = created.stdout.toString("utf8").trim();
  await input.onStep?.("objects-written");

  if (checkedOut) await writeJournal(repo, { ref, old: parent ?? null, new: commit, paths });
  await input.onStep?.("journal-written");

  const subject = input.message.split("\n")[0] ?? "";
  const moved = await runGit(
    repo.root,
    ["update-ref", "-m", `entra-gitops: ${subject}`, ref, commit, parent ?? "0".repeat(commit.length)],
    { okExitCodes: [0, 1, 128] },
  );
  if (moved.exitCode !== 0) {
    await clearJournal(repo);
    if (/expected|cannot lock ref|already exists/i.test(moved.stderr)) throw new ConcurrentUpdateError(ref, parent ?? "(no commit)", moved.stderr);
    throw new GitError(`git update-ref ${ref} failed: ${moved.stderr.trim()}`, { stderr: moved.stderr });
  }
  await input.onStep?.("ref-updated");

  if (checkedOut) {
    await syncCheckout(repo, commit, paths, known);
    await clearJournal(repo);
  }
  await input.onStep?.("checkout-updated");
  return { committed: true, commit, ref, parent, paths };
}

/**
 * A ref fast-import builds its throwaway commit on (below). `reset` without `from` at the end of the
 * stream leaves it unset, so it never appears in the repository; the process id keeps two runs apart.
 */
const SCRATCH_REF = `refs/entra-gitops/tree-${process.pid}`;

/**
 * Writes the blobs of `files` and the tree of `parent` with `files` applied, in one `git fast-import`
 * stream (many blobs land in one pack; no temporary files, no index). fast-import builds trees only
 * as part of a commit, so it makes a throwaway one on a ref it leaves unset; only its tree is kept
 * (`ls`), and the real commit is made by `commit-tree`. fast-import reads and rewrites only the
 * folders on the changed paths: a commit of three documents in a folder of 100,000 does not read
 * or write an index of 100,000 entries. Returns the blob ids (in the order of the written files),
 * the new tree and the parent's tree.
 */
async function writeTree(
  repo: GitRepository,
  parent: string | undefined,
  files: readonly FileChange[],
  listParent: boolean,
): Promise<{ blobs: string[]; tree: string; parentTree: string | undefined; parentEntries: Map<string, TreeEntry> }> {
  const parts: Buffer[] = [];
  const changes: string[] = [];
  let mark = 0;
  for (const file of files) {
    if (file.content === null) {
      changes.push(`D ${quotedPath(file.path)}\n`);
      continue;
    }
    const bytes = typeof file.content === "string" ? Buffer.from(file.content, "utf8") : file.content;
    mark++;
    parts.push(Buffer.from(`blob\nmark :${mark}\ndata ${bytes.length}\n`), bytes, Buffer.from("\n"));
    changes.push(`M 100644 :${mark} ${quotedPath(file.path)}\n`);
  }
  const blobs = mark;
  const commit = blobs + 1;
  const tail = [
    `commit ${SCRATCH_REF}\nmark :${commit}\ncommitter entra-gitops <entra-gitops> 0 +0000\ndata 0\n`,
    parent ? `from ${parent}\n` : "",
    ...changes,
    "\n",
    `ls :${commit} ""\n`,
    parent ? `ls ${parent} ""\n` : "",
    ...(parent && listParent ? files.map((f) => `ls ${parent} ${quotedPath(f.path)}\n`) : []),
    ...Array.from({ length: blobs }, (_, i) => `get-mark :${i + 1}\n`),
    `reset ${SCRATCH_REF}\n`,
    "done\n",
  ];
  parts.push(Buffer.from(tail.join(""), "utf8"));
  // The pack fast-import writes is kept as it is: by default a pack of fewer than 100 objects is
  // unpacked into loose objects by another git process, which compresses the tree of a folder of
  // 100,000 files a second time (README "Incremental sync"). git's own gc packs them together later.
  // zlib's fastest level: the rewritten tree of such a folder (6.5 MB, mostly object ids, which do
  // not compress) is deflated in about half the CPU for a pack 3% larger. Object ids, and so the
  // tree and commit, do not depend on it (test/git/commit-files.test.ts).
  const { stdout } = await runGit(repo.root, ["-c", "fastimport.unpackLimit=0", "-c", "pack.compression=1", "fast-import", "--quiet", "--done"], { input: Buffer.concat(parts) });
  const lines = stdout.toString("utf8").split("\n").filter(Boolean);
  const treeOfLine = (line: string | undefined): string => {
    const match = /^040000 tree ([0-9a-f]+)\t/.exec(line ?? "");
    if (!match?.[1]) throw new GitError(`fast-import did not return a tree: ${JSON.stringify(line)}`);
    return match[1];
  };
  const tree = treeOfLine(lines[0]);
  const parentTree = parent ? treeOfLine(lines[1]) : undefined;
  let at = parent ? 2 : 1;
  // `<mode> SP <type> SP <object> TAB <path>`, or `missing <path>`, one per path asked, in order.
  const parentEntries = new Map<string, TreeEntry>();
  if (parent && listParent) {
    for (const file of files) {
      const match = /^(\d+) (\w+) ([0-9a-f]+)\t/.exec(lines[at] ?? "");
      if (!match && !(lines[at] ?? "").startsWith("missing ")) throw new GitError(`fast-import did not list ${file.path}: ${JSON.stringify(lines[at])}`);
      if (match) parentEntries.set(file.path, { mode: match[1] as string, type: match[2] as string, object: match[3] as string });
      at += 1;
    }
  }
  return { blobs: lines.slice(at), tree, parentTree, parentEntries };
}

/** A path in a tree: its mode, type and object. */
interface TreeEntry {
  mode: string;
  type: string;
  object: string;
}

/** A path as fast-import reads it: C-style quoted, so that any character a file name may hold passes. */
function quotedPath(path: string): string {
  return `"${path.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, "\\n")}"`;
}

/**
 * Touched files whose uncommitted state would be lost. A file that already holds exactly the new
 * content (e.g. the export just wrote it) with nothing else staged loses nothing, so it passes.
 * A path is clean when the parent, the index and the disk agree: absent from all three, or the
 * same blob in the parent and the index (one entry, a plain file) and on disk (hashed here). Only
 * the index entries of the touched paths are listed (`ls-files`), so git neither compares the
 * whole index with the tree nor lists a folder of 100,000 files for untracked ones (README
 * "Incremental sync"); any other path is examined by `git status` as before.
 */
async function conflictingLocalChanges(repo: GitRepository, files: readonly FileChange[], parentEntries: ReadonlyMap<string, TreeEntry>): Promise<DirtyFile[]> {
  // A very long list examines every index entry instead of a command line that long.
  const limited = files.length <= PATHSPEC_LIMIT ? files.map((f) => `:(literal)${f.path}`) : [];
  const listed = await runGit(repo.root, ["ls-files", "-s", "-z", "--", ...limited]);
  const index = new Map<string, string[]>();
  for (const entry of listed.stdout.toString("utf8").split("\0")) {
    const tab = entry.indexOf("\t");
    if (tab < 0) continue;
    const path = entry.slice(tab + 1);
    index.set(path, [...(index.get(path) ?? []), entry.slice(0, tab)]);
  }
  const unclear: FileChange[] = [];
  for (const file of files) {
    const inParent = parentEntries.get(file.path);
    const inIndex = index.get(file.path) ?? [];
    const onDisk = await lstat(join(repo.root, file.path)).catch(() => undefined);
    if (!inParent && inIndex.length === 0 && !onDisk) continue;
    const plain = inParent?.mode === "100644" && inParent.type === "blob" && inIndex.length === 1 && inIndex[0] === `100644 ${inParent.object} 0`;
    if (plain && onDisk?.isFile() && (onDisk.mode & 0o111) === 0 && blobId(await readFile(join(repo.root, file.path)), inParent.object.length) === inParent.object) continue;
    unclear.push(file);
  }
  if (unclear.length === 0) return [];
  const wanted = new Map(unclear.map((f) => [f.path, f.content]));
  const conflicts: DirtyFile[] = [];
  const paths = unclear.length <= PATHSPEC_LIMIT ? unclear.map((f) => `:(literal)${f.path}`) : [];
  for (const file of await dirtyFiles(repo, paths)) {
    if (!wanted.has(file.path)) continue;
    const content = wanted.get(file.path) ?? null;
    const staged = file.status[0] ?? " ";
    const onDisk = await readFile(join(repo.root, file.path)).catch(() => null);
    const indexOk = staged === " " || staged === "?" || (staged === "D" && content === null);
    if (!(indexOk && sameFileContent(onDisk, content))) conflicts.push(file);
  }
  return conflicts;
}

/** At most this many paths are named on `git status`'s command line. */
const PATHSPEC_LIMIT = 1000;

/** GIT_AUTHOR_* and GIT_COMMITTER_* for one command; git's raw `<seconds> +0000` date format. */
function identityEnv(author: GitIdentity, committer: GitIdentity): Record<string, string> {
  const env: Record<string, string> = {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
  if (author.date) env.GIT_AUTHOR_DATE = rawDate(author.date);
  if (committer.date) env.GIT_COMMITTER_DATE = rawDate(committer.date);
  return env;
}

function rawDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new GitError("invalid commit date");
  return `${Math.floor(date.getTime() / 1000)} +0000`;
}

function checkFiles(files: readonly FileChange[]): FileChange[] {
  const seen = new Set<string>();
  const checked = files.map((f) => {
    const path = assertSafeRepoPath(f.path);
    if (seen.has(path)) throw new GitError(`file listed twice in one commit: ${path}`);
    seen.add(path);
    return { path, content: f.content };
  });
  return checked.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The ref to commit on, whether it is checked out, and the commit it points at. The usual case, the
 * checked-out branch with commits, is one `rev-parse` (HEAD's commit and its full ref name): each
 * git process costs a scheduled sync a few milliseconds (README "Incremental sync").
 */
async function target(repo: GitRepository, branch: string | undefined): Promise<{ ref: string; checkedOut: boolean; parent: string | undefined }> {
  if (branch === undefined) {
    const both = await runGit(repo.root, ["rev-parse", "HEAD^{commit}", "--symbolic-full-name", "HEAD", "--"], { okExitCodes: [0, 128] });
    const [commit, name] = both.stdout.toString("utf8").split("\n");
    // Detached ("HEAD") or unborn (no commit): asked again the long way, which says so.
    if (both.exitCode === 0 && commit && name?.startsWith("refs/")) return { ref: name, checkedOut: true, parent: commit };
  }
  const { ref, checkedOut } = await targetRef(repo, branch);
  return { ref, checkedOut, parent: await refValue(repo, ref) };
}

async function targetRef(repo: GitRepository, branch: string | undefined): Promise<{ ref: string; checkedOut: boolean }> {
  const head = await runGit(repo.root, ["symbolic-ref", "-q", "HEAD"], { okExitCodes: [0, 1] });
  const headRef = head.exitCode === 0 ? head.stdout.toString("utf8").trim() : undefined;
  if (branch === undefined) {
    if (!headRef) throw new GitError("HEAD is detached: check out a branch or name one to commit on");
    return { ref: headRef, checkedOut: true };
  }
  const ref = `refs/heads/${branch}`;
  await runGit(repo.root, ["check-ref-format", ref]).catch(() => {
    throw new GitError(`invalid branch name: ${branch}`);
  });
  return { ref, checkedOut: ref === headRef };
}

async function refValue(repo: GitRepository, ref: string): Promise<string | undefined> {
  const result = await runGit(repo.root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { okExitCodes: [0, 1, 128] });
  const id = result.stdout.toString("utf8").trim();
  return result.exitCode === 0 && id ? id : undefined;
}
