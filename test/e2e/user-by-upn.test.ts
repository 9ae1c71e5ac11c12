import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { commit, demoRepo, editSpec, findByName } from "./apply-fixture.js";

const POLICY = "ca-a02-admins-adminportals-requiremfa";
// Users out of scope: the user kind is not managed, and no group document lists members.
const KINDS = ["namedLocation", "authenticationContextClassReference", "authenticationStrengthPolicy", "conditionalAccessPolicy"];

describe("user:<upn> resolves by UPN at plan and apply, whatever kinds are in scope", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  beforeAll(async () => {
    ({ started, repo } = await demoRepo({ kinds: KINDS }));
  });
  afterAll(async () => started?.stop());

  it("excluding a break-glass account by UPN plans and applies without the user kind", async () => {
    editSpec(repo, "conditionalAccessPolicy", POLICY, (spec) => {
      const users = (spec.conditions as { users: Record<string, unknown> }).users;
      users.excludeUsers = ["user:breakglass02@contoso.onmicrosoft.com"];
    });
    commit(repo, "exclude breakglass02");
    const plan = await repo.cli("plan");
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("          + user:breakglass02@contoso.onmicrosoft.com");
    const applied = await repo.cli("apply", "--auto-approve");
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    const live = await findByName(started.client, "/identity/conditionalAccess/policies", "CA-A02-Admins-AdminPortals-RequireMFA");
    const user = (await started.client.api("/users/breakglass02@contoso.onmicrosoft.com").get()) as { id: string };
    expect((live.conditions as { users: { excludeUsers: string[] } }).users.excludeUsers).toEqual([user.id]);
  });

  it("a UPN that does not exist fails plan early, naming the document and field", async () => {
    editSpec(repo, "conditionalAccessPolicy", POLICY, (spec) => {
      (spec.conditions as { users: Record<string, unknown> }).users.excludeUsers = ["user:nobody@contoso.onmicrosoft.com"];
    });
    const plan = await repo.cli("plan");
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`${POLICY}.yaml:`);
    expect(plan.stderr).toContain(`spec.conditions.users.excludeUsers[0]: user:nobody@contoso.onmicrosoft.com does not exist in the tenant (referenced by conditionalAccessPolicy/${POLICY})`);
  });
});
