/**
 * What the benchmarks of the built CLI share (`reexport.ts`, `sync-incremental.ts`): their options,
 * the tenant shape they build, and a git repository in which each CLI run is measured in its own
 * process (requests the sandbox answered, CPU user + system, peak resident memory from
 * `/usr/bin/time`, wall time).
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureSandboxKeys } from "../src/sandbox/index.js";
import type { Sandbox } from "../src/sandbox/index.js";
import type { ScaleShape } from "../test/helpers/scale-tenant.js";

export const certDir = join(tmpdir(), "entra-gitops-bench-keys");
/** The built CLI (`npm run build`) as users run it, the package's "bin" (the bundle): run from the repository root. */
const cli = join(process.cwd(), (JSON.parse(readFileSync(join(process.cwd(), "package.json"), "utf8")) as { bin: Record<string, string> }).bin["entra-gitops"] ?? "");

/** `--name 1,2,3`. */
export function list(name: string, fallback: number[]): number[] {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const values = (process.argv[at + 1] ?? "").split(",").map(Number);
  if (values.some((v) => !Number.isFinite(v) || v <= 0)) throw new Error(`--${name} must be a comma-separated list of numbers`);
  return values;
}

export function number(name: string, fallback: number): number {
  return list(name, [fallback])[0] ?? fallback;
}

export function git(cwd: string, ...args: string[]): string {
  const run = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
  return run.stdout.trim();
}

export interface Cost {
  requests: number;
  cpuS: number;
  rssMiB: number;
  wallS: number;
}

/** `users` users (never a multiple of 7), `--groups-per-user` groups, `--members-per-user` memberships, a few big groups. */
export function shapeFor(users: number): ScaleShape {
  const n = users % 7 === 0 ? users + 1 : users;
  const groups = Math.max(2, Math.round(n * number("groups-per-user", 0.1)));
  const bigGroups = Math.min(5, Math.floor(groups / 2));
  const bigGroupSize = Math.min(Math.floor(n / 2), 1500);
  const members = Math.round(n * number("members-per-user", 2));
  const groupSize = Math.max(1, Math.round((members - bigGroups * bigGroupSize) / Math.max(1, groups - bigGroups)));
  return { users: n, groups, bigGroups, bigGroupSize, groupSize };
}

export interface BenchRepo {
  dir: string;
  /** Runs `entra-gitops --config … ARGS`; `--profile DIR` profiles the runs `profiled(args)` picks. */
  run(...args: string[]): Promise<Cost>;
  /** The same, for a command whose exit code may also be one of `codes` (`drift`: 2 when it finds drift). */
  runAllowing(codes: readonly number[], ...args: string[]): Promise<Cost>;
  /** Removes the repository, or keeps it with `--keep` and says where. */
  dispose(say: (line: string) => void): void;
}

/** A git repository with `entra-gitops.yaml` of `configLines`, whose CLI runs talk to `sandbox`. */
export function benchRepo(sandbox: Sandbox, prefix: string, configLines: readonly string[], profiled: (args: readonly string[]) => boolean = () => true): BenchRepo {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  git(dir, "init", "-q", "-b", "main");
  git(dir, "config", "user.name", "Bench");
  git(dir, "config", "user.email", "bench@example.test");
  git(dir, "config", "gc.auto", "0"); // no background gc writing into .git while it is removed
  const config = join(dir, "entra-gitops.yaml");
  writeFileSync(config, [...configLines, ""].join("\n"));
  const env = { ...process.env, ...sandbox.env, ENTRA_GITOPS_GRAPH_URL: sandbox.graphUrl, CI: "true" } as Record<string, string>;
  const at = process.argv.indexOf("--profile");
  const profile = at >= 0 ? process.argv[at + 1] : undefined;
  // Asynchronous: the sandbox answering the CLI runs in this process's event loop.
  const runAllowing = async (codes: readonly number[], ...args: string[]): Promise<Cost> => {
    const before = sandbox.requests().length;
    const node = profile && profiled(args) ? [process.execPath, "--cpu-prof", `--cpu-prof-dir=${profile}`] : [process.execPath];
    const child = spawn("/usr/bin/time", ["-f", "@@ %U %S %M %e", ...node, cli, "--config", config, ...args], { cwd: dir, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const stats = /@@ ([\d.]+) ([\d.]+) (\d+) ([\d.]+)/.exec(stderr);
    if (!stats || (status !== 0 && !codes.includes(status ?? -1))) throw new Error(`${args.join(" ")} failed (${status}): ${stderr.slice(-2000)}`);
    return { requests: sandbox.requests().length - before, cpuS: Number(stats[1]) + Number(stats[2]), rssMiB: Number(stats[3]) / 1024, wallS: Number(stats[4]) };
  };
  return {
    dir,
    run: (...args) => runAllowing([], ...args),
    runAllowing,
    dispose: (say) => {
      if (!process.argv.includes("--keep")) rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
      else say(`repository kept: ${dir}`);
    },
  };
}

/** Runs `main` in a process that trusts the sandbox's certificate (Node reads NODE_EXTRA_CA_CERTS only at start). */
export async function runTrustingSandbox(main: () => Promise<void>): Promise<void> {
  const { certPath } = await ensureSandboxKeys(certDir);
  if (process.env.NODE_EXTRA_CA_CERTS !== certPath) {
    const child = spawnSync(process.execPath, process.argv.slice(1), { stdio: "inherit", env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath } });
    process.exit(child.status ?? 1);
  }
  await main();
}
