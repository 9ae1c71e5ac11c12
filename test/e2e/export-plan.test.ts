import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTree, runCli, tempRepo } from "../helpers/cli.js";
import { sandboxBlock } from "../helpers/sandbox-block.js";


describe("export, validate and plan against the demo sandbox", () => {
  const demo = sandboxBlock({ seed: "demo" });

  it("exports the demo tenant deterministically, validates it, and plans no changes", async () => {
    const { dir, configFile } = tempRepo();
    const first = await runCli(["--config", configFile, "export"], demo.env);
    expect(first.stderr).not.toContain("FAILED");
    expect(first.code, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toMatch(/requests: \d+/);
    const tree = readTree(join(dir, "tenant-config"));
    expect(tree.size).toBeGreaterThan(40);
    const policies = [...tree.keys()].filter((k) => k.startsWith("conditionalAccessPolicy/"));
    expect(policies.length).toBeGreaterThanOrEqual(25);
    for (const [path, text] of tree) {
      expect(text.startsWith("# yaml-language-server: $schema=../../.entra-gitops/schemas/"), path).toBe(true);
      expect(text, path).not.toMatch(/createdDateTime|modifiedDateTime|@odata\.context/);
    }

    const second = await runCli(["--config", configFile, "export"], demo.env);
    expect(second.code, second.stderr).toBe(0);
    expect(readTree(join(dir, "tenant-config"))).toEqual(tree);

    const validate = await runCli(["--config", configFile, "validate"], demo.env);
    expect(validate.stderr).toBe("");
    expect(validate.code, validate.stdout).toBe(0);

    const plan = await runCli(["--config", configFile, "plan", "--detailed-exitcode", "--format", "json"], demo.env);
    expect(plan.stderr).not.toContain("error");
    const parsed = JSON.parse(plan.stdout) as { summary: Record<string, number>; changes: { action: string; address: string }[] };
    expect(parsed.changes.filter((c) => c.action !== "noop")).toEqual([]);
    expect(plan.code, plan.stderr).toBe(0);
  });
});
