/**
 * Many documents written in two steps (README "export"): `stage` formats a document and writes its
 * bytes to a temporary file next to its target, invisible to readers; `publish` makes every staged
 * byte durable with one flush, then renames the temporary files over their targets and flushes
 * each folder once. So an export can stage a group's document while other groups are still read,
 * and publish the kind only once it was read completely (a kind that fails keeps its files).
 *
 * Why the crash guarantee holds without an fsync per file: a rename only ever publishes a
 * temporary file whose bytes were flushed before it (`makeDurable`: one `syncfs` of the file
 * system through `sync -f` on Linux, else an fsync of each temporary file; with the export's worker
 * the files staged so far are also flushed in the background while staging goes on, and publish
 * flushes only the files no finished flush covered), and a rename is atomic;
 * after a crash every document is its old content or its new content, never a part, and leftover
 * temporary files are removed by the next write into their folder.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import { lstat, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { documentFileName } from "../model/document-path.js";
import { formatDocument } from "./format-document.js";
import type { FormatOptions } from "./format-document.js";
import type { EntraDocument } from "../model/document.js";
import { documentPath, UnsafeDocumentPathError } from "./document-path.js";
import { syncFolder, TEMP_FILE, writeTempFile } from "../files/atomic-write.js";
import { TempFileWorker } from "./temp-file-worker.js";

const openFile = promisify(fs.open);
const flushFile = promisify(fs.fsync);
const closeFile = promisify(fs.close);

export type WriteOutcome = "created" | "updated" | "unchanged";

/** One document and its formatting options. */
export interface DocumentWrite {
  document: EntraDocument;
  options?: FormatOptions;
}

/** Below this many files an fsync each is cheaper than flushing the whole file system. */
const FLUSH_ALL_FROM = 64;

/** One `syncfs` of the file system holding `dir` (GNU `sync -f`); false when that is not available. */
function syncFileSystem(dir: string): Promise<boolean> {
  if (process.platform !== "linux") return Promise.resolve(false);
  return new Promise((done) => execFile("sync", ["-f", dir], { timeout: 600_000 }, (error) => done(error === null)));
}

/**
 * While an export still reads, the files staged so far are flushed in the background once this many
 * await it (one `sync -f` each round, Linux only), so that publishing a kind when its read ends has at
 * most this many files' bytes left to flush. At 100,000 documents that is about 50 rounds, one at a time.
 */
const FLUSH_WHILE_STAGING_FROM = 2_000;

/** The bytes of these (closed) temporary files on disk: one file-system flush, else an fsync each. */
async function makeDurable(dir: string, temps: readonly string[]): Promise<void> {
  if (temps.length === 0) return;
  if (temps.length >= FLUSH_ALL_FROM && (await syncFileSystem(dir))) return;
  await forEach(temps, 16, async (temp) => {
    const fd = await openFile(temp, "r+");
    try {
      await flushFile(fd);
    } finally {
      await closeFile(fd);
    }
  });
}

async function forEach<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>, stop?: () => boolean): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !stop?.()) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** Refuse a kind folder that is a symbolic link (it could point anywhere). */
async function ensureKindFolder(root: string, kind: string): Promise<string> {
  const folder = join(resolve(root), kind);
  try {
    const info = await lstat(folder);
    if (info.isSymbolicLink() || !info.isDirectory()) {
      throw new UnsafeDocumentPathError(`refused to write into ${folder}: not a plain folder`);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    await mkdir(folder, { recursive: true });
  }
  return folder;
}

/** A kind folder made safe to write into: plain (not a link), existing, no stale temporary files; its file names. */
async function prepareKindFolder(root: string, kind: string): Promise<Set<string>> {
  const folder = await ensureKindFolder(root, kind);
  const names = new Set<string>();
  for (const entry of await readdir(folder)) {
    if (TEMP_FILE.test(entry)) await rm(join(folder, entry), { force: true });
    else names.add(entry);
  }
  return names;
}

async function readExisting(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    return undefined;
  }
}

const noop = (): void => undefined;

interface Entry {
  kind: string;
  path: string;
  outcome: WriteOutcome;
  /** The staged bytes, until published or discarded; none for an unchanged file. */
  temp?: string;
  /** The staged bytes are on disk already (flushed while staging). */
  durable?: boolean;
  /** Published or discarded. */
  done: boolean;
}

/**
 * Documents staged and published per kind folder (see the top of this file). A failure while
 * staging starts no further file and is thrown by the next `publish`, which then removes every
 * staged file: nothing is half-written and no temporary file stays behind.
 */
export class DocumentStage {
  private readonly folders = new Map<string, Promise<Set<string>>>();
  private readonly entries: Entry[] = [];
  private readonly staging = new Map<string, Set<Promise<void>>>();
  private failure: { error: unknown } | undefined;
  private active = 0;
  /** Tasks waiting for a slot, read from a moving head (no `shift` of a long array). */
  private queue: Array<() => void> = [];
  private head = 0;

  /** With `worker`: temporary files written by a worker thread (temp-file-worker.ts), for exports. */
  private readonly worker: TempFileWorker | undefined;
  /** With `existing`: the files' texts read already, by address, each dropped once compared. */
  private readonly existing: Map<string, string> | undefined;
  /** With `worker`: staged files not yet flushed, and the background flush running, if any. */
  private unflushed: Entry[] = [];
  private flushing: Promise<void> | undefined;
  /** Staged files a background flush made durable before their publish (for tests and benchmarks). */
  flushedWhileStaging = 0;

  constructor(
    private readonly root: string,
    private readonly concurrency = 16,
    options: { worker?: boolean; existing?: Map<string, string> } = {},
  ) {
    this.worker = options.worker ? new TempFileWorker() : undefined;
    this.existing = options.existing;
  }

  /** Stops the worker thread, if any (staged files stay until published or discarded). */
  async close(): Promise<void> {
    await this.worker?.close();
  }

  /**
   * Formats the document now and writes it to a temporary file in the background (at most
   * `concurrency` files at once); an identical file is left as it is. Never throws: a failure is
   * kept for `publish`. Entries are published and reported in the order they were staged.
   */
  stage(write: DocumentWrite): void {
    const { document } = write;
    let task: Promise<void>;
    try {
      const path = documentPath(this.root, document.kind, document.name);
      const content = formatDocument(document, write.options ?? {});
      const entry: Entry = { kind: document.kind, path, outcome: "unchanged", done: false };
      this.entries.push(entry);
      task = this.worker ? this.writeEntry(entry, document.name, content) : this.slot(() => this.writeEntry(entry, document.name, content));
    } catch (error) {
      this.failure ??= { error };
      return;
    }
    let tasks = this.staging.get(document.kind);
    if (!tasks) this.staging.set(document.kind, (tasks = new Set()));
    tasks.add(task);
    void task.finally(() => tasks.delete(task));
  }

  /**
   * Publishes every staged document of these kinds (all kinds when omitted): one flush of their
   * bytes, the renames in staging order, one flush per folder. Outcomes in staging order.
   */
  async publish(kinds?: ReadonlySet<string>): Promise<Array<{ path: string; outcome: WriteOutcome }>> {
    await this.settled(kinds);
    if (this.failure) {
      await this.discard();
      throw this.failure.error;
    }
    const entries = this.entries.filter((e) => !e.done && (kinds === undefined || kinds.has(e.kind)));
    const renames = entries.filter((e) => e.temp !== undefined);
    if (renames.some((e) => e.durable !== true)) await this.flushing; // it may cover some of them
    await makeDurable(this.root, renames.filter((e) => e.durable !== true).map((e) => e.temp as string)).catch(async (error: unknown) => {
      await this.discard(kinds);
      throw error;
    });
    const renamedIn = new Set<string>();
    let failed: { error: unknown } | undefined;
    await forEach(
      renames,
      this.concurrency,
      async (entry) => {
        try {
          await rename(entry.temp as string, entry.path);
          delete entry.temp;
          entry.done = true;
          renamedIn.add(entry.kind);
        } catch (error) {
          failed ??= { error };
        }
      },
      () => failed !== undefined,
    );
    for (const kind of renamedIn) await syncFolder(join(resolve(this.root), kind));
    if (failed) {
      await this.discard(kinds);
      throw failed.error;
    }
    for (const entry of entries) entry.done = true;
    return entries.map(({ path, outcome }) => ({ path, outcome }));
  }

  /** Removes the staged, unpublished files of these kinds (all kinds when omitted). */
  async discard(kinds?: ReadonlySet<string>): Promise<void> {
    await this.settled(kinds);
    for (const entry of this.entries) {
      if (entry.done || (kinds !== undefined && !kinds.has(entry.kind))) continue;
      entry.done = true;
      if (entry.temp !== undefined) await rm(entry.temp, { force: true });
      delete entry.temp;
    }
  }

  /**
   * Counts a staged file towards the next background flush and starts one when enough wait (one at
   * a time; Linux only, where one flush covers them all). A failed flush marks nothing: `publish`
   * flushes those files again and reports a failure then.
   */
  private flushInBackground(entry: Entry): void {
    if (process.platform !== "linux") return;
    this.unflushed.push(entry);
    if (this.flushing || this.unflushed.length < FLUSH_WHILE_STAGING_FROM) return;
    const batch = this.unflushed;
    this.unflushed = [];
    this.flushing = syncFileSystem(this.root).then((flushed) => {
      this.flushing = undefined;
      if (!flushed) return;
      for (const flushedEntry of batch) flushedEntry.durable = true;
      this.flushedWhileStaging += batch.length;
    });
  }

  private async settled(kinds?: ReadonlySet<string>): Promise<void> {
    for (;;) {
      const tasks = [...this.staging].filter(([kind]) => kinds === undefined || kinds.has(kind)).flatMap(([, set]) => [...set]);
      if (tasks.length === 0) return;
      await Promise.allSettled(tasks);
    }
  }

  private async slot(work: () => Promise<void>): Promise<void> {
    if (this.active >= this.concurrency) await new Promise<void>((go) => this.queue.push(go));
    this.active++;
    try {
      await work();
    } finally {
      this.active--;
      const next = this.queue[this.head];
      if (next) {
        this.queue[this.head++] = noop;
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue = this.queue.slice(this.head);
          this.head = 0;
        }
        next();
      }
    }
  }

  private async writeEntry(entry: Entry, name: string, content: string): Promise<void> {
    if (this.failure) return;
    try {
      let names = this.folders.get(entry.kind);
      if (!names) this.folders.set(entry.kind, (names = prepareKindFolder(this.root, entry.kind)));
      const present = (await names).has(documentFileName(name));
      // A text read already is compared here; the file is not read again.
      const key = `${entry.kind}/${name}`;
      const known = present ? this.existing?.get(key) : undefined;
      if (known !== undefined) {
        this.existing?.delete(key);
        if (known === content) return;
      }
      if (this.worker) {
        // A failure elsewhere meanwhile: this file is removed with the others by `discard`.
        const written = await this.worker.write(entry.path, content, present, known !== undefined);
        entry.outcome = written.outcome;
        if (written.temp !== undefined) {
          entry.temp = written.temp;
          this.flushInBackground(entry);
        }
        return;
      }
      const existing = known ?? (present ? await readExisting(entry.path) : undefined);
      if (existing === content) return;
      entry.outcome = existing === undefined ? "created" : "updated";
      entry.temp = await writeTempFile(entry.path, content, { fsync: false });
    } catch (error) {
      this.failure ??= { error };
    }
  }
}
