/**
 * Benchmark (not a test): apply through the real gateway against an HTTPS sandbox that runs Graph's
 * throttling model (docs/graph-behaviour.md §4), in two scenarios, each beside the bound Graph sets:
 * - members: N member additions spread over groups of 20 new members each, then their removal;
 *   requests versus the minimum Graph allows (20 members per `PATCH` with `members@odata.bind`,
 *   20 removals per `$batch`);
 * - policies: P Conditional Access policies (added to the demo tenant, disabled) switched to
 *   report-only; apply's wall time versus the
 *   1 request/s Conditional Access bucket for its P writes (P seconds).
 * Only apply is measured (the plan that feeds it is computed first, as `plan` would).
 *
 *   npx tsc -p bench/tsconfig.json && node node_modules/.cache/entra-gitops-bench/bench/apply-scale.js \
 *     [--members 200] [--policies 100] [--quick]
 *
 * `--quick` runs 40 member changes and 10 policies. Measured on the 2-core development machine
 * (shared with other work) with the defaults:
 *   members:  200 additions over 10 groups in 10 requests (minimum 10, 1.00×); 200 removals in 10
 *             requests (minimum 10, 1.00×); no read-back (only members changed).
 *   policies: 100 updates in 102.6 s against a 100 s bound (1.03×): 100 PATCHes and 2 GETs (the
 *             read-back as one list of the 132 policies, two pages), no 429.
 * Dec 7 13:05 UTC, load average about 2, the sandbox charging throttled requests (§4): members 10 and
 *             10 requests (1.00×); policies 100 updates in 101.9 s (1.02×), 102 requests, no 429.
 * Build as bench/README.md says (the schemas linked beside the compiled src/: loadConfig reads them).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadDesired } from "../src/cli/desired.js";
import { loadConfig } from "../src/config/index.js";
import type { ResolvedConfig } from "../src/config/index.js";
import type { SourcedDocument } from "../src/model/document.js";
import { applyPlan } from "../src/engine/apply/apply.js";
import { exportTenant } from "../src/engine/export.js";
import { makePlan } from "../src/engine/planning.js";
import { createGateway } from "../src/graph/create.js";
import type { Gateway } from "../src/graph/create.js";
import { getKind, sortByDependencies } from "../src/kinds/registry.js";
import type { Kind } from "../src/model/kind.js";
import { createSandbox, ensureSandboxKeys } from "../src/sandbox/index.js";
import type { RequestLogEntry, Sandbox } from "../src/sandbox/index.js";

const certDir = join(tmpdir(), "entra-gitops-bench-keys");
const quick = process.argv.includes("--quick");

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

async function relaunchTrusted(certPath: string): Promise<never> {
  const child = spawnSync(process.execPath, process.argv.slice(1), { stdio: "inherit", env: { ...process.env, NODE_EXTRA_CA_CERTS: certPath } });
  process.exit(child.status ?? 1);
}

/** A configuration repository (no git) with `kinds` exported into it. */
async function exportedConfig(sandbox: Sandbox, gateway: Gateway, kinds: readonly Kind[]): Promise<{ root: string; config: ResolvedConfig }> {
  const root = mkdtempSync(join(tmpdir(), "entra-gitops-bench-apply-"));
  const file = join(root, "entra-gitops.yaml");
  writeFileSync(file, ["configDir: tenant-config", "kinds:", ...kinds.map((k) => `  - ${k}`), "breakGlass:", "  accounts: []", "  groups: []", ""].join("\n"));
  mkdirSync(join(root, "tenant-config"));
  const exported = await exportTenant(gateway, sortByDependencies([...kinds]).map(getKind), join(root, "tenant-config"));
  if (exported.failed.size > 0) throw new Error(`export failed: ${[...exported.failed.keys()].join(", ")}`);
  void sandbox;
  return { root, config: loadConfig(file) };
}

/** Plans `documents` (edited in memory) against the tenant, applies, and returns what apply sent and how long it took. */
async function planAndApply(sandbox: Sandbox, gateway: Gateway, config: ResolvedConfig, documents: SourcedDocument[]): Promise<{ log: readonly RequestLogEntry[]; ms: number; failed: string[] }> {
  const descriptors = sortByDependencies(config.kinds).map(getKind);
  const { plan, snapshot } = await makePlan({ config, descriptors, gateway, desired: documents, gitRevision: null, graphUrl: sandbox.graphUrl, allowDelete: false });
  const blocked = [...plan.diagnostics.filter((d) => d.severity === "error"), ...plan.guards.filter((g) => g.severity === "block")];
  if (blocked.length > 0) throw new Error(`the plan is refused: ${blocked.map((b) => b.message).join("; ")}`);
  sandbox.clearRequests();
  const started = Date.now();
  const results = await applyPlan(plan, { gateway, descriptors: new Map(descriptors.map((d) => [d.kind, d])), index: snapshot.index, graphRoot: sandbox.graphUrl });
  const ms = Date.now() - started;
  return { log: sandbox.requests(), ms, failed: results.filter((r) => r.status !== "done").map((r) => `${r.address}: ${r.message ?? r.status}`) };
}

/** Requests apply sent over the wire (a `$batch` counts once, its items not). */
function sent(log: readonly RequestLogEntry[]): RequestLogEntry[] {
  return log.filter((e) => e.kind === "graph" || e.kind === "batch");
}

function ratio(value: number, bound: number): string {
  return `${(value / bound).toFixed(2)}×`;
}

async function membersScenario(changes: number): Promise<boolean> {
  const groups = Math.ceil(changes / 20);
  const sandbox = await createSandbox({ seed: "demo", certDir, throttling: true });
  const root: string[] = [];
  try {
    const seed = sandbox.tenant.seedApi();
    for (let g = 0; g < groups; g++) seed.create("groups", { displayName: `bench-group-${g}`, mailEnabled: false, mailNickname: `bench-group-${g}`, securityEnabled: true });
    const gateway = createGateway({ env: { ...sandbox.env, ENTRA_GITOPS_GRAPH_URL: sandbox.graphUrl } });
    const { root: dir, config } = await exportedConfig(sandbox, gateway, ["group"]);
    root.push(dir);
    const desired = await loadDesired(config);
    // 20 of the demo's users (members of "All Company", so the snapshot names them).
    const everyone = desired.documents.find((d) => d.name === "all-company")?.spec.members;
    const members = Array.isArray(everyone) ? everyone.filter((m): m is string => typeof m === "string").slice(0, 20) : [];
    if (members.length < 20) throw new Error("the demo tenant's all-company group has fewer than 20 members");
    let left = changes;
    const edited = desired.documents.map((doc) => {
      if (!doc.name.startsWith("bench-group-") || left <= 0) return doc;
      const count = Math.min(20, left);
      left -= count;
      return { ...doc, spec: { ...doc.spec, members: members.slice(0, count) } };
    });
    const add = await planAndApply(sandbox, gateway, config, edited);
    const minimum = Math.ceil(changes / 20);
    const addSent = sent(add.log);
    console.log(`members: ${changes} additions over ${groups} groups: ${addSent.length} requests (minimum ${minimum}, ${ratio(addSent.length, minimum)}); ${(add.ms / 1000).toFixed(1)} s`);
    const remove = await planAndApply(sandbox, gateway, config, desired.documents);
    const removeSent = sent(remove.log);
    console.log(`members: ${changes} removals over ${groups} groups: ${removeSent.length} requests (minimum ${minimum}, ${ratio(removeSent.length, minimum)}); ${(remove.ms / 1000).toFixed(1)} s`);
    const failed = [...add.failed, ...remove.failed];
    if (failed.length > 0) console.log(`FAILED: ${failed.join("; ")}`);
    return failed.length === 0 && addSent.length <= 1.2 * minimum && removeSent.length <= 1.2 * minimum;
  } finally {
    await sandbox.stop();
    for (const dir of root) rmSync(dir, { recursive: true, force: true });
  }
}

async function policiesScenario(count: number): Promise<boolean> {
  const sandbox = await createSandbox({ seed: "demo", certDir, throttling: true });
  let root: string | undefined;
  try {
    const seed = sandbox.tenant.seedApi();
    for (let p = 0; p < count; p++) {
      seed.create("conditionalAccessPolicies", {
        displayName: `CA-BENCH-${String(p).padStart(3, "0")}`,
        state: "disabled",
        conditions: { users: { includeUsers: ["None"] }, applications: { includeApplications: ["All"] }, clientAppTypes: ["all"] },
        grantControls: { operator: "OR", builtInControls: ["mfa"] },
      });
    }
    const gateway = createGateway({ env: { ...sandbox.env, ENTRA_GITOPS_GRAPH_URL: sandbox.graphUrl } });
    const exported = await exportedConfig(sandbox, gateway, ["group", "namedLocation", "authenticationStrengthPolicy", "authenticationContextClassReference", "conditionalAccessPolicy"]);
    root = exported.root;
    const desired = await loadDesired(exported.config);
    let left = count;
    const edited = desired.documents.map((doc) => {
      if (doc.kind !== "conditionalAccessPolicy" || left <= 0 || !String(doc.spec.displayName).startsWith("CA-BENCH-")) return doc;
      left--;
      return { ...doc, spec: { ...doc.spec, state: "enabledForReportingButNotEnforced" } };
    });
    const changed = count - left;
    const result = await planAndApply(sandbox, gateway, exported.config, edited);
    const requests = sent(result.log);
    const boundMs = changed * 1000;
    console.log(
      `policies: ${changed} updates in ${(result.ms / 1000).toFixed(1)} s against a ${(boundMs / 1000).toFixed(0)} s bound (1 request/s for ${changed} writes): ${ratio(result.ms, boundMs)}; ` +
        `${requests.length} requests (${requests.filter((e) => e.method === "PATCH").length} PATCH, ${requests.filter((e) => e.method === "GET").length} GET), ${result.log.filter((e) => e.status === 429).length} throttled`,
    );
    if (result.failed.length > 0) console.log(`FAILED: ${result.failed.join("; ")}`);
    return result.failed.length === 0 && result.ms <= 1.2 * boundMs;
  } finally {
    await sandbox.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const members = option("members", quick ? 40 : 200);
  const policies = option("policies", quick ? 10 : 100);
  const ok = [members > 0 ? await membersScenario(members) : true, policies > 0 ? await policiesScenario(policies) : true];
  if (ok.includes(false)) {
    console.log("target (1.2× the bound) not met");
    process.exitCode = 1;
  }
}

const { certPath } = await ensureSandboxKeys(certDir);
if (process.env.NODE_EXTRA_CA_CERTS !== certPath) await relaunchTrusted(certPath);
await main();
