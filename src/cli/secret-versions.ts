import type { ResolvedConfig } from "../config/index.js";
import { recordAppliedSecrets } from "../engine/apply/secret-versions.js";
import type { ObjectResult } from "../engine/apply/apply.js";
import { commitFiles } from "../git/commit-files.js";
import { GitError } from "../git/errors.js";
import { openRepository, repoRelative } from "../git/repository.js";
import type { KindDescriptor } from "../kinds/types.js";
import type { Kind } from "../model/kind.js";
import type { Plan } from "../model/plan.js";
import { environmentOf, readEnvironmentSecretVersions, secretVersionsFile } from "../state/environment-state.js";
import { stateRelativePath, SECRET_VERSIONS_FILE, stateEnvironment } from "../state/paths.js";
import { formatSecretVersions, writeSecretVersions } from "../state/secret-versions.js";
import { out, progress } from "./output.js";
import { personIdentity } from "./repo.js";

/**
 * After apply: the version markers of the write-only secrets it wrote, recorded in the
 * environment's `secret-versions.yaml` (README "Rotating a write-only secret") and committed on
 * the checked-out branch by the person running apply (committer: the bot), that file alone, as
 * `restore` commits the ids it changes. Where there is no branch to commit on (a detached HEAD, as
 * in a CI checkout of a commit, or no repository), the file is written and apply says it must be
 * committed: until it is, the next plan shows the rotation again.
 */
export async function recordSecretVersions(config: ResolvedConfig, plan: Plan, results: readonly ObjectResult[], descriptors: ReadonlyMap<Kind, KindDescriptor>): Promise<void> {
  const current = await readEnvironmentSecretVersions(config);
  const next = recordAppliedSecrets(current, plan.changes, results, descriptors);
  if (!next) return;
  const environment = environmentOf(config);
  const file = secretVersionsFile(config);
  const shown = stateRelativePath(environment, SECRET_VERSIONS_FILE);
  try {
    const repo = await openRepository(config.rootDir);
    const result = await commitFiles(repo, {
      files: [{ path: repoRelative(repo, file), content: formatSecretVersions(next, environment) }],
      author: await personIdentity(repo, config),
      committer: config.git,
      message: `Record the secret versions applied in environment ${stateEnvironment(environment)}\n\nWritten by entra-gitops apply: version markers only, never a secret.`,
      // The file is the tool's own: what apply wrote to the tenant is what it must say.
      allowDirty: true,
    });
    if (result.committed) out(`Committed ${result.commit.slice(0, 12)}: the secret versions applied, in ${shown}`);
    return;
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    await writeSecretVersions(file, next, environment);
    progress(`warning: wrote the secret versions applied to ${shown} but could not commit it (${error instanceof Error ? error.message : String(error)}): commit it, or the next plan shows the rotation again`);
  }
}

