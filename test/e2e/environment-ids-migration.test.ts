/**
 * A repository from before the per-environment id map (documents with `id:` lines) keeps working,
 * and its first sync moves the ids into `.entra-gitops/state/default/ids.yaml` in one bot commit.
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIdMap } from "../../src/state/id-map.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { git, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";

const IDS = ".entra-gitops/state/default/ids.yaml";
const SYNC_STATE = ".entra-gitops/state/default/sync.yaml";

describe("documents with id: lines (before the id map)", () => {
  let started: StartedSandbox;
  let env: Record<string, string>;
  const dirs: string[] = [];
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    env = sandboxEnv(started.sandbox);
  });
  afterAll(async () => {
    await started?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("plan as before, and the first sync moves the ids into the environment's id map", async () => {
    const { dir, configFile } = tempRepo();
    dirs.push(dir);
    const exported = await runCli(["--config", configFile, "export"], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain(`object ids of environment default: ${IDS}`);
    const idsText = readFileSync(join(dir, IDS), "utf8");
    const ids = parseIdMap(idsText, IDS).ids;
    expect(ids.size).toBeGreaterThan(80);

    // Turn the export into an old-style repository: every id back in its document, no map.
    let documents = 0;
    for (const kind of readdirSync(join(dir, "tenant-config"))) {
      for (const file of readdirSync(join(dir, "tenant-config", kind))) {
        const text = readFileSync(join(dir, "tenant-config", kind, file), "utf8");
        expect(text).not.toMatch(/^id:/m);
        const id = ids.get(`${kind}/${file.slice(0, -".yaml".length)}`);
        if (id === undefined) continue;
        writeFileSync(join(dir, "tenant-config", kind, file), text.replace(/^(name:.*)$/m, `$1\nid: ${id}`));
        documents += 1;
      }
    }
    rmSync(join(dir, ".entra-gitops"), { recursive: true });
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Old-style repository");
    const base = git(dir, "rev-parse", "HEAD");

    const plan = await runCli(["--config", configFile, "plan", "--detailed-exitcode"], env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);

    const sync = await runCli(["--config", configFile, "sync"], env);
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    expect(git(dir, "log", "--format=%an|%s", `${base}..HEAD`)).toBe(`entra-gitops|Move the object ids of ${documents} document(s) into ${IDS}`);
    // Where the read stopped rides in the migration commit: one bot commit for the run.
    expect(git(dir, "show", "--name-only", "--format=", "HEAD").split("\n")).toContain(SYNC_STATE);
    expect(git(dir, "log", "-1", "--format=%B")).toContain(`Also records where sync's read stopped in ${SYNC_STATE}`);
    expect(git(dir, "show", `HEAD:${SYNC_STATE}`)).toMatch(/^ {2}deltaLinks:/m);
    expect(readFileSync(join(dir, IDS), "utf8")).toBe(idsText);
    const withId = git(dir, "ls-files", "tenant-config").split("\n").filter((f) => /^id:/m.test(git(dir, "show", `HEAD:${f}`)));
    expect(withId).toEqual([]);
    expect(git(dir, "status", "--porcelain")).toBe("");

    const replan = await runCli(["--config", configFile, "plan", "--detailed-exitcode"], env);
    expect(replan.code, replan.stdout + replan.stderr).toBe(0);
    const again = await runCli(["--config", configFile, "sync"], env);
    expect(again.stdout).toContain("No drift");
    expect(again.stderr).toContain("reading what changed since the last sync");
    expect(git(dir, "rev-list", "--count", `${base}..HEAD`)).toBe("1");
    expect(existsSync(join(dir, IDS))).toBe(true);
  });
});
