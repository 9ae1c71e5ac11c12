/**
 * One writer per environment (issue 11): `apply`, `rollback --apply`, `restore` and a reverting
 * `sync` hold an exclusive lock file while they may write the tenant, so two runs on one machine
 * (or in two worktrees of one repository) cannot both write and, for example, both create the same
 * object. The file lives in git's common directory (`.git/entra-gitops/locks/<env>.lock`, shared
 * by worktrees and never committed), or in the system temp folder outside a repository. It is
 * created with O_EXCL (`wx`), holds the holder's pid, host, command and start time, and is removed
 * when the run ends. A lock whose holder is gone (same host, pid no longer running) or older than
 * STALE_AFTER_MS is taken over. Runners on different machines are kept apart by a lease ref on the
 * repository's remote (remote-lease.ts), taken after this file and released before it, and in
 * GitHub Actions also by the workflow's `concurrency:` group (templates/workflows).
 */
import { createHash } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { acquireRemoteLease, leaseRemote } from "./remote-lease.js";
import { holderProcessEnded } from "./lock-holder.js";
import { runGit } from "./run-git.js";

export const LOCK_TIMEOUT_VARIABLE = "ENTRA_GITOPS_LOCK_TIMEOUT";
/** A lock older than this is taken over even if its holder seems alive (a hung or frozen run). */
export const STALE_AFTER_MS = 6 * 60 * 60 * 1000;
const POLL_MS = 250;

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

export class LockBusyError extends Error {
  constructor(
    readonly file: string,
    readonly holder: LockHolder | undefined,
    waitedMs: number,
  ) {
    const who = holder ? `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt})` : "another run";
    super(
      `another entra-gitops run is writing to this environment: ${who} holds ${file}` +
        `${waitedMs > 0 ? ` (waited ${Math.round(waitedMs / 1000)} s)` : ""}; nothing was written. ` +
        `Wait for it, or set ${LOCK_TIMEOUT_VARIABLE}=SECONDS to wait; if that run is gone, delete the file.`,
    );
    this.name = "LockBusyError";
  }
}

export interface WriteLock {
  file: string;
  release(): Promise<void>;
}

/** Where the lock of `environment` lives for a configuration in `rootDir`. */
export async function lockFile(rootDir: string, environment: string): Promise<string> {
  const safe = environment.replace(/[^A-Za-z0-9._-]/g, "_");
  const common = await runGit(rootDir, ["rev-parse", "--git-common-dir"])
    .then((r) => r.stdout.toString("utf8").trim())
    .catch(() => "");
  if (common) return join(isAbsolute(common) ? common : join(rootDir, common), "entra-gitops", "locks", `${safe}.lock`);
  const key = createHash("sha256").update(rootDir).digest("hex").slice(0, 16);
  return join(tmpdir(), "entra-gitops-locks", `${key}-${safe}.lock`);
}

/**
 * Takes the lock, waiting up to `timeoutMs` (default ENTRA_GITOPS_LOCK_TIMEOUT seconds, else 0)
 * for a live holder; `onWait` is told once who is waited for. Throws LockBusyError when it stays busy.
 */
export async function acquireWriteLock(
  rootDir: string,
  environment: string,
  command: string,
  options: { timeoutMs?: number; onWait?: (message: string) => void; now?: () => number } = {},
): Promise<WriteLock> {
  const file = await lockFile(rootDir, environment);
  await mkdir(join(file, ".."), { recursive: true });
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? timeoutFromEnv();
  const me: LockHolder = { pid: process.pid, host: hostname(), command, startedAt: new Date(now()).toISOString() };
  const started = now();
  let told = false;
  for (;;) {
    try {
      const handle = await open(file, "wx", 0o644);
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { file, release: () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = await readHolder(file);
    if (holder === "gone") continue;
    if (isStale(holder, now())) {
      // Move the stale file aside under a unique name (one taker wins the rename), then retry.
      const aside = `${file}.stale-${process.pid}-${now()}`;
      await rename(file, aside).then(
        (): Promise<void> => rm(aside, { force: true }),
        () => undefined,
      );
      continue;
    }
    const waited = now() - started;
    if (waited >= timeoutMs) throw new LockBusyError(file, holder, waited);
    if (!told) {
      told = true;
      options.onWait?.(`waiting up to ${Math.round(timeoutMs / 1000)} s for ${holder ? `${holder.command} (pid ${holder.pid} on ${holder.host})` : "another run"} to release ${file}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, timeoutMs - waited)));
  }
}

/**
 * Runs `fn` holding the lock, and the remote lease when the repository has a remote; both are
 * released however `fn` ends.
 */
export async function withWriteLock<T>(
  rootDir: string,
  environment: string,
  command: string,
  fn: () => Promise<T>,
  options: { timeoutMs?: number; onWait?: (message: string) => void } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? timeoutFromEnv();
  const started = Date.now();
  const lock = await acquireWriteLock(rootDir, environment, command, { ...options, timeoutMs });
  try {
    const remote = await leaseRemote(rootDir);
    const lease = remote
      ? await acquireRemoteLease(rootDir, remote, environment, command, { timeoutMs: Math.max(0, timeoutMs - (Date.now() - started)), ...(options.onWait ? { onWait: options.onWait } : {}) })
      : undefined;
    try {
      return await fn();
    } finally {
      await lease?.release();
    }
  } finally {
    await lock.release();
  }
}

function timeoutFromEnv(): number {
  const raw = process.env[LOCK_TIMEOUT_VARIABLE]?.trim();
  if (!raw) return 0;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`${LOCK_TIMEOUT_VARIABLE} must be a number of seconds, got "${raw}"`);
  return seconds * 1000;
}

async function readHolder(file: string): Promise<LockHolder | undefined | "gone"> {
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<LockHolder>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string" && typeof parsed.startedAt === "string") {
      return { pid: parsed.pid, host: parsed.host, command: String(parsed.command ?? "entra-gitops"), startedAt: parsed.startedAt };
    }
    return undefined;
  } catch (error) {
    // Removed between our create and our read: try again. An unreadable body (being written) counts as held.
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "gone" : undefined;
  }
}

/** A holder on this host whose process has ended, or any holder older than STALE_AFTER_MS. */
export function isStale(holder: LockHolder | undefined, now: number): boolean {
  if (!holder) return false;
  const started = Date.parse(holder.startedAt);
  if (Number.isFinite(started) && now - started > STALE_AFTER_MS) return true;
  return holderProcessEnded(holder);
}
