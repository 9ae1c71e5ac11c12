import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { readTree, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";

/**
 * `POST /directoryObjects/getByIds` only reads: a 5xx or a dropped connection on it is retried like
 * a GET, so one fault no longer fails the whole export.
 */
describe("export when getByIds meets faults", () => {
  let started: StartedSandbox;
  const dirs: string[] = [];
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
  });
  afterAll(async () => {
    await started?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("retries getByIds after a 500, a 504 and a connection reset, and writes the same documents as a clean export", async () => {
    const env = sandboxEnv(started.sandbox);
    const clean = tempRepo();
    dirs.push(clean.dir);
    const first = await runCli(["--config", clean.configFile, "export"], env);
    expect(first.code, first.stderr).toBe(0);

    const faulty = tempRepo();
    dirs.push(faulty.dir);
    started.sandbox.faults.inject({ method: "POST", pathPattern: /\/directoryObjects\/getByIds$/, status: 500 });
    started.sandbox.faults.inject({ method: "POST", pathPattern: /\/directoryObjects\/getByIds$/, status: "reset" });
    started.sandbox.faults.inject({ method: "POST", pathPattern: /\/directoryObjects\/getByIds$/, status: 504 });
    started.sandbox.clearRequests();
    const run = await runCli(["--config", faulty.configFile, "export"], env);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(started.sandbox.faults.pending()).toBe(0);

    const lookUps = started.sandbox.requests().filter((r) => r.kind === "graph" && r.method === "POST" && r.path.endsWith("/directoryObjects/getByIds"));
    // The 500 and the 504 are logged with their status (the reset is dropped before an answer), then one success.
    expect(lookUps.filter((r) => r.status >= 500).map((r) => r.status)).toEqual([500, 504]);
    expect(lookUps.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(readTree(join(faulty.dir, "tenant-config"))).toEqual(readTree(join(clean.dir, "tenant-config")));
  });
});
