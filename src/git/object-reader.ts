import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { GitError } from "./errors.js";
import type { GitRepository } from "./repository.js";

/** An object as `git cat-file --batch` prints it. */
export interface GitObject {
  oid: string;
  type: string;
  content: Buffer;
}

/**
 * Objects by name (`<blob id>`, `<commit id>:<path>`) through ONE long-lived `git cat-file --batch`
 * per repository: a sync reads its state files at HEAD, the sync state at an older commit and its
 * documents' blobs, each a git process of its own before (README "Incremental sync"). Requests are
 * written as they come and answered in order. The process ends when nothing has been asked for a
 * moment (or with the CLI), so no idle git outlives its use; the next request starts another. A
 * name git does not know (or a path absent at that commit) is `undefined`. git finds objects
 * written after it started (a commit's new blobs): it looks through the packs again on a miss.
 */
export function readObjects(repo: GitRepository, names: readonly string[]): Promise<(GitObject | undefined)[]> {
  if (names.length === 0) return Promise.resolve([]);
  for (const name of names) if (name === "" || /[\n\r]/.test(name)) throw new GitError(`cannot read object ${JSON.stringify(name)}: not one line`);
  let reader = readers.get(repo);
  if (!reader || reader.closed) readers.set(repo, (reader = new BatchReader(repo.root)));
  return reader.read(names).then((objects) => {
    remember(repo, names, objects);
    return objects;
  });
}

const readers = new WeakMap<GitRepository, BatchReader>();
/** Every reader whose git has not ended yet (the CLI ends them before it exits: endObjectReaders). */
const live = new Set<BatchReader>();

/**
 * Ends every `cat-file --batch` still running and waits for git to exit: the CLI calls it before
 * it returns its exit code, so no git outlives the command and git's CPU is counted as the
 * command's (a parent that exits first leaves its children's time to no one).
 */
export async function endObjectReaders(): Promise<void> {
  await Promise.all([...live].map((reader) => reader.end()));
}

/** An object's id and type. */
export interface ObjectId {
  oid: string;
  type: string;
}

/**
 * The id and type of each named object (`undefined`: none). A name `<commit id>:<path>` this
 * process already read is answered without git (a commit's path never changes: the id map read at
 * HEAD, then asked for its blob id); the others are read through the batch, their content dropped
 * (meant for small objects, a folder's tree).
 */
export async function objectIds(repo: GitRepository, names: readonly string[]): Promise<(ObjectId | undefined)[]> {
  const known = namedIds.get(repo);
  const ask = names.filter((n) => known?.get(n) === undefined);
  const read = await readObjects(repo, ask);
  const found = new Map(ask.map((n, i) => [n, read[i]]));
  return names.map((n) => {
    const seen = known?.get(n);
    if (seen !== undefined) return seen ?? undefined;
    const object = found.get(n);
    return object ? { oid: object.oid, type: object.type } : undefined;
  });
}

/** Per repository, what names `<commit id>:<path>` read so far are (`null`: nothing there). */
const namedIds = new WeakMap<GitRepository, Map<string, ObjectId | null>>();
const AT_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64}):/;

function remember(repo: GitRepository, names: readonly string[], objects: readonly (GitObject | undefined)[]): void {
  names.forEach((name, i) => {
    if (!AT_COMMIT.test(name)) return;
    let known = namedIds.get(repo);
    if (!known) namedIds.set(repo, (known = new Map()));
    const object = objects[i];
    known.set(name, object ? { oid: object.oid, type: object.type } : null);
  });
}

/** How long an idle `cat-file --batch` waits for another request before it is ended. */
const IDLE_MS = 1000;

interface Job {
  names: readonly string[];
  results: (GitObject | undefined)[];
  resolve: (results: (GitObject | undefined)[]) => void;
  reject: (error: Error) => void;
}

class BatchReader {
  closed = false;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly jobs: Job[] = [];
  private readonly output = new ByteQueue();
  /** The header of the object being read, once its line has come. */
  private header: { oid: string; type: string; size: number } | undefined;
  private idle: NodeJS.Timeout | undefined;
  private stderr = "";

  constructor(cwd: string) {
    this.child = spawn("git", ["cat-file", "--batch"], { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" }, stdio: ["pipe", "pipe", "pipe"] });
    live.add(this);
    this.child.on("close", () => live.delete(this));
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.output.push(chunk);
      this.parse();
    });
    this.child.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString("utf8")));
    this.child.stdin.on("error", () => {
      /* git exited: `close` rejects what is pending. */
    });
    this.child.on("error", (error) => this.fail(new GitError(`cannot run git: ${error.message}`, { args: ["cat-file", "--batch"] })));
    this.child.on("close", (code) => this.fail(new GitError(`git cat-file --batch ended (exit ${code ?? -1}): ${this.stderr.trim() || "no message"}`, { args: ["cat-file", "--batch"], exitCode: code ?? -1, stderr: this.stderr })));
  }

  read(names: readonly string[]): Promise<(GitObject | undefined)[]> {
    return new Promise((resolve, reject) => {
      if (this.idle) clearTimeout(this.idle);
      this.idle = undefined;
      if (this.jobs.length === 0) this.hold(true);
      this.jobs.push({ names, results: [], resolve, reject });
      this.child.stdin.write(names.map((n) => `${n}\n`).join(""));
    });
  }

  private parse(): void {
    for (;;) {
      const job = this.jobs[0];
      if (!job) return;
      if (!this.header) {
        const line = this.output.line();
        if (line === undefined) return;
        const name = job.names[job.results.length] ?? "";
        const match = /^([0-9a-f]{40,64}) (\w+) (\d+)$/.exec(line);
        if (!match) {
          // `<name> missing` (or `ambiguous`): nothing follows.
          if (!line.startsWith(`${name} `)) return this.fail(new GitError(`git cat-file --batch: unexpected answer ${JSON.stringify(line)} for ${name}`));
          job.results.push(undefined);
        } else this.header = { oid: match[1] as string, type: match[2] as string, size: Number(match[3]) };
      } else {
        if (this.output.length < this.header.size + 1) return;
        const content = this.output.take(this.header.size);
        this.output.take(1);
        job.results.push({ oid: this.header.oid, type: this.header.type, content });
        this.header = undefined;
      }
      if (!this.header && job.results.length === job.names.length) {
        this.jobs.shift();
        job.resolve(job.results);
        if (this.jobs.length === 0) this.rest();
      }
    }
  }

  /** Nothing pending: the CLI may exit without waiting for git, and git ends after a moment. */
  private rest(): void {
    this.hold(false);
    this.idle = setTimeout(() => {
      this.closed = true;
      this.child.stdin.end();
    }, IDLE_MS);
    this.idle.unref();
  }

  /** Ends git (its input closed) and resolves once it exited; what is pending still gets its answers first. */
  end(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.child.once("close", () => resolve()));
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    this.closed = true;
    this.hold(true);
    this.child.stdin.end();
    return exited;
  }

  /** Whether this process waits for git (a pending request) or may exit without it. */
  private hold(pending: boolean): void {
    // The pipes are sockets (ref/unref), typed as plain streams.
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as unknown as { ref?: () => void; unref?: () => void }[]) {
      if (pending) handle.ref?.();
      else handle.unref?.();
    }
  }

  private fail(error: GitError): void {
    this.closed = true;
    if (this.idle) clearTimeout(this.idle);
    for (const job of this.jobs.splice(0)) job.reject(error);
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Bytes as they arrive, read from the front a line or a count at a time without copying them all together. */
class ByteQueue {
  length = 0;
  private chunks: Buffer[] = [];

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The next line without its newline, or undefined until it has all come. */
  line(): string | undefined {
    let at = 0;
    for (const chunk of this.chunks) {
      const newline = chunk.indexOf(0x0a);
      if (newline >= 0) {
        const text = this.take(at + newline).toString("utf8");
        this.take(1);
        return text;
      }
      at += chunk.length;
    }
    return undefined;
  }

  take(count: number): Buffer {
    const parts: Buffer[] = [];
    let left = count;
    while (left > 0) {
      const chunk = this.chunks[0] as Buffer;
      if (chunk.length <= left) {
        parts.push(chunk);
        this.chunks.shift();
        left -= chunk.length;
      } else {
        parts.push(chunk.subarray(0, left));
        this.chunks[0] = chunk.subarray(left);
        left = 0;
      }
    }
    this.length -= count;
    return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
  }
}
