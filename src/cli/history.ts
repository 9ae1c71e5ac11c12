import { Command } from "commander";
import { objectHistory } from "../git/history.js";
import { formatHistory } from "../git/history-format.js";
import { resolveHistoryTarget } from "../git/history-target.js";
import { UserError } from "./errors.js";
import { out } from "./output.js";
import { configRepository } from "./repo.js";
import { globalOptions, readConfig } from "./workspace.js";
import { repoRelative } from "../git/repository.js";
import { parseIdMap } from "../state/id-map.js";
import { idMapDisplayPath, idMapFile } from "../state/environment-state.js";

export function command(): Command {
  return new Command("history")
    .description("the timeline of one object from git: who changed what, when (follows it by its object id, across renames)")
    .argument("<target>", "KIND/NAME (e.g. conditionalAccessPolicy/require-mfa-for-admins), a document file, or a display name")
    .option("--max-count <n>", "show at most this many commits", (v) => Number.parseInt(v, 10))
    .option("--format <format>", "text or json", "text")
    .action(async (target: string, flags: { maxCount?: number; format: string }, cmd: Command) => {
      const config = readConfig(globalOptions(cmd));
      const { repo, folder } = await configRepository(config);
      const resolved = await resolveHistoryTarget(repo, folder, target);
      if (!resolved.ok) throw new UserError(resolved.message);
      // The object's id at each commit comes from the environment's id map (documents carry none).
      const idMap = { path: repoRelative(repo, idMapFile(config)), parse: (text: string) => parseIdMap(text, idMapDisplayPath(config)).ids };
      const entries = await objectHistory(repo, { path: resolved.path }, { idMap, ...(flags.maxCount ? { maxCount: flags.maxCount } : {}) });
      if (entries.length === 0) throw new UserError(`${resolved.title}: no history in git (${resolved.path} was never committed)`);
      if (flags.format === "json") out(JSON.stringify(entries, null, 2));
      else out(formatHistory(resolved.title, entries));
    });
}
