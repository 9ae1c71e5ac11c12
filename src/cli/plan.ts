import { appendFile } from "node:fs/promises";
import { Command } from "commander";
import type { ResolvedConfig } from "../config/index.js";
import { makePlan } from "../engine/planning.js";
import { hasChanges } from "../model/plan-summary.js";
import { loadDesired, streamFilesOf } from "./desired.js";
import { EXIT, ExitRequest } from "./errors.js";
import { progress } from "./output.js";
import { emitPlan, parseFormat } from "./plan-output.js";
import { overridesFrom } from "./overrides.js";
import { connect, globalOptions, kindsInScope, readConfig } from "./workspace.js";
import { graphUrlOf } from "./graph-url.js";
import { readEnvironmentSecretVersions } from "../state/environment-state.js";

export interface PlanFlags {
  out?: string;
  format?: string;
  detailedExitcode?: boolean;
  rev?: string;
  kinds?: string;
  allowDelete?: boolean;
  allowLockout?: boolean | string[];
  allowProtected?: boolean | string[];
  allowRecreate?: boolean | string[];
}

export function command(): Command {
  return new Command("plan")
    .description("compare the configuration in git with the live tenant and show what apply would change")
    .option("--out <file>", "save the plan as JSON for a later `apply FILE`")
    .option("--format <format>", "text, markdown or json", "text")
    .option("--detailed-exitcode", "exit 0 with no changes, 2 with changes, 1 on error")
    .option("--rev <rev>", "plan the configuration at this git revision instead of the working tree")
    .option("--kinds <kinds>", "comma-separated kinds to plan (default: the kinds in the configuration)")
    .option("--allow-delete", "allow deletions (needs `prune: true` in the configuration)")
    .option("--allow-lockout [globs...]", "allow Conditional Access changes the lockout guard refuses")
    .option("--allow-protected [globs...]", "allow changes to protected objects")
    .option("--allow-recreate [globs...]", "allow re-creating objects whose create-only fields changed")
    .action(async (flags: PlanFlags, cmd: Command) => runPlan(readConfig(globalOptions(cmd)), flags));
}

/** `plan`: also what `rollback` runs after committing. */
export async function runPlan(config: ResolvedConfig, flags: PlanFlags): Promise<void> {
  const format = parseFormat(flags.format);
  const descriptors = kindsInScope(config, flags.kinds);
  const desired = await loadDesired(config, flags.rev);
  const gateway = connect(config, progress);
  const { plan } = await makePlan({
    config,
    descriptors,
    gateway,
    desired: desired.documents,
    gitRevision: desired.gitRevision,
    graphUrl: graphUrlOf(config),
    allowDelete: flags.allowDelete ?? false,
    overrides: overridesFrom(flags),
    impact: true,
    secretVersions: await readEnvironmentSecretVersions(config),
    ...streamFilesOf(desired),
  });
  await emitPlan(plan, { format, mode: "plan", ...(flags.out ? { out: flags.out } : {}) });
  // In GitHub Actions: step outputs, so a workflow can fail its check on a blocked plan while the
  // exit codes stay 0 / 2 / 1 (a blocked plan is a valid plan that apply would refuse).
  const outputs = process.env.GITHUB_OUTPUT;
  if (outputs) await appendFile(outputs, `blocked=${plan.summary.blocked}\nchanges=${hasChanges(plan)}\nerrors=${plan.summary.errors}\n`);
  if (plan.summary.errors > 0) throw new ExitRequest(EXIT.error);
  if (flags.detailedExitcode && hasChanges(plan)) throw new ExitRequest(EXIT.changes);
}
