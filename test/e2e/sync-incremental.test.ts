import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@microsoft/microsoft-graph-client";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import { KIND_NAMES } from "../../src/model/kind.js";
import { parseSyncState } from "../../src/state/sync-state.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, startSandbox } from "../helpers/sandbox.js";
import { admin, idOf } from "../helpers/actors.js";
import { cloneRepo, defaultTestConfig, git, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";

/**
 * Incremental sync (README "Incremental sync"): after a full read records delta links in the sync
 * state, a sync reads only what changed (delta, the audit log) and commits exactly what a full sync
 * commits; a full export afterwards changes nothing; a refused or expired token reads everything.
 */
const CONFIG = defaultTestConfig(["kinds:", ...KIND_NAMES.map((k) => `  - ${k}`), "sync:", "  incremental: true"].join("\n"));
const DOMAIN = "contoso.onmicrosoft.com";
const STATE = ".entra-gitops/state/default/sync.yaml";

function ref(id: string): Record<string, string> {
  return { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${id}` };
}

async function userId(client: Client, local: string): Promise<string> {
  const user = (await client.api(`/users/${local}@${DOMAIN}`).select("id").get()) as { id: string };
  return user.id;
}

// Each test runs sync or drift several times against the HTTPS sandbox: well under 20 s alone, 20 to
// 47 s measured on the shared 2-core machine under load, where vitest's 20 s default fails it for nothing.
describe("incremental sync by delta and the audit log", { timeout: 120_000 }, () => {
  let started: StartedSandbox<SandboxTenant>;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
  });
  afterAll(async () => started?.stop());

  it("commits exactly what a full sync commits after portal creates, updates, deletes and membership changes; a full export then changes nothing", async () => {
    const { dir, configFile } = tempRepo(CONFIG);
    const env = sandboxEnv(started.sandbox);
    expect((await runCli(["--config", configFile, "export"], env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Baseline");

    // The first sync reads everything and records where it stopped.
    const first = await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("reading the whole tenant: no earlier read is recorded in the sync state");
    const state = parseSyncState(git(dir, "show", `HEAD:${STATE}`), STATE);
    expect(state.diagnostics).toEqual([]);
    expect([...(state.state.read?.deltaLinks.keys() ?? [])].sort()).toEqual(["administrativeUnit", "application", "group", "servicePrincipal", "user"]);

    // Nothing changed: the next sync reads by delta and commits nothing.
    const headBefore = git(dir, "rev-parse", "HEAD");
    const quiet = await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toContain("reading what changed since the last sync: 0 delta item(s)");
    expect(git(dir, "rev-parse", "HEAD")).toBe(headBefore);

    // Portal changes of every sort.
    const graph = admin(started);
    const created = (await graph.api("/groups").post({ displayName: "Incremental New Group", mailEnabled: false, mailNickname: "incnew", securityEnabled: true })) as { id: string };
    await graph.api(`/groups/${created.id}/members/$ref`).post(ref(await userId(graph, "alice")));
    const finance = await idOf(graph, "/groups", "Finance Team");
    await graph.api(`/groups/${finance}`).patch({ description: "Finance, edited in the portal" });
    const pilot = await idOf(graph, "/groups", "sg-ca-pilot-users");
    await graph.api(`/groups/${pilot}/members/$ref`).post(ref(await userId(graph, "quinn.murphy")));
    await graph.api(`/groups/${pilot}/members/${await userId(graph, "bob")}/$ref`).delete();
    await graph.api(`/groups/${await idOf(graph, "/groups", "Marketing")}/owners/$ref`).post(ref(await userId(graph, "alice")));
    await graph.api(`/users/${await userId(graph, "dana.kim")}`).patch({ jobTitle: "Head of Pilots" });
    const monitoring = await idOf(graph, "/applications", "Contoso Monitoring");
    await graph.api(`/applications/${monitoring}`).delete();
    await graph.api(`/users/${await userId(graph, "yara.costa")}`).delete();
    const location = (await graph.api("/identity/conditionalAccess/namedLocations").get()) as { value: { id: string; "@odata.type": string }[] };
    const ip = location.value.find((l) => l["@odata.type"] === "#microsoft.graph.ipNamedLocation");
    if (ip) await graph.api(`/identity/conditionalAccess/namedLocations/${ip.id}`).patch({ "@odata.type": "#microsoft.graph.ipNamedLocation", displayName: "Renamed in the portal" });
    catchUpAuditLog(started.sandbox);

    // The same repository twice: one syncs incrementally, the other reads everything.
    const fullDir = `${dir}-full`;
    cloneRepo(dir, fullDir);
    const incremental = await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env);
    expect(incremental.code).toBe(0);
    expect(incremental.stderr).toMatch(/reading what changed since the last sync: [1-9]\d* delta item\(s\)/);
    const full = await runCli(["--config", join(fullDir, "entra-gitops.yaml"), "sync", "--audit-grace", "0", "--full"], env);
    expect(full.code).toBe(0);
    expect(full.stderr).toContain("reading the whole tenant: --full");

    // Same documents, same id map, same commits (subjects and authors), in the same order.
    expect(git(dir, "rev-parse", "HEAD:tenant-config")).toBe(git(fullDir, "rev-parse", "HEAD:tenant-config"));
    expect(git(dir, "show", "HEAD:.entra-gitops/state/default/ids.yaml")).toBe(git(fullDir, "show", "HEAD:.entra-gitops/state/default/ids.yaml"));
    const drift = (repo: string): string => git(repo, "log", "--format=%an <%ae> %s", `${headBefore}..HEAD`, "--", "tenant-config");
    expect(drift(dir)).toBe(drift(fullDir));
    expect(drift(dir)).not.toBe("");
    const files = git(dir, "diff", "--name-status", headBefore, "HEAD", "--", "tenant-config");
    expect(files).toMatch(/^A\ttenant-config\/group\/incremental-new-group\.yaml$/m);
    expect(files).toMatch(/^M\ttenant-config\/group\/finance-team\.yaml$/m);
    expect(files).toMatch(/^D\ttenant-config\/application\/contoso-monitoring\.yaml$/m);
    expect(files).toMatch(/^M\ttenant-config\/group\/marketing\.yaml$/m);

    // A full export over the incrementally synced folder changes nothing.
    expect((await runCli(["--config", configFile, "export"], env)).code).toBe(0);
    expect(git(dir, "status", "--porcelain", "--", "tenant-config", ".entra-gitops/state/default/ids.yaml")).toBe("");
  });

  it("reads everything when a recorded delta token is refused or expired, and continues incrementally after", async () => {
    const { dir, configFile } = tempRepo(CONFIG);
    const env = sandboxEnv(started.sandbox);
    expect((await runCli(["--config", configFile, "export"], env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Baseline");
    expect((await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env)).code).toBe(0);

    // A corrupted token (400 from Graph): a full read, which records fresh links.
    const path = join(dir, STATE);
    writeFileSync(path, readFileSync(path, "utf8").replace(/(group: https:\S+\$deltatoken=)\S+/, "$1not-a-token"));
    git(dir, "commit", "-q", "-am", "Corrupt the group delta token");
    const graph = admin(started);
    await graph.api(`/groups/${await idOf(graph, "/groups", "Sales Team")}`).patch({ description: "Sales, edited while the token was bad" });
    catchUpAuditLog(started.sandbox);
    const refused = await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env);
    expect(refused.code).toBe(0);
    expect(refused.stderr).toContain("reading the whole tenant: the delta token of group was refused (400");
    // One commit per run: the drift commit also records where the read stopped.
    expect(git(dir, "show", "HEAD:tenant-config/group/sales-team.yaml")).toContain("Sales, edited while the token was bad");
    expect(git(dir, "show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual([STATE, "tenant-config/group/sales-team.yaml"]);
    expect(git(dir, "show", `HEAD:${STATE}`)).not.toContain("not-a-token");

    // Eight days later (sandbox time) every token has expired: 410, a full read again.
    started.sandbox.tenant.clock.advance(8 * 24 * 3600 * 1000);
    const later = admin(started);
    await later.api(`/groups/${await idOf(later, "/groups", "Sales Team")}`).patch({ description: "Sales, edited after the tokens expired" });
    catchUpAuditLog(started.sandbox);
    const expired = await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env);
    expect(expired.code).toBe(0);
    expect(expired.stderr).toMatch(/reading the whole tenant: the delta token of \w+ (expired \(resync\)|was refused \(410)/);
    // One commit per run: the drift commit also records where the read stopped.
    expect(git(dir, "show", "HEAD:tenant-config/group/sales-team.yaml")).toContain("Sales, edited after the tokens expired");
    expect(git(dir, "show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual([STATE, "tenant-config/group/sales-team.yaml"]);

    // And the run after continues by delta.
    await later.api(`/groups/${await idOf(later, "/groups", "Sales Team")}`).patch({ description: "Sales, edited once more" });
    catchUpAuditLog(started.sandbox);
    const after = await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env);
    expect(after.code).toBe(0);
    expect(after.stderr).toContain("reading what changed since the last sync: 1 delta item(s)");
    // One commit per run: the drift commit also records where the read stopped.
    expect(git(dir, "show", "HEAD:tenant-config/group/sales-team.yaml")).toContain("Sales, edited once more");
    expect(git(dir, "show", "--name-only", "--format=", "HEAD").split("\n").sort()).toEqual([STATE, "tenant-config/group/sales-team.yaml"]);
    expect((await runCli(["--config", configFile, "export"], env)).code).toBe(0);
    expect(git(dir, "status", "--porcelain", "--", "tenant-config")).toBe("");
  });
});
