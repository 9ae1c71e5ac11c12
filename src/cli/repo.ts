import type { ResolvedConfig } from "../config/index.js";
import type { GitIdentity } from "../git/commit-files.js";
import { configuredIdentity, openRepository, repoRelative } from "../git/repository.js";
import type { GitRepository } from "../git/repository.js";
import { UserError } from "./errors.js";

/**
 * The repository holding the configuration, and the configuration folder relative to its root.
 * Opened once per configuration read (one command): `drift` asks for it twice, and one open
 * repository keeps the commit ids and state files git already gave it (README "Incremental sync").
 */
export function configRepository(config: ResolvedConfig): Promise<{ repo: GitRepository; folder: string }> {
  let opened = openedFor.get(config);
  if (!opened) {
    opened = openRepository(config.rootDir).then(
      (repo) => ({ repo, folder: repoRelative(repo, config.configDirPath) }),
      () => {
        throw new UserError(`${config.rootDir} is not inside a git repository (run \`git init\` first)`);
      },
    );
    openedFor.set(config, opened);
    // A failure is not kept: the next command (a new configuration read) tries again.
    opened.catch(() => openedFor.delete(config));
  }
  return opened;
}

const openedFor = new WeakMap<ResolvedConfig, Promise<{ repo: GitRepository; folder: string }>>();

/** The person running the command, from git's configuration; falls back to the bot identity. */
export async function personIdentity(repo: GitRepository, config: ResolvedConfig): Promise<GitIdentity> {
  return (await configuredIdentity(repo)) ?? { ...config.git };
}
