/**
 * Benchmark (not a test): what `sync` costs after k changes on a tenant of N users, read
 * incrementally (sync.incremental: delta and the audit log, README "Incremental sync"), beside a
 * first full export of the same tenant. Each step is the real CLI in its own process against an
 * HTTPS sandbox in this one, so the figures are the CLI's own: Graph requests (the sandbox's log),
 * CPU (user + system) and peak resident memory (`/usr/bin/time`).
 *
 *   npm run build && npx tsc -p bench/tsconfig.json && node node_modules/.cache/entra-gitops-bench/bench/sync-incremental.js \
 *     [--users 1000,10000,100000] [--k 1,10,100] [--groups-per-user 0.1] [--members-per-user 2] [--keep] [--profile DIR]
 *
 * Per tenant size: `export` into an empty repository (the baseline), `export` again into the
 * committed folder, a first `sync` (a full read that records the delta links), then for each k: k
 * portal changes through Graph (a third each: a user's department, a member added to a group, a
 * member removed), an incremental `drift` that reports them and an incremental `sync` that commits
 * them; and once, right after the first sync, a `drift --full` (the whole tenant against every
 * document) for comparison. The sandbox runs without its
 * throttling model (requests are counted, not paced) and with its audit latency, so changes are
 * committed with --audit-grace 0.
 *
 * Last measured (README "Incremental sync", quiet 2-core machine, Dec 7 18:34-18:43 UTC, main at
 * 295aa2b): at 100,000 users and k = 1, sync 7 requests (0.03% of a first export's), 0.97 s and
 * 1.00 s CPU in two runs (3.4% and 3.8% of their first exports' 28.8 s and 26.4 s; target under 5%)
 * and 114 MiB (0.14x); drift 0.64 s and 0.69 s (2.2%, 2.6%). A full read (the first sync) 26.5 s
 * and 23.5 s (0.92x, 0.89x), `drift --full` 24.5 s and 22.6 s. `--profile DIR` writes a CPU
 * profile of each sync and drift run (`node --cpu-prof`). docs/sync-performance.md has the earlier
 * measurements.
 */
import { createGateway } from "../src/graph/create.js";
import { createSandbox, createTenant } from "../src/sandbox/index.js";
import { groupId, groupMembers, membershipCount, SCALE_DOMAIN, scaleSeed, userId } from "../test/helpers/scale-tenant.js";
import { benchRepo, certDir, git, list, runTrustingSandbox, shapeFor } from "./cli-bench.js";
import type { Cost } from "./cli-bench.js";

async function measureTenant(users: number, ks: readonly number[]): Promise<string[]> {
  const shape = shapeFor(users);
  const seeded = Date.now();
  const tenant = createTenant({ domain: SCALE_DOMAIN, seed: scaleSeed(shape) });
  const seedS = (Date.now() - seeded) / 1000;
  const sandbox = await createSandbox({ tenant, certDir });
  const lines: string[] = [];
  const config = ["configDir: tenant-config", "breakGlass:", "  accounts: []", "  groups: []", "kinds: [user, group]", "sync:", "  incremental: true"];
  const bench = benchRepo(sandbox, "entra-gitops-bench-sync-", config, (args) => args[0] === "sync" || args[0] === "drift");
  const repo = bench.dir;
  const run = bench.run;
  try {
    const row = (label: string, cost: Cost, base?: Cost): string =>
      `  ${label.padEnd(34)} ${String(cost.requests).padStart(7)} req  ${cost.cpuS.toFixed(2).padStart(7)} s CPU  ${cost.rssMiB.toFixed(0).padStart(5)} MiB  ${cost.wallS.toFixed(1).padStart(6)} s wall` +
      (base ? `   (${pct(cost.requests, base.requests)} of the requests, ${pct(cost.cpuS, base.cpuS)} of the CPU, ${(cost.rssMiB / base.rssMiB).toFixed(2)}× the memory)` : "");

    lines.push(`tenant: ${shape.users} users, ${shape.groups} groups, ${membershipCount(shape)} memberships; seeded in ${seedS.toFixed(1)} s`);
    const first = await run("export");
    lines.push(row("first export", first));
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "Baseline");
    const again = await run("export");
    lines.push(row("export into the committed folder", again, first));
    if (git(repo, "status", "--porcelain", "--", "tenant-config") !== "") throw new Error("a second export changed the documents");
    const full = await run("sync", "--audit-grace", "0");
    lines.push(row("first sync (full read, records links)", full, first));
    // `drift` exits 2 when it finds drift.
    const fullDrift = await bench.runAllowing([2], "drift", "--full");
    lines.push(row("drift --full (no change)", fullDrift, first));

    const gateway = createGateway({ env: { ...sandbox.env, ENTRA_GITOPS_GRAPH_URL: sandbox.graphUrl }, maxConcurrency: 4 });
    let change = 0;
    for (const k of ks) {
      for (let i = 0; i < k; i++, change++) {
        const g = (change * 13) % shape.groups;
        if (i % 3 === 0) await gateway.patch(`/users/${userId((change * 7919) % shape.users)}`, { department: `Changed ${change}` });
        else if (i % 3 === 1) {
          const members = new Set(groupMembers(shape, g));
          let u = (change * 104729) % shape.users;
          for (let tries = 0; members.has(u) && tries < shape.users; tries++) u = (u + 1) % shape.users;
          await gateway.post(`/groups/${groupId(g)}/members/$ref`, { "@odata.id": `${sandbox.graphUrl}/v1.0/directoryObjects/${userId(u)}` });
        } else {
          const member = groupMembers(shape, g)[change % Math.max(1, groupMembers(shape, g).length)] as number;
          await gateway.delete(`/groups/${groupId(g)}/members/${userId(member)}/$ref`, { ignoreMissing: true });
        }
      }
      const drift = await bench.runAllowing([2], "drift");
      lines.push(row(`incremental drift, k = ${k}`, drift, first));
      const head = git(repo, "rev-parse", "HEAD");
      const cost = await run("sync", "--audit-grace", "0");
      const changed = git(repo, "diff", "--name-only", head, "HEAD", "--", "tenant-config").split("\n").filter(Boolean).length;
      lines.push(row(`incremental sync, k = ${k} (${changed} file(s))`, cost, first));
    }
    return lines;
  } finally {
    await sandbox.stop();
    bench.dispose((line) => lines.push(line));
  }
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(part / whole < 0.01 ? 2 : 1)}%` : "n/a";
}

async function main(): Promise<void> {
  const ks = list("k", [1, 10, 100]);
  for (const users of list("users", [1_000, 10_000, 100_000])) {
    for (const line of await measureTenant(users, ks)) console.log(line);
  }
}

await runTrustingSandbox(main);
