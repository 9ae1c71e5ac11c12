import { Command } from "commander";
import type { RollbackPlan } from "../git/rollback.js";
import { commitRollback } from "../git/rollback-commit.js";
import { formatSelector, parseSelector } from "../git/selectors.js";
import type { GitRepository } from "../git/repository.js";
import { currentRevision } from "../git/repository.js";
import { readBinaryFilesAtRevision, readFilesAtRevision } from "../git/tree.js";
import { bytesStreams, streamPathOf } from "../engine/streams.js";
import { allKinds } from "../kinds/registry.js";
import { address } from "../model/kind.js";
import { assertCleanFolder } from "../git/worktree.js";
import { desiredFromFiles, desiredOptions } from "./desired.js";
import type { DesiredOptions } from "./desired.js";
import type { DesiredState } from "./desired.js";
import { EXIT, ExitRequest, UserError } from "./errors.js";
import { out, progress } from "./output.js";
import { configRepository, personIdentity } from "./repo.js";
import { globalOptions, readConfig } from "./workspace.js";
import { applyConfiguration } from "./apply.js";
import { runPlan } from "./plan.js";
import { restoredIds } from "./restored-ids.js";
import { parseIdMap } from "../state/id-map.js";
import { readEnvironmentIds } from "../state/environment-state.js";

interface RollbackFlags {
  to: string;
  apply?: boolean;
  autoApprove?: boolean;
  allowDelete?: boolean;
  dryRun?: boolean;
}

export function command(): Command {
  return new Command("rollback")
    .description("bring documents back to a past revision as a new commit, then show the plan (with --apply: apply it first, and commit only when every write succeeded)")
    .requiredOption("--to <rev>", "the revision to roll back to")
    .argument("[selectors...]", "KIND/NAME, KIND/* or KIND (default: everything)")
    .option("--apply", "apply the rolled-back configuration, then commit it (nothing is committed when a write fails)")
    .option("--auto-approve", "with --apply: do not ask for confirmation")
    .option("--allow-delete", "with --apply: allow deletions")
    .option("--dry-run", "show which files would change; commit nothing")
    .action(async (selectorTexts: string[], flags: RollbackFlags, cmd: Command) => {
      const config = readConfig(globalOptions(cmd));
      const selectors = selectorTexts.map((text) => {
        try {
          return parseSelector(text);
        } catch (error) {
          throw new UserError(error instanceof Error ? error.message : String(error));
        }
      });
      const { repo, folder } = await configRepository(config);
      if (!flags.dryRun) await assertCleanFolder(repo, folder, { allowDirty: false });
      const rollback = {
        folder,
        to: flags.to,
        selectors,
        author: await personIdentity(repo, config),
        committer: config.git,
        // Images beside a document are rolled back with it (README "Company branding images").
        attachedTo: (path: string) => {
          const where = streamPathOf(allKinds(), folder, path);
          return where ? address(where.descriptor.kind, where.name) : undefined;
        },
        // Documents brought back bring back their id in this environment (so an object is restored with it).
        alsoWrite: async (plan: RollbackPlan, revision: string) => restoredIds(repo, config, plan.restore.map((r) => r.address), revision),
      };
      // Plan the files first: the commit comes only after the result validated (and, with --apply, applied).
      const { plan } = await commitRollback(repo, { ...rollback, dryRun: true });
      for (const selector of plan.unmatched) out(`warning: ${formatSelector(selector)} matches no document at ${flags.to} nor now`);
      const changes = plan.restore.length + plan.remove.length + plan.attached.length;
      if (changes === 0) out(`Nothing to roll back: the selected documents already match ${plan.shortRevision}.`);
      for (const file of plan.restore) out(`${file.action === "create" ? "bring back" : "restore"} ${file.address} (${file.path})`);
      for (const file of plan.remove) out(`remove ${file.address} (${file.path}): it did not exist at ${plan.shortRevision}`);
      for (const file of plan.attached) out(`${file.content ? "restore" : "remove"} ${file.path} (${file.address})`);
      if (flags.dryRun) return;
      const idFiles = await restoredIds(repo, config, plan.restore.map((r) => r.address), plan.revision);
      const idText = idFiles[0]?.content;
      const ids = typeof idText === "string" && idText ? parseIdMap(idText, "").ids : await readEnvironmentIds(config);
      const desired = await rolledBack(repo, folder, plan, desiredOptions(config, ids));
      if (flags.apply) {
        const applied = await applyConfiguration(config, undefined, { autoApprove: flags.autoApprove ?? false, allowDelete: flags.allowDelete ?? false }, desired);
        if (!applied) {
          progress(`error: the rollback to ${plan.shortRevision} was not applied completely; nothing was committed (the writes that succeeded stay in the tenant, and the next sync records them)`);
          throw new ExitRequest(EXIT.error);
        }
      }
      if (changes > 0) {
        const { result } = await commitRollback(repo, rollback);
        if (result?.committed) out(`Committed ${result.commit.slice(0, 12)}: roll back to ${plan.shortRevision}`);
      }
      if (!flags.apply) await runPlan(config, {});
    });
}

/**
 * The documents as the rollback leaves them (HEAD's files with the plan's changes laid over),
 * validated: an invalid result stops the rollback before anything is committed or applied.
 */
async function rolledBack(repo: GitRepository, folder: string, plan: RollbackPlan, options: DesiredOptions): Promise<DesiredState> {
  const head = (await currentRevision(repo)) ?? null;
  const files = head ? await readFilesAtRevision(repo, head, folder) : new Map<string, string>();
  for (const file of plan.restore) files.set(file.path, file.content);
  for (const file of plan.remove) files.delete(file.path);
  // The images beside the documents as the rollback leaves them: HEAD's, with the plan's laid over.
  const images = head ? await readBinaryFilesAtRevision(repo, head, folder, (path) => streamPathOf(allKinds(), folder, path) !== undefined) : new Map<string, Buffer>();
  for (const file of plan.attached) {
    if (file.content) images.set(file.path, file.content);
    else images.delete(file.path);
  }
  const desired = desiredFromFiles(files, " (rolled back)", head, `nothing was rolled back to ${plan.shortRevision}`, options);
  return { ...desired, streams: bytesStreams(images, folder, " (rolled back)") };
}
