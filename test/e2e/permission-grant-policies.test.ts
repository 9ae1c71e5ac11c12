/**
 * Permission grant (consent) policies through the CLI against the sandbox: opt-in; built-in
 * `microsoft-*` policies never exported; export (condition sets without their ids or Graph's
 * defaults, apps by name) → plan empty → display name edited, an include condition set replaced, an
 * exclude added, a policy created with its sets → apply → plan empty → a policy deleted → plan
 * empty; validate requires id; the sandbox refuses what Graph refuses.
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { sandboxEnv } from "../helpers/cli.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";

const PATH = "/policies/permissionGrantPolicies";
const KIND = "permissionGrantPolicy";
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
/** Microsoft Graph's delegated User.Read scope id. */
const USER_READ = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";
const OTHER_TENANT_APP = "6a9f1c3e-2b4d-4e8f-9a1b-2c3d4e5f6a7b";
type Policy = { id: string; displayName: string; includes: Record<string, unknown>[]; excludes: Record<string, unknown>[] };

describe("permissionGrantPolicy: consent policies with include and exclude condition sets", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  let client: Client;
  const live = async (id: string): Promise<Policy> => (await client.api(`${PATH}/${id}`).get()) as Policy;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    client = admin(started);
    await client.api(PATH).post({ id: "contoso-low-risk", displayName: "Low-risk apps", description: "What users may consent to" });
    await client.api(`${PATH}/contoso-low-risk/includes`).post({ permissionType: "delegated", resourceApplication: GRAPH_APP_ID, permissions: [USER_READ], clientApplicationsFromVerifiedPublisherOnly: true });
    await client.api(`${PATH}/contoso-low-risk/excludes`).post({ permissionType: "delegated", clientApplicationIds: [OTHER_TENANT_APP] });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: [KIND] });
  });
  afterAll(async () => started?.stop());

  it("is opt-in, and the built-in microsoft-* policies are never exported", async () => {
    const defaults = await exportedRepo(sandboxEnv(started.sandbox));
    expect(existsSync(join(defaults.dir, "tenant-config", KIND))).toBe(false);
    expect(existsSync(join(repo.dir, "tenant-config", KIND, "microsoft-all-application-permissions.yaml"))).toBe(false);
    expect((await live("microsoft-all-application-permissions")).includes).toHaveLength(1);
  });

  it("exports condition sets without ids or Graph's defaults, Microsoft Graph by name, and plans empty", async () => {
    const spec = readDoc(repo, KIND, "contoso-low-risk").spec;
    expect(spec).toEqual({
      id: "contoso-low-risk",
      displayName: "Low-risk apps",
      description: "What users may consent to",
      includes: [{ permissionType: "delegated", resourceApplication: expect.stringMatching(/^resource:/) as unknown, permissions: [USER_READ], clientApplicationsFromVerifiedPublisherOnly: true }],
      excludes: [{ permissionType: "delegated", clientApplicationIds: [OTHER_TENANT_APP] }],
    });
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("updates a policy (name, a replaced include, an added exclude) and creates one with its sets, each followed by an empty plan", async () => {
    const before = await live("contoso-low-risk");
    editSpec(repo, KIND, "contoso-low-risk", (spec) => {
      spec.displayName = "Low-risk apps (verified)";
      const include = (spec.includes as Record<string, unknown>[])[0] as Record<string, unknown>;
      include.permissionClassification = "low";
      (spec.excludes as Record<string, unknown>[]).push({ permissionType: "application" });
    });
    writeDoc(repo, { kind: KIND, name: "contoso-graph-only", spec: { id: "contoso-graph-only", displayName: "Microsoft Graph only", includes: [{ permissionType: "delegated", resourceApplication: GRAPH_APP_ID }] } });
    commit(repo, "edit and add");
    const out = await applyConverges(repo);
    expect(out).toContain(`updated ${KIND}/contoso-low-risk`);
    expect(out).toContain(`created ${KIND}/contoso-graph-only`);
    const after = await live("contoso-low-risk");
    expect(after.displayName).toBe("Low-risk apps (verified)");
    expect(after.includes).toHaveLength(1);
    expect(after.includes[0]).toMatchObject({ permissionClassification: "low", resourceApplication: GRAPH_APP_ID, permissions: [USER_READ] });
    expect(after.includes[0]?.id).not.toBe(before.includes[0]?.id);
    // The unchanged exclude kept its id; the new one was added.
    expect(after.excludes.map((e) => e.id)).toContain(before.excludes[0]?.id);
    expect(after.excludes.map((e) => e.permissionType).sort()).toEqual(["application", "delegated"]);
    expect((await live("contoso-graph-only")).includes).toMatchObject([{ permissionType: "delegated", resourceApplication: GRAPH_APP_ID, permissions: ["all"] }]);
  });

  it("deletes a policy whose document is removed, then plans empty", async () => {
    removeDoc(repo, KIND, "contoso-graph-only");
    commit(repo, "remove graph-only");
    const out = await applyConverges(repo, "--allow-delete");
    expect(out).toContain(`deleted ${KIND}/contoso-graph-only`);
    await expect(client.api(`${PATH}/contoso-graph-only`).get()).rejects.toMatchObject({ statusCode: 404 });
  });

  it("validate requires id, naming file and line", async () => {
    writeDoc(repo, { kind: KIND, name: "broken", spec: { displayName: "no id" } });
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    const text = validated.stdout + validated.stderr;
    expect(text).toMatch(new RegExp(`tenant-config/${KIND}/broken\\.yaml:\\d+:\\d+`));
    expect(text).toContain("id");
    removeDoc(repo, KIND, "broken");
  });

  it("sandbox: reserved or bad ids, built-in policies, condition sets inline or patched are refused", async () => {
    await expect(client.api(PATH).post({ id: "microsoft-mine", displayName: "x" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(PATH).post({ id: "has space", displayName: "x" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(PATH).post({ id: "contoso-low-risk" })).rejects.toMatchObject({ statusCode: 409 });
    await expect(client.api(PATH).post({ id: "inline", includes: [{ permissionType: "delegated" }] })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${PATH}/microsoft-user-default-low`).patch({ displayName: "mine" })).rejects.toMatchObject({ statusCode: 403 });
    await expect(client.api(`${PATH}/microsoft-user-default-low`).delete()).rejects.toMatchObject({ statusCode: 403 });
    await expect(client.api(`${PATH}/contoso-low-risk/includes`).post({ permissionType: "delegatedUserConsentable" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client.api(`${PATH}/contoso-low-risk/includes`).post({ permissions: ["all"] })).rejects.toMatchObject({ statusCode: 400 });
    const setId = String((await live("contoso-low-risk")).includes[0]?.id);
    await expect(client.api(`${PATH}/contoso-low-risk/includes/${setId}`).patch({ permissionClassification: "high" })).rejects.toMatchObject({ statusCode: 405 });
    await expect(client.api(`${PATH}/contoso-low-risk`).patch({ includes: [] })).rejects.toMatchObject({ statusCode: 400 });
  });
});
