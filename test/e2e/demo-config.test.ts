import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedSandbox } from "../helpers/sandbox.js";
import { startSandbox } from "../helpers/sandbox.js";
import { readTree, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";

const REPO_CONFIG = join(process.cwd(), "tenant-config");
/** The demo environment's id map (demo ids derive from names, so they are the same in every sandbox). */
const REPO_IDS = join(process.cwd(), ".entra-gitops", "state", "production", "ids.yaml");
/**
 * The sandbox's own operator app ("entra-gitops", what the env file connects as) gets new ids and a
 * new secret in every sandbox, so it is not part of the committed demo configuration: a plan leaves
 * it alone as an unmanaged object.
 */
const PER_SANDBOX = new Set(["application/entra-gitops.yaml", "servicePrincipal/entra-gitops.yaml"]);


/**
 * tenant-config/ at the top of this repository is the demo tenant's export, so a new user sees real
 * documents at once. This test keeps it current: an export of a fresh demo sandbox must equal it
 * byte for byte (`UPDATE_DEMO_CONFIG=1 npx vitest run test/e2e/demo-config.test.ts` rewrites it).
 */
describe("the repository's tenant-config/", () => {
  let started: StartedSandbox;
  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
  });
  afterAll(async () => started?.stop());

  it("is the demo tenant's current export", async () => {
    const { dir } = tempRepo();
    cpSync(join(process.cwd(), "entra-gitops.yaml"), join(dir, "entra-gitops.yaml"));
    const run = await runCli(["--config", join(dir, "entra-gitops.yaml"), "export"], sandboxEnv(started.sandbox));
    expect(run.code, run.stderr).toBe(0);
    for (const file of PER_SANDBOX) rmSync(join(dir, "tenant-config", file));
    const exported = readTree(join(dir, "tenant-config"));
    const exportedIds = readFileSync(join(dir, ".entra-gitops", "state", "production", "ids.yaml"), "utf8")
      .split("\n")
      .filter((line) => ![...PER_SANDBOX].some((file) => line.startsWith(`${file.slice(0, -".yaml".length)}:`)))
      .join("\n");
    if (process.env.UPDATE_DEMO_CONFIG) {
      rmSync(REPO_CONFIG, { recursive: true, force: true });
      cpSync(join(dir, "tenant-config"), REPO_CONFIG, { recursive: true });
      mkdirSync(join(REPO_IDS, ".."), { recursive: true });
      writeFileSync(REPO_IDS, exportedIds);
    }
    rmSync(dir, { recursive: true, force: true });
    expect(exported.size).toBeGreaterThan(90);
    expect(readTree(REPO_CONFIG)).toEqual(exported);
    expect(existsSync(REPO_IDS) ? readFileSync(REPO_IDS, "utf8") : "(missing)").toBe(exportedIds);
    const validate = await runCli(["--config", join(process.cwd(), "entra-gitops.yaml"), "validate"]);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    const plan = await runCli(["--config", join(process.cwd(), "entra-gitops.yaml"), "plan", "--detailed-exitcode"], sandboxEnv(started.sandbox));
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  });
});
