import { rememberCommits, type GitRepository } from "./repository.js";
import { runGit } from "./run-git.js";

/** The newest `max` commits at or before `rev` that changed `path`, newest first, each with its first parent (none for a root or a shallow clone's first commit). */
export async function commitsChanging(repo: GitRepository, rev: string, path: string, max: number): Promise<{ commit: string; parent?: string }[]> {
  const log = await runGit(repo.root, ["log", "--format=%H %P", `-${max}`, rev, "--", path]);
  const commits = log.stdout
    .toString("utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [commit = "", parent] = line.split(" ");
      return parent ? { commit, parent } : { commit };
    });
  // git named them as commits: reading a file at one of them needs no `rev-parse`.
  rememberCommits(repo, commits.flatMap((c) => (c.parent ? [c.commit, c.parent] : [c.commit])));
  return commits;
}

/** Whether this clone is shallow (its history ends before the root). */
export async function isShallow(repo: GitRepository): Promise<boolean> {
  const result = await runGit(repo.root, ["rev-parse", "--is-shallow-repository"]);
  return result.stdout.toString("utf8").trim() === "true";
}
