import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { runCli } from "../helpers/cli.js";
import { ACTION_PLACEHOLDER, UNKNOWN_ACTION, actionReference, command, initProject, workflowTemplates } from "../../src/cli/init.js";
import { exitCodeFor } from "../../src/cli/index.js";
import { loadConfig, packageSchemas, SCHEMAS_FOLDER } from "../../src/config/index.js";

const SHA_ACTION = "contoso/entra-gitops@0123456789abcdef0123456789abcdef01234567";
const made: string[] = [];
const SCHEMA_FILES = [...packageSchemas().keys()].map((name) => `${SCHEMAS_FOLDER}/${name}`);

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "eg-init-"));
  made.push(dir);
  return dir;
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
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("init", () => {
  it("scaffolds a valid configuration, tenant-config/ and the workflows folder", async () => {
    const dir = join(tempDir(), "repo");
    const { code, stdout } = await run([dir]);
    expect(code).toBe(0);
    expect(stdout).toContain("created");
    expect(readdirSync(dir).sort()).toEqual([".entra-gitops", ".github", "entra-gitops.yaml", "tenant-config"]);
    expect(readdirSync(join(dir, ".entra-gitops", "schemas")).sort()).toEqual([...packageSchemas().keys()].sort());
    expect(readdirSync(join(dir, "tenant-config"))).toEqual([".gitkeep"]);
    expect(readdirSync(join(dir, ".github", "workflows")).sort()).toEqual(["entra-gitops-apply-tenants.yml", "entra-gitops-apply.yml", "entra-gitops-drift-tenants.yml", "entra-gitops-drift.yml", "entra-gitops-plan-tenants.yml", "entra-gitops-plan.yml"]);
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
    expect(result.created).toEqual([...SCHEMA_FILES, ".github/workflows/entra-gitops-apply-tenants.yml", ".github/workflows/entra-gitops-apply.yml", ".github/workflows/entra-gitops-drift-tenants.yml", ".github/workflows/entra-gitops-drift.yml", ".github/workflows/entra-gitops-plan-tenants.yml", ".github/workflows/entra-gitops-plan.yml"]);
    expect(result.kept).toEqual(["entra-gitops.yaml", "tenant-config/"]);
    expect(readFileSync(join(dir, "entra-gitops.yaml"), "utf8")).toBe("prune: true\n");
    expect(readdirSync(join(dir, "tenant-config"))).toEqual(["x.yaml"]);
    expect(readFileSync(join(dir, ".github", "workflows", "plan.yml"), "utf8")).toBe("on: pull_request\n");

    const again = await run([dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("kept existing");
    expect(again.stdout).toContain("already existed and was not changed: the workflows run with --env production, so it needs an environment named production");
    expect(again.stdout).toContain(`kept ${SCHEMA_FILES.length} existing schema(s) in`);
  });

  it("running twice creates nothing the second time", async () => {
    const dir = tempDir();
    const first = await initProject(dir);
    expect(first.created).toEqual(["entra-gitops.yaml", "tenant-config/.gitkeep", ...SCHEMA_FILES, ".github/workflows/entra-gitops-apply-tenants.yml", ".github/workflows/entra-gitops-apply.yml", ".github/workflows/entra-gitops-drift-tenants.yml", ".github/workflows/entra-gitops-drift.yml", ".github/workflows/entra-gitops-plan-tenants.yml", ".github/workflows/entra-gitops-plan.yml"]);
    const second = await initProject(dir);
    expect(second.created).toEqual([]);
    expect(second.kept).toEqual(["entra-gitops.yaml", "tenant-config/", ...SCHEMA_FILES, ".github/workflows/entra-gitops-apply-tenants.yml", ".github/workflows/entra-gitops-apply.yml", ".github/workflows/entra-gitops-drift-tenants.yml", ".github/workflows/entra-gitops-drift.yml", ".github/workflows/entra-gitops-plan-tenants.yml", ".github/workflows/entra-gitops-plan.yml"]);
  });

  it("exits 1 when the directory cannot be written", async () => {
    const parent = tempDir();
    const file = join(parent, "a-file");
    writeFileSync(file, "");
    const { code, stderr } = await run([join(file, "repo")]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot write .*a-file/);
  });

  it("ships the plan, apply and drift workflow templates, each with the reusable workflow it calls per chunk of environments", () => {
    expect(Object.keys(workflowTemplates(SHA_ACTION)).sort()).toEqual(["entra-gitops-apply-tenants.yml", "entra-gitops-apply.yml", "entra-gitops-drift-tenants.yml", "entra-gitops-drift.yml", "entra-gitops-plan-tenants.yml", "entra-gitops-plan.yml"]);
  });

  it("writes a configuration that defines every environment the workflows name, with a comment saying where its ids come from", async () => {
    const dir = tempDir();
    await initProject(dir, { action: SHA_ACTION });
    const text = readFileSync(join(dir, "entra-gitops.yaml"), "utf8");
    expect(text).toMatch(/ids come from the\n +# AZURE_TENANT_ID and AZURE_CLIENT_ID variables of the GitHub environments/);
    const config = loadConfig(join(dir, "entra-gitops.yaml"));
    // The matrix the workflows run: what `matrix jobs` generates from this configuration.
    const generated = await runCli(["--config", join(dir, "entra-gitops.yaml"), "matrix", "jobs"]);
    expect(generated.code, generated.stderr).toBe(0);
    const entries = (JSON.parse(generated.stdout) as { include: { environment: string }[] }).include;
    expect(entries.map((e) => e.environment)).toEqual(["production"]);
    type Workflow = { jobs: Record<string, { uses?: string; with?: Record<string, string>; strategy?: { matrix: unknown }; environment?: string; env?: Record<string, string>; steps?: { run?: string }[] }> };
    const read = (name: string): Workflow => parse(readFileSync(join(dir, ".github", "workflows", name), "utf8")) as Workflow;
    for (const kind of ["plan", "apply", "drift"]) {
      // The caller cuts the environments into chunks (at most 256, GitHub's matrix limit) and calls
      // the reusable workflow once per chunk number.
      const caller = read(`entra-gitops-${kind}.yml`);
      expect(caller.jobs.chunks?.steps?.some((s) => s.run === 'entra-gitops matrix chunks --size "$CHUNK_SIZE" --github-output chunks'), kind).toBe(true);
      expect(caller.jobs.chunks?.env?.CHUNK_SIZE, kind).toBe("${{ vars.ENTRA_GITOPS_MATRIX_CHUNK || '256' }}");
      const calls = Object.values(caller.jobs).filter((job) => job.uses !== undefined);
      expect(calls.map((job) => [job.uses, job.strategy?.matrix, job.with?.chunk]), kind).toEqual([[`./.github/workflows/entra-gitops-${kind}-tenants.yml`, "${{ fromJSON(needs.chunks.outputs.chunks) }}", "${{ matrix.chunk }}"]]);
      // The called workflow lists its chunk's environments, one job each.
      const called = read(`entra-gitops-${kind}-tenants.yml`);
      expect(called.jobs.environments?.steps?.some((s) => s.run === 'entra-gitops matrix jobs --chunk "$CHUNK" --size "$CHUNK_SIZE" --github-output matrix'), kind).toBe(true);
      expect(called.jobs.environments?.env?.CHUNK, kind).toBe("${{ inputs.chunk }}");
      const perEnvironment = Object.values(called.jobs).filter((job) => job.strategy !== undefined);
      expect(perEnvironment.length, kind).toBe(1);
      for (const job of perEnvironment) {
        expect(job.strategy?.matrix, kind).toBe("${{ fromJSON(needs.environments.outputs.matrix) }}");
        // Each job takes its ids from a GitHub environment named after the matrix entry.
        expect(job.environment, kind).toMatch(/^\$\{\{ matrix\.environment \}\}(-ci)?$/);
      }
      expect(readFileSync(join(dir, ".github", "workflows", `entra-gitops-${kind}-tenants.yml`), "utf8"), kind).toContain('--env "$ENTRA_GITOPS_ENV"');
    }
    expect(config.environment?.name).toBe("production");
    expect(config.environment?.tenantId).toBeUndefined();
  });

  it("pins the workflows' install step to the entra-gitops action at a full commit (--action, else this build's commit)", async () => {
    const dir = tempDir();
    const { code, stdout } = await run([dir, "--action", SHA_ACTION]);
    expect(code).toBe(0);
    expect(stdout).toContain(`the workflows install the CLI with uses: ${SHA_ACTION}`);
    for (const name of readdirSync(join(dir, ".github", "workflows"))) {
      const text = readFileSync(join(dir, ".github", "workflows", name), "utf8");
      expect(text, name).toContain(`uses: ${SHA_ACTION}\n`);
      expect(text, name).not.toContain(ACTION_PLACEHOLDER);
      expect(text, name).not.toMatch(/npx|@latest/);
    }
    expect(actionReference(undefined, { version: "1.2.3", commit: "a".repeat(40), dirty: false, repository: "contoso/entra-gitops" })).toEqual({ ref: `contoso/entra-gitops@${"a".repeat(40)}`, known: true });
    // A build with uncommitted changes, or from an unknown repository, pins nothing it cannot name.
    expect(actionReference(undefined, { version: "1.2.3", commit: "a".repeat(40), dirty: true, repository: "contoso/entra-gitops" }).known).toBe(false);
    expect(actionReference(undefined, { version: "1.2.3", commit: null, dirty: false, repository: null })).toEqual({ ref: UNKNOWN_ACTION, known: false });
  });

  it("says what it wrote: every file, the environment the workflows use, and the steps left", async () => {
    const dir = tempDir();
    const { code, stdout } = await run([dir, "--action", SHA_ACTION]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    // One "created" line per file written (the schemas as one line), and no other file on disk.
    const written = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
    const listed = lines.filter((l) => l.startsWith("created ")).map((l) => relative(dir, l.slice("created ".length).replace(/: \d+ JSON schema.*$/, "").replace(/\/$/, "")));
    expect(written.filter((f) => !f.startsWith(`${SCHEMAS_FOLDER}/`))).toEqual(listed.filter((f) => f !== SCHEMAS_FOLDER).sort());
    expect(listed).toContain(SCHEMAS_FOLDER);
    expect(stdout).toContain(`${SCHEMA_FILES.length} JSON schema(s) for editor validation`);
    // The environment named is the one the workflows pass and the configuration defines.
    const config = loadConfig(join(dir, "entra-gitops.yaml"));
    expect(config.environmentNames).toEqual(["production"]);
    expect(stdout).toContain('defines the environment "production" (the one the workflows run with --env production)');
    for (const kind of ["plan", "apply", "drift"]) expect(readFileSync(join(dir, ".github", "workflows", `entra-gitops-${kind}-tenants.yml`), "utf8")).toContain('ENTRA_GITOPS_ENV: ${{ matrix.environment }}');
    // The next steps name the subjects and GitHub environments the workflows use.
    expect(stdout).toContain("--env production export");
    expect(stdout).toContain("repo:<owner>/<repo>:environment:production-ci");
    expect(stdout).toContain("repo:<owner>/<repo>:environment:production (apply)");
    expect(stdout).toContain("ENTRA_GITOPS_ENABLED=true");
    expect(stdout).not.toMatch(/set tenantId\/clientId under environments/);
  });

  it("refuses an --action that is not pinned to a full commit", async () => {
    for (const bad of ["contoso/entra-gitops@main", "contoso/entra-gitops@v1", "contoso/entra-gitops", "contoso/entra-gitops@abc123"]) {
      const dir = tempDir();
      const { code, stderr } = await run([dir, "--action", bad]);
      expect(code, bad).toBe(1);
      expect(stderr, bad).toContain("--action must be OWNER/REPO@<full 40-hex commit sha>");
      expect(readdirSync(dir), bad).toEqual([]);
    }
  });
});
