import { join } from "node:path";
import { writeFileAtomic } from "../../files/atomic-write.js";
import type { FileChange } from "../../git/commit-files.js";
import type { GitRepository } from "../../git/repository.js";
import { removeFile } from "../../git/worktree.js";

/** `--no-commit`: the attributed files (and the id map) written into the work tree for a person to review. */
export async function writeWorkTree(repo: GitRepository, files: readonly FileChange[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of files) {
    const target = join(repo.root, file.path);
    if (file.content === null) await removeFile(target, repo.root);
    else await writeFileAtomic(target, file.content, { durable: false, createFolder: true });
    written.push(file.path);
  }
  return written;
}
