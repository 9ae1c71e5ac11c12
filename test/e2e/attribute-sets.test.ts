/**
 * Custom security attribute sets through the CLI against the sandbox: export → plan empty →
 * description edited and a set added → apply → plan empty; a set whose document is removed is not
 * deleted (Graph cannot delete attribute sets): the plan warns and proposes nothing; validate
 * requires id; the sandbox refuses what Graph refuses. The kind is opt-in (its read needs
 * CustomSecAttributeDefinition.Read.All): a configuration that names no kinds leaves sets alone.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const PATH = "/directory/attributeSets";
type Sets = { value: Record<string, unknown>[] };

describe("attributeSet: custom security attribute sets (create and update; never deleted)", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    await client.api(PATH).post({ id: "Engineering", description: "Engineering attributes", maxAttributesPerSet: 25 });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["attributeSet"] });
  });
  afterAll(async () => started?.stop());

  it("is opt-in: an export with the default kinds writes no attribute set", async () => {
    const defaults = await exportedRepo(sandboxEnv(started.sandbox));
    expect(existsSync(join(defaults.dir, "tenant-config", "attributeSet"))).toBe(false);
    expect(existsSync(join(defaults.dir, "tenant-config", "conditionalAccessPolicy"))).toBe(true);
  });

  it("exports the set and plans empty", async () => {
    expect(readDoc(repo, "attributeSet", "engineering").spec).toEqual({ id: "Engineering", description: "Engineering attributes", maxAttributesPerSet: 25 });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("updates and creates sets through apply, each followed by an empty plan", async () => {
    editSpec(repo, "attributeSet", "engineering", (spec) => {
      spec.description = "Engineering and operations";
      spec.maxAttributesPerSet = 50;
    });
    writeDoc(repo, { kind: "attributeSet", name: "marketing", spec: { id: "Marketing", description: "Campaign attributes" } });
    commit(repo, "edit and add");
    const out = await applyConverges(repo);
    expect(out).toContain("updated attributeSet/engineering");
    expect(out).toContain("created attributeSet/marketing");
    const live = ((await client.api(PATH).get()) as Sets).value;
    expect(live.find((s) => s.id === "Engineering")).toMatchObject({ description: "Engineering and operations", maxAttributesPerSet: 50 });
    expect(live.find((s) => s.id === "Marketing")).toMatchObject({ description: "Campaign attributes", maxAttributesPerSet: null });
  });

  it("a removed document deletes nothing: the plan warns that Graph cannot delete attribute sets", async () => {
    removeDoc(repo, "attributeSet", "marketing");
    commit(repo, "remove marketing");
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout + plan.stderr).toContain("Graph cannot delete attribute sets");
    const applied = await repo.cli("apply", "--auto-approve", "--allow-delete");
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).not.toContain("deleted attributeSet");
    expect(((await client.api(PATH).get()) as Sets).value.map((s) => s.id).sort()).toEqual(["Engineering", "Marketing"]);
  });

  it("validate requires id, naming file and line", async () => {
    writeDoc(repo, { kind: "attributeSet", name: "broken", spec: { description: "no id" } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/attributeSet\/broken\.yaml:\d+:\d+/);
    expect(text).toContain("id");
    removeDoc(repo, "attributeSet", "broken");
  });

  it("sandbox: no DELETE, a duplicate id (any case), a bad id, an id change or a too-large maximum is refused", async () => {
    await expect(client.api(`${PATH}/Marketing`).delete()).rejects.toMatchObject({ statusCode: 405 });
    await expect(client.api(PATH).post({ id: "engineering" })).rejects.toMatchObject({ statusCode: 409 });
    await expect(client.api(PATH).post({ id: "Has space" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(PATH).post({ description: "no id" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${PATH}/Marketing`).patch({ id: "Other" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${PATH}/Marketing`).patch({ maxAttributesPerSet: 501 })).rejects.toMatchObject({ statusCode: 400 });
  });
});
