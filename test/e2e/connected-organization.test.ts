/**
 * Entitlement management connected organizations through the CLI against the sandbox (opt-in):
 * export (identity sources, sponsors by name) → plan empty → edit + sponsors changed + a new
 * organization named by an assignment policy → apply → plan empty → delete → plan empty; validate
 * names file, line and field; the sandbox refuses what Graph refuses.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, findByName, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const EM = "/identityGovernance/entitlementManagement";
const ORGS = `${EM}/connectedOrganizations`;
const ALICE = "alice@contoso.onmicrosoft.com";
type List = { value: Record<string, unknown>[] };

describe("connectedOrganization: other organizations whose users may request access (opt-in)", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  let aliceId = "";
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    aliceId = String(((await client.api(`/users/${ALICE}`).get()) as { id: string }).id);
    const org = (await client.api(ORGS).post({ displayName: "Fabrikam", description: "Sales partners", state: "configured", identitySources: [{ "@odata.type": "#microsoft.graph.domainIdentitySource", domainName: "fabrikam.com", displayName: "fabrikam.com" }] })) as { id: string };
    await client.api(`${ORGS}/${org.id}/internalSponsors/$ref`).post({ "@odata.id": `https://graph.microsoft.com/v1.0/users/${aliceId}` });
    const catalog = (await client.api(`${EM}/catalogs`).post({ displayName: "Partners" })) as { id: string };
    await client.api(`${EM}/accessPackages`).post({ displayName: "Partner portal", catalog: { id: catalog.id } });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["group", "accessPackageCatalog", "accessPackage", "accessPackageAssignmentPolicy", "connectedOrganization"] });
  });
  afterAll(async () => started?.stop());

  it("exports the organization with its identity source and sponsors by name and plans empty", async () => {
    expect(readDoc(repo, "connectedOrganization", "fabrikam").spec).toEqual({
      displayName: "Fabrikam",
      description: "Sales partners",
      state: "configured",
      identitySources: [{ "@odata.type": "#microsoft.graph.domainIdentitySource", domainName: "fabrikam.com", displayName: "fabrikam.com" }],
      internalSponsors: [`user:${ALICE}`],
    });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("updates, creates (named by an assignment policy) and deletes organizations, each apply followed by an empty plan", async () => {
    editSpec(repo, "connectedOrganization", "fabrikam", (spec) => {
      spec.state = "proposed";
      spec.internalSponsors = ["group:finance-team"];
      spec.externalSponsors = [`user:${ALICE}`];
    });
    writeDoc(repo, {
      kind: "connectedOrganization",
      name: "woodgrove",
      spec: { displayName: "Woodgrove", identitySources: [{ "@odata.type": "#microsoft.graph.azureActiveDirectoryTenant", tenantId: "3d0f5dec-5d3d-455c-8016-e2af1ae4d31a", displayName: "Woodgrove Bank" }] },
    });
    writeDoc(repo, {
      kind: "accessPackageAssignmentPolicy",
      name: "partner-portal-woodgrove",
      spec: {
        displayName: "Woodgrove asks",
        allowedTargetScope: "specificConnectedOrganizationUsers",
        specificAllowedTargets: [{ "@odata.type": "#microsoft.graph.connectedOrganizationMembers", connectedOrganizationId: "connectedOrganization:woodgrove" }],
        accessPackage: { id: "accessPackage:partner-portal" },
      },
    });
    commit(repo, "fabrikam proposed, woodgrove and its policy");
    const applied = await applyConverges(repo);
    expect(applied).toContain("updated connectedOrganization/fabrikam");
    expect(applied).toContain("created connectedOrganization/woodgrove");
    expect(applied).toContain("created accessPackageAssignmentPolicy/partner-portal-woodgrove");
    const fabrikam = await findByName(client, ORGS, "Fabrikam");
    expect(fabrikam.state).toBe("proposed");
    const finance = await findByName(client, "/groups", "Finance Team");
    expect(((await client.api(`${ORGS}/${String(fabrikam.id)}/internalSponsors`).get()) as List).value.map((o) => o.id)).toEqual([finance.id]);
    expect(((await client.api(`${ORGS}/${String(fabrikam.id)}/externalSponsors`).get()) as List).value.map((o) => o.id)).toEqual([aliceId]);
    const woodgrove = await findByName(client, ORGS, "Woodgrove");
    const policy = await findByName(client, `${EM}/assignmentPolicies`, "Woodgrove asks");
    expect(policy.specificAllowedTargets).toEqual([{ "@odata.type": "#microsoft.graph.connectedOrganizationMembers", connectedOrganizationId: woodgrove.id }]);

    removeDoc(repo, "accessPackageAssignmentPolicy", "partner-portal-woodgrove");
    removeDoc(repo, "connectedOrganization", "woodgrove");
    commit(repo, "no woodgrove");
    const deleted = await applyConverges(repo, "--allow-delete");
    expect(deleted).toContain("deleted connectedOrganization/woodgrove");
    expect(((await client.api(ORGS).get()) as List).value.map((o) => o.displayName)).toEqual(["Fabrikam"]);
  });

  it("validate requires displayName and identitySources, naming file and line", async () => {
    writeDoc(repo, { kind: "connectedOrganization", name: "broken", spec: { description: "nameless", state: "open" } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/connectedOrganization\/broken\.yaml:\d+:\d+/);
    expect(text).toContain("displayName");
    expect(text).toContain("identitySources");
    removeDoc(repo, "connectedOrganization", "broken");
  });

  it("sandbox: no identity source, two on create, a typeless one, an unknown state or property → 400", async () => {
    const source = { "@odata.type": "#microsoft.graph.domainIdentitySource", domainName: "x.com", displayName: "x.com" };
    await expect(client.api(ORGS).post({ displayName: "X" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(ORGS).post({ displayName: "X", identitySources: [source, source] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(ORGS).post({ displayName: "X", identitySources: [{ domainName: "x.com" }] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(ORGS).post({ displayName: "X", identitySources: [source], state: "open" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(ORGS).post({ displayName: "X", identitySources: [source], sponsors: [] })).rejects.toMatchObject({ statusCode: 400 });
  });
});
