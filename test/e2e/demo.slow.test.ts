import { execFileSync, spawnSync } from "node:child_process";
import type { SpawnSyncReturns } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * `npm run demo` is the README's first command: build the CLI into a scratch folder (as
 * `npm ci`'s prepare step does into dist/) and run the demo exactly as a new user would.
 */
describe("npm run demo", () => {
  it("runs the whole loop on the sandbox and exits 0", () => {
    // A direct child of the project root, like dist/, so that ../../schemas resolves the same way.
    const out = join(process.cwd(), ".test-build");
    rmSync(out, { recursive: true, force: true });
    execFileSync(process.execPath, [join("node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json", "--outDir", out], { stdio: "pipe" });
    // Its own temp folder, to check that the demo leaves nothing behind (the sandbox secret included).
    const temp = mkdtempSync(join(tmpdir(), "entra-gitops-demo-test-"));
    const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: temp };
    delete env.ENTRA_GITOPS_DEMO_KEEP;
    delete env.NODE_EXTRA_CA_CERTS;
    delete env.ENTRA_GITOPS_DEMO_CERT_DIR;
    let run: SpawnSyncReturns<string>;
    try {
      run = spawnSync(process.execPath, [join(out, "cli", "demo.js")], { env, encoding: "utf8", timeout: 120_000 });
      expect(readdirSync(temp)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(temp, { recursive: true, force: true });
    }
    expect(run.stderr).not.toContain("demo failed");
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("committed");
    expect(run.stdout).toMatch(/the audit log runs late, as in Entra: the sandbox clock moves \d+ s forward/);
    expect(run.stdout).toMatch(/Alice .*<alice@contoso\.onmicrosoft\.com>/);
    expect(run.stdout).toContain("Apply complete: 1 done, 0 failed, 0 skipped.");
    expect(run.stdout).toContain("Apply complete: 2 done, 0 failed, 0 skipped.");
    expect(run.stdout).toContain("The loop is complete.");
  }, 180_000);
});
