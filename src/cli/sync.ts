import { Command } from "commander";
import { syncTenant } from "../engine/sync-tenant.js";
import type { PlanSummary } from "../model/plan.js";
import { writeFileAtomic } from "../files/atomic-write.js";
import { EXIT, ExitRequest, UserError } from "./errors.js";
import { graphUrlOf } from "./graph-url.js";
import { withWriteLock } from "../git/write-lock.js";
import { out, progress } from "./output.js";
import { describeRead, reportPullRequest, reportRevert } from "./sync-report.js";
import { configRepository } from "./repo.js";
import { repoRelative } from "../git/repository.js";
import { credentialsFile, idMapFile, syncStateFile } from "../state/environment-state.js";
import { connect, globalOptions, kindsInScope, readConfig } from "./workspace.js";

interface SyncFlags {
  out?: string;
  commit: boolean;
  branch?: string;
  push?: boolean;
  since?: string;
  kinds?: string;
  auditGrace?: string;
  full?: boolean;
}

export function command(): Command {
  return new Command("sync")
    .description("export the tenant and act on drift made outside git per kind (config drift:): commit it, one commit per actor from the audit log; commit it on a drift branch for a pull request (pr); or apply git back over it (revert)")
    .option("--no-commit", "write the changed documents into the work tree without committing; reverts are planned, not applied")
    .option("--branch <branch>", "drift branch: commit drift of `commit` and `pr` kinds on it (created from HEAD when missing)")
    .option("--push", "push the branches that received commits to origin")
    .option("--since <iso-time>", "start of the audit-log window (default: the folder's last commit, less 15 minutes)")
    .option("--audit-grace <minutes>", "hold back a change with no audit entry yet this long before committing it as unattributed (default: sync.auditGrace, 15; 0: at once)")
    .option("--kinds <kinds>", "comma-separated kinds (default: the kinds in the configuration)")
    .option("--full", "with sync.incremental: read the whole tenant instead of what changed since the last sync")
    .option("--out <file>", "save a report of what was found as JSON (for `matrix summary` across environments)")
    .action(async (flags: SyncFlags, cmd: Command) => {
      const config = readConfig(globalOptions(cmd));
      const { repo, folder } = await configRepository(config);
      const since = flags.since ? new Date(flags.since) : undefined;
      if (since && Number.isNaN(since.getTime())) throw new UserError(`--since: not an ISO 8601 time: ${flags.since}`);
      const grace = flags.auditGrace === undefined ? undefined : Number(flags.auditGrace);
      if (grace !== undefined && (flags.auditGrace?.trim() === "" || !Number.isFinite(grace) || grace < 0)) {
        throw new UserError(`--audit-grace: not a number of minutes >= 0: ${flags.auditGrace}`);
      }
      // A sync that may revert drift writes the tenant: one writer per environment, like apply.
      const reverts = flags.commit && kindsInScope(config, flags.kinds).some((d) => config.drift[d.kind] === "revert");
      const locked = <T>(fn: () => Promise<T>): Promise<T> =>
        reverts ? withWriteLock(config.rootDir, config.environment?.name ?? "default", "sync (revert)", fn, { onWait: progress }) : fn();
      const result = await locked(() => syncTenant({
        repo,
        folder,
        idsPath: repoRelative(repo, idMapFile(config)),
        credentialsPath: repoRelative(repo, credentialsFile(config)),
        syncStatePath: repoRelative(repo, syncStateFile(config)),
        ...(grace !== undefined ? { auditGraceMs: grace * 60_000 } : {}),
        config,
        gateway: connect(config, progress),
        descriptors: kindsInScope(config, flags.kinds),
        graphUrl: graphUrlOf(config),
        noCommit: !flags.commit,
        ...(flags.branch ? { branch: flags.branch } : {}),
        ...(flags.push ? { push: true } : {}),
        ...(since ? { since } : {}),
        ...(flags.full ? { full: true } : {}),
        onRead: (read) => {
          if (!config.sync.incremental) return;
          progress(describeRead(read));
        },
        onKind: (kind, count) => progress(count instanceof Error ? `${kind}: FAILED: ${count.message}` : `${kind}: ${count} object(s)`),
        onWarning: (warning) => progress(`warning: ${warning.address ? `${warning.address}: ` : ""}${warning.message}`),
      }));
      const { attribution } = result;
      if (attribution.commits.length === 0 && result.heldBack.length === 0 && result.notApplied.length === 0) out("No drift: the tenant matches the committed documents.");
      for (const n of result.notApplied) out(`not applied yet: ${n.address} (the tenant holds it as before ${n.commit.slice(0, 12)} "${n.subject}", which apply has not written; not drift, not committed)`);
      for (const held of result.heldBack) {
        out(
          held.reason === "noAuditYet"
            ? `held back: ${held.address} (no audit entry yet; waiting up to ${result.graceMinutes} min)`
            : `held back: ${held.address} (changed again; the earlier change has no audit entry yet; waiting up to ${result.graceMinutes} min)`,
        );
      }
      for (const commit of result.commits) out(`committed ${commit.commit.slice(0, 12)} ${commit.subject}`);
      if (result.pullRequest) reportPullRequest(result.pullRequest);
      if (!flags.commit) for (const path of result.written) out(`wrote ${path}`);
      for (const pushed of result.pushed) out(`pushed ${pushed} to origin`);
      for (const kind of result.firstRecord) {
        progress(`note: ${kind} has drift policy revert but no document in git yet: its objects were recorded, not reverted`);
      }
      const revertFailed = result.revert ? reportRevert(result.revert) : false;
      for (const withheld of attribution.withheldDeletions) {
        progress(`warning: ${withheld.address} is missing from the export, but ${withheld.kind} could not be read: not recorded as deleted`);
      }
      for (const [kind, reason] of result.failed) progress(`error: ${kind} could not be read: ${reason}`);
      if (flags.out) await writeFileAtomic(flags.out, `${JSON.stringify(syncReport(config.environment?.name, result, revertFailed), null, 2)}\n`);
      if (result.failed.size > 0 || revertFailed) throw new ExitRequest(EXIT.error);
    });
}

/** What `sync --out` saves: the drift found, counted like a plan's summary (README "Several tenants"). */
function syncReport(environment: string | undefined, result: Awaited<ReturnType<typeof syncTenant>>, revertFailed: boolean): object {
  const objects = result.attribution.commits.flatMap((commit) => commit.objects.map((o) => o.change));
  const count = (change: "added" | "modified" | "deleted"): number => objects.filter((o) => o.change === change).length;
  const summary: PlanSummary = {
    create: 0,
    update: count("modified"),
    delete: count("deleted"),
    restore: 0,
    noop: 0,
    replace: 0,
    unmanaged: count("added"),
    blocked: result.revert?.status === "blocked" ? 1 : 0,
    errors: result.failed.size + (revertFailed && result.revert?.status !== "blocked" ? 1 : 0),
    warnings: result.attribution.withheldDeletions.length,
  };
  return {
    mode: "drift",
    ...(environment !== undefined ? { environment } : {}),
    summary,
    commits: result.commits.map((c) => c.subject),
    heldBack: result.heldBack.map((h) => h.address),
    notApplied: result.notApplied.map((n) => ({ address: n.address, commit: n.commit })),
    failed: Object.fromEntries(result.failed),
  };
}
