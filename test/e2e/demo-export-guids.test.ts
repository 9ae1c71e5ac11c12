import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { readTree, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";

const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// GUIDs with a documented meaning of their own (docs/graph-behaviour.md §11): "no group" in
// authentication method feature settings.
const SENTINELS = new Set(["00000000-0000-0000-0000-000000000000"]);

describe("the demo export has no unexplained GUID (README: Names for GUIDs)", () => {
  let started: StartedSandbox;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
  });
  afterAll(async () => started?.stop());

  it("every GUID left in a document has a # name comment or is a documented sentinel, and no document name holds one", async () => {
    const { dir, configFile } = tempRepo();
    const exported = await runCli(["--config", configFile, "export"], sandboxEnv(started.sandbox));
    expect(exported.code, exported.stderr).toBe(0);
    const tree = readTree(join(dir, "tenant-config"));
    expect(tree.size).toBeGreaterThan(40);
    const unexplained: string[] = [];
    let commented = 0;
    for (const [path, text] of tree) {
      expect(path.match(GUID), `file name ${path}`).toBeNull();
      text.split("\n").forEach((line, i) => {
        if (line.startsWith("name: ")) expect(line.match(GUID), `${path}:${i + 1}`).toBeNull();
        const comment = line.indexOf(" # ");
        const value = comment >= 0 ? line.slice(0, comment) : line;
        for (const guid of value.match(GUID) ?? []) {
          if (SENTINELS.has(guid)) continue;
          if (comment >= 0 && line.slice(comment + 3).trim() !== "") commented++;
          else unexplained.push(`${path}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(unexplained).toEqual([]);
    // The first-party apps, the partner tenant, the setting template and the app secret keep their ids, commented.
    expect(commented).toBeGreaterThanOrEqual(5);
    expect(tree.get("crossTenantAccessPolicyPartner/fabrikam.yaml")).toContain("tenantId: 8c3dad1d-b6bc-4f8b-939b-8263372eced6 # Fabrikam\n");
    expect(tree.get("conditionalAccessPolicy/ca-i09-internals-intuneenrollment-requiremfa.yaml")).toContain("- d4ebce55-015a-49b5-a083-c84d1797ae8c # Microsoft Intune Enrollment\n");
  });
});
