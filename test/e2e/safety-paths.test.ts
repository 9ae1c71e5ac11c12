import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { defaultTestConfig, git, readTree, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";
import { exportedRepo } from "./apply-fixture.js";

/**
 * Configuration paths stay in the repository, tokens go only to Microsoft's clouds and loopback,
 * and symbolic links in the configuration folder are refused: each case is a clear error and
 * nothing is written.
 */
describe("paths, URLs and symbolic links", () => {
  let started: StartedSandbox;
  let env: Record<string, string>;
  const dirs: string[] = [];
  const scratch = (): string => {
    const dir = mkdtempSync(join(tmpdir(), "entra-gitops-outside-"));
    dirs.push(dir);
    return dir;
  };
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    env = sandboxEnv(started.sandbox);
  });
  afterAll(async () => {
    await started?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  function repoWith(configLines: string): { dir: string; configFile: string } {
    const repo = tempRepo(`${configLines}\nbreakGlass:\n  accounts: []\n  groups: []\n`);
    dirs.push(repo.dir);
    return repo;
  }

  it.each([
    ["../outside", /configDir: \.\.\/outside leaves the repository/],
    ["/tmp/entra-gitops-absolute", /not the absolute path \/tmp\/entra-gitops-absolute/],
    [".git/tenant-config", /is inside \.git\//],
    ["docs/../../elsewhere", /leaves the repository/],
  ])("configDir %s is refused at its line and export writes nothing", async (configDir, message) => {
    const { dir, configFile } = repoWith(`configDir: ${configDir}`);
    const before = readdirSync(dir).sort();
    started.sandbox.clearRequests();
    const run = await runCli(["--config", configFile, "export"], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`entra-gitops\\.yaml:1:\\d+: error: configDir: `));
    expect(run.stderr).toMatch(message);
    expect(readdirSync(dir).sort()).toEqual(before);
    expect(existsSync(join(dir, "..", "outside"))).toBe(false);
    expect(existsSync("/tmp/entra-gitops-absolute")).toBe(false);
    expect(readdirSync(join(dir, ".git")).includes("tenant-config")).toBe(false);
    expect(started.sandbox.requests()).toEqual([]);
  });

  it("a configDir that is a symbolic link leading out of the repository is refused", async () => {
    const outside = scratch();
    const { dir, configFile } = repoWith("configDir: tenant-config");
    symlinkSync(outside, join(dir, "tenant-config"));
    const run = await runCli(["--config", configFile, "export"], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/configDir: .*tenant-config is a symbolic link/);
    expect(readdirSync(outside)).toEqual([]);
    // A link on the way (not the folder itself) is caught by where it resolves to.
    rmSync(join(dir, "tenant-config"));
    symlinkSync(outside, join(dir, "via"));
    writeFileSync(configFile, defaultTestConfig().replace("configDir: tenant-config", "configDir: via/config"));
    const via = await runCli(["--config", configFile, "export"], env);
    expect(via.code).toBe(1);
    expect(via.stderr).toMatch(/outside the repository/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it("graphUrl and authorityHost outside Microsoft's clouds are refused (configuration with its line, or variables) unless allowed", async () => {
    const { dir, configFile } = repoWith(["configDir: tenant-config", "environments:", "  prod:", "    graphUrl: https://graph.attacker.test"].join("\n"));
    started.sandbox.clearRequests();
    const fromConfig = await runCli(["--config", configFile, "export"], env);
    expect(fromConfig.code).toBe(1);
    expect(fromConfig.stderr).toMatch(/entra-gitops\.yaml:4:\d+: error: environments\.prod\.graphUrl: graph\.attacker\.test is not a Microsoft Graph host/);
    expect(fromConfig.stderr).toContain("ENTRA_GITOPS_ALLOW_HOSTS=graph.attacker.test");

    writeFileSync(configFile, defaultTestConfig());
    const fromEnv = await runCli(["--config", configFile, "export"], { ...env, ENTRA_GITOPS_GRAPH_URL: "https://graph.attacker.test" });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toContain("ENTRA_GITOPS_GRAPH_URL: graph.attacker.test is not a Microsoft Graph host");
    const authority = await runCli(["--config", configFile, "export"], { ...env, AZURE_AUTHORITY_HOST: "https://login.attacker.test" });
    expect(authority.code).toBe(1);
    expect(authority.stderr).toContain("AZURE_AUTHORITY_HOST: login.attacker.test is not a Microsoft Entra authority host");
    expect(started.sandbox.requests()).toEqual([]);
    expect(existsSync(join(dir, "tenant-config"))).toBe(false);

    // Naming the host lets it through the check (here it then fails to resolve: nothing is written either).
    const allowed = await runCli(["--config", configFile, "validate"], { ...env, ENTRA_GITOPS_GRAPH_URL: "https://graph.attacker.test", ENTRA_GITOPS_ALLOW_HOSTS: "graph.attacker.test" });
    expect(allowed.stderr).not.toContain("not a Microsoft Graph host");
  });

  it("a symbolic link to a kind folder is refused by plan (working tree and --rev) and export, and never planned as deletions", async () => {
    const repo = await exportedRepo(env);
    dirs.push(repo.dir);
    const groups = join(repo.dir, "tenant-config", "group");
    const outsideRoot = scratch();
    const outside = join(outsideRoot, "group");
    cpSync(groups, outside, { recursive: true });
    rmSync(groups, { recursive: true });
    symlinkSync(outside, groups);
    const tree = readTree(outsideRoot);

    const plan = await repo.cli("plan", "--format", "json");
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`${groups}: error: refused: symbolic links are not allowed in the configuration folder`);
    expect(plan.stdout).not.toContain('"delete"');

    git(repo.dir, "add", "-A");
    git(repo.dir, "commit", "-q", "-m", "link the groups");
    const atRev = await repo.cli("plan", "--rev", "HEAD");
    expect(atRev.code).toBe(1);
    expect(atRev.stderr).toMatch(/tenant-config\/group@[0-9a-f]{12}: error: refused: symbolic links/);

    const exported = await repo.cli("export");
    expect(exported.code).toBe(1);
    expect(exported.stderr).toContain("refused to export: symbolic links are not allowed");
    expect(readTree(outsideRoot)).toEqual(tree);

    // A symbolic link to a single document file is refused the same way.
    rmSync(groups);
    mkdirSync(groups);
    const first = String([...tree.keys()][0]).replace(/^group\//, "");
    symlinkSync(join(outside, first), join(groups, first));
    const fileLink = await repo.cli("validate");
    expect(fileLink.code).toBe(1);
    expect(fileLink.stderr).toContain("symbolic link");
  });
});
