import type { GitRepository } from "./repository.js";
import { runGit } from "./run-git.js";

/**
 * Paths under `folder` at `rev` whose content holds any of the texts (`git grep -l -F -i`),
 * repository-relative: searched in the object store by git itself, not read file by file.
 */
export async function filesContaining(repo: GitRepository, rev: string, folder: string, texts: readonly string[]): Promise<string[]> {
  if (texts.length === 0) return [];
  const args = ["grep", "-l", "-F", "-i", ...texts.flatMap((t) => ["-e", t]), rev, "--", folder];
  const result = await runGit(repo.root, args, { okExitCodes: [0, 1] });
  return result.stdout
    .toString("utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => (line.startsWith(`${rev}:`) ? line.slice(rev.length + 1) : line));
}
