/**
 * Entitlement management access packages through the CLI against the sandbox (opt-in, with their
 * catalogs): export → plan empty → update + create (in a catalog by name) → apply → plan empty →
 * delete → plan empty; a package's catalog is create-only (a move is refused without
 * --allow-recreate); validate names file, line and field; the sandbox refuses what Graph refuses.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, findByName, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const EM = "/identityGovernance/entitlementManagement";
type List = { value: Record<string, unknown>[] };

describe("accessPackage: entitlement management access packages (opt-in)", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let salesId = "";
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    salesId = String(((await client.api(`${EM}/catalogs`).post({ displayName: "Sales" })) as { id: string }).id);
    await client.api(`${EM}/catalogs`).post({ displayName: "Marketing" });
    await client.api(`${EM}/accessPackages`).post({ displayName: "Sales reps", description: "Outside sales", isHidden: false, catalog: { id: salesId } });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["accessPackageCatalog", "accessPackage"] });
  });
  afterAll(async () => started?.stop());

  it("exports each package with its catalog by name and plans empty", async () => {
    expect(readDoc(repo, "accessPackage", "sales-reps").spec).toEqual({ displayName: "Sales reps", description: "Outside sales", isHidden: false, catalog: { id: "accessPackageCatalog:sales" }, resourceRoleScopes: [] });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("updates a package and creates one in a new catalog in one apply, then deletes both, each followed by an empty plan", async () => {
    editSpec(repo, "accessPackage", "sales-reps", (spec) => {
      spec.description = "Outside sales representatives";
      spec.isHidden = true;
    });
    writeDoc(repo, { kind: "accessPackageCatalog", name: "partners", spec: { displayName: "Partners" } });
    writeDoc(repo, { kind: "accessPackage", name: "partner-portal", spec: { displayName: "Partner portal", catalog: { id: "accessPackageCatalog:partners" } } });
    commit(repo, "hidden sales package, partner portal");
    const applied = await applyConverges(repo);
    expect(applied).toContain("updated accessPackage/sales-reps");
    expect(applied).toContain("created accessPackageCatalog/partners");
    expect(applied).toContain("created accessPackage/partner-portal");
    expect(await findByName(client, `${EM}/accessPackages`, "Sales reps")).toMatchObject({ description: "Outside sales representatives", isHidden: true });
    const partners = await findByName(client, `${EM}/catalogs`, "Partners");
    const portal = ((await client.api(`${EM}/accessPackages`).query({ $expand: "catalog" }).get()) as List).value.find((p) => p.displayName === "Partner portal");
    expect((portal?.catalog as Record<string, unknown> | undefined)?.id).toBe(partners.id);

    removeDoc(repo, "accessPackage", "partner-portal");
    removeDoc(repo, "accessPackageCatalog", "partners");
    commit(repo, "no partner portal");
    const deleted = await applyConverges(repo, "--allow-delete");
    expect(deleted).toContain("deleted accessPackage/partner-portal");
    expect(deleted).toContain("deleted accessPackageCatalog/partners");
    const names = ((await client.api(`${EM}/accessPackages`).get()) as List).value.map((p) => p.displayName);
    expect(names).toEqual(["Sales reps"]);
  });

  it("moving a package to another catalog is delete + create: refused without --allow-recreate", async () => {
    editSpec(repo, "accessPackage", "sales-reps", (spec) => {
      spec.catalog = { id: "accessPackageCatalog:marketing" };
    });
    commit(repo, "sales reps to marketing");
    const refused = await repo.cli("apply", "--auto-approve");
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/recreate/i);
    expect(refused.stdout + refused.stderr).toMatch(/catalog/);
    const still = ((await client.api(`${EM}/accessPackages`).query({ $expand: "catalog" }).get()) as List).value.find((p) => p.displayName === "Sales reps");
    expect((still?.catalog as Record<string, unknown> | undefined)?.id).toBe(salesId);
    editSpec(repo, "accessPackage", "sales-reps", (spec) => {
      spec.catalog = { id: "accessPackageCatalog:sales" };
    });
    commit(repo, "back to sales");
  });

  it("validate requires displayName and catalog and refuses a catalog named by another kind, naming file and line", async () => {
    writeDoc(repo, { kind: "accessPackage", name: "broken", spec: { description: "nameless" } });
    writeDoc(repo, { kind: "accessPackage", name: "wrong-ref", spec: { displayName: "Wrong", catalog: { id: "group:sales" } } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/accessPackage\/broken\.yaml:\d+:\d+/);
    expect(text).toMatch(/tenant-config\/accessPackage\/wrong-ref\.yaml:\d+:\d+/);
    expect(text).toContain("displayName");
    expect(text).toContain("catalog");
    removeDoc(repo, "accessPackage", "broken");
    removeDoc(repo, "accessPackage", "wrong-ref");
  });

  it("sandbox: no catalog, an unknown catalog, a PATCH of the catalog, deleting a catalog that holds packages → refused", async () => {
    await expect(client.api(`${EM}/accessPackages`).post({ displayName: "No catalog" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${EM}/accessPackages`).post({ displayName: "Lost", catalog: { id: "00000000-0000-0000-0000-0000000000aa" } })).rejects.toMatchObject({ statusCode: 404 });
    const sales = await findByName(client, `${EM}/accessPackages`, "Sales reps");
    await expect(client.api(`${EM}/accessPackages/${String(sales.id)}`).patch({ catalog: { id: salesId } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${EM}/catalogs/${salesId}`).delete()).rejects.toMatchObject({ statusCode: 400 });
    expect(sales.catalog).toBeUndefined();
  });
});
