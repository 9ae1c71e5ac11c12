/**
 * Security defaults (`securityDefaults`, `/policies/identitySecurityDefaultsEnforcementPolicy`): a
 * singleton read by GET and written by PATCH, where only `isEnabled` is configuration. Export → plan
 * empty → edit → apply → plan empty, both ways; the sandbox refuses the read-only properties and a
 * non-boolean `isEnabled`, as Graph documents them.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { applyConverges, commit, demoRepo, editSpec, readDoc, removeDoc } from "./apply-fixture.js";
import type { ExportedRepo } from "./apply-fixture.js";

const PATH = "/policies/identitySecurityDefaultsEnforcementPolicy";

describe("securityDefaults: exported, planned and applied", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  beforeAll(async () => {
    ({ started, repo, client } = await demoRepo());
  });
  afterAll(async () => started?.stop());

  it("is exported as one document holding isEnabled only, and plans empty", async () => {
    expect(readDoc(repo, "securityDefaults", "default").spec).toEqual({ isEnabled: true });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("turns security defaults off and on again through apply, each followed by an empty plan", async () => {
    editSpec(repo, "securityDefaults", "default", (spec) => {
      spec.isEnabled = false;
    });
    commit(repo, "security defaults off (Conditional Access takes over)");
    expect(await applyConverges(repo)).toContain("updated securityDefaults/default");
    expect(((await client.api(PATH).get()) as { isEnabled: boolean }).isEnabled).toBe(false);

    editSpec(repo, "securityDefaults", "default", (spec) => {
      spec.isEnabled = true;
    });
    commit(repo, "security defaults on");
    expect(await applyConverges(repo)).toContain("updated securityDefaults/default");
    expect(((await client.api(PATH).get()) as { isEnabled: boolean }).isEnabled).toBe(true);
  });

  it("is never deleted: removing its document proposes nothing", async () => {
    removeDoc(repo, "securityDefaults", "default");
    commit(repo, "drop the document");
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("sandbox: displayName and description are read-only, isEnabled must be a boolean", async () => {
    await expect(client.api(PATH).patch({ displayName: "Mine" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(PATH).patch({ isEnabled: "yes" })).rejects.toMatchObject({ statusCode: 400 });
    expect(((await client.api(PATH).get()) as { displayName: string }).displayName).toBe("Security Defaults");
  });
});
