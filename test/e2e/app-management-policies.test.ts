/**
 * Per-app management policies through the CLI against the sandbox: export → plan empty → restriction
 * edited and a second policy added → apply → plan empty → the second deleted → plan empty; validate
 * requires displayName; the sandbox refuses what Graph refuses (no displayName, an unknown property).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const PATH = "/policies/appManagementPolicies";
const NAME = "credential-policy";
type Policies = { value: Record<string, unknown>[] };
const lifetime = (maxLifetime: string): Record<string, unknown> => ({ restrictionType: "passwordLifetime", state: "enabled", maxLifetime, restrictForAppsCreatedAfterDateTime: "2024-01-01T00:00:00Z" });

describe("appManagementPolicy: per-app credential restrictions", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    await client.api(PATH).post({ displayName: "Credential policy", description: "90-day secrets", isEnabled: true, restrictions: { passwordCredentials: [lifetime("P90D")], keyCredentials: [] } });
    repo = await exportedRepo(sandboxEnv(started.sandbox));
  });
  afterAll(async () => started?.stop());

  it("exports the policy and plans empty", async () => {
    expect(readDoc(repo, "appManagementPolicy", NAME).spec).toEqual({ displayName: "Credential policy", description: "90-day secrets", isEnabled: true, restrictions: { passwordCredentials: [lifetime("P90D")] } });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("updates, creates and deletes policies through apply, each followed by an empty plan", async () => {
    editSpec(repo, "appManagementPolicy", NAME, (spec) => {
      spec.restrictions = { passwordCredentials: [lifetime("P30D")], keyCredentials: [] };
      spec.isEnabled = false;
    });
    writeDoc(repo, { kind: "appManagementPolicy", name: "no-secrets", spec: { displayName: "No secrets", isEnabled: true, restrictions: { passwordCredentials: [{ restrictionType: "passwordAddition", state: "enabled", restrictForAppsCreatedAfterDateTime: "2024-01-01T00:00:00Z" }], keyCredentials: [] } } });
    commit(repo, "shorter lifetime, a second policy");
    const out = await applyConverges(repo);
    expect(out).toContain(`updated appManagementPolicy/${NAME}`);
    expect(out).toContain("created appManagementPolicy/no-secrets");
    const live = ((await client.api(PATH).get()) as Policies).value;
    expect(live.find((p) => p.displayName === "Credential policy")).toMatchObject({ isEnabled: false, restrictions: { passwordCredentials: [lifetime("P30D")] } });
    expect(live.find((p) => p.displayName === "No secrets")).toMatchObject({ isEnabled: true, description: null });

    removeDoc(repo, "appManagementPolicy", "no-secrets");
    commit(repo, "remove the second");
    expect(await applyConverges(repo, "--allow-delete")).toContain("deleted appManagementPolicy/no-secrets");
    expect(((await client.api(PATH).get()) as Policies).value.map((p) => p.displayName)).toEqual(["Credential policy"]);
  });

  it("validate requires displayName, naming file and line", async () => {
    writeDoc(repo, { kind: "appManagementPolicy", name: "broken", spec: { isEnabled: true } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(/tenant-config\/appManagementPolicy\/broken\.yaml:\d+:\d+/);
    expect(text).toContain("displayName");
    removeDoc(repo, "appManagementPolicy", "broken");
  });

  it("sandbox: no displayName, an unknown property or a non-array credential restriction is refused", async () => {
    await expect(client.api(PATH).post({ isEnabled: true })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(PATH).post({ displayName: "x", appliesTo: [] })).rejects.toMatchObject({ statusCode: 400 });
    const id = String(((await client.api(PATH).get()) as Policies).value[0]?.id);
    await expect(client.api(`${PATH}/${id}`).patch({ restrictions: { passwordCredentials: "P90D" } })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${PATH}/${id}`).patch({ isEnabled: "yes" })).rejects.toMatchObject({ statusCode: 400 });
  });
});
