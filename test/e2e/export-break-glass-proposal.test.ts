import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { SUGGESTION_END, SUGGESTION_START } from "../../src/config/break-glass-suggestion.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";

/** The lines between the markers, without their `# `, as YAML. */
function proposedYaml(text: string): string {
  const lines = text.split("\n");
  const start = lines.indexOf(SUGGESTION_START);
  const end = lines.indexOf(SUGGESTION_END);
  expect(start, text).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return lines.slice(start + 1, end).filter((l) => !l.startsWith("# (")).map((l) => l.replace(/^# ?/, "")).join("\n");
}

describe("export proposes breakGlass when none is configured", () => {
  let started: StartedSandbox;
  let env: Record<string, string>;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    env = sandboxEnv(started.sandbox);
  });
  const made: string[] = [];
  afterAll(async () => {
    await started?.stop();
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it("writes the identities every blocking policy excludes as a commented block above breakGlass:, once; removed once breakGlass is configured", { timeout: 120_000 }, async () => {
    const { configFile } = tempRepo();
    const before = loadConfig(configFile);
    const exported = await runCli(["--config", configFile, "export"], env);
    expect(exported.code, exported.stderr).toBe(0);
    const text = readFileSync(configFile, "utf8");
    // The demo tenant's blocking policies all exclude the break-glass group.
    const yaml = proposedYaml(text);
    expect(yaml).toContain("breakGlass:\n");
    expect(yaml).toContain("  groups:\n    - group:sg-ca-breakglass-exclusion");
    // Right above the key it proposes to replace; the configuration's values are unchanged.
    const lines = text.split("\n");
    expect(lines[lines.indexOf(SUGGESTION_END) + 1]).toBe("breakGlass:");
    const after = loadConfig(configFile);
    expect(after.breakGlass).toEqual(before.breakGlass);
    const added = /add (breakGlass: \{ .+ \})$/m.exec(exported.stdout)?.[1];
    expect(added, exported.stdout).toContain("group:sg-ca-breakglass-exclusion");

    // A second export replaces the block instead of adding one.
    const again = await runCli(["--config", configFile, "export"], env);
    expect(again.code).toBe(0);
    expect(readFileSync(configFile, "utf8")).toBe(text);
    expect(again.stdout).toContain("still proposed in");

    // The proposed lines, put in place of the empty key, are a valid configuration that protects them.
    const configured = text.replace(/breakGlass:\n {2}accounts: \[\]\n {2}groups: \[\]\n/, `${yaml}\n`);
    writeFileSync(configFile, configured);
    expect(loadConfig(configFile).breakGlass.groups).toContain("group:sg-ca-breakglass-exclusion");
    const plan = await runCli(["--config", configFile, "plan"], env);
    expect(plan.code, plan.stderr).toBe(0);
    // Configured now: the next export takes its suggestion away and leaves the values alone.
    expect((await runCli(["--config", configFile, "export"], env)).code).toBe(0);
    const final = readFileSync(configFile, "utf8");
    expect(final).not.toContain(SUGGESTION_START);
    expect(loadConfig(configFile).breakGlass.groups).toEqual(["group:sg-ca-breakglass-exclusion"]);
    expect(final).toContain("    - group:sg-ca-breakglass-exclusion");
  });

  it("the guard's message, with no breakGlass configured, gives the exact line to add", { timeout: 120_000 }, async () => {
    const { dir, configFile } = tempRepo();
    expect((await runCli(["--config", configFile, "export"], env)).code).toBe(0);
    const proposed = /add (breakGlass: \{ .+ \})$/m.exec((await runCli(["--config", configFile, "export"], env)).stdout)?.[1];
    expect(proposed).toMatch(/^breakGlass: \{ .*groups: \[group:sg-ca-breakglass-exclusion\] \}$/);
    // A new enabled block-all policy without the exclusion: refused, and the message says what to add.
    writeFileSync(`${dir}/tenant-config/conditionalAccessPolicy/block-everyone.yaml`, [
      "kind: conditionalAccessPolicy",
      "name: block-everyone",
      "spec:",
      "  conditions:",
      "    applications:",
      "      includeApplications: [All]",
      "    users:",
      "      includeUsers: [All]",
      "  displayName: Block everyone",
      "  grantControls:",
      "    builtInControls: [block]",
      "    operator: OR",
      "  state: enabled",
      "",
    ].join("\n"));
    const plan = await runCli(["--config", configFile, "plan"], env);
    expect(plan.stdout + plan.stderr).toContain(`add to entra-gitops.yaml: ${proposed as string}`);
  });

  it("init --from-tenant signs in and proposes breakGlass the same way, reading only groups and policies and writing nothing to the tenant; without the flag init says how", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "eg-init-tenant-"));
    made.push(dir);
    started.sandbox.clearRequests();
    const init = await runCli(["init", dir, "--from-tenant"], env);
    expect(init.code, init.stdout + init.stderr).toBe(0);
    const configFile = join(dir, "entra-gitops.yaml");
    const text = readFileSync(configFile, "utf8");
    expect(proposedYaml(text)).toContain("  groups:\n    - group:sg-ca-breakglass-exclusion");
    // Above the breakGlass key and its own comment lines.
    const lines = text.split("\n");
    const key = lines.indexOf("breakGlass:");
    expect(key).toBeGreaterThan(lines.indexOf(SUGGESTION_END));
    expect(lines.slice(lines.indexOf(SUGGESTION_END) + 1, key).every((l) => l.startsWith("#"))).toBe(true);
    expect(loadConfig(configFile).breakGlass).toEqual({ accounts: [], groups: [] });
    expect(init.stdout).toMatch(/no breakGlass is configured; proposed in .*entra-gitops\.yaml \(commented\): add breakGlass: \{ .*groups: \[group:sg-ca-breakglass-exclusion\] \}/);
    const graph = started.sandbox.requests().filter((r) => r.kind === "graph" || r.kind === "batch-item");
    expect(graph.length).toBeGreaterThan(0);
    expect(graph.filter((r) => r.method !== "GET" && !(r.method === "POST" && /\/(getByIds|\$batch)$/.test(r.path)))).toEqual([]);
    // Only what the proposal needs: groups (and their members), policies, and ids looked up.
    const read = new Set(graph.map((r) => r.path.split("/")[2] ?? ""));
    expect([...read].filter((p) => !["groups", "identity", "directoryObjects", "users", "servicePrincipals", "$batch"].includes(p))).toEqual([]);

    // The same proposal export makes from this tenant.
    const { configFile: exportConfig } = tempRepo();
    expect((await runCli(["--config", exportConfig, "export"], env)).code).toBe(0);
    expect(proposedYaml(readFileSync(exportConfig, "utf8"))).toBe(proposedYaml(text));

    // Without the flag (or without credentials) init writes no proposal and says how to get one.
    const offline = mkdtempSync(join(tmpdir(), "eg-init-offline-"));
    made.push(offline);
    const plain = await runCli(["init", offline], {});
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain("no breakGlass is configured: run entra-gitops init");
    expect(plain.stdout).toContain("--from-tenant once signed in, or export, to propose it");
    expect(readFileSync(join(offline, "entra-gitops.yaml"), "utf8")).not.toContain(SUGGESTION_START);
    // --from-tenant without a way to sign in: a clear error; the scaffolded files stay, with no proposal.
    const unsigned = mkdtempSync(join(tmpdir(), "eg-init-unsigned-"));
    made.push(unsigned);
    const noCredentials = Object.fromEntries(Object.keys(env).filter((k) => k.startsWith("AZURE_") || k.startsWith("ENTRA_GITOPS_")).map((k) => [k, undefined]));
    const failed = await runCli(["init", unsigned, "--from-tenant"], { ...noCredentials, IDENTITY_ENDPOINT: undefined, MSI_ENDPOINT: undefined });
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain("cannot propose breakGlass: the tenant could not be read (could not get an access token");
    expect(failed.stderr).toContain("run init --from-tenant again, or export");
    expect(readFileSync(join(unsigned, "entra-gitops.yaml"), "utf8")).not.toContain(SUGGESTION_START);
  });
});
