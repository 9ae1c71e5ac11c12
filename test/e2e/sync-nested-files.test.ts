import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import { KIND_NAMES } from "../../src/model/kind.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, startSandbox } from "../helpers/sandbox.js";
import { admin, idOf } from "../helpers/actors.js";
import { cloneRepo, defaultTestConfig, git, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";

/**
 * Sync owns only `<folder>/<kind>/<name>.yaml` documents (README "sync"): a file a person put deeper
 * in a kind folder (an archive of old documents, notes) is neither read as a document nor deleted
 * or rewritten, by a full read and by an incremental one; the drift commit holds the real change only.
 */
const CONFIG = defaultTestConfig(["kinds:", ...KIND_NAMES.map((k) => `  - ${k}`), "sync:", "  incremental: true"].join("\n"));
const STATE = ".entra-gitops/state/default/sync.yaml";
const IDS = ".entra-gitops/state/default/ids.yaml";

// Several syncs against the HTTPS sandbox: slow on the shared 2-core machine under load (see sync-incremental.test.ts).
describe("sync and files deeper than <kind>/<name>.yaml", { timeout: 120_000 }, () => {
  let started: StartedSandbox<SandboxTenant>;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
  });
  afterAll(async () => started?.stop());

  it("neither deletes nor rewrites them, incrementally or with --full, and commits only the portal change", async () => {
    const { dir, configFile } = tempRepo(CONFIG);
    const env = sandboxEnv(started.sandbox);
    expect((await runCli(["--config", configFile, "export"], env)).code).toBe(0);
    // Copies of real documents one folder deeper (the hardest case: they parse as documents), and notes.
    const folder = join(dir, "tenant-config");
    const finance = readFileSync(join(folder, "group", "finance-team.yaml"), "utf8");
    const marketing = readFileSync(join(folder, "group", "marketing.yaml"), "utf8");
    const nested: Record<string, string> = {
      "tenant-config/user/archive/old.yaml": "kind: user\nname: someone-who-left\nspec:\n  displayName: Someone Who Left\n",
      "tenant-config/group/notes/README.md": "# Notes about groups\nKept by people, not by sync.\n",
      "tenant-config/group/notes/finance-team.yaml": finance,
      "tenant-config/group/notes/marketing.yaml": marketing,
      "tenant-config/group/archive/2025/old-team.yaml": finance.replace(/Finance Team/g, "Old Team"),
    };
    for (const [path, text] of Object.entries(nested)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Baseline with nested files");

    // validate: each nested folder is a warning (not a document), never an error.
    const validate = await runCli(["--config", configFile, "validate"], env);
    expect(validate.code).toBe(0);
    expect(validate.stdout + validate.stderr).toMatch(/group[/\\]notes.*not a document/);

    // The first sync reads everything and records where it stopped; the nested files stay as they are.
    const first = await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env);
    expect(first.code).toBe(0);
    const baseline = git(dir, "rev-parse", "HEAD");
    expect(git(dir, "diff", "--name-only", "HEAD~1", "HEAD", "--", "tenant-config")).toBe("");

    const graph = admin(started);
    // An update, a delete and a create whose documents have nested namesakes.
    await graph.api(`/groups/${await idOf(graph, "/groups", "Finance Team")}`).patch({ description: "Finance, edited in the portal" });
    await graph.api(`/groups/${await idOf(graph, "/groups", "Marketing")}`).delete();
    await graph.api("/groups").post({ displayName: "Old Team", mailEnabled: false, mailNickname: "oldteam", securityEnabled: true });
    catchUpAuditLog(started.sandbox);

    const fullDir = `${dir}-full`;
    cloneRepo(dir, fullDir);
    const incremental = await runCli(["--config", configFile, "sync", "--audit-grace", "0"], env);
    expect(incremental.code).toBe(0);
    expect(incremental.stderr).toMatch(/reading what changed since the last sync: [1-9]\d* delta item\(s\)/);
    const full = await runCli(["--config", join(fullDir, "entra-gitops.yaml"), "sync", "--audit-grace", "0", "--full"], env);
    expect(full.code).toBe(0);
    expect(full.stderr).toContain("reading the whole tenant: --full");

    for (const repo of [dir, fullDir]) {
      // Only the real change, in every commit the sync made.
      expect(git(repo, "diff", "--name-status", baseline, "HEAD", "--", "tenant-config").split("\n")).toEqual([
        "M\ttenant-config/group/finance-team.yaml",
        "D\ttenant-config/group/marketing.yaml",
        "A\ttenant-config/group/old-team.yaml",
      ]);
      const touched = new Set(git(repo, "log", "--format=", "--name-only", `${baseline}..HEAD`).split("\n").filter(Boolean));
      const allowed = [STATE, IDS, "tenant-config/group/finance-team.yaml", "tenant-config/group/marketing.yaml", "tenant-config/group/old-team.yaml"];
      for (const path of touched) expect(allowed).toContain(path);
      expect(git(repo, "show", "HEAD:tenant-config/group/finance-team.yaml")).toContain("Finance, edited in the portal");
      // The nested files, committed and in the work tree, are byte for byte what the person wrote.
      for (const [path, text] of Object.entries(nested)) {
        expect(git(repo, "show", `HEAD:${path}`)).toBe(text.trimEnd());
        expect(readFileSync(join(repo, path), "utf8")).toBe(text);
      }
      expect(git(repo, "status", "--porcelain")).toBe("");
    }
  });
});
