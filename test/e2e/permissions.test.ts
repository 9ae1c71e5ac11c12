import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingPermissions, permissionsFor } from "../../src/engine/permissions.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";

describe("permissions", () => {
  let started: StartedSandbox;
  beforeAll(async () => {
    started = await startSandbox({ seed: "empty" });
  });
  afterAll(async () => started?.stop());

  it("lists least-privilege read and write sets and the manifest's requiredResourceAccess", async () => {
    const { configFile } = tempRepo();
    const run = await runCli(["--config", configFile, "permissions", "--format", "json"]);
    expect(run.code, run.stderr).toBe(0);
    const parsed = JSON.parse(run.stdout) as { read: string[]; write: string[]; requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: string }[] }[] };
    expect(parsed.read).toContain("Policy.Read.All");
    expect(parsed.read).toContain("AuditLog.Read.All");
    expect(parsed.read.some((p) => p.includes("ReadWrite"))).toBe(false);
    expect(parsed.write).toContain("Policy.ReadWrite.ConditionalAccess");
    expect(parsed.write).not.toContain("Group.Read.All");
    expect(parsed.requiredResourceAccess[0]?.resourceAppId).toBe("00000003-0000-0000-c000-000000000000");
    expect(parsed.requiredResourceAccess[0]?.resourceAccess).toContainEqual({ id: "01c0a623-fc9b-48e9-b794-0756f8e8f067", type: "Role" });
  });

  it("--check reads the token's roles: the sandbox operator app has everything", async () => {
    const { configFile } = tempRepo();
    const run = await runCli(["--config", configFile, "permissions", "--check"], sandboxEnv(started.sandbox));
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain("read: all granted");
    expect(run.stdout).toContain("write: all granted");
  });

  it("names what a token lacks; ReadWrite covers Read", () => {
    const { read, write } = permissionsFor(["conditionalAccessPolicy", "group"]);
    expect(missingPermissions(read, ["Policy.Read.All"])).not.toContain("Policy.Read.All");
    expect(missingPermissions(read, ["Group.ReadWrite.All"])).not.toContain("Group.Read.All");
    expect(missingPermissions(write, ["Policy.Read.All"])).toContain("Policy.ReadWrite.ConditionalAccess");
  });
});
