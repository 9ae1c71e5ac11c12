/**
 * Rehearsal (README "Several tenants"): `sandbox --seed <repo> --seed-env prod` seeds the sandbox
 * with the repository's documents as prod renders them, so prod's plan against it is empty and a
 * pull request's change can be planned and applied locally first.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withDocumentSeed } from "../../src/cli/sandbox.js";
import { refuseTenantOverride } from "../../src/cli/workspace.js";
import { loadConfig } from "../../src/config/index.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { git, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";
import { png } from "../helpers/images.js";
import { ResponseType } from "@microsoft/microsoft-graph-client";

const PROD_TENANT = "22222222-2222-4222-8222-222222222222";
const DOCUMENTS: Record<string, string> = {
  "group/break-glass.yaml": "kind: group\nname: break-glass\nspec:\n  displayName: Break Glass\n  mailEnabled: false\n  mailNickname: break-glass\n  securityEnabled: true\n  members:\n    - user:bg@${domain}\n",
  "namedLocation/office.yaml": 'kind: namedLocation\nname: office\nspec:\n  "@odata.type": "#microsoft.graph.ipNamedLocation"\n  displayName: Office\n  ipRanges:\n    - "@odata.type": "#microsoft.graph.iPv4CidrRange"\n      cidrAddress: ${officeRange}\n',
  "conditionalAccessPolicy/require-mfa.yaml":
    "kind: conditionalAccessPolicy\nname: require-mfa\nspec:\n  displayName: Require MFA outside the office\n  state: enabledForReportingButNotEnforced\n  conditions:\n    applications:\n      includeApplications:\n        - All\n    users:\n      includeUsers:\n        - All\n      excludeGroups:\n        - group:break-glass\n      excludeRoles:\n        - role:Global Administrator\n    locations:\n      includeLocations:\n        - All\n      excludeLocations:\n        - namedLocation:office\n  grantControls:\n    builtInControls:\n      - mfa\n    operator: OR\n",
  "group/pilot.yaml": "kind: group\nname: pilot\nenvironments: [test]\nspec:\n  displayName: Pilot\n  mailEnabled: false\n  mailNickname: pilot\n  securityEnabled: true\n",
};

describe("sandbox --seed <configuration repository>", () => {
  const dirs: string[] = [];
  let started: StartedSandbox | undefined;
  afterAll(async () => {
    await started?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("seeds prod's view of the documents; prod's plan against it is empty and a change applies", { timeout: 60_000 }, async () => {
    const config = [
      "configDir: tenant-config",
      "kinds: [group, namedLocation, conditionalAccessPolicy]",
      "breakGlass:",
      "  groups: [group:break-glass]",
      "vars:",
      "  officeRange: 203.0.113.0/24",
      "environments:",
      "  test:",
      "    vars: { domain: contosotest.onmicrosoft.com }",
      "  prod:",
      `    tenantId: ${PROD_TENANT}`,
      "    vars: { domain: contoso.com, officeRange: 198.51.100.0/24 }",
      "",
    ].join("\n");
    const { dir, configFile } = tempRepo(config);
    dirs.push(dir);
    for (const [path, text] of Object.entries(DOCUMENTS)) {
      mkdirSync(dirname(join(dir, "tenant-config", path)), { recursive: true });
      writeFileSync(join(dir, "tenant-config", path), text);
    }
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Configuration");

    const lines: string[] = [];
    const options = await withDocumentSeed({ seed: { dir } }, "prod", (line) => lines.push(line));
    expect(lines).toEqual(["  placeholder: user bg@contoso.com (referenced by the documents, no user document; created disabled)"]);
    started = await startSandbox(options);
    const report = started.sandbox.seedReport;
    expect(report.failures, JSON.stringify(report.failures)).toEqual([]);
    expect(report.source).toBe("documents");
    // A verified domain, the placeholder, two groups less the test-only pilot, the location, the policy.
    expect(report.applied).toBe(5);
    const location = (await started.client.api("/identity/conditionalAccess/namedLocations").get()) as { value: { ipRanges: { cidrAddress: string }[] }[] };
    expect(location.value[0]?.ipRanges[0]?.cidrAddress).toBe("198.51.100.0/24");

    // prod names its own tenant; a Graph on this machine is a rehearsal, never that tenant.
    const env = sandboxEnv(started.sandbox);
    const plan = await runCli(["--config", configFile, "--env", "prod", "plan", "--detailed-exitcode"], env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain("No changes");

    const policy = join(dir, "tenant-config/conditionalAccessPolicy/require-mfa.yaml");
    writeFileSync(policy, readFileSync(policy, "utf8").replace("state: enabledForReportingButNotEnforced", "state: enabled"));
    const applied = await runCli(["--config", configFile, "--env", "prod", "apply", "--auto-approve"], env);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain("1 to update");
    const replan = await runCli(["--config", configFile, "--env", "prod", "plan", "--detailed-exitcode"], env);
    expect(replan.code, replan.stdout + replan.stderr).toBe(0);
  });

  it("seeds company branding with the images beside its document; the plan against it compares them and is empty", { timeout: 60_000 }, async () => {
    const { dir, configFile } = tempRepo(["configDir: tenant-config", "kinds: [organizationalBranding]", "breakGlass:", "  groups: []", ""].join("\n"));
    dirs.push(dir);
    const folder = join(dir, "tenant-config", "organizationalBranding");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "default.yaml"), "kind: organizationalBranding\nname: default\nspec:\n  id: '0'\n  signInPageText: Contoso staff only\n");
    const banner = png(200, 30);
    writeFileSync(join(folder, "default.bannerLogo.png"), banner);
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "Branding");
    const seeded = await startSandbox(await withDocumentSeed({ seed: { dir } }, undefined, () => undefined));
    try {
      expect(seeded.sandbox.seedReport.failures, JSON.stringify(seeded.sandbox.seedReport.failures)).toEqual([]);
      const logo = (await seeded.client.api(`/organization/${seeded.sandbox.tenantId}/branding/bannerLogo`).responseType(ResponseType.ARRAYBUFFER).get()) as ArrayBuffer;
      expect(Buffer.from(logo).equals(banner)).toBe(true);
      const plan = await runCli(["--config", configFile, "plan", "--detailed-exitcode"], sandboxEnv(seeded.sandbox));
      expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    } finally {
      await seeded.stop();
    }
  });

  it("only a Graph on this machine may differ from the environment's tenant", () => {
    const dir = tempRepo(`environments:\n  prod:\n    tenantId: ${PROD_TENANT}\n`);
    dirs.push(dir.dir);
    const config = loadConfig(dir.configFile, "prod");
    const other = "33333333-3333-4333-8333-333333333333";
    expect(() => refuseTenantOverride(config, { AZURE_TENANT_ID: other, ENTRA_GITOPS_GRAPH_URL: "https://127.0.0.1:8443" })).not.toThrow();
    expect(() => refuseTenantOverride(config, { AZURE_TENANT_ID: other, ENTRA_GITOPS_GRAPH_URL: "https://graph.microsoft.com" })).toThrow(/refusing to guess/);
    expect(() => refuseTenantOverride(config, { AZURE_TENANT_ID: other })).toThrow(/refusing to guess/);
  });
});
