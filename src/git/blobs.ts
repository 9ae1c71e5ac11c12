import { GitError } from "./errors.js";
import { readObjects } from "./object-reader.js";
import type { GitRepository } from "./repository.js";

/** Contents of many blobs, through the repository's one `git cat-file --batch` (object-reader.ts). */
export async function readBlobs(repo: GitRepository, blobs: readonly string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(blobs)];
  const contents = new Map<string, Buffer>();
  const objects = await readObjects(repo, unique);
  unique.forEach((blob, i) => {
    const object = objects[i];
    if (!object) throw new GitError(`object ${blob} is missing`);
    contents.set(blob, object.content);
  });
  return contents;
}
