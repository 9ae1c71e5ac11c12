/**
 * Security defaults (`securityDefaults`, `/policies/identitySecurityDefaultsEnforcementPolicy`): a
 * singleton read by GET and written by PATCH, where only `isEnabled` is configuration. Export → plan
 * empty → edit → apply → plan empty, both ways; the sandbox refuses the read-only properties and a
 * non-boolean `isEnabled`, as Graph documents them.
 */
import { describe, expect, it } from "vitest";
import { applyConverges, commit, demoRepoBlock, editSpec, readDoc, removeDoc } from "./apply-fixture.js";

const PATH = "/policies/identitySecurityDefaultsEnforcementPolicy";

describe("securityDefaults: exported, planned and applied", () => {
  const demo = demoRepoBlock();

  it("is exported as one document holding isEnabled only, and plans empty", async () => {
    expect(readDoc(demo.repo, "securityDefaults", "default").spec).toEqual({ isEnabled: true });
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("turns security defaults off and on again through apply, each followed by an empty plan", async () => {
    editSpec(demo.repo, "securityDefaults", "default", (spec) => {
      spec.isEnabled = false;
    });
    commit(demo.repo, "security defaults off (Conditional Access takes over)");
    expect(await applyConverges(demo.repo)).toContain("updated securityDefaults/default");
    expect(((await demo.client.api(PATH).get()) as { isEnabled: boolean }).isEnabled).toBe(false);

    editSpec(demo.repo, "securityDefaults", "default", (spec) => {
      spec.isEnabled = true;
    });
    commit(demo.repo, "security defaults on");
    expect(await applyConverges(demo.repo)).toContain("updated securityDefaults/default");
    expect(((await demo.client.api(PATH).get()) as { isEnabled: boolean }).isEnabled).toBe(true);
  });

  it("is never deleted: removing its document proposes nothing", async () => {
    removeDoc(demo.repo, "securityDefaults", "default");
    commit(demo.repo, "drop the document");
    const plan = await demo.repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: displayName and description are read-only, isEnabled must be a boolean", async () => {
    await expect(demo.client.api(PATH).patch({ displayName: "Mine" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(demo.client.api(PATH).patch({ isEnabled: "yes" })).rejects.toMatchObject({ statusCode: 400 });
    expect(((await demo.client.api(PATH).get()) as { displayName: string }).displayName).toBe("Security Defaults");
  });
});
