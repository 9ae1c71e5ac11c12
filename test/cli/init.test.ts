import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { command, initProject, workflowTemplates } from "../../src/cli/init.js";
import { exitCodeFor } from "../../src/cli/index.js";
import { loadConfig } from "../../src/config/index.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "eg-init-"));
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const e = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    await command().exitOverride().parseAsync(args, { from: "user" });
    return { code: 0, stdout, stderr };
  } catch (error) {
    return { code: exitCodeFor(error), stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("init", () => {
  it("scaffolds a valid configuration, tenant-config/ and the workflows folder", async () => {
    const dir = join(tempDir(), "repo");
    const { code, stdout } = await run([dir]);
    expect(code).toBe(0);
    expect(stdout).toContain("created");
    expect(readdirSync(dir).sort()).toEqual([".github", "entra-gitops.yaml", "tenant-config"]);
    expect(readdirSync(join(dir, "tenant-config"))).toEqual([".gitkeep"]);
    expect(readdirSync(join(dir, ".github", "workflows")).sort()).toEqual(["entra-gitops-apply.yml", "entra-gitops-drift.yml", "entra-gitops-plan.yml"]);
    expect(readFileSync(join(dir, ".github", "workflows", "entra-gitops-plan.yml"), "utf8")).toContain("id-token: write");
    const config = loadConfig(join(dir, "entra-gitops.yaml"));
    expect(config.configDirPath).toBe(join(dir, "tenant-config"));
    expect(config.kinds).not.toContain("user");
  });

  it("never overwrites existing files and says which it kept", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "entra-gitops.yaml"), "prune: true\n");
    mkdirSync(join(dir, "tenant-config"));
    writeFileSync(join(dir, "tenant-config", "x.yaml"), "kind: group\n");
    mkdirSync(join(dir, ".github", "workflows"), { recursive: true });
    writeFileSync(join(dir, ".github", "workflows", "plan.yml"), "on: pull_request\n");

    const result = await initProject(dir);
    expect(result.created).toEqual([".github/workflows/entra-gitops-apply.yml", ".github/workflows/entra-gitops-drift.yml", ".github/workflows/entra-gitops-plan.yml"]);
    expect(result.kept).toEqual(["entra-gitops.yaml", "tenant-config/"]);
    expect(readFileSync(join(dir, "entra-gitops.yaml"), "utf8")).toBe("prune: true\n");
    expect(readdirSync(join(dir, "tenant-config"))).toEqual(["x.yaml"]);
    expect(readFileSync(join(dir, ".github", "workflows", "plan.yml"), "utf8")).toBe("on: pull_request\n");

    const again = await run([dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("kept existing");
    expect(again.stdout).toContain("already existed and was not changed");
  });

  it("running twice creates nothing the second time", async () => {
    const dir = tempDir();
    const first = await initProject(dir);
    expect(first.created).toEqual(["entra-gitops.yaml", "tenant-config/.gitkeep", ".github/workflows/entra-gitops-apply.yml", ".github/workflows/entra-gitops-drift.yml", ".github/workflows/entra-gitops-plan.yml"]);
    const second = await initProject(dir);
    expect(second.created).toEqual([]);
    expect(second.kept).toEqual(["entra-gitops.yaml", "tenant-config/", ".github/workflows/entra-gitops-apply.yml", ".github/workflows/entra-gitops-drift.yml", ".github/workflows/entra-gitops-plan.yml"]);
  });

  it("exits 1 when the directory cannot be written", async () => {
    const parent = tempDir();
    const file = join(parent, "a-file");
    writeFileSync(file, "");
    const { code, stderr } = await run([join(file, "repo")]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot write .*a-file/);
  });

  it("ships the plan, apply and drift workflow templates", () => {
    expect(Object.keys(workflowTemplates()).sort()).toEqual(["entra-gitops-apply.yml", "entra-gitops-drift.yml", "entra-gitops-plan.yml"]);
  });
});
