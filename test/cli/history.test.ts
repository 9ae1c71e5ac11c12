import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { git, runCli, tempRepo } from "../helpers/cli.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function repoWithPolicy(): { dir: string; configFile: string } {
  const repo = tempRepo();
  dirs.push(repo.dir);
  mkdirSync(join(repo.dir, "tenant-config", "conditionalAccessPolicy"), { recursive: true });
  const spec = "spec:\n  displayName: Require MFA\n  state: enabled\n  conditions:\n    users:\n      includeUsers: [All]\n    applications:\n      includeApplications: [All]\n  grantControls:\n    operator: OR\n    builtInControls: [mfa]\n";
  writeFileSync(join(repo.dir, "tenant-config/conditionalAccessPolicy/require-mfa.yaml"), `kind: conditionalAccessPolicy\nname: require-mfa\nid: 0b3c8a52-0000-4000-8000-000000000001\n${spec}`);
  git(repo.dir, "add", "-A");
  git(repo.dir, "commit", "-q", "-m", "Initial export");
  return repo;
}

describe("history (CLI)", () => {
  it("accepts a display name and a file path", async () => {
    const { configFile } = repoWithPolicy();
    const byName = await runCli(["--config", configFile, "history", "Require MFA"]);
    expect(byName.code, byName.stderr).toBe(0);
    expect(byName.stdout).toContain("conditionalAccessPolicy/require-mfa: 1 commit");
    const byFile = await runCli(["--config", configFile, "history", join(configFile, "..", "tenant-config/conditionalAccessPolicy/require-mfa.yaml")]);
    expect(byFile.code, byFile.stderr).toBe(0);
    expect(byFile.stdout).toContain("Initial export");
  });

  it("exits 1 saying so when nothing matches or the document was never committed", async () => {
    const { configFile } = repoWithPolicy();
    const unknown = await runCli(["--config", configFile, "history", "Block everything"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('nothing matches "Block everything"');
    const never = await runCli(["--config", configFile, "history", "group/never-there"]);
    expect(never.code).toBe(1);
    expect(never.stderr).toContain("group/never-there: no history in git (tenant-config/group/never-there.yaml was never committed)");
  });
});
