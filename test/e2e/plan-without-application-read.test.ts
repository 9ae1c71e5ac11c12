/**
 * The 403 path (README "Safety"): an identity that manages Conditional Access only, with no
 * Application.Read.All, Directory.Read.All or RoleManagement.Read.Directory. Plan must degrade as
 * documented (also without Directory.Read.All, which getByIds needs): appIds stay GUIDs, each check it could not make is a warning saying so, and nothing
 * it could not verify is reported as missing; it never crashes.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { demoRepo, editSpec, writes } from "./apply-fixture.js";

const KINDS = ["conditionalAccessPolicy", "namedLocation", "group", "authenticationStrengthPolicy", "authenticationContextClassReference"];
/** An application of another tenant, and a custom role of another tenant: nothing here has them. */
const SOURCE_APP = "5e3c9a7b-2d1f-4c6e-8a9b-0c1d2e3f4a5b";
const SOURCE_ROLE = "7c1a9e55-3d2b-4f6e-9a8b-1c2d3e4f5a6b";
const SOURCE_USER = "3f9a1c2e-7b4d-4e8a-9c61-0d2b5e7f8a90";
const EXCHANGE = "00000002-0000-0ff1-ce00-000000000000";
const POLICY = "ca-e03-guests-adminportals-block";
/** A policy of the demo tenant that names Exchange Online by appId. */
const POLICY_WITH_APPS = "ca-i12-pilot-exchangesharepoint-blockdownloadsunmanaged";

describe("plan with an identity that may not read applications or role definitions", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let limited: Record<string, string>;
  beforeAll(async () => {
    ({ started, repo } = await demoRepo({ kinds: KINDS }));
    const seed = (started.sandbox.tenant as SandboxTenant).seedApi();
    const appId = randomUUID();
    const secret = `ca-only-${randomUUID()}`;
    seed.create("applications", { displayName: "ca-only-planner", appId });
    seed.addClientSecret(appId, secret, "test");
    seed.grantAppRoles(appId, ["Policy.Read.All", "Group.Read.All", "GroupMember.Read.All", "User.Read.All"]);
    limited = { AZURE_CLIENT_ID: appId, AZURE_CLIENT_SECRET: secret };
  });
  afterAll(async () => started?.stop());

  it("appIds and custom role ids it cannot look up are warnings naming the missing permission, never missing references; the plan still runs", { timeout: 120_000 }, async () => {
    editSpec(repo, "conditionalAccessPolicy", POLICY, (spec) => {
      const conditions = spec.conditions as { applications: Record<string, string[]>; users: Record<string, string[]> };
      conditions.applications.excludeApplications = [SOURCE_APP, EXCHANGE];
      conditions.users.excludeRoles = [...(conditions.users.excludeRoles ?? []), SOURCE_ROLE];
      conditions.users.excludeUsers = [...(conditions.users.excludeUsers ?? []), SOURCE_USER];
    });
    const file = join(repo.dir, "tenant-config", "conditionalAccessPolicy", `${POLICY}.yaml`);
    const lineOf = (text: string): number => readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(text)) + 1;

    // With the permissions to look: both ids are reported as missing.
    const full = await repo.cli("plan");
    expect(full.code).toBe(1);
    expect(full.stderr).toContain(`${SOURCE_APP} has no service principal in the tenant`);
    expect(full.stderr).toContain(`${SOURCE_ROLE} does not exist in the tenant`);
    expect(full.stderr).toContain(`${SOURCE_USER} does not exist in the tenant`);
    expect(full.stderr).toContain("cannot plan: 3 reference(s)");

    // Without them: the plan runs, and says what it could not verify, where.
    started.sandbox.clearRequests();
    const plan = await runCli(["--config", repo.configFile, "plan"], { ...repo.env, ...limited });
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    const refused = started.sandbox.requests().filter((r) => r.status === 403).map((r) => r.path);
    expect(refused.some((p) => p.endsWith("/servicePrincipals"))).toBe(true);
    expect(refused.some((p) => p.includes("/roleDefinitions/"))).toBe(true);
    expect(refused.some((p) => p.endsWith("/directoryObjects/getByIds"))).toBe(true);
    const output = plan.stdout + plan.stderr;
    expect(output).not.toContain("does not exist in the tenant");
    expect(output).not.toContain("has no service principal");
    const warnings = output.split("\n").filter((l) => l.startsWith("warning:") && l.includes("plan could not check it"));
    expect(warnings).toHaveLength(4);
    for (const [id, path, why] of [
      [SOURCE_APP, "spec.conditions.applications.excludeApplications[0]", "Graph refused to list service principals (Application.Read.All is missing)"],
      [EXCHANGE, "spec.conditions.applications.excludeApplications[1]", "Graph refused to list service principals (Application.Read.All is missing)"],
      [SOURCE_ROLE, "spec.conditions.users.excludeRoles[0]", "Graph refused to read role definitions (RoleManagement.Read.Directory is missing)"],
      [SOURCE_USER, "spec.conditions.users.excludeUsers[", "Graph refused POST /directoryObjects/getByIds (Directory.Read.All is missing) and no user, group or service principal readable with this identity's permissions has this id"],
    ] as const) {
      const warning = warnings.find((w) => w.includes(path) && w.includes(`: ${id}: plan could not check it: ${why}`));
      expect(warning, `${id}\n${output}`).toContain(`${POLICY}.yaml:${lineOf(id)}:`);
    }
    // Group members named by UPN on both sides (users looked up with User.Read.All): only the policy changes.
    expect(plan.stdout).toContain("Plan: 0 to create, 1 to update, 0 to delete");
    expect(plan.stdout).not.toContain("group/all-company");
    expect(writes(started.sandbox.requests())).toEqual([]);

    // Export with the same identity: the appIds stay GUIDs (no name to read), and it does not fail.
    const withApps = join(repo.dir, "tenant-config", "conditionalAccessPolicy", `${POLICY_WITH_APPS}.yaml`);
    const exchangeLine = (): string | undefined => readFileSync(withApps, "utf8").split("\n").find((l) => l.includes(EXCHANGE));
    expect(exchangeLine()).toMatch(/ # Office 365 Exchange Online$/);
    const exported = await runCli(["--config", repo.configFile, "export"], { ...repo.env, ...limited });
    expect(exported.code, exported.stdout + exported.stderr).toBe(0);
    expect(exchangeLine()?.trim()).toBe(`- ${EXCHANGE}`);
    expect(exported.stderr).toContain("warning: Graph refused POST /directoryObjects/getByIds (Directory.Read.All is missing): ids outside the managed kinds were looked up as users, groups and service principals");
    // Group members stay user:<upn> (read as users with User.Read.All): no false change.
    expect(readFileSync(join(repo.dir, "tenant-config", "group", "all-company.yaml"), "utf8")).toContain("- user:alice@contoso.onmicrosoft.com");
    expect(exported.stdout).not.toMatch(/group: .*changed/);
    expect(exported.stderr).toContain("warning: appIds stay GUIDs without their # name comments: Graph refused to list service principals (Application.Read.All is missing)");
  });
});
