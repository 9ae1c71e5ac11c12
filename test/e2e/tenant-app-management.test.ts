/**
 * The tenant's default app management policy (`tenantAppManagementPolicy`,
 * `/policies/defaultAppManagementPolicy`): export → plan empty → credential restrictions added and
 * the policy enabled through apply → plan empty → restrictions removed → plan empty; the sandbox
 * refuses properties it does not write and a non-boolean `isEnabled`.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { applyConverges, commit, demoRepo, editSpec, readDoc } from "./apply-fixture.js";
import type { ExportedRepo } from "./apply-fixture.js";

const PATH = "/policies/defaultAppManagementPolicy";
const RESTRICTION = { maxLifetime: "P90D", restrictForAppsCreatedAfterDateTime: "2024-01-01T00:00:00Z", restrictionType: "passwordLifetime", state: "enabled" };

describe("tenantAppManagementPolicy: exported, planned and applied", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  beforeAll(async () => {
    ({ started, repo, client } = await demoRepo());
  });
  afterAll(async () => started?.stop());

  it("is exported as one document and plans empty", async () => {
    expect(readDoc(repo, "tenantAppManagementPolicy", "default").spec).toEqual({ isEnabled: false });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("enables the policy with a password lifetime restriction, then removes the restriction, each followed by an empty plan", async () => {
    editSpec(repo, "tenantAppManagementPolicy", "default", (spec) => {
      spec.isEnabled = true;
      spec.applicationRestrictions = { passwordCredentials: [RESTRICTION] };
    });
    commit(repo, "app secrets live at most 90 days");
    expect(await applyConverges(repo)).toContain("updated tenantAppManagementPolicy/default");
    const live = (await client.api(PATH).get()) as { isEnabled: boolean; applicationRestrictions: { passwordCredentials: unknown[] } };
    expect(live.isEnabled).toBe(true);
    expect(live.applicationRestrictions.passwordCredentials).toEqual([RESTRICTION]);

    editSpec(repo, "tenantAppManagementPolicy", "default", (spec) => {
      delete spec.applicationRestrictions;
    });
    commit(repo, "no restriction");
    expect(await applyConverges(repo)).toContain("updated tenantAppManagementPolicy/default");
    const after = (await client.api(PATH).get()) as { applicationRestrictions: { passwordCredentials?: unknown[] } | null };
    expect(after.applicationRestrictions?.passwordCredentials ?? []).toEqual([]);
  });

  it("sandbox: displayName is not written and isEnabled must be a boolean", async () => {
    await expect(client.api(PATH).patch({ displayName: "Mine" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(PATH).patch({ isEnabled: "yes" })).rejects.toMatchObject({ statusCode: 400 });
  });
});
