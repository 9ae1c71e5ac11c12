/**
 * Rotating a write-only secret (README "Rotating a write-only secret"): an identity provider's
 * `clientSecret` is created with `clientSecretVersion: 1`; raising it to 2 with a new value in the
 * environment variable is a rotation plan shows without the value (`<rotated> (version 1 → 2)`),
 * apply refuses before any write while the variable is unset, and with it set PATCHes the secret
 * and records the marker in `.entra-gitops/state/<env>/secret-versions.yaml`, committed; then the
 * plan is empty. A lowered or removed marker is no rotation. Export and sync keep the marker. The
 * values reach no plan file, output or git.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { catchUpAuditLog, startSandbox } from "../helpers/sandbox.js";
import { allText, git, runCli, sandboxEnv } from "../helpers/cli.js";
import { admin, commit, editSpec, exportedRepo, readDoc, writeDoc } from "./apply-fixture.js";
import type { ExportedRepo } from "./apply-fixture.js";

const PATH = "/identity/identityProviders";
const V1 = "google-secret-one-51c0e2";
const V2 = "google-secret-two-8f3a94";
const STATE = ".entra-gitops/state/default/secret-versions.yaml";

describe("identityProvider clientSecret: rotated by its version marker", () => {
  let started: StartedSandbox<SandboxTenant>;
  let repo: ExportedRepo;
  const outputs: string[] = [];
  const cli = async (secret: string | undefined, ...args: string[]) => {
    const run = await runCli(["--config", repo.configFile, ...args], { ...repo.env, GOOGLE_IDP_SECRET: secret });
    outputs.push(run.stdout, run.stderr);
    return run;
  };
  const stored = () => started.sandbox.tenant.core.store.get("identityProviders", "Google-OAUTH")?.["clientSecret"];
  const state = () => readFileSync(join(repo.dir, STATE), "utf8");

  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: ["identityProvider"] });
  });
  afterAll(async () => started?.stop());

  it("a create records the document's marker in the environment's state, committed by apply", async () => {
    writeDoc(repo, { kind: "identityProvider", name: "google", spec: { displayName: "Google guests", identityProviderType: "Google", clientId: "google-app-1", clientSecret: "env:GOOGLE_IDP_SECRET", clientSecretVersion: 1 } });
    commit(repo, "google for guests");
    const applied = await cli(V1, "apply", "--auto-approve");
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain("created identityProvider/google");
    expect(stored()).toBe(V1);
    expect(state()).toContain("identityProvider/google:\n  clientSecret: 1\n");
    expect(git(repo.dir, "log", "-1", "--format=%s")).toBe("Record the secret versions applied in environment default");
    expect(git(repo.dir, "status", "--porcelain")).toBe("");
    // Graph answers the mask; the marker is the engine's, never sent.
    expect(await admin(started).api(`${PATH}/Google-OAUTH`).get()).toMatchObject({ clientSecret: "******" });
    expect(started.sandbox.tenant.core.store.get("identityProviders", "Google-OAUTH")?.["clientSecretVersion"]).toBeUndefined();
    const plan = await cli(undefined, "plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });

  it("a raised marker is a rotation plan shows without the value", async () => {
    editSpec(repo, "identityProvider", "google", (spec) => {
      spec.clientSecretVersion = 2;
    });
    commit(repo, "rotate the google secret");
    const plan = await cli(V2, "plan", "--detailed-exitcode", "--out", join(repo.dir, "plan.json"));
    expect(plan.code, plan.stdout + plan.stderr).toBe(2);
    expect(plan.stdout).toMatch(/~ identityProvider\/google.* will be updated in place/);
    expect(plan.stdout).toContain("~ clientSecret: <rotated> (version 1 → 2)");
    const saved = readFileSync(join(repo.dir, "plan.json"), "utf8");
    expect(saved).not.toContain(V2);
    expect(saved).not.toContain(V1);
    expect(saved).toContain('"rotation"');
  });

  it("apply with the variable unset is refused before any write", async () => {
    editSpec(repo, "identityProvider", "google", (spec) => {
      spec.displayName = "Google (guests)";
    });
    commit(repo, "rename with the rotation");
    const head = git(repo.dir, "rev-parse", "HEAD");
    const applied = await cli(undefined, "apply", "--auto-approve");
    expect(applied.code).not.toBe(0);
    expect(applied.stderr).toContain("identityProvider/google: clientSecret names the environment variable GOOGLE_IDP_SECRET, which is not set");
    expect(applied.stderr).toContain("nothing was applied");
    expect(stored()).toBe(V1);
    expect(((await admin(started).api(`${PATH}/Google-OAUTH`).get()) as { displayName: string }).displayName).toBe("Google guests");
    expect(state()).toContain("clientSecret: 1\n");
    expect(git(repo.dir, "rev-parse", "HEAD")).toBe(head);
  });

  it("with the variable set, apply of the saved plan writes the new secret and records version 2; the plan is then empty", async () => {
    const plan = await cli(V2, "plan", "--out", join(repo.dir, "plan.json"));
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    const applied = await cli(V2, "apply", join(repo.dir, "plan.json"));
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain("updated identityProvider/google");
    expect(stored()).toBe(V2);
    expect(((await admin(started).api(`${PATH}/Google-OAUTH`).get()) as { displayName: string }).displayName).toBe("Google (guests)");
    expect(state()).toContain("identityProvider/google:\n  clientSecret: 2\n");
    expect(git(repo.dir, "show", "HEAD:" + STATE)).toContain("clientSecret: 2");
    const replan = await cli(undefined, "plan", "--detailed-exitcode");
    expect(replan.code, replan.stdout + replan.stderr).toBe(0);
  });

  it("a lowered marker is no rotation: plan warns and writes nothing", async () => {
    editSpec(repo, "identityProvider", "google", (spec) => {
      spec.clientSecretVersion = 1;
    });
    commit(repo, "back to 1 by mistake");
    const plan = await cli(V1, "plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout + plan.stderr).toContain("clientSecretVersion 1 is lower than 2, the version last applied in this environment: not a rotation");
    const applied = await cli(V1, "apply", "--auto-approve");
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(stored()).toBe(V2);
    expect(state()).toContain("clientSecret: 2\n");
  });

  it("a removed marker is no rotation either, and the state keeps the last applied one", async () => {
    editSpec(repo, "identityProvider", "google", (spec) => {
      delete spec.clientSecretVersion;
    });
    commit(repo, "no marker");
    const plan = await cli(undefined, "plan", "--detailed-exitcode");
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout + plan.stderr).not.toContain("clientSecret");
    expect(state()).toContain("clientSecret: 2\n");
    // Put back at the applied version: equal, nothing to rotate.
    editSpec(repo, "identityProvider", "google", (spec) => {
      spec.clientSecretVersion = 2;
    });
    commit(repo, "marker back");
    expect((await cli(undefined, "plan", "--detailed-exitcode")).code).toBe(0);
  });

  it("sync and export keep the document's marker and never invent one", async () => {
    await admin(started).api(`${PATH}/Google-OAUTH`).patch({ "@odata.type": "#microsoft.graph.socialIdentityProvider", displayName: "Google (portal)" });
    catchUpAuditLog(started.sandbox);
    const synced = await cli(undefined, "sync");
    expect(synced.code, synced.stdout + synced.stderr).toBe(0);
    expect(readDoc(repo, "identityProvider", "google").spec).toMatchObject({ displayName: "Google (portal)", clientSecret: "env:GOOGLE_IDP_SECRET", clientSecretVersion: 2 });
    const exported = await cli(undefined, "export");
    expect(exported.code, exported.stdout + exported.stderr).toBe(0);
    expect(readDoc(repo, "identityProvider", "google").spec).toMatchObject({ clientSecretVersion: 2 });
    expect(git(repo.dir, "status", "--porcelain", "tenant-config")).toBe("");
    expect((await cli(undefined, "plan", "--detailed-exitcode")).code).toBe(0);
  });

  it("validate refuses a marker that is neither a non-negative integer nor a string, naming file, line and field", async () => {
    editSpec(repo, "identityProvider", "google", (spec) => {
      spec.clientSecretVersion = -1;
    });
    const validated = await cli(undefined, "validate");
    expect(validated.code).toBe(1);
    expect(validated.stderr).toMatch(/identityProvider[/\\]google\.yaml:\d+:\d+.*clientSecretVersion/);
    editSpec(repo, "identityProvider", "google", (spec) => {
      spec.clientSecretVersion = 2;
    });
  });

  it("no secret value in git's history, the working tree or any output", () => {
    const history = git(repo.dir, "log", "-p", "--all");
    const text = allText(repo.dir) + history + outputs.join("\n");
    expect(text).not.toContain(V1);
    expect(text).not.toContain(V2);
  });
});
