import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { demoRepo, editSpec, writeDoc, writes } from "./apply-fixture.js";

/** GUIDs from another (source) tenant: nothing in the sandbox has them. */
const SOURCE_USER = "3f9a1c2e-7b4d-4e8a-9c61-0d2b5e7f8a90";
const SOURCE_GROUP = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const SOURCE_MEMBER = "0f1e2d3c-4b5a-4968-8776-655443322110";
const SOURCE_LOCATION = "11111111-2222-4333-8444-555555555555";
/** A custom role of the source tenant (no built-in role has this id). */
const SOURCE_ROLE = "7c1a9e55-3d2b-4f6e-9a8b-1c2d3e4f5a6b";
/** Entra Backup Administrator: a built-in role newer than the first role list (the j0eyv baseline names it). */
const ENTRA_BACKUP_ADMIN = "b6a27b2b-f905-4b2e-81b5-0d90e0ef1fdb";
const GHOST = "user:ghost@contoso.onmicrosoft.com";
const POLICY_A = "ca-e03-guests-adminportals-block";
const POLICY_B = "ca-e02-guests-allapps-signinfrequencydaily";

function docFile(repo: ExportedRepo, kind: string, name: string): string {
  return join(repo.dir, "tenant-config", kind, `${name}.yaml`);
}

/** 1-based line of the first line of `file` holding `text`. */
function lineOf(file: string, text: string): number {
  const index = readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(text));
  expect(index, `${text} in ${file}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

describe("plan resolves every reference against the target tenant and reports all that do not exist", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  beforeAll(async () => {
    ({ started, repo } = await demoRepo());
  });
  afterAll(async () => started?.stop());

  it("source-tenant GUIDs in several documents and missing break-glass entries: one plan lists them all, file by file; apply writes nothing", { timeout: 120_000 }, async () => {
    editSpec(repo, "conditionalAccessPolicy", POLICY_A, (spec) => {
      const users = (spec.conditions as { users: Record<string, string[]> }).users;
      users.excludeUsers = [...(users.excludeUsers ?? []), SOURCE_USER];
      users.excludeGroups = [...(users.excludeGroups ?? []), SOURCE_GROUP];
      users.excludeRoles = [...(users.excludeRoles ?? []), SOURCE_ROLE];
    });
    // A custom role this tenant has is found (its id is its template id).
    const custom = (await started.client.api("/roleManagement/directory/roleDefinitions").post({ displayName: "Helpdesk Lite", isEnabled: true, rolePermissions: [{ allowedResourceActions: ["microsoft.directory/users/basic/update"] }] })) as { id: string };
    editSpec(repo, "conditionalAccessPolicy", POLICY_B, (spec) => {
      const conditions = spec.conditions as Record<string, Record<string, string[]>>;
      (conditions.users as Record<string, string[]>).excludeRoles = [...((conditions.users as Record<string, string[]>).excludeRoles ?? []), custom.id, ENTRA_BACKUP_ADMIN];
      (conditions.users as Record<string, string[]>).excludeUsers = [...((conditions.users as Record<string, string[]>).excludeUsers ?? []), GHOST];
      conditions.locations = { includeLocations: ["All"], excludeLocations: [SOURCE_LOCATION] };
    });
    editSpec(repo, "group", "sg-ca-pilot-users", (spec) => {
      spec.members = [...((spec.members as string[] | undefined) ?? []), SOURCE_MEMBER];
    });
    const config = readFileSync(repo.configFile, "utf8").replace("  accounts: []\n  groups: []", "  accounts:\n    - user:bg-missing@contoso.onmicrosoft.com\n  groups:\n    - group:sg-no-such-group");
    writeFileSync(repo.configFile, config);

    const plan = await repo.cli("plan");
    expect(plan.code).toBe(1);
    const a = docFile(repo, "conditionalAccessPolicy", POLICY_A);
    const b = docFile(repo, "conditionalAccessPolicy", POLICY_B);
    const g = docFile(repo, "group", "sg-ca-pilot-users");
    const expected = [
      [a, SOURCE_USER, `conditionalAccessPolicy/${POLICY_A}`, "spec.conditions.users.excludeUsers["],
      [a, SOURCE_GROUP, `conditionalAccessPolicy/${POLICY_A}`, "spec.conditions.users.excludeGroups["],
      [a, SOURCE_ROLE, `conditionalAccessPolicy/${POLICY_A}`, "spec.conditions.users.excludeRoles["],
      [b, GHOST, `conditionalAccessPolicy/${POLICY_B}`, "spec.conditions.users.excludeUsers["],
      [b, SOURCE_LOCATION, `conditionalAccessPolicy/${POLICY_B}`, "spec.conditions.locations.excludeLocations[0]"],
      [g, SOURCE_MEMBER, "group/sg-ca-pilot-users", "spec.members["],
      [repo.configFile, "user:bg-missing@contoso.onmicrosoft.com", "the configuration", "breakGlass.accounts[0]"],
      [repo.configFile, "group:sg-no-such-group", "the configuration", "breakGlass.groups[0]"],
    ] as const;
    const lines = plan.stderr.split("\n");
    for (const [file, value, owner, path] of expected) {
      const line = lineOf(file, value);
      const found = lines.find((l) => l.includes(`${value} does not exist in the tenant (referenced by ${owner})`));
      expect(found, `${value} reported`).toBeDefined();
      expect(found).toContain(`:${line}:`);
      expect(found).toContain(file.split("/").pop() as string);
      expect(found).toContain(path);
    }
    expect(lines.filter((l) => l.includes("does not exist in the tenant"))).toHaveLength(expected.length);
    expect(plan.stderr).not.toContain(custom.id);
    expect(plan.stderr).not.toContain(ENTRA_BACKUP_ADMIN);
    expect(plan.stderr).toContain("cannot plan: 8 reference(s) name objects that do not exist in the target tenant");

    started.sandbox.clearRequests();
    const apply = await repo.cli("apply", "--auto-approve");
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain("cannot plan: 8 reference(s)");
    expect(writes(started.sandbox.requests())).toEqual([]);
  });
});

/** An application of another (source) tenant: no service principal here. */
const SOURCE_APP = "5e3c9a7b-2d1f-4c6e-8a9b-0c1d2e3f4a5b";
/** Windows Azure Service Management API: first-party, but the demo tenant has no service principal for it yet. */
const AZURE_MANAGEMENT = "797f4846-ba00-4fd7-ba43-dac1f8f63013";
/** Office 365 Exchange Online: the demo tenant has its service principal. */
const EXCHANGE = "00000002-0000-0ff1-ce00-000000000000";
/** Azure Portal: first-party, no service principal in the demo tenant. */
const AZURE_PORTAL = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c";
const POLICY_C = "ca-i12-pilot-exchangesharepoint-blockdownloadsunmanaged";

describe("plan checks appIds against the tenant's service principals and references to kinds outside the scope", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  beforeAll(async () => {
    ({ started, repo } = await demoRepo());
  });
  afterAll(async () => started?.stop());

  it("a Conditional Access policy naming an appId without a service principal is an error (first-party too) until the service principal exists; other appIds only warn", { timeout: 120_000 }, async () => {
    editSpec(repo, "conditionalAccessPolicy", POLICY_A, (spec) => {
      const apps = (spec.conditions as { applications: Record<string, string[]> }).applications;
      apps.excludeApplications = [SOURCE_APP];
    });
    editSpec(repo, "conditionalAccessPolicy", POLICY_C, (spec) => {
      const apps = (spec.conditions as { applications: Record<string, string[]> }).applications;
      apps.includeApplications = [...(apps.includeApplications ?? []), AZURE_MANAGEMENT];
      apps.excludeApplications = ["Office365"];
    });
    const application = readdirSync(join(repo.dir, "tenant-config", "application")).filter((f) => f.endsWith(".yaml")).sort()[0]?.replace(/\.yaml$/, "") ?? "";
    expect(application).not.toBe("");
    editSpec(repo, "application", application, (spec) => {
      spec.requiredResourceAccess = [...((spec.requiredResourceAccess as unknown[] | undefined) ?? []), { resourceAppId: SOURCE_APP, resourceAccess: [{ id: "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", type: "Scope" }] }];
    });

    const plan = await repo.cli("plan");
    expect(plan.code).toBe(1);
    const a = docFile(repo, "conditionalAccessPolicy", POLICY_A);
    const c = docFile(repo, "conditionalAccessPolicy", POLICY_C);
    const errors = plan.stderr.split("\n").filter((l) => l.includes("has no service principal in the tenant"));
    expect(errors).toHaveLength(2);
    const source = errors.find((l) => l.includes(`${SOURCE_APP} has no service principal`));
    expect(source).toContain(`${a.split("/").pop() as string}:${lineOf(a, SOURCE_APP)}:`);
    expect(source).toContain("spec.conditions.applications.excludeApplications[0]");
    expect(source).toContain(`(referenced by conditionalAccessPolicy/${POLICY_A})`);
    const management = errors.find((l) => l.includes(`${AZURE_MANAGEMENT} has no service principal`));
    expect(management).toContain(`${c.split("/").pop() as string}:${lineOf(c, AZURE_MANAGEMENT)}:`);
    expect(management).toContain(`a servicePrincipal document with appId: ${AZURE_MANAGEMENT}`);
    // Exchange Online has its service principal here; Office365 is a sentinel, not an appId.
    expect(plan.stderr).not.toMatch(new RegExp(`${EXCHANGE}|Office365`));
    expect(plan.stderr).toContain("cannot plan: 2 reference(s)");

    // Once the first-party app has its service principal and the source tenant's id is gone, plan
    // passes; the application's unknown resource appId is a warning (another tenant's API may have it).
    expect(((await started.client.api("/servicePrincipals").post({ appId: AZURE_MANAGEMENT })) as { appId: string }).appId).toBe(AZURE_MANAGEMENT);
    editSpec(repo, "conditionalAccessPolicy", POLICY_A, (spec) => {
      delete (spec.conditions as { applications: Record<string, string[]> }).applications.excludeApplications;
    });
    // A service principal document for Azure Portal (Microsoft's app, no service principal here yet):
    // its appId is a warning too, since plan cannot see applications of other tenants.
    writeDoc(repo, { kind: "servicePrincipal", name: "azure-portal", spec: { appId: AZURE_PORTAL, displayName: "Azure Portal" } });
    const again = await repo.cli("plan");
    expect(again.code, again.stderr).toBe(0);
    const portal = again.stdout.split("\n").find((l) => l.includes(`${AZURE_PORTAL} names no application or service principal in the tenant`));
    expect(portal, again.stdout).toContain("(referenced by servicePrincipal/azure-portal)");
    expect(portal).toContain("spec.appId");
    const warning = again.stdout.split("\n").find((l) => l.includes(`${SOURCE_APP} names no application or service principal in the tenant`));
    expect(warning, again.stdout).toBeDefined();
    expect(warning).toContain(`application/${application}`);
    expect(warning).toContain("requiredResourceAccess");
  });

  it("a policy naming an application this plan creates needs its service principal document too", { timeout: 120_000 }, async () => {
    writeDoc(repo, { kind: "application", name: "ca-target-app", spec: { displayName: "CA Target App", signInAudience: "AzureADMyOrg" } });
    editSpec(repo, "conditionalAccessPolicy", POLICY_C, (spec) => {
      const apps = (spec.conditions as { applications: Record<string, string[]> }).applications;
      apps.includeApplications = [...(apps.includeApplications ?? []), "application:ca-target-app"];
    });
    const plan = await repo.cli("plan");
    expect(plan.code).toBe(1);
    const c = docFile(repo, "conditionalAccessPolicy", POLICY_C);
    const line = plan.stderr.split("\n").find((l) => l.includes("application:ca-target-app is created by this plan without a service principal"));
    expect(line, plan.stderr).toContain(`${c.split("/").pop() as string}:${lineOf(c, "application:ca-target-app")}:`);
    expect(line).toContain("add a servicePrincipal document with appId: application:ca-target-app");
    expect(plan.stderr).toContain("cannot plan: 1 reference(s)");

    writeDoc(repo, { kind: "servicePrincipal", name: "ca-target-app", spec: { appId: "application:ca-target-app", displayName: "CA Target App" } });
    // An application the tenant has, with its service principal there, passes as well.
    const dir = join(repo.dir, "tenant-config", "application");
    const payroll = readdirSync(dir).find((f) => readFileSync(join(dir, f), "utf8").includes("displayName: Contoso Payroll"))?.replace(/\.yaml$/, "");
    expect(payroll).toBeDefined();
    editSpec(repo, "conditionalAccessPolicy", POLICY_C, (spec) => {
      const apps = (spec.conditions as { applications: Record<string, string[]> }).applications;
      apps.includeApplications = [...(apps.includeApplications ?? []), `application:${payroll ?? ""}`];
    });
    const again = await repo.cli("plan");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("servicePrincipal/ca-target-app");
  });

  it("a reference to a kind outside the scope (in a document or in breakGlass) is an error naming the kind to add; nothing is written", { timeout: 120_000 }, async () => {
    const config = readFileSync(repo.configFile, "utf8").replace("  groups: []", "  groups:\n    - group:sg-ca-pilot-users");
    writeFileSync(repo.configFile, `${config.replace(/\n*$/, "\n")}kinds: [conditionalAccessPolicy, namedLocation, authenticationStrengthPolicy, authenticationContextClassReference]\n`);
    const validate = await repo.cli("validate");
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    started.sandbox.clearRequests();
    const plan = await repo.cli("plan");
    expect(plan.code).toBe(1);
    const scope = plan.stderr.split("\n").filter((l) => l.includes("group is not in scope; add group to kinds: in the configuration"));
    expect(scope.length).toBeGreaterThan(1);
    const breakGlass = scope.find((l) => l.includes("(referenced by the configuration)"));
    expect(breakGlass).toContain("group:sg-ca-pilot-users cannot be resolved");
    expect(breakGlass).toContain(`:${lineOf(repo.configFile, "group:sg-ca-pilot-users")}:`);
    expect(breakGlass).toContain("group/sg-ca-pilot-users.yaml");
    const c = docFile(repo, "conditionalAccessPolicy", POLICY_C);
    const inPolicy = scope.find((l) => l.includes(`(referenced by conditionalAccessPolicy/${POLICY_C})`));
    expect(inPolicy).toContain(`${c.split("/").pop() as string}:`);
    expect(inPolicy).toContain("spec.conditions.users.");
    const apply = await repo.cli("apply", "--auto-approve");
    expect(apply.code).toBe(1);
    expect(writes(started.sandbox.requests())).toEqual([]);
  });
});

describe("appIds outside Conditional Access: knownClientApplications must be this tenant's application, other fields warn", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  beforeAll(async () => {
    ({ started, repo } = await demoRepo());
  });
  afterAll(async () => started?.stop());

  it("an unknown knownClientApplications appId is an error; an unknown preAuthorizedApplications appId warns and applies, as Graph takes it", { timeout: 120_000 }, async () => {
    const scope = "5a0c2b1e-9d8f-4e7a-b6c5-d4e3f2a1b0c9";
    const api = (known: string): Record<string, unknown> => ({
      displayName: "Orders API",
      signInAudience: "AzureADMyOrg",
      api: {
        knownClientApplications: [known],
        oauth2PermissionScopes: [{ id: scope, value: "Orders.Read", type: "User", isEnabled: true, adminConsentDisplayName: "Read orders", adminConsentDescription: "Read orders", userConsentDisplayName: "Read orders", userConsentDescription: "Read orders" }],
        preAuthorizedApplications: [{ appId: SOURCE_APP, delegatedPermissionIds: [scope] }],
      },
    });
    writeDoc(repo, { kind: "application", name: "orders-api", spec: api(SOURCE_APP) });
    const file = docFile(repo, "application", "orders-api");
    started.sandbox.clearRequests();
    const plan = await repo.cli("plan");
    expect(plan.code).toBe(1);
    const known = plan.stderr.split("\n").find((l) => l.includes(`${SOURCE_APP} is no application registered in this tenant`));
    expect(known, plan.stderr).toContain(`orders-api.yaml:${lineOf(file, SOURCE_APP)}:`);
    expect(known).toContain("spec.api.knownClientApplications[0]");
    expect(known).toContain("(referenced by application/orders-api)");
    expect(plan.stderr).toContain("cannot plan: 1 reference(s)");
    expect(writes(started.sandbox.requests())).toEqual([]);

    // A client registered in this tenant: plan passes; the other tenant's pre-authorized client only warns.
    const payroll = ((await started.client.api("/applications").filter("displayName eq 'Contoso Payroll'").get()) as { value: { appId: string }[] }).value[0]?.appId ?? "";
    expect(payroll).not.toBe("");
    writeDoc(repo, { kind: "application", name: "orders-api", spec: api(payroll) });
    const again = await repo.cli("plan");
    expect(again.code, again.stderr).toBe(0);
    const warning = again.stdout.split("\n").find((l) => l.includes(`${SOURCE_APP} names no application or service principal in the tenant`));
    expect(warning, again.stdout).toContain("spec.api.preAuthorizedApplications[0].appId");
    const applied = await repo.cli("apply", "--auto-approve");
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const created = ((await started.client.api("/applications").filter("displayName eq 'Orders API'").get()) as { value: { api: { preAuthorizedApplications: { appId: string }[]; knownClientApplications: string[] } }[] }).value[0];
    expect(created?.api.preAuthorizedApplications.map((p) => p.appId)).toEqual([SOURCE_APP]);
    expect(created?.api.knownClientApplications).toEqual([payroll]);
  });
});
