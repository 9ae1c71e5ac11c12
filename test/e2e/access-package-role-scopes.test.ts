/**
 * An access package's resource role scopes through the CLI against the sandbox (opt-in, with the
 * catalog, its resources and the package): a scope added through Graph is exported as
 * `{ resource: group:<name>, role: Member }` and plans empty; a scope added to the document
 * (a group's Owner role, an application's app role, a group added to the catalog in the same apply)
 * and one removed are applied, each followed by an empty plan; a document without the list leaves
 * the scopes alone, `[]` means none; a resource outside the catalog is refused by plan, an unknown role by apply before any
 * write; sync commits a scope added in the tenant; the sandbox refuses what Graph refuses.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { GraphError } from "@microsoft/microsoft-graph-client";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, findByName, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const EM = "/identityGovernance/entitlementManagement";
type Json = Record<string, unknown>;
type List = { value: Json[] };

async function refusal(request: Promise<unknown>): Promise<{ status: number; code: string }> {
  try {
    await request;
  } catch (error) {
    if (error instanceof GraphError) return { status: error.statusCode, code: String(error.code) };
    throw error;
  }
  throw new Error("the request was accepted");
}

describe("accessPackage resourceRoleScopes: the roles a package delivers, added and removed by name (opt-in)", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let catalogId = "";
  let packageId = "";
  let pilotId = "";

  /** The package's role scopes as Graph reads them: `<scope originId>|<role name>`, sorted. */
  const scopes = async (): Promise<string[]> => {
    const pkg = (await client.api(`${EM}/accessPackages/${packageId}`).query({ $expand: "resourceRoleScopes($expand=role,scope)" }).get()) as Json;
    return (pkg.resourceRoleScopes as Json[]).map((s) => `${String((s.scope as Json).originId)}|${String((s.role as Json).displayName)}`).sort();
  };
  const catalogResource = async (originId: string): Promise<Json> => {
    const found = ((await client.api(`${EM}/catalogs/${catalogId}/resources`).get()) as List).value.find((r) => r.originId === originId);
    if (!found) throw new Error(`${originId} is not in the catalog`);
    return found;
  };
  const rolesOf = async (resource: Json): Promise<Json[]> =>
    ((await client.api(`${EM}/catalogs/${catalogId}/resourceRoles`).query({ $filter: `originSystem eq '${String(resource.originSystem)}' and resource/id eq '${String(resource.id)}'`, $expand: "resource" }).get()) as List).value;

  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    catalogId = String(((await client.api(`${EM}/catalogs`).post({ displayName: "Sales" })) as Json).id);
    pilotId = String((await findByName(client, "/groups", "sg-ca-pilot-users")).id);
    const breakglassId = String((await findByName(client, "/groups", "sg-ca-breakglass-exclusion")).id);
    const app = (await client.api("/applications").post({ displayName: "Sales CRM", appRoles: [{ id: "6f1c2a9e-3b7d-4c8e-9a10-2b3c4d5e6f70", allowedMemberTypes: ["User"], displayName: "Sales manager", description: "Manages the pipeline", value: "Sales.Manager", isEnabled: true }] })) as Json;
    await client.api("/servicePrincipals").post({ appId: app.appId });
    const crmSpId = String((await findByName(client, "/servicePrincipals", "Sales CRM")).id);
    for (const [originId, originSystem] of [[pilotId, "AadGroup"], [breakglassId, "AadGroup"], [crmSpId, "AadApplication"]] as const) {
      await client.api(`${EM}/resourceRequests`).post({ requestType: "adminAdd", catalog: { id: catalogId }, resource: { originId, originSystem } });
    }
    packageId = String(((await client.api(`${EM}/accessPackages`).post({ displayName: "Sales reps", catalog: { id: catalogId } })) as Json).id);
    const pilot = await catalogResource(pilotId);
    const member = (await rolesOf(pilot)).find((r) => r.displayName === "Member") as Json;
    await client.api(`${EM}/accessPackages/${packageId}/resourceRoleScopes`).post({
      role: { id: member.id, displayName: "Member", originSystem: "AadGroup", originId: member.originId, resource: { id: pilot.id, originId: pilotId, originSystem: "AadGroup" } },
      scope: { displayName: "Root", description: "Root Scope", originId: pilotId, originSystem: "AadGroup", isRootScope: true },
    });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["group", "servicePrincipal", "accessPackageCatalog", "accessPackageCatalogResource", "accessPackage"] });
  });
  afterAll(async () => started?.stop());

  it("the sandbox gives a catalog's group its Member and Owner roles and an application its app roles, listed only for one resource", async () => {
    expect((await rolesOf(await catalogResource(pilotId))).map((r) => [r.displayName, r.originId]).sort()).toEqual([["Member", `Member_${pilotId}`], ["Owner", `Owner_${pilotId}`]]);
    const crm = await catalogResource(String((await findByName(client, "/servicePrincipals", "Sales CRM")).id));
    expect((await rolesOf(crm)).map((r) => [r.displayName, r.originId])).toEqual([["Sales manager", "6f1c2a9e-3b7d-4c8e-9a10-2b3c4d5e6f70"]]);
    expect((await refusal(client.api(`${EM}/catalogs/${catalogId}/resourceRoles`).get())).status).toBe(400);
    // Roles and scopes are navigations: only through $expand.
    expect(await catalogResource(pilotId)).not.toHaveProperty("roles");
    const expanded = ((await client.api(`${EM}/catalogs/${catalogId}/resources`).query({ $expand: "roles,scopes" }).get()) as List).value.find((r) => r.originId === pilotId) as Json;
    expect((expanded.scopes as Json[]).map((s) => [s.originId, s.isRootScope])).toEqual([[pilotId, true]]);
  });

  it("exports the scope as the group by name and its role, and plans empty", async () => {
    expect(readDoc(repo, "accessPackage", "sales-reps").spec).toEqual({
      displayName: "Sales reps",
      isHidden: false,
      catalog: { id: "accessPackageCatalog:sales" },
      resourceRoleScopes: [{ resource: "group:sg-ca-pilot-users", role: "Member" }],
    });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("adds a group's Owner role, an app role, and a group put in the catalog in the same apply, then removes one, each followed by an empty plan", async () => {
    const creatorsId = String((await findByName(client, "/groups", "sg-m365-group-creators")).id);
    writeDoc(repo, { kind: "accessPackageCatalogResource", name: "sales-creators", spec: { catalogId: "accessPackageCatalog:sales", originId: "group:sg-m365-group-creators", originSystem: "AadGroup" } });
    editSpec(repo, "accessPackage", "sales-reps", (spec) => {
      spec.resourceRoleScopes = [
        { resource: "group:sg-ca-pilot-users", role: "Member" },
        { resource: "group:sg-ca-breakglass-exclusion", role: "Owner" },
        { resource: "servicePrincipal:sales-crm", role: "Sales manager" },
        { resource: "group:sg-m365-group-creators", role: "Member" },
      ];
    });
    commit(repo, "sales reps get more");
    const planned = await repo.cli("plan");
    expect(planned.stdout).toContain("resourceRoleScopes");
    const applied = await applyConverges(repo);
    expect(applied).toContain("created accessPackageCatalogResource/sales-creators");
    expect(applied).toContain("updated accessPackage/sales-reps");
    const breakglassId = String((await findByName(client, "/groups", "sg-ca-breakglass-exclusion")).id);
    const crmSpId = String((await findByName(client, "/servicePrincipals", "Sales CRM")).id);
    expect(await scopes()).toEqual([`${breakglassId}|Owner`, `${creatorsId}|Member`, `${pilotId}|Member`, `${crmSpId}|Sales manager`].sort());

    editSpec(repo, "accessPackage", "sales-reps", (spec) => {
      spec.resourceRoleScopes = (spec.resourceRoleScopes as Json[]).filter((s) => s.resource !== "group:sg-ca-pilot-users");
    });
    commit(repo, "pilot users no longer");
    expect(await applyConverges(repo)).toContain("updated accessPackage/sales-reps");
    expect(await scopes()).not.toContain(`${pilotId}|Member`);
    expect(await scopes()).toHaveLength(3);
  });

  it("a document without resourceRoleScopes leaves the scopes alone (no removal planned); `[]` removes them all, and export writes `[]`", async () => {
    const kept = readDoc(repo, "accessPackage", "sales-reps").spec.resourceRoleScopes as Json[];
    expect(kept).toHaveLength(3);
    // A repository exported before role scopes were managed: its documents have no list.
    editSpec(repo, "accessPackage", "sales-reps", (spec) => {
      delete spec.resourceRoleScopes;
      spec.isHidden = true;
    });
    commit(repo, "a document from before role scopes");
    const absent = await repo.cli("plan");
    expect(absent.stdout).toContain("isHidden");
    expect(absent.stdout).not.toContain("resourceRoleScopes");
    expect(absent.stdout.match(/^\s+- \{ resource: /gm)).toBeNull();
    const appliedAbsent = await applyConverges(repo);
    expect(appliedAbsent).toContain("updated accessPackage/sales-reps");
    expect(await scopes()).toHaveLength(3);

    editSpec(repo, "accessPackage", "sales-reps", (spec) => {
      spec.resourceRoleScopes = [];
      spec.isHidden = false;
    });
    commit(repo, "no scopes");
    const none = await repo.cli("plan");
    expect(none.stdout.match(/^\s+- \{ resource: /gm)).toHaveLength(3);
    await applyConverges(repo);
    expect(await scopes()).toEqual([]);
    // A fresh export of the package that delivers nothing says so, so a scope added later is drift.
    const exported = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["group", "servicePrincipal", "accessPackageCatalog", "accessPackageCatalogResource", "accessPackage"] });
    expect(readDoc(exported, "accessPackage", "sales-reps").spec.resourceRoleScopes).toEqual([]);

    editSpec(repo, "accessPackage", "sales-reps", (spec) => {
      spec.resourceRoleScopes = kept;
    });
    commit(repo, "scopes back");
    await applyConverges(repo);
    expect(await scopes()).toHaveLength(3);
  });

  it("a resource outside the catalog and a role the resource lacks are refused before any write", async () => {
    const before = await scopes();
    editSpec(repo, "accessPackage", "sales-reps", (spec) => {
      spec.resourceRoleScopes = [
        { resource: "group:sg-ca-breakglass-exclusion", role: "Owner" },
        { resource: "group:sg-app-payroll-users", role: "Member" },
      ];
    });
    writeDoc(repo, { kind: "accessPackage", name: "payroll", spec: { displayName: "Payroll", catalog: { id: "accessPackageCatalog:sales" }, resourceRoleScopes: [{ resource: "group:sg-app-payroll-users", role: "Member" }] } });
    commit(repo, "payroll is not in the catalog");
    // Plan refuses both (the catalog's resources are in scope), so apply writes nothing.
    const planned = await repo.cli("plan");
    expect(planned.code).not.toBe(0);
    const refusals = (planned.stdout + planned.stderr).match(/group:sg-app-payroll-users is not a resource of accessPackageCatalog:sales/g);
    expect(refusals).toHaveLength(2);
    const outside = await repo.cli("apply", "--auto-approve");
    expect(outside.code).not.toBe(0);
    expect(await scopes()).toEqual(before);
    expect(((await client.api(`${EM}/accessPackages`).get()) as List).value.map((p) => p.displayName)).toEqual(["Sales reps"]);
    removeDoc(repo, "accessPackage", "payroll");

    editSpec(repo, "accessPackage", "sales-reps", (spec) => {
      spec.resourceRoleScopes = [{ resource: "group:sg-ca-breakglass-exclusion", role: "Approver" }];
    });
    commit(repo, "no such role");
    const unknownRole = await repo.cli("apply", "--auto-approve");
    expect(unknownRole.code).not.toBe(0);
    expect(unknownRole.stdout + unknownRole.stderr).toMatch(/no role named "Approver" \(its roles: Member, Owner\)/);
    expect(await scopes()).toEqual(before);
  });

  it("sync commits a scope added in the tenant", async () => {
    editSpec(repo, "accessPackage", "sales-reps", (spec) => {
      spec.resourceRoleScopes = [
        { resource: "group:sg-ca-breakglass-exclusion", role: "Owner" },
        { resource: "servicePrincipal:sales-crm", role: "Sales manager" },
        { resource: "group:sg-m365-group-creators", role: "Member" },
      ];
    });
    commit(repo, "back to the tenant's scopes");
    const clean = await repo.cli("plan", "--detailed-exitcode");
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    const pilot = await catalogResource(pilotId);
    const owner = (await rolesOf(pilot)).find((r) => r.displayName === "Owner") as Json;
    await client.api(`${EM}/accessPackages/${packageId}/resourceRoleScopes`).post({
      role: { id: owner.id, displayName: "Owner", originSystem: "AadGroup", originId: owner.originId, resource: { id: pilot.id } },
      scope: { originId: pilotId, originSystem: "AadGroup", isRootScope: true },
    });
    catchUpAuditLog(started.sandbox);
    const synced = await repo.cli("sync");
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    // Sync's own commit of the document (another one records the object ids).
    const git = (...args: string[]): string => execFileSync("git", args, { cwd: repo.dir, encoding: "utf8" });
    const own = git("log", "-2", "--format=%H %s").split("\n").find((line) => line.endsWith("update accessPackage/sales-reps"));
    expect(own).toBeDefined();
    expect(git("show", "--name-only", "--format=", String(own?.split(" ")[0]))).toContain("tenant-config/accessPackage/sales-reps.yaml");
    expect(readDoc(repo, "accessPackage", "sales-reps").spec.resourceRoleScopes).toContainEqual({ resource: "group:sg-ca-pilot-users", role: "Owner" });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: a resource outside the catalog, an unknown role, a duplicate, scopes in the package body, removing a resource in use → refused", async () => {
    const payrollId = String((await findByName(client, "/groups", "sg-app-payroll-users")).id);
    const pilot = await catalogResource(pilotId);
    const member = (await rolesOf(pilot)).find((r) => r.displayName === "Member") as Json;
    const scope = { originId: pilotId, originSystem: "AadGroup", isRootScope: true };
    const post = (body: Json): Promise<unknown> => client.api(`${EM}/accessPackages/${packageId}/resourceRoleScopes`).post(body);
    expect(await refusal(post({ role: { originId: `Member_${payrollId}`, originSystem: "AadGroup", resource: { id: "00000000-0000-0000-0000-0000000000ab" } }, scope: { originId: payrollId, originSystem: "AadGroup" } }))).toEqual({ status: 404, code: "ResourceNotFound" });
    expect(await refusal(post({ role: { originId: `Admin_${pilotId}`, originSystem: "AadGroup", resource: { id: pilot.id } }, scope }))).toEqual({ status: 404, code: "RoleNotFound" });
    await post({ role: { originId: member.originId, originSystem: "AadGroup", resource: { id: pilot.id } }, scope });
    expect((await refusal(post({ role: { originId: member.originId, originSystem: "AadGroup", resource: { id: pilot.id } }, scope }))).status).toBe(409);
    expect((await refusal(client.api(`${EM}/accessPackages`).post({ displayName: "Inline", catalog: { id: catalogId }, resourceRoleScopes: [] }))).status).toBe(400);
    const removal = await refusal(client.api(`${EM}/resourceRequests`).post({ requestType: "adminRemove", catalog: { id: catalogId }, resource: { id: pilot.id } }));
    expect(removal).toEqual({ status: 400, code: "InvalidDeleteResourceHasEntitlements" });
    const pkg = (await client.api(`${EM}/accessPackages/${packageId}`).get()) as Json;
    expect(pkg).not.toHaveProperty("resourceRoleScopes");
  });

  it("a SharePoint Online site put in the catalog and one of its roles in the same apply, by URL and role name; then removed", async () => {
    const domains = ((await client.api("/domains").get()) as List).value;
    const site = `https://${String(domains.find((d) => d.isInitial === true)?.id).replace(/\.onmicrosoft\.com$/i, "")}.sharepoint.com/sites/sales`;
    writeDoc(repo, { kind: "accessPackageCatalogResource", name: "sales-site", spec: { catalogId: "accessPackageCatalog:sales", originId: site, originSystem: "SharePointOnline" } });
    editSpec(repo, "accessPackage", "sales-reps", (spec) => {
      spec.resourceRoleScopes = [{ resource: "group:sg-ca-breakglass-exclusion", role: "Owner" }, { resource: site, role: "Contributors" }];
    });
    commit(repo, "the sales site for sales reps");
    const applied = await applyConverges(repo);
    expect(applied).toContain("created accessPackageCatalogResource/sales-site");
    const breakglassId = String((await findByName(client, "/groups", "sg-ca-breakglass-exclusion")).id);
    expect(await scopes()).toEqual([`${breakglassId}|Owner`, `${site}|Contributors`]);
    const pkg = (await client.api(`${EM}/accessPackages/${packageId}`).query({ $expand: "resourceRoleScopes($expand=role,scope)" }).get()) as Json;
    const siteScope = (pkg.resourceRoleScopes as Json[]).find((s) => (s.role as Json).originSystem === "SharePointOnline") as Json;
    expect(siteScope.role).toMatchObject({ displayName: "Contributors", originId: "4" });

    editSpec(repo, "accessPackage", "sales-reps", (spec) => {
      spec.resourceRoleScopes = [{ resource: "group:sg-ca-breakglass-exclusion", role: "Owner" }];
    });
    commit(repo, "no site");
    await applyConverges(repo);
    expect(await scopes()).toEqual([`${breakglassId}|Owner`]);
  });
});
