/**
 * Entitlement management catalogs through the CLI against the sandbox: opt-in (the default kinds
 * never read them), export → plan empty → update + create → apply → plan empty → delete → plan
 * empty; the built-in General catalog is never exported; validate names file, line and field; the
 * sandbox refuses what Graph refuses.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, findByName, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const CATALOGS = "/identityGovernance/entitlementManagement/catalogs";
type List = { value: Record<string, unknown>[] };

describe("accessPackageCatalog: entitlement management catalogs (opt-in)", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    await client.api(CATALOGS).post({ displayName: "Sales", description: "Sales and partners", state: "published", isExternallyVisible: true });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["accessPackageCatalog"] });
  });
  afterAll(async () => started?.stop());

  it("exports the administrators' catalogs only (not General) and plans empty", async () => {
    expect(readDoc(repo, "accessPackageCatalog", "sales").spec).toEqual({ displayName: "Sales", description: "Sales and partners", state: "published", isExternallyVisible: true });
    expect(existsSync(join(repo.dir, "tenant-config", "accessPackageCatalog", "general.yaml"))).toBe(false);
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("is not in the default kinds: an export without kinds: writes no catalog", async () => {
    const plain = await exportedRepo(sandboxEnv(started.sandbox));
    expect(existsSync(join(plain.dir, "tenant-config", "accessPackageCatalog"))).toBe(false);
  });

  it("updates, creates and deletes catalogs through apply, each followed by an empty plan", async () => {
    editSpec(repo, "accessPackageCatalog", "sales", (spec) => {
      spec.description = "Sales only";
      spec.isExternallyVisible = false;
    });
    writeDoc(repo, { kind: "accessPackageCatalog", name: "marketing", spec: { displayName: "Marketing", state: "unpublished" } });
    commit(repo, "sales internal, marketing catalog");
    const applied = await applyConverges(repo);
    expect(applied).toContain("updated accessPackageCatalog/sales");
    expect(applied).toContain("created accessPackageCatalog/marketing");
    expect(await findByName(client, CATALOGS, "Sales")).toMatchObject({ description: "Sales only", isExternallyVisible: false, catalogType: "userManaged" });
    expect(await findByName(client, CATALOGS, "Marketing")).toMatchObject({ state: "unpublished", catalogType: "userManaged" });

    removeDoc(repo, "accessPackageCatalog", "marketing");
    commit(repo, "no marketing catalog");
    expect(await applyConverges(repo, "--allow-delete")).toContain("deleted accessPackageCatalog/marketing");
    const names = ((await client.api(CATALOGS).get()) as List).value.map((c) => c.displayName).sort();
    expect(names).toEqual(["General", "Sales"]);
  });

  it("validate requires displayName, naming file and line", async () => {
    writeDoc(repo, { kind: "accessPackageCatalog", name: "broken", spec: { description: "no name", state: "open" } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/accessPackageCatalog\/broken\.yaml:\d+:\d+/);
    expect(text).toContain("displayName");
    expect(text).toContain("state");
    removeDoc(repo, "accessPackageCatalog", "broken");
  });

  it("sandbox: no displayName, an unknown state or property, deleting General → 400", async () => {
    await expect(client.api(CATALOGS).post({ description: "nameless" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(CATALOGS).post({ displayName: "X", state: "open" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(CATALOGS).post({ displayName: "X", owner: "me" })).rejects.toMatchObject({ statusCode: 400 });
    const general = await findByName(client, CATALOGS, "General");
    expect(general.catalogType).toBe("serviceDefault");
    await expect(client.api(`${CATALOGS}/${String(general.id)}`).delete()).rejects.toMatchObject({ statusCode: 400 });
  });
});
