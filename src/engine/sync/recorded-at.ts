import type { GitRepository } from "../../git/repository.js";
import { gitText } from "../../git/run-git.js";

const CHUNK = 100;

/**
 * When git last recorded each file at `revision`: the author date of the last commit that touched
 * it (a drift commit's author date is its latest audit entry; a person's commit, its time). Audit
 * entries at or before that time explain the committed state, not a newer change (README "Sync state").
 */
export async function recordedTimes(repo: GitRepository, revision: string, paths: readonly string[], bot: { email: string }): Promise<Map<string, Date>> {
  const times = new Map<string, Date>();
  for (let i = 0; i < paths.length; i += CHUNK) {
    const chunk = paths.slice(i, i + CHUNK);
    const wanted = new Set(chunk);
    const text = await gitText(repo.root, ["-c", "core.quotePath=false", "log", "--format=@%aI %ce", "--name-only", revision, "--", ...chunk]);
    let current: number | undefined;
    for (const line of text.split("\n")) {
      if (line.startsWith("@")) {
        const [date = "", committer = ""] = line.slice(1).split(" ");
        // Git keeps whole seconds: a drift commit's author date is its latest entry's time cut to
        // the second, so that whole second is the recorded entry's.
        current = Date.parse(date) + (committer.toLowerCase() === bot.email.toLowerCase() ? 999 : 0);
      }
      else if (line && current !== undefined && wanted.has(line) && !times.has(line)) times.set(line, new Date(current));
    }
  }
  return times;
}
