/**
 * Benchmark (not a test): a full `export` into a folder that already holds the tenant's documents
 * (a re-export) against a first `export` into an empty one (issue #10: "a full export into an
 * existing folder costs no more than 1.2× a first export"). Each export is the built CLI in its own
 * process against an HTTPS sandbox in this one, without the throttling model (requests are counted,
 * not paced), so the figures are the CLI's own: requests, CPU (user + system) and peak resident
 * memory (`/usr/bin/time`), and wall time.
 *
 *   npm run build && npx tsc -p bench/tsconfig.json && node node_modules/.cache/entra-gitops-bench/bench/reexport.js \
 *     [--users 10000,50000] [--groups-per-user 0.1] [--members-per-user 2] [--runs 1] [--keep] [--profile DIR]
 *
 * Per tenant size: `export` into an empty repository, commit, then `export` again `--runs` times into
 * the committed folder (the tenant unchanged: every file stays byte for byte as it was, which is
 * checked with `git status`), then once more after one user's department changed in the tenant.
 * `--profile DIR` writes a `--cpu-prof` profile of every export into DIR.
 *
 * Measured on the shared 2-core machine, loaded (load average 14–18):
 *   10k users, 1k groups: first export 7.5–8.3 s CPU, into the committed folder 4.3–4.7 s (0.52–0.63×),
 *               memory 0.96× (before each file was read once and parsed only when needed: 3.0×).
 *   50k users, 5k groups, 102,405 memberships: 16.9 s and 11.3 s CPU (0.67×), memory 1.17×.
 *   100k users, 10k groups, 197,405 memberships (load 10–13): 27.9 s and 16.2 s CPU (0.58×), memory
 *               0.77×; after one change 16.6 s (0.60×).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createGateway } from "../src/graph/create.js";
import { createSandbox, createTenant, ensureSandboxKeys } from "../src/sandbox/index.js";
import { membershipCount, SCALE_DOMAIN, scaleSeed, userId } from "../test/helpers/scale-tenant.js";
import type { ScaleShape } from "../test/helpers/scale-tenant.js";

const certDir = join(tmpdir(), "entra-gitops-bench-keys");
/** The built CLI (`npm run build`), as users run it: run from the repository root. */
const cli = join(process.cwd(), "dist", "cli", "index.js");

function list(name: string, fallback: number[]): number[] {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const values = (process.argv[at + 1] ?? "").split(",").map(Number);
  if (values.some((v) => !Number.isFinite(v) || v <= 0)) throw new Error(`--${name} must be a comma-separated list of numbers`);
  return values;
}

function number(name: string, fallback: number): number {
  return list(name, [fallback])[0] ?? fallback;
}

function git(cwd: string, ...args: string[]): string {
  const run = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
  return run.stdout.trim();
}

interface Cost {
  requests: number;
  cpuS: number;
  rssMiB: number;
  wallS: number;
}

function shapeFor(users: number): ScaleShape {
  const n = users % 7 === 0 ? users + 1 : users;
  const groups = Math.max(2, Math.round(n * number("groups-per-user", 0.1)));
  const bigGroups = Math.min(5, Math.floor(groups / 2));
  const bigGroupSize = Math.min(Math.floor(n / 2), 1500);
  const members = Math.round(n * number("members-per-user", 2));
  const groupSize = Math.max(1, Math.round((members - bigGroups * bigGroupSize) / Math.max(1, groups - bigGroups)));
  return { users: n, groups, bigGroups, bigGroupSize, groupSize };
}

async function measureTenant(users: number, runs: number): Promise<void> {
  const shape = shapeFor(users);
  const seeded = Date.now();
  const tenant = createTenant({ domain: SCALE_DOMAIN, seed: scaleSeed(shape) });
  const seedS = (Date.now() - seeded) / 1000;
  const sandbox = await createSandbox({ tenant, certDir });
  const repo = mkdtempSync(join(tmpdir(), "entra-gitops-bench-reexport-"));
  const lines = { push: (line: string): void => console.log(line) };
  try {
    git(repo, "init", "-q", "-b", "main");
    git(repo, "config", "user.name", "Bench");
    git(repo, "config", "user.email", "bench@example.test");
    git(repo, "config", "gc.auto", "0"); // no background gc writing into .git while it is removed
    const config = join(repo, "entra-gitops.yaml");
    writeFileSync(config, ["configDir: tenant-config", "breakGlass:", "  accounts: []", "  groups: []", "kinds: [user, group]", ""].join("\n"));
    const env = { ...process.env, ...sandbox.env, ENTRA_GITOPS_GRAPH_URL: sandbox.graphUrl, CI: "true" } as Record<string, string>;
    const at = process.argv.indexOf("--profile");
    const profile = at >= 0 ? process.argv[at + 1] : undefined;
    // Asynchronous: the sandbox answering the CLI runs in this process's event loop.
    const run = async (...args: string[]): Promise<Cost> => {
      const before = sandbox.requests().length;
      const node = profile ? [process.execPath, "--cpu-prof", `--cpu-prof-dir=${profile}`] : [process.execPath];
      const child = spawn("/usr/bin/time", ["-f", "@@ %U %S %M %e", ...node, cli, "--config", config, ...args], { cwd: repo, env, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
      const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
      const stats = /@@ ([\d.]+) ([\d.]+) (\d+) ([\d.]+)/.exec(stderr);
      if (!stats || status !== 0) throw new Error(`${args.join(" ")} failed (${status}): ${stderr.slice(-2000)}`);
      return { requests: sandbox.requests().length - before, cpuS: Number(stats[1]) + Number(stats[2]), rssMiB: Number(stats[3]) / 1024, wallS: Number(stats[4]) };
    };
    const load = (): string => (loadavg()[0] ?? 0).toFixed(1);
    const row = (label: string, cost: Cost, base?: Cost): string =>
      `  ${label.padEnd(40)} ${String(cost.requests).padStart(7)} req  ${cost.cpuS.toFixed(2).padStart(7)} s CPU  ${cost.rssMiB.toFixed(0).padStart(5)} MiB  ${cost.wallS.toFixed(1).padStart(6)} s wall  load ${load()}` +
      (base ? `   (${(cost.cpuS / base.cpuS).toFixed(2)}× the CPU, ${(cost.rssMiB / base.rssMiB).toFixed(2)}× the memory, ${(cost.wallS / base.wallS).toFixed(2)}× the wall time)` : "");

    lines.push(`tenant: ${shape.users} users, ${shape.groups} groups, ${membershipCount(shape)} memberships; seeded in ${seedS.toFixed(1)} s; load average ${load()}`);
    const first = await run("export");
    lines.push(row("first export", first));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "Baseline");
    for (let i = 0; i < runs; i++) {
      const again = await run("export");
      lines.push(row(`export into the committed folder${runs > 1 ? ` #${i + 1}` : ""}`, again, first));
      if (git(repo, "status", "--porcelain") !== "") throw new Error("an export of the unchanged tenant changed files");
    }
    const gateway = createGateway({ env: { ...sandbox.env, ENTRA_GITOPS_GRAPH_URL: sandbox.graphUrl }, maxConcurrency: 4 });
    await gateway.patch(`/users/${userId(Math.floor(shape.users / 2))}`, { department: "Changed by the benchmark" });
    const changed = await run("export");
    const files = git(repo, "status", "--porcelain").split("\n").filter(Boolean);
    lines.push(row(`export after one change (${files.length} file(s))`, changed, first));
  } finally {
    await sandbox.stop();
    if (!process.argv.includes("--keep")) rmSync(repo, { recursive: true, force: true, maxRetries: 5 });
    else lines.push(`repository kept: ${repo}`);
  }
}

async function main(): Promise<void> {
  const runs = number("runs", 1);
  for (const users of list("users", [10_000])) {
    await measureTenant(users, runs);
  }
}

const { certPath } = await ensureSandboxKeys(certDir);
if (process.env.NODE_EXTRA_CA_CERTS !== certPath) {
  const child = spawnSync(process.execPath, process.argv.slice(1), { stdio: "inherit", env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath } });
  process.exit(child.status ?? 1);
}
await main();
