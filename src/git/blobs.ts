import { GitError } from "./errors.js";
import type { GitRepository } from "./repository.js";
import { runGit } from "./run-git.js";

/** Contents of many blobs through one `git cat-file --batch`. */
export async function readBlobs(repo: GitRepository, blobs: readonly string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(blobs)];
  const contents = new Map<string, Buffer>();
  if (unique.length === 0) return contents;
  const { stdout } = await runGit(repo.root, ["cat-file", "--batch"], { input: unique.map((b) => `${b}\n`).join("") });
  let offset = 0;
  for (const blob of unique) {
    const newline = stdout.indexOf(0x0a, offset);
    if (newline < 0) throw new GitError(`cat-file --batch: truncated output at ${blob}`);
    const header = stdout.subarray(offset, newline).toString("utf8");
    const parts = header.split(" ");
    if (parts[1] === "missing" || parts.length !== 3) throw new GitError(`object ${blob} is missing`);
    const size = Number(parts[2]);
    contents.set(blob, stdout.subarray(newline + 1, newline + 1 + size));
    offset = newline + 1 + size + 1;
  }
  return contents;
}
