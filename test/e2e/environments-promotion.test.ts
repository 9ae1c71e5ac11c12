/**
 * One configuration, two tenants (README "Several tenants"): documents with `${name}` variables and
 * an environment-only document, applied to test, then promoted to prod. Each environment keeps its
 * own ids; syncs never rewrite the other environment's values or files; replanning is empty.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "../../src/sandbox/index.js";
import { parseIdMap } from "../../src/state/id-map.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, startSandbox } from "../helpers/sandbox.js";
import { git, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";

const TEST_DOMAIN = "contosotest.onmicrosoft.com";
const PROD_DOMAIN = "contoso.onmicrosoft.com";

const DOCUMENTS: Record<string, string> = {
  "user/break-glass.yaml": "kind: user\nname: break-glass\nspec:\n  accountEnabled: true\n  displayName: Break Glass\n  mailNickname: bg\n  userPrincipalName: bg@${domain}\n",
  "group/break-glass.yaml": "kind: group\nname: break-glass\nspec:\n  displayName: Break Glass\n  description: Emergency access for ${domain}\n  mailEnabled: false\n  mailNickname: break-glass\n  securityEnabled: true\n  groupTypes: []\n  members:\n    - user:bg@${domain}\n",
  "namedLocation/office.yaml": "kind: namedLocation\nname: office\nspec:\n  \"@odata.type\": \"#microsoft.graph.ipNamedLocation\"\n  displayName: Office\n  isTrusted: false\n  ipRanges:\n    - \"@odata.type\": \"#microsoft.graph.iPv4CidrRange\"\n      cidrAddress: ${officeRange}\n",
  "conditionalAccessPolicy/require-mfa-outside-office.yaml":
    "kind: conditionalAccessPolicy\nname: require-mfa-outside-office\nspec:\n  displayName: Require MFA outside the office\n  state: enabledForReportingButNotEnforced\n  conditions:\n    clientAppTypes: [all]\n    applications:\n      includeApplications: [All]\n    users:\n      includeUsers: [All]\n      excludeGroups:\n        - group:break-glass\n    locations:\n      includeLocations: [All]\n      excludeLocations:\n        - namedLocation:office\n  grantControls:\n    operator: OR\n    builtInControls: [mfa]\n",
  "application/ci-app.yaml": "kind: application\nname: ci-app\nspec:\n  displayName: CI App\n  signInAudience: AzureADMyOrg\n",
  // A pilot that exists in test only.
  "group/pilot.yaml": "kind: group\nname: pilot\nenvironments: [test]\nspec:\n  displayName: Pilot\n  mailEnabled: false\n  mailNickname: pilot\n  securityEnabled: true\n  groupTypes: []\n",
};

describe("environments: one configuration, test then prod", () => {
  let test: StartedSandbox;
  let prod: StartedSandbox;
  const dirs: string[] = [];
  beforeAll(async () => {
    test = await startSandbox({ tenant: createTenant({ domain: TEST_DOMAIN }) });
    prod = await startSandbox({ tenant: createTenant({ domain: PROD_DOMAIN }) });
  });
  afterAll(async () => {
    await Promise.all([test?.stop(), prod?.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("applies to test, promotes to prod, and keeps each environment's ids and values apart", { timeout: 120_000 }, async () => {
    const config = [
      "configDir: tenant-config",
      "kinds: [user, group, application, namedLocation, conditionalAccessPolicy]",
      "vars:",
      "  officeRange: 203.0.113.0/24",
      "breakGlass:",
      "  groups: [group:break-glass]",
      "environments:",
      "  test:",
      `    tenantId: ${test.sandbox.tenantId}`,
      "    vars:",
      `      domain: ${TEST_DOMAIN}`,
      "  prod:",
      `    tenantId: ${prod.sandbox.tenantId}`,
      "    vars:",
      `      domain: ${PROD_DOMAIN}`,
      "      officeRange: 198.51.100.0/24",
      "",
    ].join("\n");
    const { dir, configFile } = tempRepo(config);
    dirs.push(dir);
    for (const [path, text] of Object.entries(DOCUMENTS)) {
      mkdirSync(dirname(join(dir, "tenant-config", path)), { recursive: true });
      writeFileSync(join(dir, "tenant-config", path), text);
    }
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Baseline for test and prod");
    const run = (envName: "test" | "prod", ...args: string[]): ReturnType<typeof runCli> =>
      runCli(["--config", configFile, "--env", envName, ...args], sandboxEnv(envName === "test" ? test.sandbox : prod.sandbox));

    const validate = await runCli(["--config", configFile, "validate"]);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);

    // 1. Test first, then prod: the same documents, each tenant with its own values. The first
    // sync writes the hand-written documents in the canonical form, keeping every variable.
    const appliedTest = await run("test", "apply", "--auto-approve");
    expect(appliedTest.code, appliedTest.stdout + appliedTest.stderr).toBe(0);
    expect(appliedTest.stdout).toContain("6 to create");
    // Each tenant's own entra-gitops app registration was made at its creation, with no audit
    // entry: record it at once instead of holding it back (README "Sync state").
    const syncedTest = await run("test", "sync", "--audit-grace", "0");
    expect(syncedTest.code, syncedTest.stdout + syncedTest.stderr).toBe(0);
    expect(readFileSync(join(dir, "tenant-config/user/break-glass.yaml"), "utf8")).toContain("userPrincipalName: bg@${domain}\n");
    expect(readFileSync(join(dir, "tenant-config/group/break-glass.yaml"), "utf8")).toContain("description: Emergency access for ${domain}\n");
    expect(readFileSync(join(dir, "tenant-config/namedLocation/office.yaml"), "utf8")).toContain("cidrAddress: ${officeRange}\n");
    expect(readFileSync(join(dir, "tenant-config/group/pilot.yaml"), "utf8")).toMatch(/^environments:\n {2}- test$/m);
    const baseline = git(dir, "rev-parse", "HEAD");
    const appliedProd = await run("prod", "apply", "--auto-approve");
    expect(appliedProd.code, appliedProd.stdout + appliedProd.stderr).toBe(0);
    expect(appliedProd.stdout).toContain("5 to create");
    const syncedProd = await run("prod", "sync", "--audit-grace", "0");
    expect(syncedProd.code, syncedProd.stdout + syncedProd.stderr).toBe(0);
    // No document rewritten with prod's values: prod's sync only added what exists in prod alone
    // (its own entra-gitops app registration), recorded for prod only.
    const touched = git(dir, "diff", "--name-status", baseline, "HEAD", "--", "tenant-config").split("\n").filter(Boolean);
    expect(touched.length).toBeGreaterThan(0);
    for (const line of touched) {
      const [status, path] = line.split("\t") as [string, string];
      expect(status, line).toBe("A");
      expect(readFileSync(join(dir, path), "utf8"), path).toMatch(/^environments:\n {2}- prod$/m);
    }
    expect(git(dir, "status", "--porcelain")).toBe("");
    const testUser = await test.client.api("/users").filter(`userPrincipalName eq 'bg@${TEST_DOMAIN}'`).get() as { value: unknown[] };
    expect(testUser.value).toHaveLength(1);
    const prodLocation = await prod.client.api("/identity/conditionalAccess/namedLocations").get() as { value: { ipRanges: { cidrAddress: string }[] }[] };
    expect(prodLocation.value[0]?.ipRanges[0]?.cidrAddress).toBe("198.51.100.0/24");
    const prodGroups = await prod.client.api("/groups").get() as { value: { displayName: string }[] };
    expect(prodGroups.value.map((g) => g.displayName)).not.toContain("Pilot");
    const testIds = parseIdMap(readFileSync(join(dir, ".entra-gitops/state/test/ids.yaml"), "utf8"), "test").ids;
    const prodIds = parseIdMap(readFileSync(join(dir, ".entra-gitops/state/prod/ids.yaml"), "utf8"), "prod").ids;
    expect(testIds.has("group/pilot")).toBe(true);
    expect(prodIds.has("group/pilot")).toBe(false);
    for (const key of ["user/break-glass", "group/break-glass", "namedLocation/office", "conditionalAccessPolicy/require-mfa-outside-office"]) {
      expect(testIds.get(key), key).toBeDefined();
      expect(prodIds.get(key), key).toBeDefined();
      expect(testIds.get(key)).not.toBe(prodIds.get(key));
    }

    // 2. A change reviewed once: applied to test, then the same logical change planned for prod.
    const policy = join(dir, "tenant-config/conditionalAccessPolicy/require-mfa-outside-office.yaml");
    writeFileSync(policy, readFileSync(policy, "utf8").replace("state: enabledForReportingButNotEnforced", "state: enabled"));
    git(dir, "commit", "-q", "-am", "Enforce MFA outside the office");
    const planTest = await run("test", "plan", "--format", "json");
    const planProd = await run("prod", "plan", "--format", "json");
    const logical = (text: string): unknown =>
      (JSON.parse(text) as { changes: { address: string; action: string; diff?: unknown }[] }).changes.filter((c) => c.action !== "noop").map((c) => ({ address: c.address, action: c.action, diff: c.diff }));
    expect(logical(planTest.stdout)).toEqual(logical(planProd.stdout));
    expect(logical(planTest.stdout)).toHaveLength(1);
    for (const envName of ["test", "prod"] as const) {
      const applied = await run(envName, "apply", "--auto-approve");
      expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    }

    // Each tenant's application gets its own secret: credential metadata is the tenant's state.
    for (const started of [test, prod]) {
      const apps = (await started.client.api("/applications").filter("displayName eq 'CI App'").get()) as { value: { id: string }[] };
      await started.client.api(`/applications/${apps.value[0]?.id ?? ""}/addPassword`).post({ passwordCredential: { displayName: "deploy" } });
    }

    // 3. Syncs of both environments: no drift; each tenant's new secret is recorded in its own
    // environment's state by the bot, nothing else; a second round records nothing.
    // (An incremental sync, the default, learns of a new secret from the audit log, not from
    // delta: README "Incremental sync"; so after its entry has arrived.)
    catchUpAuditLog(test.sandbox);
    catchUpAuditLog(prod.sandbox);
    const head = git(dir, "rev-parse", "HEAD");
    for (const envName of ["test", "prod"] as const) {
      const synced = await run(envName, "sync");
      expect(synced.code, synced.stdout + synced.stderr).toBe(0);
      expect(synced.stdout).toContain("No drift");
    }
    expect(git(dir, "diff", "--name-only", head, "HEAD").split("\n").sort()).toEqual([".entra-gitops/state/prod/credentials.yaml", ".entra-gitops/state/test/credentials.yaml"]);
    expect(git(dir, "log", "--format=%s", `${head}..HEAD`).split("\n").sort()).toEqual(["Record the credential metadata of environment prod", "Record the credential metadata of environment test"]);
    for (const envName of ["test", "prod"] as const) {
      const recorded = readFileSync(join(dir, `.entra-gitops/state/${envName}/credentials.yaml`), "utf8");
      expect(recorded).toMatch(/^application\/ci-app:\n {2}passwordCredentials:\n/m);
      expect(recorded).toContain("displayName: deploy");
      expect(recorded).not.toMatch(/secretText/);
    }
    const recordedHead = git(dir, "rev-parse", "HEAD");
    for (const envName of ["test", "prod"] as const) {
      const synced = await run(envName, "sync");
      expect(synced.stdout).toContain("No drift");
    }
    expect(git(dir, "rev-parse", "HEAD")).toBe(recordedHead);
    expect(readFileSync(join(dir, "tenant-config/application/ci-app.yaml"), "utf8")).not.toContain("passwordCredentials");
    for (const envName of ["test", "prod"] as const) {
      const replan = await run(envName, "plan", "--detailed-exitcode");
      expect(replan.code, replan.stdout + replan.stderr).toBe(0);
    }

    // 4. Drift in prod only is recorded for prod only; test neither plans it nor rewrites it.
    await prod.client.api("/groups").post({ displayName: "Prod Auditors", mailEnabled: false, mailNickname: "prod-auditors", securityEnabled: true, groupTypes: [] });
    // (sync holds a change back until its audit entry arrives: README "Sync state".)
    catchUpAuditLog(prod.sandbox);
    const drift = await run("prod", "sync");
    expect(drift.code, drift.stdout + drift.stderr).toBe(0);
    const recorded = readFileSync(join(dir, "tenant-config/group/prod-auditors.yaml"), "utf8");
    expect(recorded).toMatch(/^environments:\n {2}- prod$/m);
    const testPlan = await run("test", "plan", "--detailed-exitcode");
    expect(testPlan.code, testPlan.stdout + testPlan.stderr).toBe(0);
    const testSync = await run("test", "sync");
    expect(testSync.stdout).toContain("No drift");
    expect(git(dir, "status", "--porcelain")).toBe("");

    // A full export of either environment writes exactly what the other's left: the shared documents
    // with their variables, and its own ids and credential metadata (the first export only adds the
    // editor schema lines and the schema copies the hand-written documents lacked).
    const first = await run("prod", "export");
    expect(first.code, first.stdout + first.stderr).toBe(0);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Canonical export");
    for (const envName of ["test", "prod"] as const) {
      const exported = await run(envName, "export");
      expect(exported.code, exported.stdout + exported.stderr).toBe(0);
      expect(git(dir, "status", "--porcelain"), `${envName}: ${git(dir, "diff")}`).toBe("");
    }
  });
});
