/**
 * Runs in each test worker before each test file (vitest `setupFiles`): points TMPDIR at a fresh
 * folder of its own, so every temp folder the file makes — tempRepo's repositories, the CLI's
 * scratch folders, the child processes' — lands inside it, and removes that folder after the
 * file's last hook. Nothing a test wrote (sandbox secrets in env files included) outlives the file;
 * test/repo/temp-folders.test.ts checks it with a before/after listing of the temp folder.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

const outer = tmpdir();
const mine = mkdtempSync(join(outer, "entra-gitops-test-file-"));
process.env.TMPDIR = mine;

afterAll(() => {
  process.env.TMPDIR = outer;
  rmSync(mine, { recursive: true, force: true });
});
