/**
 * The cross-runner half of the per-environment write lock (ARCHITECTURE.md, "One writer per
 * environment"): when the repository has a remote (`origin`, or ENTRA_GITOPS_LOCK_REMOTE), a run
 * that writes the tenant holds a lease ref on it, `refs/entra-gitops/locks/<env>`. The ref points at
 * a parentless commit of the empty tree whose message records the holder (pid, host, command,
 * start and renewal time). It is created with a create-only push (`--force-with-lease=<ref>:`,
 * checked by the remote under its ref lock, so of two runners exactly one succeeds), renewed while
 * the run lasts, and deleted at the end only if it is still ours. A lease not renewed for
 * LEASE_TTL_MS (its runner died) is taken over by a compare-and-swap push. Git's messages are
 * passed on only with userinfo removed from URLs; credentials are git's own (docs/design.md §8).
 */
import { hostname } from "node:os";
import { GitError } from "./errors.js";
import { holderProcessEnded } from "./lock-holder.js";
import { runGit } from "./run-git.js";

export const LOCK_REMOTE_VARIABLE = "ENTRA_GITOPS_LOCK_REMOTE";
/** A lease whose holder has not renewed it for this long is taken over. */
export const LEASE_TTL_MS = 10 * 60 * 1000;
/** How often a holder renews its lease. */
export const RENEW_EVERY_MS = 2 * 60 * 1000;
const POLL_MS = 500;

export interface LeaseHolder {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
  renewedAt: string;
}

export class LeaseBusyError extends Error {
  constructor(
    readonly remote: string,
    readonly ref: string,
    readonly holder: LeaseHolder | undefined,
    waitedMs: number,
    timeoutVariable: string,
  ) {
    const who = holder ? `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}, renewed ${holder.renewedAt})` : "another run";
    super(
      `another entra-gitops run is writing to this environment: ${who} holds ${ref} on ${remote}` +
        `${waitedMs > 0 ? ` (waited ${Math.round(waitedMs / 1000)} s)` : ""}; nothing was written. ` +
        `Wait for it, or set ${timeoutVariable}=SECONDS to wait; a lease not renewed for ${LEASE_TTL_MS / 60_000} minutes is taken over ` +
        `(to release it by hand: git push ${remote} :${ref}).`,
    );
    this.name = "LeaseBusyError";
  }
}

export interface RemoteLease {
  remote: string;
  ref: string;
  release(): Promise<void>;
}

export function leaseRef(environment: string): string {
  return `refs/entra-gitops/locks/${environment.replace(/[^A-Za-z0-9._-]/g, "_")}`;
}

/**
 * The remote that holds leases for the repository at `rootDir`: ENTRA_GITOPS_LOCK_REMOTE (`none`
 * turns the remote lease off), else `origin` when it exists, else none (outside a repository too).
 */
export async function leaseRemote(rootDir: string): Promise<string | undefined> {
  const chosen = process.env[LOCK_REMOTE_VARIABLE]?.trim();
  if (chosen === "none") return undefined;
  const remotes = await runGit(rootDir, ["remote"])
    .then((r) => r.stdout.toString("utf8").split("\n").map((l) => l.trim()).filter(Boolean))
    .catch(() => undefined);
  if (remotes === undefined) {
    if (chosen) throw new GitError(`${LOCK_REMOTE_VARIABLE}=${chosen}: ${rootDir} is not in a git repository`);
    return undefined;
  }
  if (chosen) {
    if (!remotes.includes(chosen)) throw new GitError(`${LOCK_REMOTE_VARIABLE}=${chosen}: the repository has no such remote (it has: ${remotes.join(", ") || "none"}); set it to none to use the machine-local lock only`);
    return chosen;
  }
  return remotes.includes("origin") ? "origin" : undefined;
}

export interface LeaseOptions {
  timeoutMs: number;
  onWait?: (message: string) => void;
  now?: () => number;
  /** Renewal interval (tests shorten it). */
  renewEveryMs?: number;
}

/** Takes the lease on `remote`, waiting up to `timeoutMs` for a live holder; throws LeaseBusyError when it stays held. */
export async function acquireRemoteLease(rootDir: string, remote: string, environment: string, command: string, options: LeaseOptions): Promise<RemoteLease> {
  const ref = leaseRef(environment);
  const now = options.now ?? Date.now;
  const startedAt = new Date(now()).toISOString();
  const started = now();
  let told = false;
  let refusedWithoutHolder = 0;
  for (;;) {
    const mine = await leaseCommit(rootDir, { pid: process.pid, host: hostname(), command, startedAt, renewedAt: new Date(now()).toISOString() });
    if (await casPush(rootDir, remote, ref, mine, "")) return held(rootDir, remote, ref, mine, command, startedAt, options);
    const current = await remoteSha(rootDir, remote, ref);
    if (current === undefined) {
      // Rejected, yet nobody holds it: released in between (try again), or the remote refuses the ref.
      if (++refusedWithoutHolder >= 3) throw new GitError(`${remote} refused the lock ref ${ref}; the run needs permission to push it (set ${LOCK_REMOTE_VARIABLE}=none to use the machine-local lock only)`);
      continue;
    }
    const holder = await readLeaseHolder(rootDir, remote, ref, current);
    if (isLeaseStale(holder, now())) {
      // Compare-and-swap: only one taker replaces exactly the stale commit.
      const taking = await leaseCommit(rootDir, { pid: process.pid, host: hostname(), command, startedAt, renewedAt: new Date(now()).toISOString() });
      if (await casPush(rootDir, remote, ref, taking, current)) {
        options.onWait?.(`took over the lease ${ref} on ${remote} left by ${describe(holder)}`);
        return held(rootDir, remote, ref, taking, command, startedAt, options);
      }
      continue;
    }
    const waited = now() - started;
    if (waited >= options.timeoutMs) throw new LeaseBusyError(remote, ref, holder, waited, "ENTRA_GITOPS_LOCK_TIMEOUT");
    if (!told) {
      told = true;
      options.onWait?.(`waiting up to ${Math.round(options.timeoutMs / 1000)} s for ${describe(holder)} to release ${ref} on ${remote}`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, options.timeoutMs - waited)));
  }
}

function describe(holder: LeaseHolder | undefined): string {
  return holder ? `${holder.command} (pid ${holder.pid} on ${holder.host})` : "another run";
}

/** Renews the lease every RENEW_EVERY_MS while held; release deletes it only if it is still ours. */
function held(rootDir: string, remote: string, ref: string, first: string, command: string, startedAt: string, options: LeaseOptions): RemoteLease {
  let current = first;
  let lost = false;
  let renewing: Promise<void> = Promise.resolve();
  const now = options.now ?? Date.now;
  const timer = setInterval(() => {
    renewing = renewing.then(async () => {
      if (lost) return;
      const next = await leaseCommit(rootDir, { pid: process.pid, host: hostname(), command, startedAt, renewedAt: new Date(now()).toISOString() });
      if (await casPush(rootDir, remote, ref, next, current).catch(() => false)) current = next;
      else if ((await remoteSha(rootDir, remote, ref).catch(() => current)) !== current) {
        lost = true;
        options.onWait?.(`warning: the lease ${ref} on ${remote} was taken over by another run`);
      }
    }).catch((error: unknown) => {
      // A renewal that fails (git cannot run, the repository is gone) must not end the run with an
      // unhandled rejection: the lease is renewed on the next tick, or expires as any unrenewed one.
      options.onWait?.(`warning: could not renew the lease ${ref} on ${remote}: ${redactUrls(error instanceof Error ? error.message : String(error))}`);
    });
  }, options.renewEveryMs ?? RENEW_EVERY_MS);
  timer.unref();
  return {
    remote,
    ref,
    release: async () => {
      clearInterval(timer);
      await renewing.catch(() => undefined);
      if (lost) return;
      // Delete only our own lease (the remote checks the expected value).
      const deleted = await runGit(rootDir, ["push", "--porcelain", `--force-with-lease=${ref}:${current}`, remote, `:${ref}`], { okExitCodes: [0, 1] }).catch(() => undefined);
      if (!deleted || deleted.exitCode !== 0) {
        options.onWait?.(`warning: could not release the lease ${ref} on ${remote}; it expires ${LEASE_TTL_MS / 60_000} minutes after its last renewal (or: git push ${remote} :${ref})`);
      }
    },
  };
}

/** A parentless commit of the empty tree whose message is the holder record. */
async function leaseCommit(rootDir: string, holder: LeaseHolder): Promise<string> {
  const tree = (await runGit(rootDir, ["mktree"], { input: "" })).stdout.toString("utf8").trim();
  const identity = { GIT_AUTHOR_NAME: "entra-gitops", GIT_AUTHOR_EMAIL: "entra-gitops@localhost", GIT_COMMITTER_NAME: "entra-gitops", GIT_COMMITTER_EMAIL: "entra-gitops@localhost" };
  const message = `entra-gitops write lease\n\n${JSON.stringify(holder)}\n`;
  return (await runGit(rootDir, ["commit-tree", tree], { input: message, env: identity })).stdout.toString("utf8").trim();
}

/**
 * Pushes `sha` to `ref` only if the remote's ref is `expected` ("" = must not exist). Returns false
 * when the remote has another value; throws (URLs redacted) when the remote cannot be reached.
 */
async function casPush(rootDir: string, remote: string, ref: string, sha: string, expected: string): Promise<boolean> {
  const result = await runGit(rootDir, ["push", "--porcelain", `--force-with-lease=${ref}:${expected}`, remote, `${sha}:${ref}`], { okExitCodes: [0, 1] }).catch((error: unknown) => {
    throw new GitError(`cannot take the write lease on ${remote}: ${redactUrls(error instanceof Error ? error.message : String(error))} (set ${LOCK_REMOTE_VARIABLE}=none to use the machine-local lock only)`);
  });
  if (result.exitCode === 0) return true;
  const report = result.stdout.toString("utf8");
  if (/\[(remote )?rejected\]/.test(report)) return false;
  throw new GitError(`cannot take the write lease on ${remote}: ${redactUrls(result.stderr.trim() || report.trim())} (set ${LOCK_REMOTE_VARIABLE}=none to use the machine-local lock only)`);
}

async function remoteSha(rootDir: string, remote: string, ref: string): Promise<string | undefined> {
  const listed = await runGit(rootDir, ["ls-remote", remote, ref]).catch((error: unknown) => {
    throw new GitError(`cannot read the write lease on ${remote}: ${redactUrls(error instanceof Error ? error.message : String(error))}`);
  });
  const line = listed.stdout.toString("utf8").split("\n").find((l) => l.endsWith(`\t${ref}`));
  return line?.split("\t")[0];
}

async function readLeaseHolder(rootDir: string, remote: string, ref: string, sha: string): Promise<LeaseHolder | undefined> {
  try {
    const has = await runGit(rootDir, ["cat-file", "-e", `${sha}^{commit}`], { okExitCodes: [0, 1, 128] });
    if (has.exitCode !== 0) await runGit(rootDir, ["fetch", "--quiet", "--no-tags", "--no-write-fetch-head", remote, ref]);
    const body = (await runGit(rootDir, ["cat-file", "commit", sha])).stdout.toString("utf8");
    const json = body.slice(body.indexOf("\n\n") + 2).split("\n").find((l) => l.startsWith("{"));
    const parsed = JSON.parse(json ?? "") as Partial<LeaseHolder>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string" && typeof parsed.renewedAt === "string") {
      return { pid: parsed.pid, host: parsed.host, command: String(parsed.command ?? "entra-gitops"), startedAt: String(parsed.startedAt ?? parsed.renewedAt), renewedAt: parsed.renewedAt };
    }
    return undefined;
  } catch {
    // Moved on in between, or not a lease commit: counts as held (never taken over without a record).
    return undefined;
  }
}

/** A lease not renewed for LEASE_TTL_MS, or held by a process on this host that has ended. */
export function isLeaseStale(holder: LeaseHolder | undefined, now: number): boolean {
  if (!holder) return false;
  const renewed = Date.parse(holder.renewedAt);
  if (Number.isFinite(renewed) && now - renewed > LEASE_TTL_MS) return true;
  return holderProcessEnded(holder);
}

function redactUrls(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, "$1***@");
}
