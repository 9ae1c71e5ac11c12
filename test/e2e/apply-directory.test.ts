import type { Client } from "@microsoft/microsoft-graph-client";
import { describe, expect, it } from "vitest";
import { applyConverges, demoRepoBlock, commit, countByName, editSpec, findByName, removeDoc, writeDoc, writes } from "./apply-fixture.js";

const DOMAIN = "contoso.onmicrosoft.com";

async function upnsOf(client: Client, path: string): Promise<string[]> {
  const page = (await client.api(path).get()) as { value: { userPrincipalName?: string; displayName?: string }[] };
  return page.value.map((o) => o.userPrincipalName ?? `(${o.displayName ?? "?"})`).sort();
}

describe("apply: directory kinds with their relationships (create, update, delete, then an empty plan)", () => {
  const demo = demoRepoBlock();

  it("group: creates a security group with members and owners, changes another's members and owners, deletes it", async () => {
    writeDoc(demo.repo, {
      kind: "group",
      name: "sg-app-vendor-portal-users",
      spec: {
        displayName: "sg-app-vendor-portal-users",
        description: "Users of the vendor portal",
        mailEnabled: false,
        mailNickname: "sg-app-vendor-portal-users",
        securityEnabled: true,
        members: [`user:ivan.petrov@${DOMAIN}`, `user:julia.rossi@${DOMAIN}`, "group:sg-ca-pilot-users"],
        owners: [`user:grace.lee@${DOMAIN}`],
      },
    });
    editSpec(demo.repo, "group", "finance-team", (spec) => {
      spec.description = "Finance department team (managed in git)";
      spec.members = (spec.members as string[]).filter((m) => m !== `user:priya.nair@${DOMAIN}`).concat(`user:alice@${DOMAIN}`);
      spec.owners = [...(spec.owners as string[]), `user:julia.rossi@${DOMAIN}`];
    });
    commit(demo.repo, "groups");
    const out = await applyConverges(demo.repo);
    expect(out).toMatch(/created group\/sg-app-vendor-portal-users \([0-9a-f-]{36}\)/);
    expect(out).toContain("updated group/finance-team");
    const created = await findByName(demo.client, "/groups", "sg-app-vendor-portal-users");
    expect(created).toMatchObject({ securityEnabled: true, mailEnabled: false, description: "Users of the vendor portal" });
    expect(await upnsOf(demo.client, `/groups/${String(created.id)}/members`)).toEqual(["(sg-ca-pilot-users)", `ivan.petrov@${DOMAIN}`, `julia.rossi@${DOMAIN}`]);
    expect(await upnsOf(demo.client, `/groups/${String(created.id)}/owners`)).toEqual([`grace.lee@${DOMAIN}`]);
    const finance = await findByName(demo.client, "/groups", "Finance Team");
    const members = await upnsOf(demo.client, `/groups/${String(finance.id)}/members`);
    expect(members).toContain(`alice@${DOMAIN}`);
    expect(members).not.toContain(`priya.nair@${DOMAIN}`);
    expect(await upnsOf(demo.client, `/groups/${String(finance.id)}/owners`)).toEqual([`ivan.petrov@${DOMAIN}`, `julia.rossi@${DOMAIN}`]);

    removeDoc(demo.repo, "group", "sg-app-vendor-portal-users");
    commit(demo.repo, "drop group");
    demo.started.sandbox.clearRequests();
    const refused = await demo.repo.cli("apply", "--auto-approve");
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain("group/sg-app-vendor-portal-users");
    expect(refused.stdout + refused.stderr).toContain("--allow-delete");
    expect(writes(demo.started.sandbox.requests())).toEqual([]);
    expect(await applyConverges(demo.repo, "--allow-delete")).toContain("deleted group/sg-app-vendor-portal-users");
    expect(await countByName(demo.client, "/groups", "sg-app-vendor-portal-users")).toBe(0);
  });

  it("administrativeUnit: creates one with members, changes another's members and description, deletes the new one", async () => {
    writeDoc(demo.repo, {
      kind: "administrativeUnit",
      name: "au-engineering",
      spec: { displayName: "AU-Engineering", description: "Engineering department", members: [`user:dana.kim@${DOMAIN}`, "group:sg-ca-pilot-users"] },
    });
    editSpec(demo.repo, "administrativeUnit", "au-sales", (spec) => {
      spec.description = "Sales department and partners";
      spec.members = (spec.members as string[]).filter((m) => m !== `user:xin.li@${DOMAIN}`).concat(`user:bob@${DOMAIN}`);
    });
    commit(demo.repo, "units");
    const out = await applyConverges(demo.repo);
    expect(out).toContain("created administrativeUnit/au-engineering");
    expect(out).toContain("updated administrativeUnit/au-sales");
    const created = await findByName(demo.client, "/directory/administrativeUnits", "AU-Engineering");
    expect(await upnsOf(demo.client, `/directory/administrativeUnits/${String(created.id)}/members`)).toEqual(["(sg-ca-pilot-users)", `dana.kim@${DOMAIN}`]);
    const sales = await findByName(demo.client, "/directory/administrativeUnits", "AU-Sales");
    expect(sales.description).toBe("Sales department and partners");
    const salesMembers = await upnsOf(demo.client, `/directory/administrativeUnits/${String(sales.id)}/members`);
    expect(salesMembers).toContain(`bob@${DOMAIN}`);
    expect(salesMembers).not.toContain(`xin.li@${DOMAIN}`);

    removeDoc(demo.repo, "administrativeUnit", "au-engineering");
    commit(demo.repo, "drop unit");
    expect(await applyConverges(demo.repo, "--allow-delete")).toContain("deleted administrativeUnit/au-engineering");
    expect(await countByName(demo.client, "/directory/administrativeUnits", "AU-Engineering")).toBe(0);
  });

  it("application + servicePrincipal: creates both in one apply, edits nested web settings and owners, deletes both", async () => {
    writeDoc(demo.repo, {
      kind: "application",
      name: "contoso-vendor-portal",
      spec: {
        displayName: "Contoso Vendor Portal",
        signInAudience: "AzureADMyOrg",
        owners: [`user:grace.lee@${DOMAIN}`],
        web: { redirectUris: ["https://vendors.contoso.com/signin-oidc"], implicitGrantSettings: { enableIdTokenIssuance: true } },
        requiredResourceAccess: [{ resourceAppId: "00000003-0000-0000-c000-000000000000", resourceAccess: [{ id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" }] }],
      },
    });
    writeDoc(demo.repo, {
      kind: "servicePrincipal",
      name: "contoso-vendor-portal",
      spec: { appId: "application:contoso-vendor-portal", displayName: "Contoso Vendor Portal", appRoleAssignmentRequired: true, tags: ["vendors"] },
    });
    editSpec(demo.repo, "application", "contoso-hr-portal", (spec) => {
      const web = spec.web as { redirectUris: string[] };
      web.redirectUris.push("https://hr.contoso.com/signin-oidc");
      spec.owners = [...(spec.owners as string[]), `user:hana.sato@${DOMAIN}`];
    });
    editSpec(demo.repo, "servicePrincipal", "contoso-hr-portal", (spec) => {
      spec.notificationEmailAddresses = ["hr-it@contoso.com"];
      spec.tags = ["hr", "WindowsAzureActiveDirectoryIntegratedApp"];
    });
    commit(demo.repo, "apps");
    const out = await applyConverges(demo.repo);
    expect(out).toContain("created application/contoso-vendor-portal");
    expect(out).toContain("created servicePrincipal/contoso-vendor-portal");
    expect(out.indexOf("created application/contoso-vendor-portal")).toBeLessThan(out.indexOf("created servicePrincipal/contoso-vendor-portal"));
    const app = await findByName(demo.client, "/applications", "Contoso Vendor Portal");
    expect(app).toMatchObject({ web: { redirectUris: ["https://vendors.contoso.com/signin-oidc"], implicitGrantSettings: { enableIdTokenIssuance: true } } });
    expect(await upnsOf(demo.client, `/applications/${String(app.id)}/owners`)).toEqual([`grace.lee@${DOMAIN}`]);
    const sp = await findByName(demo.client, "/servicePrincipals", "Contoso Vendor Portal");
    expect(sp).toMatchObject({ appId: app.appId, appRoleAssignmentRequired: true, tags: ["vendors"] });
    const hr = await findByName(demo.client, "/applications", "Contoso HR Portal");
    expect([...(hr.web as { redirectUris: string[] }).redirectUris].sort()).toEqual(["https://contoso-hr-portal.contoso.com/signin-oidc", "https://hr.contoso.com/signin-oidc"]);
    expect(await upnsOf(demo.client, `/applications/${String(hr.id)}/owners`)).toEqual([`grace.lee@${DOMAIN}`, `hana.sato@${DOMAIN}`]);
    const hrSp = await findByName(demo.client, "/servicePrincipals", "Contoso HR Portal");
    expect(hrSp).toMatchObject({ notificationEmailAddresses: ["hr-it@contoso.com"] });

    removeDoc(demo.repo, "servicePrincipal", "contoso-vendor-portal");
    removeDoc(demo.repo, "application", "contoso-vendor-portal");
    commit(demo.repo, "drop vendor portal");
    const deleted = await applyConverges(demo.repo, "--allow-delete");
    expect(deleted).toContain("deleted servicePrincipal/contoso-vendor-portal");
    expect(deleted).toContain("deleted application/contoso-vendor-portal");
    expect(await countByName(demo.client, "/applications", "Contoso Vendor Portal")).toBe(0);
    expect(await countByName(demo.client, "/servicePrincipals", "Contoso Vendor Portal")).toBe(0);
  });

  it("roleAssignment: assigns a role to a new role-assignable group scoped to an AU, then removes it", async () => {
    writeDoc(demo.repo, {
      kind: "group",
      name: "rag-helpdesk-finance",
      spec: {
        displayName: "rag-helpdesk-finance",
        description: "Role-assignable group: helpdesk for the Finance administrative unit",
        isAssignableToRole: true,
        mailEnabled: false,
        mailNickname: "rag-helpdesk-finance",
        securityEnabled: true,
        members: [`user:gustav.berg@${DOMAIN}`],
      },
    });
    writeDoc(demo.repo, {
      kind: "roleAssignment",
      name: "helpdesk-administrator-rag-helpdesk-finance-au-finance",
      spec: { roleDefinitionId: "role:Helpdesk Administrator", principalId: "group:rag-helpdesk-finance", directoryScopeId: "administrativeUnit:au-finance" },
    });
    commit(demo.repo, "finance helpdesk");
    const out = await applyConverges(demo.repo);
    expect(out.indexOf("created group/rag-helpdesk-finance")).toBeGreaterThanOrEqual(0);
    expect(out.indexOf("created group/rag-helpdesk-finance")).toBeLessThan(out.indexOf("created roleAssignment/helpdesk-administrator-rag-helpdesk-finance-au-finance"));
    const group = await findByName(demo.client, "/groups", "rag-helpdesk-finance");
    const unit = await findByName(demo.client, "/directory/administrativeUnits", "AU-Finance");
    const assignments = (await demo.client.api("/roleManagement/directory/roleAssignments").filter(`principalId eq '${String(group.id)}'`).get()) as { value: { directoryScopeId: string; roleDefinitionId: string }[] };
    expect(assignments.value).toEqual([expect.objectContaining({ directoryScopeId: `/administrativeUnits/${String(unit.id)}`, roleDefinitionId: "729827e3-9c14-49f7-bb1b-9608f156bbb8" })]);

    removeDoc(demo.repo, "roleAssignment", "helpdesk-administrator-rag-helpdesk-finance-au-finance");
    commit(demo.repo, "drop assignment");
    // The document is gone, so the plan names the live assignment by its derived name (role, principal and scope by name).
    expect(await applyConverges(demo.repo, "--allow-delete")).toContain("deleted roleAssignment/helpdesk-administrator-rag-helpdesk-finance-au-finance");
    const after = (await demo.client.api("/roleManagement/directory/roleAssignments").filter(`principalId eq '${String(group.id)}'`).get()) as { value: unknown[] };
    expect(after.value).toEqual([]);
  });

  it("roleAssignment: moving an assignment to another scope needs --allow-recreate, then deletes and re-creates it", async () => {
    const name = "helpdesk-administrator-rag-helpdesk-sales-au-sales";
    editSpec(demo.repo, "roleAssignment", name, (spec) => {
      spec.directoryScopeId = "administrativeUnit:au-finance";
    });
    commit(demo.repo, "helpdesk moves to finance");
    demo.started.sandbox.clearRequests();
    const refused = await demo.repo.cli("apply", "--auto-approve");
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain(`roleAssignment/${name}`);
    expect(refused.stdout + refused.stderr).toContain("--allow-recreate");
    expect(writes(demo.started.sandbox.requests())).toEqual([]);

    const out = await applyConverges(demo.repo, "--allow-recreate");
    expect(out).toMatch(new RegExp(`replaced roleAssignment/${name} \\(f74d790e-e73d-404f-9bd6-a79d12754bb9 → [0-9a-f-]{36}\\)`));
    const group = await findByName(demo.client, "/groups", "rag-helpdesk-sales");
    const finance = await findByName(demo.client, "/directory/administrativeUnits", "AU-Finance");
    const assignments = (await demo.client.api("/roleManagement/directory/roleAssignments").filter(`principalId eq '${String(group.id)}'`).get()) as { value: { id: string; directoryScopeId: string }[] };
    expect(assignments.value.map((a) => a.directoryScopeId)).toEqual([`/administrativeUnits/${String(finance.id)}`]);
    expect(assignments.value[0]?.id).not.toBe("f74d790e-e73d-404f-9bd6-a79d12754bb9");
  });

  it("application: an app role is added, its value changed and then removed, each by disabling it first (two PATCHes, both in the plan)", async () => {
    const role = { id: "4f4a3b2c-1d0e-4f9a-8b7c-6d5e4f3a2b1c", allowedMemberTypes: ["User"], displayName: "Expense approver", description: "Approves expense reports", value: "Expenses.Approve", isEnabled: true };
    editSpec(demo.repo, "application", "contoso-expenses", (spec) => {
      spec.appRoles = [role];
    });
    commit(demo.repo, "approver role");
    expect(await applyConverges(demo.repo)).toContain("updated application/contoso-expenses");
    const app = await findByName(demo.client, "/applications", "Contoso Expenses");
    expect(app.appRoles).toEqual([expect.objectContaining({ value: "Expenses.Approve", isEnabled: true })]);

    // Renaming an enabled role's value: Graph refuses it in one PATCH, so plan shows two steps and apply sends two.
    editSpec(demo.repo, "application", "contoso-expenses", (spec) => {
      spec.appRoles = [{ ...role, value: "Expenses.Approver" }];
    });
    commit(demo.repo, "approver role value");
    const plan = await demo.repo.cli("plan");
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("step 1: app role 'Expenses.Approve' disabled first (isEnabled: false)");
    demo.started.sandbox.clearRequests();
    expect(await applyConverges(demo.repo)).toContain("updated application/contoso-expenses");
    const renames = demo.started.sandbox.requests().filter((e) => e.method === "PATCH" && e.path === `/v1.0/applications/${String(app.id)}`);
    expect(renames.map((e) => e.status)).toEqual([204, 204]);
    expect((await findByName(demo.client, "/applications", "Contoso Expenses")).appRoles).toEqual([expect.objectContaining({ value: "Expenses.Approver", isEnabled: true })]);

    editSpec(demo.repo, "application", "contoso-expenses", (spec) => {
      delete spec.appRoles;
    });
    commit(demo.repo, "no approver role");
    demo.started.sandbox.clearRequests();
    expect(await applyConverges(demo.repo)).toContain("updated application/contoso-expenses");
    const patches = demo.started.sandbox.requests().filter((e) => e.method === "PATCH" && e.path === `/v1.0/applications/${String(app.id)}`);
    expect(patches).toHaveLength(2);
    expect((await findByName(demo.client, "/applications", "Contoso Expenses")).appRoles).toEqual([]);
  });

  it("roleAssignment: a role Graph cannot scope to an administrative unit is refused by plan and apply before anything is written", async () => {
    writeDoc(demo.repo, {
      kind: "roleAssignment",
      name: "global-administrator-rag-helpdesk-sales-au-sales",
      spec: { directoryScopeId: "administrativeUnit:au-sales", principalId: "group:rag-helpdesk-sales", roleDefinitionId: "role:Global Administrator" },
    });
    commit(demo.repo, "a global administrator for one unit");
    demo.started.sandbox.clearRequests();
    for (const args of [["plan"], ["apply", "--auto-approve"]]) {
      const refused = await demo.repo.cli(...args);
      expect(refused.code).toBe(1);
      const text = refused.stdout + refused.stderr;
      expect(text).toContain("roleAssignment/global-administrator-rag-helpdesk-sales-au-sales.yaml:");
      expect(text).toContain("spec.roleDefinitionId");
      expect(text).toContain("cannot be assigned at administrative unit scope");
    }
    expect(writes(demo.started.sandbox.requests())).toEqual([]);
    removeDoc(demo.repo, "roleAssignment", "global-administrator-rag-helpdesk-sales-au-sales");
    commit(demo.repo, "no global administrator for one unit");
  });

  it("application: identifier URIs off the tenant's verified domains stop plan and apply before any write; verified ones are applied", async () => {
    editSpec(demo.repo, "application", "contoso-expenses", (spec) => {
      spec.identifierUris = ["api://contoso.com/expenses", "https://expenses.fabrikam.com"];
    });
    commit(demo.repo, "expenses identifier URIs");
    demo.started.sandbox.clearRequests();
    for (const args of [["plan"], ["apply", "--auto-approve"]]) {
      const refused = await demo.repo.cli(...args);
      expect(refused.code).toBe(1);
      const text = refused.stdout + refused.stderr;
      expect(text).toContain("tenant-config/application/contoso-expenses.yaml");
      expect(text).toContain("spec.identifierUris[1]: 'https://expenses.fabrikam.com' is not on a verified domain");
      expect(text).not.toContain("spec.identifierUris[0]");
    }
    expect(writes(demo.started.sandbox.requests())).toEqual([]);
    expect(demo.started.sandbox.requests().some((e) => e.method === "GET" && e.path.startsWith("/v1.0/domains"))).toBe(true);

    editSpec(demo.repo, "application", "contoso-expenses", (spec) => {
      spec.identifierUris = ["api://contoso.com/expenses", "https://expenses.contoso.com"];
    });
    commit(demo.repo, "expenses identifier URIs on verified domains");
    expect(await applyConverges(demo.repo)).toContain("updated application/contoso-expenses");
    expect((await findByName(demo.client, "/applications", "Contoso Expenses")).identifierUris).toEqual(["api://contoso.com/expenses", "https://expenses.contoso.com"]);
  });
});
