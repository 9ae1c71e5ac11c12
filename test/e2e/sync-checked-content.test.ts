import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import { KIND_NAMES } from "../../src/model/kind.js";
import { parseSyncState } from "../../src/state/sync-state.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, startSandbox } from "../helpers/sandbox.js";
import { admin, idOf } from "../helpers/actors.js";
import { cloneRepo, defaultTestConfig, git, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";

/**
 * What a sync records of the committed folder and id map (README "Incremental sync",
 * engine/sync/checked-content.ts): the next incremental sync checks only what git changed since
 * instead of listing every document and id, and lists them all again (saying why) when a hand edit
 * breaks a premise: a non-canonical id map, a document added without an id, an id whose document
 * was deleted. Either way it commits exactly what a full sync of a clone commits.
 */
const CONFIG = defaultTestConfig(["kinds:", ...KIND_NAMES.map((k) => `  - ${k}`), "sync:", "  incremental: true"].join("\n"));
const STATE = ".entra-gitops/state/default/sync.yaml";
const IDS = ".entra-gitops/state/default/ids.yaml";
const LISTED = "every committed document and id listed";

function recordedCheck(dir: string): { folderTree: string; idMap: string; entries: number; lowerCaseIds: boolean; listedKinds: string[] } | undefined {
  const parsed = parseSyncState(git(dir, "show", `HEAD:${STATE}`), STATE);
  expect(parsed.diagnostics).toEqual([]);
  return parsed.state.read?.checked;
}

describe("incremental sync checks what git changed since the facts it recorded", { timeout: 180_000 }, () => {
  let started: StartedSandbox<SandboxTenant>;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
  });
  afterAll(async () => started?.stop());

  /** A portal change, then an incremental sync of `dir` and a full sync of a clone of it: the same commits, documents and ids. */
  async function syncBoth(dir: string, configFile: string, description: string): Promise<string> {
    const env = sandboxEnv(started.sandbox);
    const graph = admin(started);
    await graph.api(`/groups/${await idOf(graph, "/groups", "Sales Team")}`).patch({ description });
    catchUpAuditLog(started.sandbox);
    const fullDir = `${dir}-full-${Date.now()}`;
    cloneRepo(dir, fullDir);
    const base = git(dir, "rev-parse", "HEAD");
    try {
      const incremental = await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env);
      expect(incremental.code).toBe(0);
      expect(incremental.stderr).toContain("reading what changed since the last sync");
      const full = await runCli(["--config", join(fullDir, "entra-gitops.yaml"), "sync", "--audit-grace", "0", "--full"], env);
      expect(full.code).toBe(0);
      expect(git(dir, "rev-parse", "HEAD:tenant-config")).toBe(git(fullDir, "rev-parse", "HEAD:tenant-config"));
      expect(git(dir, "show", `HEAD:${IDS}`)).toBe(git(fullDir, "show", `HEAD:${IDS}`));
      const log = (repo: string): string => git(repo, "log", "--format=%an <%ae> %s", `${base}..HEAD`, "--", "tenant-config", IDS);
      expect(log(dir)).toBe(log(fullDir));
      expect(git(dir, "show", "HEAD:tenant-config/group/sales-team.yaml")).toContain(description);
      return incremental.stderr;
    } finally {
      rmSync(fullDir, { recursive: true, force: true });
    }
  }

  it("records the checked folder and map, then checks only git's changes; each hand edit that breaks a premise lists everything once, and the result equals a full sync", async () => {
    const { dir, configFile } = tempRepo(CONFIG);
    const env = sandboxEnv(started.sandbox);
    expect((await runCli(["--config", configFile, "export"], env)).code).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Baseline");
    const baseline = git(dir, "rev-parse", "HEAD");

    // The first sync (a full read) walks everything and records what it found of the HEAD it read.
    expect((await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env)).code).toBe(0);
    const first = recordedCheck(dir);
    expect(first).toEqual({
      folderTree: git(dir, "rev-parse", `${baseline}:tenant-config`),
      idMap: git(dir, "rev-parse", `${baseline}:${IDS}`),
      entries: git(dir, "show", `${baseline}:${IDS}`).split("\n").filter((line) => line !== "" && !line.startsWith("#")).length,
      lowerCaseIds: !/^[^#].*: \S*[A-Z]/m.test(git(dir, "show", `${baseline}:${IDS}`)),
      // Singletons have documents and no ids: listed from git each time; the others never.
      listedKinds: expect.arrayContaining(["authorizationPolicy", "organization", "securityDefaults"]),
    });
    expect(first?.listedKinds).not.toContain("user");
    expect(first?.listedKinds).not.toContain("group");

    // Nothing broke a premise: the next sync checks git's changes only, and records its own HEAD's facts.
    const readFrom = { folderTree: git(dir, "rev-parse", "HEAD:tenant-config"), idMap: git(dir, "rev-parse", `HEAD:${IDS}`) };
    // A group not read, now a member of the one read: named from the id map as a full read names it.
    const portal = admin(started);
    const marketingId = await idOf(portal, "/groups", "Marketing");
    await portal.api(`/groups/${await idOf(portal, "/groups", "Sales Team")}/members/$ref`).post({ "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${marketingId}` });
    const checked = await syncBoth(dir, configFile, "Sales, checked");
    expect(checked).not.toContain(LISTED);
    expect(git(dir, "show", "HEAD:tenant-config/group/sales-team.yaml")).toContain("group:marketing");
    expect(recordedCheck(dir)).toMatchObject(readFrom);

    // drift checks the same facts, against the work tree's map when it is the committed one.
    const graph = admin(started);
    await graph.api(`/groups/${await idOf(graph, "/groups", "Finance Team")}`).patch({ description: "Finance, drifted" });
    catchUpAuditLog(started.sandbox);
    const drift = async (...args: string[]): Promise<{ stderr: string; changes: unknown }> => {
      const run = await runCli(["--config", configFile, "drift", "--format", "json", ...args], env);
      expect(run.code, run.stderr).toBe(2);
      const plan = JSON.parse(run.stdout) as { changes: { action: string }[] };
      return { stderr: run.stderr, changes: plan.changes.filter((c) => c.action !== "noop") };
    };
    const driftChecked = await drift();
    expect(driftChecked.stderr).not.toContain(LISTED);
    const driftFull = await drift("--full");
    expect(driftChecked.changes).toEqual(driftFull.changes);
    const idsFile = join(dir, IDS);
    const committedIds = readFileSync(idsFile, "utf8");
    writeFileSync(idsFile, committedIds.replace(/\n([^\n]+\n)$/, "\n# edited, not committed\n$1"));
    const driftEdited = await drift();
    expect(driftEdited.stderr).toContain(`${LISTED} (the id map in the work tree is not the one committed)`);
    expect(driftEdited.changes).toEqual(driftFull.changes);
    writeFileSync(idsFile, committedIds);

    // A canonical hand edit of the map (the id of the group the next sync reads, in upper case: the
    // same object) keeps the premises: still checked. (An id the read does not touch stays as
    // edited in an incremental sync, where a full one rewrites it: not this test's subject.)
    const idsPath = join(dir, IDS);
    const text = readFileSync(idsPath, "utf8");
    const sales = /^group\/sales-team: (\S+)$/m.exec(text)?.[1];
    expect(sales).toMatch(/[a-f]/);
    writeFileSync(idsPath, text.replace(`group/sales-team: ${sales}\n`, `group/sales-team: ${sales?.toUpperCase()}\n`));
    git(dir, "commit", "-q", "-am", "Write an id in upper case by hand");
    expect(await syncBoth(dir, configFile, "Sales, after a canonical edit")).not.toContain(LISTED);

    // A hand edit that leaves the map not canonical (a comment among its entries): listed in full, once.
    const edited = readFileSync(idsPath, "utf8").replace(/^(group\/sales-team: \S+)$/m, "# sales below\n$1");
    writeFileSync(idsPath, edited);
    git(dir, "commit", "-q", "-am", "Comment the id map by hand");
    expect(await syncBoth(dir, configFile, "Sales, after a comment")).toContain(`${LISTED} (a line of the id map changed since the last check is not canonical)`);
    // That run's own write of the map is canonical again, but what it read was not: it recorded no
    // facts, so the next run lists everything too (and records them), and the one after is checked.
    expect(git(dir, "show", `HEAD:${IDS}`)).not.toContain("# sales below");
    expect(await syncBoth(dir, configFile, "Sales, back to canonical")).toContain(`${LISTED} (no check of them is recorded in the sync state)`);
    expect(await syncBoth(dir, configFile, "Sales, checked again")).not.toContain(LISTED);

    // A document added by someone else's commit, without an id: listed in full once, then its kind is listed from git.
    const marketing = readFileSync(join(dir, "tenant-config/group/marketing.yaml"), "utf8");
    writeFileSync(join(dir, "tenant-config/group/hand-made.yaml"), marketing.replace(/displayName: .*/, "displayName: Hand Made"));
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Add a group by hand");
    expect(await syncBoth(dir, configFile, "Sales, after a document without an id")).toContain(`${LISTED} (group/hand-made has no id)`);
    expect(recordedCheck(dir)?.listedKinds).toContain("group");
    expect(await syncBoth(dir, configFile, "Sales, with the group kind listed")).not.toContain(LISTED);
    git(dir, "rm", "-q", "tenant-config/group/hand-made.yaml");
    git(dir, "commit", "-q", "-m", "Remove the hand-made group");
    // Its documents and ids agree again: no longer listed after this run.
    expect(await syncBoth(dir, configFile, "Sales, without the hand-made group")).not.toContain(LISTED);
    expect(recordedCheck(dir)?.listedKinds).not.toContain("group");

    // An id whose document was deleted by hand.
    git(dir, "rm", "-q", "tenant-config/group/marketing.yaml");
    git(dir, "commit", "-q", "-m", "Delete a document by hand");
    expect(await syncBoth(dir, configFile, "Sales, after a deleted document")).toContain(`${LISTED} (the id of group/marketing names no document)`);
  });
});
