import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ResolvedConfig } from "../config/index.js";
import { createBranch, push } from "../git/branches.js";
import type { GitRepository } from "../git/repository.js";
import { currentBranch } from "../git/repository.js";
import { gitText } from "../git/run-git.js";
import { readFilesAtRevision } from "../git/tree.js";
import { removeFile, writeFileAtomic } from "../git/worktree.js";
import type { GraphGateway } from "../graph/types.js";
import type { Kind } from "../kinds/kind-names.js";
import type { KindDescriptor } from "../kinds/types.js";
import { exportTenant } from "./export.js";
import { attributeDrift, auditQuery, commitDrift, detectChanges, parseDirectoryAudits } from "./sync/index.js";
import type { DriftAttribution } from "./sync/index.js";

export interface SyncOptions {
  repo: GitRepository;
  /** Configuration folder, repository-relative. */
  folder: string;
  config: ResolvedConfig;
  gateway: GraphGateway;
  descriptors: readonly KindDescriptor[];
  /** Write the exported files into the work tree, commit nothing. */
  noCommit?: boolean;
  /** Commit on this branch (created from HEAD when missing) instead of the checked-out one. */
  branch?: string;
  push?: boolean;
  /** Start of the audit window; default: the last commit of the folder, less 15 minutes. */
  since?: Date;
  now?: Date;
  onKind?: (kind: Kind, count: number | Error) => void;
}

export interface SyncResult {
  attribution: DriftAttribution;
  commits: { commit: string; subject: string }[];
  failed: Map<Kind, string>;
  branch?: string;
  /** With --no-commit: files written into the work tree. */
  written: string[];
}

const AUDIT_LAG_MS = 15 * 60 * 1000;
const AUDIT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Drift into git history (DESIGN §1 step 4): export the tenant into a scratch copy of the
 * committed folder, find the documents that changed, attribute them with the directory audit log
 * and record one atomic commit per actor and burst. The work tree is only written by the commits
 * themselves, so an interrupted sync leaves complete commits only.
 */
export async function syncTenant(options: SyncOptions): Promise<SyncResult> {
  const { repo, folder } = options;
  const head = await gitText(repo.root, ["rev-parse", "--verify", "--quiet", "HEAD"]).catch(() => "");
  const before = head ? await readFilesAtRevision(repo, head, folder) : new Map<string, string>();
  const scratch = await mkdtemp(join(tmpdir(), "entra-gitops-sync-"));
  try {
    await seedScratch(scratch, folder, before);
    const exported = await exportTenant(options.gateway, options.descriptors, scratch, options.onKind ? { onKind: options.onKind } : {});
    const after = await readScratch(scratch, folder);
    const { changes } = detectChanges({ folder, before, after });
    const now = options.now ?? new Date();
    const since = options.since ?? (await lastSyncTime(repo, folder, now));
    const audits = changes.length === 0 ? [] : await readAudits(options.gateway, since);
    const attribution = attributeDrift({
      changes,
      audits,
      failedKinds: [...exported.failed.keys()],
      bot: options.config.git,
      now,
    });
    if (options.noCommit) {
      const written = await writeWorkTree(repo, attribution);
      return { attribution, commits: [], failed: exported.failed, written };
    }
    let branch = options.branch;
    if (branch && branch !== (await currentBranch(repo))) await createBranch(repo, branch).catch(() => undefined);
    const commits = await commitDrift(repo, attribution.commits, branch ? { branch } : {});
    branch ??= await currentBranch(repo);
    if (options.push && branch && commits.length > 0) await push(repo, "origin", branch);
    return { attribution, commits, failed: exported.failed, ...(branch ? { branch } : {}), written: [] };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function seedScratch(scratch: string, folder: string, files: ReadonlyMap<string, string>): Promise<void> {
  for (const [path, content] of files) {
    const relative = path.slice(folder.length + 1);
    const target = join(scratch, relative);
    await mkdir(join(target, ".."), { recursive: true });
    await writeFile(target, content);
  }
}

async function readScratch(scratch: string, folder: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const kind of (await readdir(scratch)).sort()) {
    const dir = join(scratch, kind);
    const entries = await readdir(dir).catch(() => [] as string[]);
    for (const file of entries.sort()) {
      if (file.endsWith(".yaml")) files.set(`${folder}/${kind}/${file}`, await readFile(join(dir, file), "utf8"));
    }
  }
  return files;
}

/** The window starts at the folder's last commit (less the audit log's lag), at most 30 days back. */
async function lastSyncTime(repo: GitRepository, folder: string, now: Date): Promise<Date> {
  const last = await gitText(repo.root, ["log", "-1", "--format=%cI", "--", folder]).catch(() => "");
  const floor = now.getTime() - AUDIT_RETENTION_MS;
  const start = last ? Date.parse(last) - AUDIT_LAG_MS : floor;
  return new Date(Math.max(start, floor));
}

async function readAudits(gateway: GraphGateway, since: Date): Promise<ReturnType<typeof parseDirectoryAudits>["audits"]> {
  // No upper bound: an entry newer than this run explains the state just read as well.
  const values = await gateway.list("/auditLogs/directoryAudits", { query: auditQuery(since) });
  return parseDirectoryAudits(values).audits;
}

/** `--no-commit`: the attributed files written into the work tree for a person to review. */
async function writeWorkTree(repo: GitRepository, attribution: DriftAttribution): Promise<string[]> {
  const written: string[] = [];
  for (const commit of attribution.commits) {
    for (const file of commit.files) {
      const target = join(repo.root, file.path);
      if (file.content === null) await removeFile(target, repo.root);
      else await writeFileAtomic(target, file.content);
      written.push(file.path);
    }
  }
  return written;
}

