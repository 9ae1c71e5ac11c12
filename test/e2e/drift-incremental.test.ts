import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import { KIND_NAMES } from "../../src/model/kind.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, startSandbox } from "../helpers/sandbox.js";
import { admin, idOf } from "../helpers/actors.js";
import { defaultTestConfig, git, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";

/**
 * Incremental drift (README "drift"): with a read recorded by sync, `drift` reads only what changed
 * (the same delta, audit log and git diff as an incremental sync) and reports exactly what a full
 * drift reports; it records nothing, so the next sync still sees every change; a merge made after
 * the read is compared though nobody changed its object; an expired token reads everything.
 */
const CONFIG = defaultTestConfig(["kinds:", ...KIND_NAMES.map((k) => `  - ${k}`)].join("\n"));
const DOMAIN = "contoso.onmicrosoft.com";
const STATE = ".entra-gitops/state/default/sync.yaml";

interface DriftJson {
  summary: Record<string, number>;
  changes: { action: string; address: string }[];
}

function ref(id: string): Record<string, string> {
  return { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${id}` };
}

async function userId(client: Client, local: string): Promise<string> {
  const user = (await client.api(`/users/${local}@${DOMAIN}`).select("id").get()) as { id: string };
  return user.id;
}

/** The report without its time and the digest of the documents it read (the incremental one reads fewer). */
function comparable(json: string): { summary: Record<string, number>; changes: unknown[] } {
  const plan = JSON.parse(json) as DriftJson & Record<string, unknown>;
  return { summary: plan.summary, changes: plan.changes.filter((c) => c.action !== "noop") };
}

// Each test runs sync or drift several times against the HTTPS sandbox: well under 20 s alone, 20 to
// 47 s measured on the shared 2-core machine under load, where vitest's 20 s default fails it for nothing.
describe("incremental drift", { timeout: 120_000 }, () => {
  let started: StartedSandbox<SandboxTenant>;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
  });
  afterAll(async () => started?.stop());

  it("reports what a full drift reports after portal changes and a merge not applied, records nothing, and the next sync sees every change", async () => {
    const { dir, configFile } = tempRepo(CONFIG);
    const env = sandboxEnv(started.sandbox);
    expect((await runCli(["--config", configFile, "export"], env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Baseline");
    const first = await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env);
    expect(first.code, first.stderr).toBe(0);

    // Nothing changed: drift reads by delta and finds nothing.
    const quiet = await runCli(["--config", configFile, "drift"], env);
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
    expect(quiet.stderr).toContain("reading what changed since the last sync: 0 delta item(s)");
    expect(quiet.stdout).toContain("No drift");

    // Portal changes of every sort, and a merged document apply has not written.
    const graph = admin(started);
    const created = (await graph.api("/groups").post({ displayName: "Drift New Group", mailEnabled: false, mailNickname: "driftnew", securityEnabled: true })) as { id: string };
    await graph.api(`/groups/${created.id}/members/$ref`).post(ref(await userId(graph, "alice")));
    await graph.api(`/groups/${await idOf(graph, "/groups", "Finance Team")}`).patch({ description: "Finance, edited in the portal" });
    const pilot = await idOf(graph, "/groups", "sg-ca-pilot-users");
    await graph.api(`/groups/${pilot}/members/$ref`).post(ref(await userId(graph, "quinn.murphy")));
    await graph.api(`/groups/${pilot}/members/${await userId(graph, "bob")}/$ref`).delete();
    await graph.api(`/groups/${await idOf(graph, "/groups", "Marketing")}/owners/$ref`).post(ref(await userId(graph, "alice")));
    await graph.api(`/users/${await userId(graph, "dana.kim")}`).patch({ jobTitle: "Head of Pilots" });
    await graph.api(`/applications/${await idOf(graph, "/applications", "Contoso Monitoring")}`).delete();
    await graph.api(`/users/${await userId(graph, "yara.costa")}`).delete();
    const locations = (await graph.api("/identity/conditionalAccess/namedLocations").get()) as { value: { id: string; "@odata.type": string }[] };
    const ip = locations.value.find((l) => l["@odata.type"] === "#microsoft.graph.ipNamedLocation");
    if (ip) await graph.api(`/identity/conditionalAccess/namedLocations/${ip.id}`).patch({ "@odata.type": "#microsoft.graph.ipNamedLocation", displayName: "Renamed in the portal" });
    catchUpAuditLog(started.sandbox);
    const sales = join(dir, "tenant-config/group/sales-team.yaml");
    const text = readFileSync(sales, "utf8");
    expect(text).toMatch(/^ {2}description: .*$/m);
    writeFileSync(sales, text.replace(/^ {2}description: .*$/m, "  description: Sales, merged and not applied"));
    git(dir, "commit", "-q", "-am", "Sales team description");

    const head = git(dir, "rev-parse", "HEAD");
    const state = git(dir, "show", `HEAD:${STATE}`);
    const incremental = await runCli(["--config", configFile, "drift", "--format", "json"], env);
    expect(incremental.code, incremental.stderr).toBe(2);
    expect(incremental.stderr).toMatch(/reading what changed since the last sync: [1-9]\d* delta item\(s\)/);
    // The facts the first sync recorded held (engine/sync/checked-content.ts): nothing was listed.
    expect(incremental.stderr).not.toContain("every committed document and id listed");
    const full = await runCli(["--config", configFile, "drift", "--format", "json", "--full"], env);
    expect(full.code, full.stderr).toBe(2);
    expect(full.stderr).toContain("reading the whole tenant: --full");
    expect(comparable(incremental.stdout)).toEqual(comparable(full.stdout));
    const addresses = comparable(incremental.stdout).changes.map((c) => (c as { address: string }).address);
    expect(addresses).toEqual(expect.arrayContaining(["group/drift-new-group", "group/finance-team", "group/sg-ca-pilot-users", "group/marketing", "application/contoso-monitoring", "group/sales-team"]));
    // The text reports are the same too, unchanged count included.
    const textIncremental = await runCli(["--config", configFile, "drift"], env);
    const textFull = await runCli(["--config", configFile, "drift", "--full"], env);
    const body = (out: string): string => out.split("\n").slice(2).join("\n");
    expect(body(textIncremental.stdout)).toBe(body(textFull.stdout));

    // Drift records nothing: same commit, same sync state, clean tree.
    expect(git(dir, "rev-parse", "HEAD")).toBe(head);
    expect(git(dir, "show", `HEAD:${STATE}`)).toBe(state);
    expect(git(dir, "status", "--porcelain")).toBe("");

    // The next sync reads from the same links and commits every change; the merge is not applied yet.
    const sync = await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stderr).toMatch(/reading what changed since the last sync: [1-9]\d* delta item\(s\)/);
    expect(sync.stdout).toContain("not applied yet: group/sales-team");
    const files = git(dir, "diff", "--name-status", head, "HEAD", "--", "tenant-config");
    expect(files).toMatch(/^A\ttenant-config\/group\/drift-new-group\.yaml$/m);
    expect(files).toMatch(/^M\ttenant-config\/group\/finance-team\.yaml$/m);
    expect(files).toMatch(/^D\ttenant-config\/application\/contoso-monitoring\.yaml$/m);
    expect(files).not.toContain("sales-team");
    // Only the merge is left, incrementally as in full.
    const after = await runCli(["--config", configFile, "drift", "--format", "json"], env);
    expect(after.stderr).toContain("reading what changed since the last sync");
    expect(comparable(after.stdout).changes.map((c) => (c as { address: string }).address)).toEqual(["group/sales-team"]);
    expect(comparable(after.stdout)).toEqual(comparable((await runCli(["--config", configFile, "drift", "--format", "json", "--full"], env)).stdout));

    // Applied: nothing is left.
    expect((await runCli(["--config", configFile, "apply", "--auto-approve"], env)).code).toBe(0);
    const applied = await runCli(["--config", configFile, "drift"], env);
    expect(applied.stderr).toContain("reading what changed since the last sync");
    expect(applied.code, applied.stdout).toBe(0);
  });

  it("reads everything when the recorded tokens have expired (410), saying so, and reports the same", async () => {
    const { dir, configFile } = tempRepo(CONFIG);
    const env = sandboxEnv(started.sandbox);
    expect((await runCli(["--config", configFile, "export"], env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Baseline");
    expect((await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env)).code).toBe(0);

    started.sandbox.tenant.clock.advance(8 * 24 * 3600 * 1000);
    const graph = admin(started);
    await graph.api(`/groups/${await idOf(graph, "/groups", "Finance Team")}`).patch({ description: "Finance, edited after the tokens expired" });
    catchUpAuditLog(started.sandbox);
    const expired = await runCli(["--config", configFile, "drift", "--format", "json"], env);
    expect(expired.code, expired.stderr).toBe(2);
    expect(expired.stderr).toMatch(/reading the whole tenant: the delta token of \w+ (expired \(resync\)|was refused \(410)/);
    const full = await runCli(["--config", configFile, "drift", "--format", "json", "--full"], env);
    expect(comparable(expired.stdout)).toEqual(comparable(full.stdout));
    expect(comparable(expired.stdout).changes.map((c) => (c as { address: string }).address)).toContain("group/finance-team");
  });
});
