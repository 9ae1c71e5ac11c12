import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { refuseTenantOverride } from "../../src/cli/workspace.js";
import { loadConfig } from "../../src/config/index.js";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "eg-tenant-override-"));
mkdirSync(join(dir, "tenant-config"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TENANT_A = "11111111-1111-1111-1111-111111111111";
const TENANT_B = "22222222-2222-2222-2222-222222222222";

function config(text: string): string {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, text);
  return file;
}

describe("AZURE_TENANT_ID and an environment's tenantId", () => {
  it("the variable supplies the tenant of an environment that names none, and may repeat the one it names", () => {
    const empty = loadConfig(config("environments:\n  production: {}\n"));
    expect(() => refuseTenantOverride(empty, { AZURE_TENANT_ID: TENANT_B })).not.toThrow();
    const named = loadConfig(config(`environments:\n  production:\n    tenantId: ${TENANT_A}\n`));
    expect(() => refuseTenantOverride(named, { AZURE_TENANT_ID: TENANT_A.toUpperCase() })).not.toThrow();
    expect(() => refuseTenantOverride(named, {})).not.toThrow();
  });

  it("a variable naming another tenant is refused before any request, naming both", async () => {
    const file = config(`environments:\n  customer-a:\n    tenantId: ${TENANT_A}\n  customer-b:\n    tenantId: ${TENANT_B}\n`);
    const run = await runCli(["--config", file, "--env", "customer-b", "plan"], { AZURE_TENANT_ID: TENANT_A, AZURE_CLIENT_ID: TENANT_A, AZURE_CLIENT_SECRET: "not-used" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`environment "customer-b" has tenantId ${TENANT_B}`);
    expect(run.stderr).toContain(`AZURE_TENANT_ID is ${TENANT_A}`);
    expect(run.stderr).not.toContain("not-used");
  });
});
