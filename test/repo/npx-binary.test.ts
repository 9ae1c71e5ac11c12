/**
 * The README's sandbox commands exactly as a user types them, through `npx` and through the
 * installed binary: the package is built in a copy of the repository and linked into a consumer
 * project's node_modules the way `npm install` links it (node_modules/.bin/entra-gitops → the
 * package's bin). Runs on whatever Node runs the tests; CI's matrix runs it on Node 20, 22 and 24.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox } from "../../src/sandbox/index.js";
import { GatewayTestTenant } from "../graph/test-tenant.js";
import { childEnv, copyRepository, type RepoCopy } from "../helpers/repo-copy.js";
import { testCertDir } from "../helpers/sandbox.js";

let copy: RepoCopy | undefined;
let consumer = "";
const running: ChildProcess[] = [];

/** Starts a long-running command in its own process group, so the whole tree can be stopped. */
function start(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  child.on("error", (error) => (output += `error: ${error.message}`));
  running.push(child);
  return { child, output: () => output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid, "SIGINT");
  } catch {
    return;
  }
  await exited;
}

async function waitFor(file: string, output: () => string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!existsSync(file) || !readFileSync(file, "utf8").includes("NODE_EXTRA_CA_CERTS")) {
    if (Date.now() > until) throw new Error(`${file} was not written; output:\n${output()}`);
    if (/error|not found|denied/i.test(output())) throw new Error(output());
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The env file as `set -a; . FILE; set +a` would load it. */
function sourced(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1).replace(/^'(.*)'$/, "$1")]),
  );
}

const env = (): NodeJS.ProcessEnv => {
  const base = childEnv({ npm_config_yes: "false", npm_config_update_notifier: "false" });
  // The sandbox's env file supplies the CA; nothing from this test run's set-up.
  delete base.NODE_EXTRA_CA_CERTS;
  for (const key of Object.keys(base)) if (key.startsWith("AZURE_") || key.startsWith("ENTRA_GITOPS_")) delete base[key];
  return base;
};

describe("the README's sandbox commands through npx and the installed binary", () => {
  beforeAll(() => {
    copy = copyRepository("entra-gitops-npx-");
    execFileSync("npm", ["run", "build", "--silent"], { cwd: copy.dir, env: env(), stdio: "pipe" });
    consumer = join(copy.root, "consumer");
    mkdirSync(join(consumer, "node_modules", ".bin"), { recursive: true });
    writeFileSync(join(consumer, "package.json"), '{ "name": "consumer", "private": true }\n');
    symlinkSync(copy.dir, join(consumer, "node_modules", "entra-gitops"));
    // The package's own "bin" (the bundled CLI, scripts/bundle-cli.mjs), linked as npm links it.
    const bin = (JSON.parse(readFileSync(join(copy.dir, "package.json"), "utf8")) as { bin: Record<string, string> }).bin["entra-gitops"] ?? "";
    expect(bin).toBe("dist/bundle/entra-gitops.js");
    symlinkSync(join("..", "entra-gitops", bin), join(consumer, "node_modules", ".bin", "entra-gitops"));
    // npm marks a package's bin executable when it links it.
    chmodSync(join(copy.dir, bin), 0o755);
  }, 240_000);
  afterAll(async () => {
    for (const child of running) await stop(child);
    copy?.remove();
  });

  it("npx entra-gitops --version prints the package version", () => {
    const run = spawnSync("npx", ["--no-install", "entra-gitops", "--version"], { cwd: consumer, env: env(), encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(join(copy?.dir ?? "", "package.json"), "utf8")) as { version: string };
    expect(run.stdout.trim().split(" ")[0]).toBe(pkg.version);
    // Printed once: the bundle's entry runs the CLI, and index.ts's own "run when invoked directly" does not run it again.
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("npx entra-gitops sandbox --seed demo --write-env FILE writes the env file; init, export and plan run against it", async () => {
    const file = join(consumer, ".sandbox", "sandbox.env");
    const sandbox = start("npx", ["--no-install", "entra-gitops", "sandbox", "--seed", "demo", "--write-env", ".sandbox/sandbox.env"], consumer, env());
    await waitFor(file, sandbox.output);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const vars = sourced(file);
    expect(Object.keys(vars).sort()).toEqual(["AZURE_AUTHORITY_HOST", "AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID", "ENTRA_GITOPS_GRAPH_URL", "NODE_EXTRA_CA_CERTS"]);
    expect(sandbox.output()).not.toContain(vars.AZURE_CLIENT_SECRET);

    // "in another shell": set -a; . .sandbox/sandbox.env; set +a; npx entra-gitops init && ... export && ... plan
    const shell = spawnSync("sh", ["-c", "set -a; . .sandbox/sandbox.env; set +a; npx --no-install entra-gitops init && npx --no-install entra-gitops export && npx --no-install entra-gitops plan"], {
      cwd: consumer,
      env: { ...env(), ENTRA_GITOPS_CA_INTERVAL_MS: "0" },
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(shell.status, shell.stdout + shell.stderr).toBe(0);
    expect(shell.stdout).toContain("created entra-gitops.yaml");
    expect(shell.stdout).toContain("No changes. The tenant matches the configuration");
    expect(existsSync(join(consumer, "tenant-config", "conditionalAccessPolicy"))).toBe(true);
    expect(shell.stdout + shell.stderr).not.toContain(vars.AZURE_CLIENT_SECRET);
    await stop(sandbox.child);
  }, 180_000);

  it("the installed binary validates with the kind validators the build compiled (one module per kind it meets, no ajv), diagnostics unchanged", () => {
    const folder = join(consumer, "validate-me");
    mkdirSync(join(folder, "conditionalAccessPolicy"), { recursive: true });
    mkdirSync(join(folder, "user"), { recursive: true });
    const policy = ["kind: conditionalAccessPolicy", "name: require-mfa", "spec:", "  displayName: Require MFA", "  state: on", "  conditions:", "    clientAppTypes: [all]"];
    writeFileSync(join(folder, "conditionalAccessPolicy", "require-mfa.yaml"), [...policy, "    users:", "      incldueGroups: [All]", "    applications:", "      includeApplications: [All]", ""].join("\n"));
    writeFileSync(join(folder, "user", "alice.yaml"), ["kind: user", "name: alice", "spec:", "  displayName: 12", '  accountEnabled: "yes"', "  birthday: not-a-date", ""].join("\n"));
    const bin = join(consumer, "node_modules", ".bin", "entra-gitops");
    // NODE_DEBUG=module: Node logs every CommonJS module it loads (what `require` resolved) on stderr.
    const run = spawnSync(bin, ["validate", "validate-me"], { cwd: consumer, env: { ...env(), NODE_DEBUG: "module" }, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(1);
    const diagnostics = run.stderr.split("\n").filter((line) => line.startsWith("validate-me/"));
    expect(diagnostics).toEqual([
      "validate-me/conditionalAccessPolicy/require-mfa.yaml:4:3: error: spec.grantControls: grantControls is missing and no session control is set: Graph refuses a Conditional Access policy with neither grant controls nor session controls. Set grantControls (e.g. builtInControls: [mfa] with operator: OR, or [block]) or a sessionControls entry",
      "validate-me/conditionalAccessPolicy/require-mfa.yaml:5:10: error: spec.state: must be one of enabled, disabled, enabledForReportingButNotEnforced",
      "validate-me/conditionalAccessPolicy/require-mfa.yaml:9:7: error: spec.conditions.users.incldueGroups: unknown property (did you mean includeGroups?)",
      "validate-me/user/alice.yaml:4:3: error: spec: missing required property userPrincipalName",
      "validate-me/user/alice.yaml:4:16: error: spec.displayName: must be string or null, not a number",
      "validate-me/user/alice.yaml:5:19: error: spec.accountEnabled: must be boolean or null, not a string",
      "validate-me/user/alice.yaml:6:13: error: spec.birthday: must match format \"date-time\"",
    ]);
    const built = [...new Set(run.stderr.match(/dist\/kind-validators\/[A-Za-z.]+\.cjs/g) ?? [])].sort();
    expect(built).toEqual(["dist/kind-validators/conditionalAccessPolicy.cjs", "dist/kind-validators/user.cjs"]);
    expect(run.stderr).not.toMatch(/node_modules\/ajv\/dist\/ajv\.js/);
  });

  it("the installed binary signs in with a client certificate (msal-node signs the assertion with jsonwebtoken, which the bundle evaluates only then)", async () => {
    const tenant = new GatewayTestTenant(1);
    const pems = await generate([{ name: "commonName", value: "entra-gitops-npx" }], { keySize: 2048 });
    tenant.certificates.push(pems.cert);
    const certPath = join(consumer, "client.pem");
    writeFileSync(certPath, `${pems.private}\n${pems.cert}`, { mode: 0o600 });
    const folder = join(consumer, "certificate");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "entra-gitops.yaml"), "configDir: tenant-config\nbreakGlass:\n  accounts: []\n  groups: []\n");
    const sandbox = await createSandbox({ certDir: testCertDir(), tenant });
    try {
      const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(join(consumer, "node_modules", ".bin", "entra-gitops"), ["permissions", "--check"], {
          cwd: folder,
          env: {
            ...env(),
            AZURE_TENANT_ID: tenant.tenantId,
            AZURE_CLIENT_ID: tenant.clientId,
            AZURE_CLIENT_CERTIFICATE_PATH: certPath,
            AZURE_AUTHORITY_HOST: sandbox.url,
            ENTRA_GITOPS_GRAPH_URL: sandbox.url,
            NODE_EXTRA_CA_CERTS: sandbox.env.NODE_EXTRA_CA_CERTS,
          },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (status) => resolve({ status, stdout, stderr }));
      });
      // The token the certificate got names the app and tenant (whether its roles cover the configured kinds is not the point here).
      expect(run.stdout, run.stderr).toContain(`token: app ${tenant.clientId} in tenant ${tenant.tenantId}`);
      expect(run.stderr).not.toContain("error: ");
    } finally {
      await sandbox.stop();
    }
  }, 60_000);

  it("the installed binary still takes --env-file", async () => {
    const file = join(consumer, "installed.env");
    const sandbox = start(join(consumer, "node_modules", ".bin", "entra-gitops"), ["sandbox", "--seed", "empty", "--env-file", "installed.env"], consumer, env());
    await waitFor(file, sandbox.output);
    expect(sourced(file).AZURE_TENANT_ID).toMatch(/^[0-9a-f-]{36}$/);
    await stop(sandbox.child);
  }, 60_000);
});
