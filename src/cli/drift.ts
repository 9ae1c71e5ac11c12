import { Command } from "commander";
import { makePlan } from "../engine/planning.js";
import { hasChanges } from "../engine/plan/summary.js";
import { loadDesired } from "./desired.js";
import { EXIT, ExitRequest } from "./errors.js";
import { graphUrlOf } from "./graph-url.js";
import { progress } from "./output.js";
import { emitPlan, parseFormat } from "./plan-output.js";
import { connect, globalOptions, kindsInScope, readConfig } from "./workspace.js";

export function command(): Command {
  return new Command("drift")
    .description("report changes made in the tenant outside git (compared with the documents at HEAD)")
    .option("--format <format>", "text, markdown or json", "text")
    .option("--rev <rev>", "compare with this revision instead of HEAD", "HEAD")
    .option("--kinds <kinds>", "comma-separated kinds (default: the kinds in the configuration)")
    .option("--out <file>", "save the drift report as JSON")
    .action(async (flags: { format?: string; rev: string; kinds?: string; out?: string }, cmd: Command) => {
      const format = parseFormat(flags.format);
      const config = readConfig(globalOptions(cmd));
      const desired = await loadDesired(config, flags.rev);
      // Objects in the tenant with no document are drift too: plan them as if pruning, never apply.
      const { plan } = await makePlan({
        config: { ...config, prune: true },
        descriptors: kindsInScope(config, flags.kinds),
        gateway: connect(config, progress),
        desired: desired.documents,
        gitRevision: desired.gitRevision,
        graphUrl: graphUrlOf(config),
        allowDelete: true,
      });
      await emitPlan(plan, { format, mode: "drift", ...(flags.out ? { out: flags.out } : {}) });
      if (plan.summary.errors > 0) throw new ExitRequest(EXIT.error);
      if (hasChanges(plan)) throw new ExitRequest(EXIT.changes);
    });
}
