/**
 * Tests leave no temporary folder behind (the sandbox's certificate and key, env files with its
 * client secret, tempRepo's repositories, the CLI's scratch folders): a listing of the temp folder
 * before and after a vitest run of test files that make many of them, with TMPDIR pointed at an
 * empty folder, must be the same (empty).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Files that make temp folders (tempRepo's repositories, a bare remote, the sandbox) and do not
 * remove them themselves: without test/temp-per-file.ts they leave six folders behind.
 */
const FILES = ["test/e2e/export-plan.test.ts", "test/e2e/sync-policy.test.ts"];

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: process.cwd(), env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

describe("temporary folders", () => {
  it("a test run leaves the temp folder as it found it", { timeout: 240_000 }, async () => {
    const temp = mkdtempSync(join(tmpdir(), "entra-gitops-tmp-check-"));
    try {
      const before = readdirSync(temp);
      expect(before).toEqual([]);
      // A separate vitest run (its own global setup and workers) with only TMPDIR changed.
      const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: temp };
      for (const key of Object.keys(env)) if (key.startsWith("VITEST") || key === "ENTRA_GITOPS_TEST_CERT_DIR" || key === "NODE_EXTRA_CA_CERTS") delete env[key];
      const result = await run([join("node_modules", "vitest", "vitest.mjs"), "run", ...FILES], env);
      expect(result.code, result.output).toBe(0);
      expect(result.output).toMatch(new RegExp(`Test Files\\s+.*${FILES.length} passed`));
      expect(readdirSync(temp)).toEqual(before);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });
});
