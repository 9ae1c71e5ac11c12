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
import { loadavg } from "node:os";
import { createGateway } from "../src/graph/create.js";
import { createSandbox, createTenant } from "../src/sandbox/index.js";
import { membershipCount, SCALE_DOMAIN, scaleSeed, userId } from "../test/helpers/scale-tenant.js";
import { benchRepo, certDir, git, list, number, runTrustingSandbox, shapeFor } from "./cli-bench.js";
import type { Cost } from "./cli-bench.js";

async function measureTenant(users: number, runs: number): Promise<void> {
  const shape = shapeFor(users);
  const seeded = Date.now();
  const tenant = createTenant({ domain: SCALE_DOMAIN, seed: scaleSeed(shape) });
  const seedS = (Date.now() - seeded) / 1000;
  const sandbox = await createSandbox({ tenant, certDir });
  const lines = { push: (line: string): void => console.log(line) };
  const bench = benchRepo(sandbox, "entra-gitops-bench-reexport-", ["configDir: tenant-config", "breakGlass:", "  accounts: []", "  groups: []", "kinds: [user, group]"]);
  const repo = bench.dir;
  const run = bench.run;
  try {
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
    bench.dispose((line) => lines.push(line));
  }
}

async function main(): Promise<void> {
  const runs = number("runs", 1);
  for (const users of list("users", [10_000])) {
    await measureTenant(users, runs);
  }
}

await runTrustingSandbox(main);
