/**
 * Reading and writing one state file (`.entra-gitops/state/<env>/…`, ARCHITECTURE.md): the text, or
 * none when the file does not exist yet; a write replaces the file atomically, and only when its
 * text changes (so an unchanged record makes no commit).
 */
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../files/atomic-write.js";

/** The file's text; undefined when it does not exist (any other read error throws). */
export async function readStateText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Writes `text` atomically (creating the folder); false when the file already held exactly it. */
export async function writeStateText(file: string, text: string): Promise<boolean> {
  const current = await readFile(file, "utf8").catch(() => undefined);
  if (current === text) return false;
  await writeFileAtomic(file, text, { durable: false, createFolder: true });
  return true;
}
