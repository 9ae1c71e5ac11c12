import { documentPathOfAddress } from "../git/paths.js";
import { Command } from "commander";
import { makePlan } from "../engine/planning.js";
import { hasChanges } from "../model/plan-summary.js";
import { loadDesired, streamFilesOf } from "./desired.js";
import { EXIT, ExitRequest } from "./errors.js";
import { graphUrlOf } from "./graph-url.js";
import { progress } from "./output.js";
import { emitPlan, parseFormat } from "./plan-output.js";
import { connect, globalOptions, kindsInScope, readConfig } from "./workspace.js";
import { configRepository } from "./repo.js";
import type { ResolvedConfig } from "../config/index.js";
import type { EntraDocument } from "../model/document.js";
import type { Plan } from "../model/plan.js";
import type { GraphGateway } from "../graph/types.js";
import { auditWindowStart, reachingBackToPending, readAudits } from "../engine/sync/audit-window.js";
import { committedSyncState } from "../engine/sync/state-files.js";
import { syncStateFile } from "../state/environment-state.js";
import { repoRelative } from "../git/repository.js";
import { changesWithActors, withChangeActors } from "../engine/sync/drift-actors.js";
import { engineOf } from "../engine/sync-tenant.js";
import { recordedTimes } from "../engine/sync/recorded-at.js";
import { incrementalDrift } from "./drift-read.js";
import { exportedDrift } from "./drift-export.js";

/**
 * The report's changes with who made them, from the directory audit log since the folder's last
 * commit at `rev` (less the audit lag), reaching back as far as the changes sync holds back at
 * `rev` (the sync state), as sync reads it (README "drift"). Without access to the audit log the
 * report is printed without names, with a warning.
 */
async function withActors(config: ResolvedConfig, plan: Plan, documents: readonly EntraDocument[], gateway: GraphGateway, rev: string): Promise<Plan> {
  try {
    const { repo, folder } = await configRepository(config);
    const held = await committedSyncState({ repo, config, syncStatePath: repoRelative(repo, syncStateFile(config)) }, rev);
    const since = reachingBackToPending(await auditWindowStart(repo, folder, new Date(), rev), held);
    const audits = await readAudits(gateway, since);
    // Only a change some entry matches needs git's record (its file's history walked).
    const changed = [...changesWithActors(plan, audits, documents)];
    const paths = new Map(changed.map((address) => [documentPathOfAddress(folder, address), address]));
    const times = await recordedTimes(repo, rev, [...paths.keys()], config.git);
    const recordedAt = new Map([...times].flatMap(([path, at]) => {
      const address = paths.get(path);
      return address ? [[address, at] as const] : [];
    }));
    return withChangeActors(plan, audits, documents, recordedAt, await engineOf({ gateway, config }));
  } catch (error) {
    progress(`warning: who made the changes is not shown: the audit log could not be read: ${error instanceof Error ? error.message : String(error)}`);
    return plan;
  }
}

export function command(): Command {
  return new Command("drift")
    .description("report changes made in the tenant outside git (compared with the documents at HEAD)")
    .option("--format <format>", "text, markdown or json", "text")
    .option("--rev <rev>", "compare with this revision instead of HEAD", "HEAD")
    .option("--kinds <kinds>", "comma-separated kinds (default: the kinds in the configuration)")
    .option("--out <file>", "save the drift report as JSON")
    .option("--full", "with sync.incremental: read the whole tenant instead of what changed since the last sync")
    .action(async (flags: { format?: string; rev: string; kinds?: string; out?: string; full?: boolean }, cmd: Command) => {
      const format = parseFormat(flags.format);
      const config = readConfig(globalOptions(cmd));
      const descriptors = kindsInScope(config, flags.kinds);
      // Incremental (README "drift"): the read needs the tenant first, then the documents it may change.
      const gateway = connect(config, progress);
      const incremental = await incrementalDrift(config, flags.rev, gateway, descriptors, flags.full ?? false);
      // Otherwise an export into the folder at --rev held in memory: only what it finds changed is planned.
      const exported = incremental ? undefined : await exportedDrift(config, flags.rev, gateway, descriptors);
      const desired = incremental?.desired ?? exported?.desired ?? (await loadDesired(config, flags.rev));
      // Objects in the tenant with no document are drift too: plan them as if pruning, never apply.
      const { plan: read } = await makePlan({
        config: { ...config, prune: true },
        descriptors,
        gateway,
        desired: desired.documents,
        gitRevision: desired.gitRevision,
        graphUrl: graphUrlOf(config),
        allowDelete: true,
        ...(incremental ? { partial: incremental.partial } : {}),
        ...(exported ? { read: exported.read } : {}),
        // Images beside the documents at --rev are compared by digest and size, as plan does.
        ...streamFilesOf(desired),
      });
      // The documents an incremental read did not compare are unchanged since the recorded read;
      // those the export did not compare are as export found them.
      const unchanged = incremental?.unchanged ?? exported?.unchanged;
      const compared = unchanged !== undefined ? { ...read, summary: { ...read.summary, noop: read.summary.noop + unchanged } } : read;
      const plan = hasChanges(compared) ? await withActors(config, compared, desired.documents, gateway, desired.gitRevision ?? flags.rev) : compared;
      await emitPlan(plan, { format, mode: "drift", ...(flags.out ? { out: flags.out } : {}) });
      if (plan.summary.errors > 0) throw new ExitRequest(EXIT.error);
      if (hasChanges(plan)) throw new ExitRequest(EXIT.changes);
    });
}
