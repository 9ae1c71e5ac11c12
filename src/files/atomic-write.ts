/**
 * Atomic file writes, one implementation for every file the tool writes (documents, the plan and
 * sync report files, state files, work-tree files of commits, the commit journal, the
 * configuration's break-glass suggestion): the bytes go to a temporary file in the target's folder
 * and replace the target with one rename, so a reader sees the old content or the new, never a
 * part. A crash leaves at most a temporary file that `TEMP_FILE` matches and the next write into
 * that folder (or `removeStaleTempFiles`) deletes.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { promisify } from "node:util";

/** Temporary files of interrupted writes: `.<name>.entra-gitops-<pid>-<hex>.tmp` (and the older `.<hex>.tmp`). */
export const TEMP_FILE = /^\.(?:.*\.entra-gitops-\d+-[0-9a-f]+|[0-9a-f]{12})\.tmp$/;

/**
 * Temp names: process id plus a counter, unique within this process; a file left by an earlier
 * process with the same id makes the exclusive open fail, and the next number is tried. Cheaper than
 * random bytes per file, and the same regex (`TEMP_FILE`) sweeps them.
 */
let tempCounter = randomBytes(4).readUInt32BE(0);

function tempPathFor(absoluteTarget: string): string {
  tempCounter = (tempCounter + 1) >>> 0;
  return join(dirname(absoluteTarget), `.${basename(absoluteTarget)}.entra-gitops-${process.pid}-${tempCounter.toString(16)}.tmp`);
}

const openFile = promisify(fs.open);
const writeBytes = promisify(fs.write);
const flushFile = promisify(fs.fsync);
const closeFile = promisify(fs.close);

/**
 * Bytes to a new temporary file beside `target` (flushed to disk when `fsync`): what a rename then
 * publishes is complete. Plain descriptors rather than `FileHandle`s: for many small files the
 * handle objects cost about as much main-thread time as the writes themselves.
 */
export async function writeTempFile(target: string, content: string | Buffer, options: { fsync: boolean }): Promise<string> {
  const absolute = isAbsolute(target) ? target : resolve(target);
  let temp = tempPathFor(absolute);
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  let fd: number;
  for (let attempt = 1; ; attempt++) {
    try {
      fd = await openFile(temp, "wx", 0o644);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 5) throw e;
      temp = tempPathFor(absolute);
    }
  }
  try {
    for (let offset = 0; offset < bytes.length; ) offset += (await writeBytes(fd, bytes, offset, bytes.length - offset, null)).bytesWritten;
    if (options.fsync) await flushFile(fd);
  } catch (e) {
    await closeFile(fd).catch(() => undefined);
    await rm(temp, { force: true });
    throw e;
  }
  await closeFile(fd);
  return temp;
}

/** Publishes a temporary file over its target with one rename; the temporary file is removed if that fails. */
export async function replaceWith(temp: string, target: string): Promise<void> {
  try {
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/** Makes the renames in a folder durable (one flush for any number of them). */
export async function syncFolder(dir: string): Promise<void> {
  try {
    const dirHandle = await open(dir, "r");
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  } catch {
    // Some platforms cannot fsync a folder; the rename itself is still atomic.
  }
}

export interface AtomicWriteOptions {
  /**
   * Flush the bytes and the folder to disk (power-loss durability; default true). Work-tree files
   * of a commit skip it: git can always re-create them from the commit.
   */
  durable?: boolean;
  /** Create the target's folder when missing (default false: a missing folder is an error). */
  createFolder?: boolean;
}

/** Write `content` to `target` atomically: a reader sees the old file or the new one, never half. */
export async function writeFileAtomic(target: string, content: string | Buffer, options: AtomicWriteOptions = {}): Promise<void> {
  const durable = options.durable ?? true;
  if (options.createFolder) await mkdir(dirname(resolve(target)), { recursive: true });
  await replaceWith(await writeTempFile(target, content, { fsync: durable }), target);
  if (durable) await syncFolder(dirname(resolve(target)));
}

/**
 * `writeFileAtomic` without durability for many small files, creating folders: synchronous calls
 * avoid a thread pool round trip per step, which dominates when a commit touches thousands of
 * documents. `madeDirs` remembers folders already created during one batch.
 */
export function writeFileAtomicSync(path: string, content: string | Buffer, madeDirs: Set<string> = new Set()): void {
  const dir = dirname(path);
  if (!madeDirs.has(dir)) {
    fs.mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const temp = tempPathFor(resolve(path));
  fs.writeFileSync(temp, content, { mode: 0o644 });
  try {
    fs.renameSync(temp, path);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

/** Deletes temporary files that interrupted writes left in these folders (one listing each). */
export async function removeStaleTempFiles(dirs: Iterable<string>): Promise<void> {
  for (const dir of new Set(dirs)) {
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const entry of entries) if (TEMP_FILE.test(entry)) await rm(join(dir, entry), { force: true });
  }
}
