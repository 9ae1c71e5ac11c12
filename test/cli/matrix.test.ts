import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tenantId(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
}

/** A configuration with `count` environments `msp-001` … named in that order. */
function mspConfig(names: readonly string[]): { dir: string; configFile: string } {
  const dir = mkdtempSync(join(tmpdir(), "entra-gitops-matrix-"));
  dirs.push(dir);
  const environments = names.map((name, i) => `  ${name}:\n    tenantId: ${tenantId(i)}\n    clientId: ${tenantId(10_000 + i)}\n`).join("");
  const configFile = join(dir, "entra-gitops.yaml");
  writeFileSync(configFile, `configDir: tenant-config\nenvironments:\n${environments}`);
  return { dir, configFile };
}

const names300 = Array.from({ length: 300 }, (_, i) => `msp-${String(i + 1).padStart(3, "0")}`);

describe("matrix (CLI)", () => {
  it("cuts 300 environments into chunks GitHub accepts, each job named for its environment", async () => {
    const { dir, configFile } = mspConfig(names300);
    const chunks = await runCli(["--config", configFile, "matrix", "chunks"]);
    expect(chunks.code, chunks.stderr).toBe(0);
    expect(JSON.parse(chunks.stdout)).toEqual({ chunk: [0, 1] });

    const seen: string[] = [];
    for (const chunk of [0, 1]) {
      const output = join(dir, `output-${chunk}`);
      writeFileSync(output, "");
      const jobs = await runCli(["--config", configFile, "matrix", "jobs", "--chunk", String(chunk), "--github-output", "matrix"], { GITHUB_OUTPUT: output });
      expect(jobs.code, jobs.stderr).toBe(0);
      const matrix = JSON.parse(jobs.stdout) as { include: { environment: string }[] };
      expect(matrix.include.length).toBeLessThanOrEqual(256);
      seen.push(...matrix.include.map((job) => job.environment));
      // What a workflow reads back with fromJSON(needs.<job>.outputs.matrix).
      expect(readFileSync(output, "utf8")).toBe(`matrix=${jobs.stdout.trim()}\n`);
    }
    expect(seen).toEqual(names300);

    const small = await runCli(["--config", configFile, "matrix", "chunks", "--size", "100"]);
    expect(JSON.parse(small.stdout)).toEqual({ chunk: [0, 1, 2] });
    const third = await runCli(["--config", configFile, "matrix", "jobs", "--chunk", "2", "--size", "100"]);
    expect((JSON.parse(third.stdout) as { include: unknown[] }).include).toEqual(names300.slice(200).map((environment) => ({ environment })));
  });

  it("refuses what GitHub would refuse, saying what to do", async () => {
    const { configFile } = mspConfig(names300);
    const unchunked = await runCli(["--config", configFile, "matrix", "jobs"]);
    expect(unchunked.code).toBe(1);
    expect(unchunked.stderr).toContain("2 chunks of 256 environments: pass --chunk 0…1");
    const beyond = await runCli(["--config", configFile, "matrix", "jobs", "--chunk", "2"]);
    expect(beyond.code).toBe(1);
    expect(beyond.stderr).toContain("--chunk 2: there are 2 chunk(s)");
    const tooBig = await runCli(["--config", configFile, "matrix", "chunks", "--size", "300"]);
    expect(tooBig.code).not.toBe(0);
    expect(tooBig.stderr).toContain("a whole number from 1 to 256");

    const clash = mspConfig(["Prod", "prod"]);
    const run = await runCli(["--config", clash.configFile, "matrix", "chunks"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('environments "Prod" and "prod" differ only in case');
  });

  it("summarises the jobs' saved reports, worst first, and fails when a tenant has no report or an error", async () => {
    const { dir, configFile } = mspConfig(["alpha", "bravo", "charlie", "delta"]);
    const reports = join(dir, "reports");
    const summary = (over: Record<string, number>): Record<string, number> => ({ create: 0, update: 0, delete: 0, restore: 0, noop: 12, replace: 0, unmanaged: 0, blocked: 0, errors: 0, warnings: 0, ...over });
    // Downloaded artifacts nest one folder per artifact.
    for (const [name, over] of [["alpha", {}], ["bravo", { update: 2, unmanaged: 1 }], ["charlie", { errors: 1 }]] as const) {
      // As the plan workflow's artifacts download: one folder per environment, each a plan.json naming it.
      mkdirSync(join(reports, `entra-gitops-plan-${name}`), { recursive: true });
      writeFileSync(join(reports, `entra-gitops-plan-${name}`, "plan.json"), JSON.stringify({ environment: name, summary: summary(over) }));
    }
    const stepSummary = join(dir, "step-summary.md");
    writeFileSync(stepSummary, "");
    const run = await runCli(["--config", configFile, "matrix", "summary", reports], { GITHUB_STEP_SUMMARY: stepSummary });
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe("4 environment(s): 2 failed, 0 blocked, 1 drift or changes, 1 in sync");
    expect(lines.slice(2).map((line) => line.split(/\s{2,}/)[0])).toEqual(["charlie", "delta", "bravo", "alpha"]);
    expect(run.stdout).toMatch(/delta\s+failed\s+no report/);
    expect(run.stdout).toMatch(/bravo\s+drift or changes\s+0 create, 2 update, 0 delete, 0 restore, 1 unmanaged/);
    expect(readFileSync(stepSummary, "utf8")).toContain("| charlie | failed | 1 error(s);");

    writeFileSync(join(reports, "delta.json"), JSON.stringify({ environment: "delta", summary: summary({}) }));
    writeFileSync(join(reports, "entra-gitops-plan-charlie", "plan.json"), JSON.stringify({ environment: "charlie", summary: summary({}) }));
    const clean = await runCli(["--config", configFile, "matrix", "summary", reports, "--format", "markdown"]);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain("4 environment(s): 0 failed, 0 blocked, 1 drift or changes, 3 in sync");

    // No artifacts at all (every plan job failed early): every environment failed.
    const none = await runCli(["--config", configFile, "matrix", "summary", join(dir, "no-such-folder")]);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain("4 environment(s): 4 failed");
  });
});
