/**
 * Runs in each test worker before each test file (vitest `setupFiles`): points TMPDIR at a fresh
 * folder of its own, so every temp folder the file makes — tempRepo's repositories, the CLI's
 * scratch folders, the child processes' — lands inside it, and removes that folder after the
 * file's last hook. Nothing a test wrote (sandbox secrets in env files included) outlives the file;
 * test/repo/temp-folders.test.ts checks it with a before/after listing of the temp folder.
 */
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const outer = tmpdir();
const mine = mkdtempSync(join(outer, "entra-gitops-test-file-"));
process.env.TMPDIR = mine;

// The scale tests leave tens of thousands of files; removing them can take longer than the default
// hook timeout on a loaded machine whose file system is slow to create and delete files.
afterAll(async () => {
  process.env.TMPDIR = outer;
  await rm(mine, { recursive: true, force: true });
}, 300_000);
