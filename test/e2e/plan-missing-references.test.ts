import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { demoRepo, editSpec, writes } from "./apply-fixture.js";

/** GUIDs from another (source) tenant: nothing in the sandbox has them. */
const SOURCE_USER = "3f9a1c2e-7b4d-4e8a-9c61-0d2b5e7f8a90";
const SOURCE_GROUP = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
const SOURCE_MEMBER = "0f1e2d3c-4b5a-4968-8776-655443322110";
const SOURCE_LOCATION = "11111111-2222-4333-8444-555555555555";
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
    });
    editSpec(repo, "conditionalAccessPolicy", POLICY_B, (spec) => {
      const conditions = spec.conditions as Record<string, Record<string, string[]>>;
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
    expect(plan.stderr).toContain("cannot plan: 7 reference(s) name objects that do not exist in the target tenant");

    started.sandbox.clearRequests();
    const apply = await repo.cli("apply", "--auto-approve");
    expect(apply.code).toBe(1);
    expect(apply.stderr).toContain("cannot plan: 7 reference(s)");
    expect(writes(started.sandbox.requests())).toEqual([]);
  });
});
