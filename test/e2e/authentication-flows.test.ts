/**
 * The authentication flows policy (`authenticationFlowsPolicy`, `/policies/authenticationFlowsPolicy`):
 * a singleton read by GET and written by PATCH, where `selfServiceSignUp.isEnabled` is the only
 * configuration. Export → plan empty → self-service sign-up on through apply → plan empty → off →
 * plan empty; removing the document proposes nothing (never deleted); the sandbox refuses the
 * read-only properties and a non-boolean `isEnabled`, as Graph documents them.
 */
import { describe, expect, it } from "vitest";
import { applyConverges, commit, demoRepoBlock, editSpec, readDoc, removeDoc } from "./apply-fixture.js";

const PATH = "/policies/authenticationFlowsPolicy";
type Live = { id: string; displayName: string; selfServiceSignUp: { isEnabled: boolean } };

describe("authenticationFlowsPolicy: exported, planned and applied", () => {
  const demo = demoRepoBlock();

  it("is exported as one document holding selfServiceSignUp only, and plans empty", async () => {
    expect(readDoc(demo.repo, "authenticationFlowsPolicy", "default").spec).toEqual({ selfServiceSignUp: { isEnabled: false } });
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("turns self-service sign-up on and off again through apply, each followed by an empty plan", async () => {
    editSpec(demo.repo, "authenticationFlowsPolicy", "default", (spec) => {
      spec.selfServiceSignUp = { isEnabled: true };
    });
    commit(demo.repo, "guests may sign up through user flows");
    const plan = await demo.repo.cli("plan");
    expect(plan.stdout).toContain("authenticationFlowsPolicy/default");
    expect(await applyConverges(demo.repo)).toContain("updated authenticationFlowsPolicy/default");
    expect(((await demo.client.api(PATH).get()) as Live).selfServiceSignUp.isEnabled).toBe(true);

    editSpec(demo.repo, "authenticationFlowsPolicy", "default", (spec) => {
      spec.selfServiceSignUp = { isEnabled: false };
    });
    commit(demo.repo, "no self-service sign-up");
    expect(await applyConverges(demo.repo)).toContain("updated authenticationFlowsPolicy/default");
    expect(((await demo.client.api(PATH).get()) as Live).selfServiceSignUp.isEnabled).toBe(false);
  });

  it("validate names the file, line and field of a non-boolean isEnabled, and apply writes nothing", async () => {
    editSpec(demo.repo, "authenticationFlowsPolicy", "default", (spec) => {
      spec.selfServiceSignUp = { isEnabled: "yes" };
    });
    commit(demo.repo, "not a boolean");
    const validated = await demo.repo.cli("validate");
    expect(validated.code).toBe(1);
    expect(validated.stderr).toMatch(/authenticationFlowsPolicy[/\\]default\.yaml:\d+:\d+.*selfServiceSignUp\.isEnabled/);
    const applied = await demo.repo.cli("apply", "--auto-approve");
    expect(applied.code).not.toBe(0);
    expect(((await demo.client.api(PATH).get()) as Live).selfServiceSignUp.isEnabled).toBe(false);
  });

  it("is never deleted: removing its document proposes nothing", async () => {
    removeDoc(demo.repo, "authenticationFlowsPolicy", "default");
    commit(demo.repo, "drop the document");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: id, displayName and description are read-only, selfServiceSignUp.isEnabled must be a boolean", async () => {
    await expect(demo.client.api(PATH).patch({ displayName: "Mine" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(demo.client.api(PATH).patch({ description: "Mine" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(demo.client.api(PATH).patch({ selfServiceSignUp: { isEnabled: "yes" } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(demo.client.api(PATH).patch({ selfServiceSignUp: { isEnabled: true, mode: "x" } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(demo.client.api(PATH).patch({ selfServiceSignUp: true })).rejects.toMatchObject({ statusCode: 400 });
    const live = (await demo.client.api(PATH).get()) as Live;
    expect(live).toMatchObject({ id: "authenticationFlowsPolicy", displayName: "Authentication flows policy", selfServiceSignUp: { isEnabled: false } });
  });
});
