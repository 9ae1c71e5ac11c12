/**
 * A copy of this repository in a temp folder, as a fresh clone would have it: the files git lists
 * (with this checkout's uncommitted edits), nothing beside it, and node_modules linked to the
 * installed dependencies (so nothing is downloaded). `remove()` deletes the whole temp folder.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface RepoCopy {
  /** The temp folder holding the copy (and nothing else unless a test adds it). */
  root: string;
  /** The copy itself, `<root>/entra-gitops`. */
  dir: string;
  remove(): void;
}

export function copyRepository(prefix = "entra-gitops-copy-"): RepoCopy {
  const repo = process.cwd();
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dir = join(root, "entra-gitops");
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: repo, encoding: "utf8" }).split("\n").filter(Boolean);
  for (const file of files) {
    if (file === "node_modules" || !existsSync(join(repo, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repo, file), join(dir, file));
  }
  symlinkSync(realpathSync(join(repo, "node_modules")), join(dir, "node_modules"));
  return { root, dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Environment for a child vitest/node that must not think it is one of this run's workers. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "ENTRA_GITOPS_TEST_CERT_DIR"));
  return { ...env, ...extra };
}
