import { Command } from "commander";
import { objectHistory } from "../git/history.js";
import { formatHistory } from "../git/history-format.js";
import { parseAddress } from "../kinds/kind-names.js";
import { UserError } from "./errors.js";
import { out } from "./output.js";
import { configRepository } from "./repo.js";
import { globalOptions, readConfig } from "./workspace.js";

export function command(): Command {
  return new Command("history")
    .description("the timeline of one object from git: who changed what, when (follows renames)")
    .argument("<address>", "KIND/NAME, e.g. conditionalAccessPolicy/require-mfa-for-admins")
    .option("--max-count <n>", "show at most this many commits", (v) => Number.parseInt(v, 10))
    .option("--format <format>", "text or json", "text")
    .action(async (target: string, flags: { maxCount?: number; format: string }, cmd: Command) => {
      const parsed = parseAddress(target);
      if (!parsed) throw new UserError(`${target}: expected KIND/NAME, e.g. conditionalAccessPolicy/require-mfa-for-admins`);
      const config = readConfig(globalOptions(cmd));
      const { repo, folder } = await configRepository(config);
      const entries = await objectHistory(repo, { folder, kind: parsed.kind, name: parsed.name }, flags.maxCount ? { maxCount: flags.maxCount } : {});
      if (flags.format === "json") out(JSON.stringify(entries, null, 2));
      else out(formatHistory(target, entries));
    });
}
