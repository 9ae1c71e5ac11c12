/**
 * Templated values (README "Several tenants", "Safety"): plan checks references in each
 * environment's rendered view, so a `${name}` that renders to a group, user or GUID the target
 * tenant lacks is reported at its file, line and field, naming the variable; an undefined variable
 * is a validate error naming file, line and field. Nothing is written in either case.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "../../src/sandbox/index.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { git, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";
import { writes } from "./apply-fixture.js";

const DOMAIN = "contosotest.onmicrosoft.com";
/** A group id of another tenant (prod's): nothing in this tenant has it. */
const PROD_GROUP = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const POLICY = "conditionalAccessPolicy/block-legacy.yaml";

const POLICY_TEXT = [
  "kind: conditionalAccessPolicy",
  "name: block-legacy",
  "spec:",
  "  displayName: Block legacy authentication",
  "  state: enabledForReportingButNotEnforced",
  "  conditions:",
  "    clientAppTypes: [exchangeActiveSync, other]",
  "    applications:",
  "      includeApplications: [All]",
  "    users:",
  "      includeUsers: [All]",
  "      excludeUsers:",
  "        - user:breakglass@${domain}",
  "      excludeGroups:",
  "        - ${exclusionGroup}",
  "        - group:${pilot}",
  "  grantControls:",
  "    operator: OR",
  "    builtInControls: [block]",
  "",
].join("\n");

function config(tenantId: string, extraVars = ""): string {
  return [
    "configDir: tenant-config",
    "kinds: [group, conditionalAccessPolicy]",
    "vars:",
    "  pilot: pilot-users",
    "breakGlass:",
    "  accounts:",
    "    - user:admin@${domain}",
    "environments:",
    "  test:",
    `    tenantId: ${tenantId}`,
    "    vars:",
    `      domain: ${DOMAIN}`,
    `      exclusionGroup: ${PROD_GROUP}`,
    extraVars,
    "",
  ].join("\n");
}

function writePilotGroup(dir: string): void {
  const pilot = join(dir, "tenant-config", "group", "pilot-users.yaml");
  mkdirSync(dirname(pilot), { recursive: true });
  writeFileSync(pilot, "kind: group\nname: pilot-users\nspec:\n  displayName: Pilot users\n  mailEnabled: false\n  mailNickname: pilot-users\n  securityEnabled: true\n  groupTypes: []\n");
}

function lineOf(file: string, text: string): number {
  const index = readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(text));
  expect(index, `${text} in ${file}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

describe("plan checks references in each environment's rendered view", () => {
  let started: StartedSandbox;
  const dirs: string[] = [];
  beforeAll(async () => {
    started = await startSandbox({ tenant: createTenant({ domain: DOMAIN }) });
  });
  afterAll(async () => {
    await started?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const repoWith = (configText: string, policy = POLICY_TEXT): { dir: string; configFile: string } => {
    const repo = tempRepo(configText);
    dirs.push(repo.dir);
    const file = join(repo.dir, "tenant-config", POLICY);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, policy);
    git(repo.dir, "add", "-A");
    git(repo.dir, "commit", "-q", "-m", "Baseline");
    return repo;
  };

  it("a variable that renders to a GUID or user the tenant lacks (in a document or in breakGlass): reported at its file, line and field, naming the variable; nothing written", { timeout: 60_000 }, async () => {
    // group:${pilot} names a document of the plan: validate checks it (see the last test); here it exists.
    const { dir, configFile } = repoWith(config(started.sandbox.tenantId));
    writePilotGroup(dir);
    const policyFile = join(dir, "tenant-config", POLICY);
    started.sandbox.clearRequests();
    const plan = await runCli(["--config", configFile, "--env", "test", "plan"], sandboxEnv(started.sandbox));
    expect(plan.code, plan.stdout + plan.stderr).toBe(1);
    const lines = plan.stderr.split("\n");
    const expected = [
      [policyFile, "${exclusionGroup}", PROD_GROUP, "spec.conditions.users.excludeGroups[0]", "exclusionGroup"],
      [policyFile, "user:breakglass@${domain}", `user:breakglass@${DOMAIN}`, "spec.conditions.users.excludeUsers[0]", "domain"],
      [configFile, "user:admin@${domain}", `user:admin@${DOMAIN}`, "breakGlass.accounts[0]", "domain"],
    ] as const;
    for (const [file, written, rendered, path, variable] of expected) {
      const found = lines.find((l) => l.includes(`${rendered} does not exist in the tenant (rendered from "${written}" in environment "test": check variable ${variable} in entra-gitops.yaml)`));
      expect(found, `${rendered} reported in\n${plan.stderr}`).toBeDefined();
      expect(found).toContain(`${file.split("/").pop() as string}:${lineOf(file, written)}:`);
      expect(found).toContain(path);
    }
    expect(plan.stderr).toContain("cannot plan: 3 reference(s) name objects that do not exist in the target tenant");
    expect(writes(started.sandbox.requests())).toEqual([]);
  });

  it("the same documents plan once the variables render to what the tenant has", { timeout: 60_000 }, async () => {
    const group = (await started.client.api("/groups").post({ displayName: "Exclusions", mailEnabled: false, mailNickname: "exclusions", securityEnabled: true })) as { id: string };
    await started.client.api("/users").post({ accountEnabled: true, displayName: "Break Glass", mailNickname: "breakglass", userPrincipalName: `breakglass@${DOMAIN}`, passwordProfile: { password: "Un-guessable-1!" } });
    await started.client.api("/users").post({ accountEnabled: true, displayName: "Admin", mailNickname: "admin", userPrincipalName: `admin@${DOMAIN}`, passwordProfile: { password: "Un-guessable-2!" } });
    const configText = config(started.sandbox.tenantId).replace(`exclusionGroup: ${PROD_GROUP}`, `exclusionGroup: ${group.id}`);
    const { dir, configFile } = repoWith(configText);
    writePilotGroup(dir);
    const plan = await runCli(["--config", configFile, "--env", "test", "plan"], sandboxEnv(started.sandbox));
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stderr).not.toContain("does not exist in the tenant");
    expect(plan.stdout).toContain("2 to create");
  });

  it("an undefined variable is a validate (and plan) error naming file, line and field; nothing is read or written", { timeout: 60_000 }, async () => {
    const policy = POLICY_TEXT.replace("- group:${pilot}", "- group:${pilotGroup}");
    const { dir, configFile } = repoWith(config(started.sandbox.tenantId), policy);
    const policyFile = join(dir, "tenant-config", POLICY);
    const line = lineOf(policyFile, "${pilotGroup}");
    const validate = await runCli(["--config", configFile, "validate"]);
    expect(validate.code).toBe(1);
    const reported = (validate.stdout + validate.stderr).split("\n").find((l) => l.includes("undefined variable ${pilotGroup}"));
    expect(reported, validate.stdout + validate.stderr).toBeDefined();
    expect(reported).toContain(`block-legacy.yaml:${line}:`);
    expect(reported).toContain("spec.conditions.users.excludeGroups[1]");
    expect(reported).toContain('in environment "test"');

    started.sandbox.clearRequests();
    const plan = await runCli(["--config", configFile, "--env", "test", "plan"], sandboxEnv(started.sandbox));
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`block-legacy.yaml:${line}:`);
    expect(plan.stderr).toContain("undefined variable ${pilotGroup}");
    expect(started.sandbox.requests().filter((r) => r.kind !== "identity")).toEqual([]);
  });

  it("a variable that renders to a name no document has: validate names the variable", { timeout: 60_000 }, async () => {
    const { dir, configFile } = repoWith(config(started.sandbox.tenantId));
    const policyFile = join(dir, "tenant-config", POLICY);
    const validate = await runCli(["--config", configFile, "validate"]);
    expect(validate.code).toBe(1);
    const reported = (validate.stdout + validate.stderr).split("\n").find((l) => l.includes("group:pilot-users"));
    expect(reported, validate.stdout + validate.stderr).toBeDefined();
    expect(reported).toContain(`block-legacy.yaml:${lineOf(policyFile, "group:${pilot}")}:`);
    expect(reported).toContain("spec.conditions.users.excludeGroups[1]");
    expect(reported).toContain('(rendered from "group:${pilot}" in environment "test": check variable pilot in entra-gitops.yaml)');
  });
});
