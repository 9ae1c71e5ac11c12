import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultTestConfig, readTree, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { commit, demoRepo, editSpec, findByName, readDoc } from "./apply-fixture.js";

// Microsoft's ids for Microsoft Graph and two of its permissions (docs/graph-behaviour.md §11).
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
const USER_READ_SCOPE = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";
const USER_READ_ALL_ROLE = "df021288-bdef-4463-88db-98f22de89214";

interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: { id: string; type: string }[];
}

describe("names for GUIDs: API permissions, first-party applications, role assignments", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  beforeAll(async () => {
    ({ started, repo } = await demoRepo());
  });
  afterAll(async () => started?.stop());

  it("export writes API permissions as resource:/permission: names read from the resource's service principal", () => {
    const app = readDoc(repo, "application", "contoso-hr-portal");
    expect(app.spec.requiredResourceAccess).toEqual([{ resourceAppId: "resource:Microsoft Graph", resourceAccess: [{ id: "permission:User.Read", type: "Scope" }] }]);
  });

  it("first-party applications in policies keep their appId with the service principal's name as a comment", () => {
    const text = readFileSync(join(repo.dir, "tenant-config/conditionalAccessPolicy/ca-i12-pilot-exchangesharepoint-blockdownloadsunmanaged.yaml"), "utf8");
    expect(text).toContain("- 00000002-0000-0ff1-ce00-000000000000 # Office 365 Exchange Online\n");
    expect(text).toContain("- 00000003-0000-0ff1-ce00-000000000000 # Office 365 SharePoint Online\n");
  });

  it("role assignment documents are named from role, principal and scope names", () => {
    const scoped = readDoc(repo, "roleAssignment", "helpdesk-administrator-rag-helpdesk-sales-au-sales");
    expect(scoped.spec).toEqual({ directoryScopeId: "administrativeUnit:au-sales", principalId: "group:rag-helpdesk-sales", roleDefinitionId: "role:Helpdesk Administrator" });
    expect(readDoc(repo, "roleAssignment", "global-administrator-breakglass01").spec.principalId).toBe("user:breakglass01@contoso.onmicrosoft.com");
  });

  it("a permission added by name plans by name and applies as Microsoft's id", async () => {
    editSpec(repo, "application", "contoso-hr-portal", (spec) => {
      spec.requiredResourceAccess = [
        { resourceAppId: "resource:Microsoft Graph", resourceAccess: [{ id: "permission:User.Read", type: "Scope" }, { id: "permission:User.Read.All", type: "Role" }] },
      ];
    });
    commit(repo, "HR portal reads all users");
    const plan = await repo.cli("plan");
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('+ requiredResourceAccess[resourceAppId=resource:Microsoft Graph].resourceAccess[id=permission:User.Read.All]: { id: "permission:User.Read.All", type: "Role" }');
    const applied = await repo.cli("apply", "--auto-approve");
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const live = await findByName(started.client, "/applications", "Contoso HR Portal");
    const access = live.requiredResourceAccess as RequiredResourceAccess[];
    expect(access.map((r) => r.resourceAppId)).toEqual([GRAPH_APP_ID]);
    expect(access[0]?.resourceAccess.map((a) => `${a.type}:${a.id}`).sort()).toEqual([`Role:${USER_READ_ALL_ROLE}`, `Scope:${USER_READ_SCOPE}`]);
    const again = await repo.cli("plan", "--detailed-exitcode");
    expect(again.code, again.stdout).toBe(0);
  });

  it("an unknown permission or resource name stops plan, naming file, line and field", async () => {
    editSpec(repo, "application", "contoso-payroll", (spec) => {
      spec.requiredResourceAccess = [{ resourceAppId: "resource:Microsoft Graph", resourceAccess: [{ id: "permission:user.read", type: "Scope" }, { id: "permission:Application.ReadWrite.OwnedBy", type: "Scope" }] }];
    });
    editSpec(repo, "application", "contoso-expenses", (spec) => {
      spec.requiredResourceAccess = [{ resourceAppId: "resource:Microsoft Grahp", resourceAccess: [{ id: "permission:User.Read", type: "Scope" }] }];
    });
    const plan = await repo.cli("plan");
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/tenant-config\/application\/contoso-payroll\.yaml:\d+:\d+ spec\.requiredResourceAccess\[0\]\.resourceAccess\[\d\]\.id: permission:user\.read is not a delegated permission \(type: Scope\) of resource:Microsoft Graph; did you mean permission:User\.Read\?/);
    expect(plan.stderr).toMatch(/contoso-payroll\.yaml:\d+:\d+ spec\.requiredResourceAccess\[0\]\.resourceAccess\[\d\]\.id: permission:Application\.ReadWrite\.OwnedBy is not a delegated permission \(type: Scope\) of resource:Microsoft Graph; it is an application permission of it: set type: Role/);
    expect(plan.stderr).toMatch(/tenant-config\/application\/contoso-expenses\.yaml:\d+:\d+ spec\.requiredResourceAccess\[0\]\.resourceAppId: resource:Microsoft Grahp: no service principal of the tenant has this display name/);
  });

  it("without CrossTenantInformation.ReadBasic.All a partner keeps its tenant id as its name (export does not fail)", async () => {
    // demoRepo starts the sandbox's own tenant (a SandboxTenant), typed as any Tenant.
    const seed = (started.sandbox.tenant as SandboxTenant).seedApi();
    const appId = randomUUID();
    const secret = `partners-only-${randomUUID()}`;
    seed.create("applications", { displayName: "partners-reader", appId });
    seed.addClientSecret(appId, secret, "test");
    seed.grantAppRoles(appId, ["Policy.Read.All"]);
    const { dir, configFile } = tempRepo(defaultTestConfig("kinds: [crossTenantAccessPolicyPartner]"));
    const exported = await runCli(["--config", configFile, "export"], { ...sandboxEnv(started.sandbox), AZURE_CLIENT_ID: appId, AZURE_CLIENT_SECRET: secret });
    expect(exported.code, exported.stderr).toBe(0);
    const tree = readTree(join(dir, "tenant-config"));
    expect([...tree.keys()]).toEqual(["crossTenantAccessPolicyPartner/8c3dad1d-b6bc-4f8b-939b-8263372eced6.yaml"]);
    expect([...tree.values()][0]).toContain("tenantId: 8c3dad1d-b6bc-4f8b-939b-8263372eced6\n");
  });
});
