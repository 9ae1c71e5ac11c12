/**
 * Resources of entitlement management catalogs through the CLI against the sandbox (opt-in): a
 * group added to a catalog by a resource request is exported naming catalog and group, plans
 * empty; a group document added and a resource document removed are applied through `adminAdd` and
 * `adminRemove` requests, each followed by an empty plan; a SharePoint Online site, by its URL, is
 * added, exported back and removed the same way; the sandbox refuses what Graph refuses.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { GraphError } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { credentialFor, graphClient, startSandbox } from "../helpers/sandbox.js";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, exportedRepo, findByName, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const EM = "/identityGovernance/entitlementManagement";
type List = { value: Record<string, unknown>[] };

async function refusal(request: Promise<unknown>): Promise<number> {
  try {
    await request;
  } catch (error) {
    if (error instanceof GraphError) return error.statusCode;
    throw error;
  }
  throw new Error("the request was accepted");
}

describe("accessPackageCatalogResource: a catalog's groups and applications, through resource requests (opt-in)", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let catalogId: string;
  let pilotId: string;
  const resources = async (): Promise<Record<string, unknown>[]> => ((await client.api(`${EM}/catalogs/${catalogId}/resources`).get()) as List).value;

  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    catalogId = String(((await client.api(`${EM}/catalogs`).post({ displayName: "Sales", description: "Sales and partners" })) as { id: string }).id);
    pilotId = String((await findByName(client, "/groups", "sg-ca-pilot-users")).id);
    await client.api(`${EM}/resourceRequests`).post({ requestType: "adminAdd", catalog: { id: catalogId }, resource: { originId: pilotId, originSystem: "AadGroup" } });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["group", "servicePrincipal", "accessPackageCatalog", "accessPackageCatalogResource"] });
  });
  afterAll(async () => started?.stop());

  it("the sandbox adds a resource once, only one that exists, and lists it under its catalog", async () => {
    expect(await resources()).toMatchObject([{ originId: pilotId, originSystem: "AadGroup", displayName: "sg-ca-pilot-users" }]);
    expect(await refusal(client.api(`${EM}/resourceRequests`).post({ requestType: "adminAdd", catalog: { id: catalogId }, resource: { originId: pilotId, originSystem: "AadGroup" } }))).toBe(409);
    expect(await refusal(client.api(`${EM}/resourceRequests`).post({ requestType: "adminAdd", catalog: { id: catalogId }, resource: { originId: "00000000-0000-0000-0000-000000000001", originSystem: "AadGroup" } }))).toBe(400);
    expect(await refusal(client.api(`${EM}/resourceRequests`).post({ requestType: "adminAdd", catalog: { id: catalogId }, resource: { originId: pilotId, originSystem: "Unknown" } }))).toBe(400);
  });

  it("exports the resource naming its catalog and group, and plans empty", async () => {
    expect(readDoc(repo, "accessPackageCatalogResource", "sales-sg-ca-pilot-users").spec).toEqual({
      catalogId: "accessPackageCatalog:sales",
      originId: "group:sg-ca-pilot-users",
      originSystem: "AadGroup",
    });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("adds a group (adminAdd) and removes one (adminRemove) through apply, each followed by an empty plan", async () => {
    writeDoc(repo, { kind: "accessPackageCatalogResource", name: "sales-breakglass", spec: { catalogId: "accessPackageCatalog:sales", originId: "group:sg-ca-breakglass-exclusion", originSystem: "AadGroup" } });
    commit(repo, "breakglass group in the sales catalog");
    expect(await applyConverges(repo)).toContain("created accessPackageCatalogResource/sales-breakglass");
    expect((await resources()).map((r) => r["displayName"]).sort()).toEqual(["sg-ca-breakglass-exclusion", "sg-ca-pilot-users"]);

    removeDoc(repo, "accessPackageCatalogResource", "sales-sg-ca-pilot-users");
    commit(repo, "pilot group out of the catalog");
    expect(await applyConverges(repo, "--allow-delete")).toContain("deleted accessPackageCatalogResource/sales-sg-ca-pilot-users");
    expect((await resources()).map((r) => r["displayName"])).toEqual(["sg-ca-breakglass-exclusion"]);
    const requests = ((await client.api(`${EM}/resourceRequests`).get()) as List).value.map((r) => String(r["requestType"])).sort();
    expect(requests).toEqual(["adminAdd", "adminAdd", "adminRemove"]);
  });

  it("a SharePoint Online site is a resource by its URL: added, exported back as written, planned empty, removed; an unknown site is refused", async () => {
    const domains = ((await client.api("/domains").get()) as List).value;
    const initial = String(domains.find((d) => d["isInitial"] === true)?.["id"]);
    const site = `https://${initial.replace(/\.onmicrosoft\.com$/i, "")}.sharepoint.com/sites/hr`;
    writeDoc(repo, { kind: "accessPackageCatalogResource", name: "sales-hr", spec: { catalogId: "accessPackageCatalog:sales", originId: site, originSystem: "SharePointOnline" } });
    commit(repo, "HR site in the sales catalog");
    expect(await applyConverges(repo)).toContain("created accessPackageCatalogResource/sales-hr");
    const added = (await resources()).find((r) => r["originSystem"] === "SharePointOnline");
    expect(added).toMatchObject({ originId: site, displayName: "Human Resources" });
    const roles = ((await client.api(`${EM}/catalogs/${catalogId}/resourceRoles`).query({ $filter: `originSystem eq 'SharePointOnline' and resource/id eq '${String(added?.["id"])}'` }).get()) as List).value;
    expect(roles.map((r) => [r["displayName"], r["originId"]])).toEqual([["Creators", "3"], ["Contributors", "4"], ["Viewers", "5"]]);

    removeDoc(repo, "accessPackageCatalogResource", "sales-hr");
    const exported = await repo.cli("export");
    expect(exported.code, exported.stdout + exported.stderr).toBe(0);
    expect(readDoc(repo, "accessPackageCatalogResource", "sales-hr").spec).toEqual({ catalogId: "accessPackageCatalog:sales", originId: site, originSystem: "SharePointOnline" });
    commit(repo, "re-export");
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);

    removeDoc(repo, "accessPackageCatalogResource", "sales-hr");
    commit(repo, "HR site out of the catalog");
    expect(await applyConverges(repo, "--allow-delete")).toContain("deleted accessPackageCatalogResource/sales-hr");
    expect((await resources()).some((r) => r["originSystem"] === "SharePointOnline")).toBe(false);

    const unknown = `https://${initial.replace(/\.onmicrosoft\.com$/i, "")}.sharepoint.com/sites/nowhere`;
    expect(await refusal(client.api(`${EM}/resourceRequests`).post({ requestType: "adminAdd", catalog: { id: catalogId }, resource: { originId: unknown, originSystem: "SharePointOnline" } }))).toBe(400);
    writeDoc(repo, { kind: "accessPackageCatalogResource", name: "sales-nowhere", spec: { catalogId: "accessPackageCatalog:sales", originId: unknown, originSystem: "SharePointOnline" } });
    commit(repo, "a site that does not exist");
    const refused = await repo.cli("apply", "--auto-approve");
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain("does not exist");
    removeDoc(repo, "accessPackageCatalogResource", "sales-nowhere");
    commit(repo, "no such site");
  });

  it("an application adding a group needs Group.ReadWrite.All, one adding an application Application.ReadWrite.All (400 CallerNotResourceOwner)", async () => {
    const seed = (started.sandbox.tenant as SandboxTenant).seedApi();
    const appId = randomUUID();
    const secret = `em-writer-${randomUUID()}`;
    seed.create("applications", { displayName: "em-writer", appId });
    seed.addClientSecret(appId, secret, "test");
    seed.grantAppRoles(appId, ["EntitlementManagement.ReadWrite.All"]);
    const writer = graphClient(started.sandbox, credentialFor(started.sandbox, appId, secret));
    const creatorsId = String((await findByName(client, "/groups", "sg-m365-group-creators")).id);
    const app = (await client.api("/applications").post({ displayName: "Catalog app" })) as { appId: string };
    const spId = String(((await client.api("/servicePrincipals").post({ appId: app.appId })) as { id: string }).id);
    const add = (originId: string, originSystem: string): Promise<unknown> => writer.api(`${EM}/resourceRequests`).post({ requestType: "adminAdd", catalog: { id: catalogId }, resource: { originId, originSystem } });
    for (const [originId, originSystem] of [[creatorsId, "AadGroup"], [spId, "AadApplication"]] as const) {
      await expect(add(originId, originSystem)).rejects.toMatchObject({ statusCode: 400, code: "CallerNotResourceOwner" });
    }
    seed.grantAppRoles(appId, ["Group.ReadWrite.All", "Application.ReadWrite.All"]);
    const granted = graphClient(started.sandbox, credentialFor(started.sandbox, appId, secret));
    const addGranted = (originId: string, originSystem: string): Promise<unknown> => granted.api(`${EM}/resourceRequests`).post({ requestType: "adminAdd", catalog: { id: catalogId }, resource: { originId, originSystem } });
    await addGranted(creatorsId, "AadGroup");
    await addGranted(spId, "AadApplication");
    const resources = ((await client.api(`${EM}/catalogs/${catalogId}/resources`).get()) as { value: { originId: string }[] }).value.map((r) => r.originId);
    expect(resources).toEqual(expect.arrayContaining([creatorsId, spId]));
  });
});
