import type { ResolvedConfig } from "../config/index.js";
import type { GitIdentity } from "../git/commit-files.js";
import { configuredIdentity, openRepository, repoRelative } from "../git/repository.js";
import type { GitRepository } from "../git/repository.js";
import { UserError } from "./errors.js";

/** The repository holding the configuration, and the configuration folder relative to its root. */
export async function configRepository(config: ResolvedConfig): Promise<{ repo: GitRepository; folder: string }> {
  const repo = await openRepository(config.rootDir).catch(() => {
    throw new UserError(`${config.rootDir} is not inside a git repository (run \`git init\` first)`);
  });
  return { repo, folder: repoRelative(repo, config.configDirPath) };
}

/** The person running the command, from git's configuration; falls back to the bot identity. */
export async function personIdentity(repo: GitRepository, config: ResolvedConfig): Promise<GitIdentity> {
  return (await configuredIdentity(repo)) ?? { ...config.git };
}
