/**
 * Social identity providers (`identityProvider`, `/identity/identityProviders`, opt-in): export →
 * plan empty → edit → apply → plan empty; a new provider is created with its client secret taken
 * from the environment variable its document names (`env:NAME`), never from git, and apply
 * refuses before any write when that variable is unset; the secret reaches no document, plan file
 * or output; delete through prune; sync commits a tenant change; validate refuses a literal secret;
 * the sandbox refuses what Graph documents it refuses in a workforce tenant.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, startSandbox } from "../helpers/sandbox.js";
import { allText, git, runCli, sandboxEnv } from "../helpers/cli.js";
import { admin, applyConverges, commit, editSpec, exportedRepo, readDoc, removeDoc, writeDoc } from "./apply-fixture.js";
import type { ExportedRepo } from "./apply-fixture.js";

const PATH = "/identity/identityProviders";
const SECRET = "fb-client-secret-4b1e7c";
const GOOGLE_SECRET = "google-secret-9d2a61f0";
const SOCIAL = "#microsoft.graph.socialIdentityProvider";

describe("identityProvider: exported, planned and applied, secrets from the environment only", () => {
  let started: StartedSandbox<SandboxTenant>;
  let repo: ExportedRepo;
  const client = () => admin(started);
  const withSecret = (...args: string[]) => runCli(["--config", repo.configFile, ...args], { ...repo.env, GOOGLE_IDP_SECRET: GOOGLE_SECRET });

  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    await admin(started).api(PATH).post({ "@odata.type": "microsoft.graph.socialIdentityProvider", displayName: "Facebook guests", identityProviderType: "Facebook", clientId: "fb-app-1", clientSecret: SECRET });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["identityProvider"] });
  });
  afterAll(async () => started?.stop());

  it("exports the social provider without its secret (never the built-in one) and plans empty", async () => {
    expect(readDoc(repo, "identityProvider", "facebook").spec).toEqual({ displayName: "Facebook guests", identityProviderType: "Facebook", clientId: "fb-app-1" });
    const text = allText(repo.dir);
    expect(text).not.toContain("******");
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("MSASignup-OAUTH");
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("a create whose secret variable is unset is refused before any write, with the other changes", async () => {
    editSpec(repo, "identityProvider", "facebook", (spec) => {
      spec.displayName = "Facebook (guests)";
    });
    writeDoc(repo, { kind: "identityProvider", name: "google", spec: { displayName: "Google guests", identityProviderType: "Google", clientId: "google-app-1", clientSecret: "env:GOOGLE_IDP_SECRET" } });
    commit(repo, "google for guests");
    const plan = await repo.cli("plan");
    expect(plan.stdout).toContain("identityProvider/google");
    const applied = await runCli(["--config", repo.configFile, "apply", "--auto-approve"], { ...repo.env, GOOGLE_IDP_SECRET: undefined });
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain("identityProvider/google: clientSecret names the environment variable GOOGLE_IDP_SECRET, which is not set");
    expect(applied.stderr).toContain("nothing was applied");
    const live = (await client().api(PATH).get()) as { value: { id: string; displayName: string }[] };
    expect(live.value.map((p) => p.id).sort()).toEqual(["Facebook-OAUTH", "MSASignup-OAUTH"]);
    expect(live.value.find((p) => p.id === "Facebook-OAUTH")?.displayName).toBe("Facebook guests");
  });

  it("with the variable set, creates the provider with the secret and updates the other; the secret reaches no plan file or output", async () => {
    const saved = await withSecret("plan", "--out", join(repo.dir, "plan.json"));
    expect(saved.code, saved.stderr).toBe(0);
    expect(readFileSync(join(repo.dir, "plan.json"), "utf8")).not.toContain(GOOGLE_SECRET);
    const applied = await withSecret("apply", "--auto-approve");
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout + applied.stderr + saved.stdout + saved.stderr).not.toContain(GOOGLE_SECRET);
    expect(applied.stdout).toContain("created identityProvider/google");
    const google = (await client().api(`${PATH}/Google-OAUTH`).get()) as Record<string, unknown>;
    expect(google).toMatchObject({ "@odata.type": SOCIAL, displayName: "Google guests", clientId: "google-app-1", clientSecret: "******" });
    // The sandbox's store holds what apply sent (Graph never shows it).
    expect(started.sandbox.tenant.core.store.get("identityProviders", "Google-OAUTH")?.["clientSecret"]).toBe(GOOGLE_SECRET);
    expect(((await client().api(`${PATH}/Facebook-OAUTH`).get()) as { displayName: string }).displayName).toBe("Facebook (guests)");
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(git(repo.dir, "status", "--porcelain")).toContain("plan.json");
  });

  it("updates clientId through apply and plans empty after", async () => {
    editSpec(repo, "identityProvider", "google", (spec) => {
      spec.clientId = "google-app-2";
    });
    commit(repo, "new google app");
    expect(await applyConverges(repo)).toContain("updated identityProvider/google");
    expect(((await client().api(`${PATH}/Google-OAUTH`).get()) as { clientId: string }).clientId).toBe("google-app-2");
    expect(started.sandbox.tenant.core.store.get("identityProviders", "Google-OAUTH")?.["clientSecret"]).toBe(GOOGLE_SECRET);
  });

  it("validate refuses a literal secret, naming file, line and field", async () => {
    editSpec(repo, "identityProvider", "google", (spec) => {
      spec.clientSecret = "plain-text-secret";
    });
    commit(repo, "a secret in git");
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    expect(validated.stderr).toMatch(/identityProvider[/\\]google\.yaml:\d+:\d+.*clientSecret/);
    editSpec(repo, "identityProvider", "google", (spec) => {
      spec.clientSecret = "env:GOOGLE_IDP_SECRET";
    });
    commit(repo, "the secret from the environment again");
    expect((await repo.cli("validate")).code).toBe(0);
  });

  it("sync commits a change made in the tenant, without the secret", async () => {
    await client().api(`${PATH}/Google-OAUTH`).patch({ "@odata.type": SOCIAL, displayName: "Google (portal)" });
    catchUpAuditLog(started.sandbox);
    const synced = await repo.cli("sync");
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    expect(readDoc(repo, "identityProvider", "google").spec).toMatchObject({ displayName: "Google (portal)", clientSecret: "env:GOOGLE_IDP_SECRET" });
    expect(git(repo.dir, "log", "-1", "--stat")).toContain("identityProvider/google.yaml");
    const plan = await repo.cli("plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("deletes a provider whose document is removed (prune), then plans empty", async () => {
    removeDoc(repo, "identityProvider", "facebook");
    commit(repo, "no more facebook");
    expect(await applyConverges(repo, "--allow-delete")).toContain("deleted identityProvider/facebook");
    await expect(client().api(`${PATH}/Facebook-OAUTH`).get()).rejects.toMatchObject({ statusCode: 404 });
  });

  it("sandbox: social providers of a workforce tenant only, all properties on create, one per type, the type fixed, built-ins left alone", async () => {
    const post = (body: Record<string, unknown>) => client().api(PATH).post({ "@odata.type": "microsoft.graph.socialIdentityProvider", displayName: "x", clientId: "c", clientSecret: "s", ...body });
    await expect(post({ identityProviderType: "Amazon" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(post({ identityProviderType: "Facebook", clientSecret: undefined })).rejects.toMatchObject({ statusCode: 400 });
    await expect(post({ identityProviderType: "Google" })).rejects.toMatchObject({ statusCode: 409 });
    await expect(post({ identityProviderType: "Facebook", "@odata.type": "microsoft.graph.appleManagedIdentityProvider" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client().api(`${PATH}/Google-OAUTH`).patch({ identityProviderType: "Facebook" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client().api(`${PATH}/MSASignup-OAUTH`).patch({ displayName: "Mine" })).rejects.toMatchObject({ statusCode: 400 });
    await expect(client().api(`${PATH}/MSASignup-OAUTH`).delete()).rejects.toMatchObject({ statusCode: 400 });
    const list = (await client().api(PATH).get()) as { value: Record<string, unknown>[] };
    expect(list.value.every((p) => p["clientSecret"] === undefined || p["clientSecret"] === "******")).toBe(true);
  });
});
