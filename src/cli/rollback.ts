import { Command } from "commander";
import { commitRollback } from "../git/rollback-commit.js";
import { formatSelector, parseSelector } from "../git/selectors.js";
import { UserError } from "./errors.js";
import { out } from "./output.js";
import { configRepository, personIdentity } from "./repo.js";
import { globalOptions, readConfig } from "./workspace.js";
import { runApply } from "./apply.js";
import { runPlan } from "./plan.js";

export function command(): Command {
  return new Command("rollback")
    .description("bring documents back to a past revision as a new commit, then show the plan (and apply it with --apply)")
    .requiredOption("--to <rev>", "the revision to roll back to")
    .argument("[selectors...]", "KIND/NAME, KIND/* or KIND (default: everything)")
    .option("--apply", "apply the rolled-back configuration after committing it")
    .option("--auto-approve", "with --apply: do not ask for confirmation")
    .option("--allow-delete", "with --apply: allow deletions")
    .option("--dry-run", "show which files would change; commit nothing")
    .action(async (selectorTexts: string[], flags: { to: string; apply?: boolean; autoApprove?: boolean; allowDelete?: boolean; dryRun?: boolean }, cmd: Command) => {
      const config = readConfig(globalOptions(cmd));
      const selectors = selectorTexts.map((text) => {
        try {
          return parseSelector(text);
        } catch (error) {
          throw new UserError(error instanceof Error ? error.message : String(error));
        }
      });
      const { repo, folder } = await configRepository(config);
      const { plan, result } = await commitRollback(repo, {
        folder,
        to: flags.to,
        selectors,
        author: await personIdentity(repo, config),
        committer: config.git,
        ...(flags.dryRun ? { dryRun: true } : {}),
      });
      for (const selector of plan.unmatched) out(`warning: ${formatSelector(selector)} matches no document at ${flags.to} nor now`);
      if (plan.restore.length + plan.remove.length === 0) {
        out(`Nothing to roll back: the selected documents already match ${plan.shortRevision}.`);
      } else {
        for (const file of plan.restore) out(`${file.action === "create" ? "bring back" : "restore"} ${file.address} (${file.path})`);
        for (const file of plan.remove) out(`remove ${file.address} (${file.path}): it did not exist at ${plan.shortRevision}`);
        if (result?.committed) out(`Committed ${result.commit.slice(0, 12)}: roll back to ${plan.shortRevision}`);
      }
      if (flags.dryRun) return;
      if (flags.apply) await runApply(config, undefined, { autoApprove: flags.autoApprove ?? false, allowDelete: flags.allowDelete ?? false });
      else await runPlan(config, {});
    });
}
