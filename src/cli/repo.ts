import type { ResolvedConfig } from "../config/index.js";
import type { GitIdentity } from "../git/commit-files.js";
import { openRepository, repoRelative } from "../git/repository.js";
import type { GitRepository } from "../git/repository.js";
import { gitText } from "../git/run-git.js";
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
  const name = await gitText(repo.root, ["config", "user.name"]).catch(() => "");
  const email = await gitText(repo.root, ["config", "user.email"]).catch(() => "");
  return name && email ? { name, email } : { ...config.git };
}
