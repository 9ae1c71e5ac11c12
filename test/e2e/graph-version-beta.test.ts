import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxEnv } from "../helpers/cli.js";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import type { ExportedRepo } from "./apply-fixture.js";
import { admin, exportedRepo, findByName } from "./apply-fixture.js";

const POLICIES = "/identity/conditionalAccess/policies";
const POLICY = "CA-A02-Admins-AdminPortals-RequireMFA";
const FILE = "tenant-config/conditionalAccessPolicy/ca-a02-admins-adminportals-requiremfa.yaml";
const KINDS = ["namedLocation", "authenticationContextClassReference", "authenticationStrengthPolicy", "group", "application", "servicePrincipal", "conditionalAccessPolicy"];

describe("graphVersion: beta-only Conditional Access properties are never lost silently", () => {
  let started: StartedSandbox;
  let repo: ExportedRepo;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    // Set in the portal (which uses beta): continuous access evaluation, a property v1.0 does not have.
    const client = admin(started);
    const policy = await findByName(client, POLICIES, POLICY);
    await client.api(`${POLICIES}/${String(policy.id)}`).version("beta").patch({ sessionControls: { continuousAccessEvaluation: { mode: "strictEnforcement" } } });
    repo = await exportedRepo(sandboxEnv(started.sandbox), { kinds: KINDS });
  });
  afterAll(async () => started?.stop());

  it("v1.0 (the default): export and plan name the object and the property, and plan does not claim no changes", async () => {
    const exported = await repo.cli("export");
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain(
      "warning: conditionalAccessPolicy/ca-a02-admins-adminportals-requiremfa: the tenant has beta-only property sessionControls.continuousAccessEvaluation, which Graph v1.0 does not return",
    );
    expect(exported.stderr).toContain("set graphVersion: { conditionalAccessPolicy: beta } in entra-gitops.yaml");
    expect(readFileSync(join(repo.dir, FILE), "utf8")).not.toContain("continuousAccessEvaluation");

    const plan = await repo.cli("plan");
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).not.toContain("No changes. The tenant matches");
    expect(plan.stdout).toContain("No changes in the fields Graph returns");
    expect(plan.stdout).toContain("1 object has beta-only fields this plan cannot see (see the warnings).");
    expect(plan.stdout).toContain("conditionalAccessPolicy/ca-a02-admins-adminportals-requiremfa: the tenant has beta-only property sessionControls.continuousAccessEvaluation");
  });

  it("v1.0: sync warns about the hidden property as export does, and records no drift for it", async () => {
    const synced = await repo.cli("sync");
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stderr).toContain(
      "warning: conditionalAccessPolicy/ca-a02-admins-adminportals-requiremfa: the tenant has beta-only property sessionControls.continuousAccessEvaluation, which Graph v1.0 does not return",
    );
    expect(synced.stdout).toContain("No drift");
    expect(readFileSync(join(repo.dir, FILE), "utf8").split("\n")[0]).toBe("# yaml-language-server: $schema=../../.entra-gitops/schemas/conditionalAccessPolicy.schema.json");
  });

  it("a beta property in a v1.0-managed document is refused with the option to manage it", async () => {
    const path = join(repo.dir, FILE);
    const original = readFileSync(path, "utf8");
    writeFileSync(path, original.replace(/^spec:\n/m, "spec:\n  sessionControls:\n    continuousAccessEvaluation:\n      mode: strictEnforcement\n"));
    const validated = await repo.cli("validate");
    expect(validated.code).toBe(1);
    expect(validated.stderr).toContain(
      "spec.sessionControls.continuousAccessEvaluation: a Graph beta property; conditionalAccessPolicy is managed through Graph v1.0, which does not have it. To manage it, set graphVersion: { conditionalAccessPolicy: beta } in entra-gitops.yaml",
    );
    writeFileSync(path, original);
  });

  it("graphVersion beta: export writes the property, validate accepts it, plan is empty, and a change is applied through beta", async () => {
    writeFileSync(repo.configFile, `${readFileSync(repo.configFile, "utf8")}graphVersion:\n  conditionalAccessPolicy: beta\n`);
    const exported = await repo.cli("export");
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).not.toContain("beta-only");
    const text = readFileSync(join(repo.dir, FILE), "utf8");
    expect(text).toContain("  sessionControls:\n    continuousAccessEvaluation:\n      mode: strictEnforcement\n");
    // Editors validate the document against the kind's committed beta schema.
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=../../.entra-gitops/schemas/conditionalAccessPolicy.beta.schema.json");
    expect(readFileSync(join(repo.dir, ".entra-gitops/schemas/conditionalAccessPolicy.beta.schema.json"), "utf8")).toContain('"x-beta": true');
    expect((await repo.cli("validate")).code).toBe(0);
    const plan = await repo.cli("plan");
    expect(plan.stdout).toContain("No changes. The tenant matches the configuration");

    writeFileSync(join(repo.dir, FILE), text.replace("mode: strictEnforcement", "mode: disabled"));
    const applied = await repo.cli("apply", "--auto-approve");
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect(applied.stdout).toContain('~ sessionControls.continuousAccessEvaluation.mode: "strictEnforcement" → "disabled"');
    const policy = await findByName(admin(started), POLICIES, POLICY, "beta");
    expect(policy.sessionControls).toMatchObject({ continuousAccessEvaluation: { mode: "disabled" } });
    expect((await repo.cli("plan")).stdout).toContain("No changes. The tenant matches the configuration");
  });
});
