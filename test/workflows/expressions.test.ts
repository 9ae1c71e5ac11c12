/**
 * The workflow simulation's expression evaluator (test/helpers/actions-expressions.ts): GitHub's
 * semantics for what the templates use, and a loud failure for anything else.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { workflowTemplates } from "../../src/cli/init.js";
import { condition, evaluate, interpolate, type ExprContext } from "../helpers/actions-expressions.js";

const context: ExprContext = {
  values: {
    github: { sha: "abc", event_name: "push", event: { repository: { default_branch: "main" } } },
    matrix: { environment: "production" },
    vars: { ENTRA_GITOPS_ENABLED: "TRUE" },
    inputs: {},
    steps: { plan: { outputs: { exitcode: "2" } }, skipped: { outputs: {} } },
    env: {},
  },
  strict: new Set(["github", "matrix"]),
};

describe("workflow expressions (simulation)", () => {
  it("evaluates paths, comparisons, || and && as GitHub does", () => {
    expect(interpolate("${{ matrix.environment }}-ci", context)).toBe("production-ci");
    expect(condition("vars.ENTRA_GITOPS_ENABLED == 'true'", context)).toBe(true); // case-insensitive
    expect(condition("${{ github.event_name == 'push' }}", context)).toBe(true);
    expect(condition("steps.plan.outputs.exitcode != ''", context)).toBe(true);
    expect(condition("steps.skipped.outputs.exitcode != ''", context)).toBe(false); // missing output is null, equal to ''
    expect(evaluate("inputs.mode || vars.ENTRA_GITOPS_DRIFT_MODE || 'commit'", context)).toBe("commit");
    expect(evaluate("github.sha && matrix.environment", context)).toBe("production");
    expect(interpolate("${{ steps.nothing.outputs.x }}", context)).toBe("");
    // always() is true; the runner runs such a job whatever the jobs it needs concluded.
    expect(condition("always() && github.sha == 'abc'", { ...context, values: { ...context.values, github: { sha: "abc" } } })).toBe(true);
  });

  it("fails loudly on what it does not simulate", () => {
    expect(() => condition("contains(github.ref, 'main')", context)).toThrow(/unsupported syntax/);
    expect(() => condition("cancelled()", context)).toThrow(/unsupported syntax/);
    expect(() => evaluate("secrets.AZURE_CLIENT_SECRET", context)).toThrow(/unknown context "secrets"/);
    expect(() => evaluate("github.head_ref", context)).toThrow(/not part of the simulated github context/);
    expect(() => evaluate("fromJSON(vars.X)", context)).toThrow(/unsupported syntax/);
    expect(() => evaluate("matrix.environment[0]", context)).toThrow(/unsupported syntax/);
  });

  it("parses every expression of the templates and of action.yml", () => {
    const texts = [...Object.values(workflowTemplates("contoso/entra-gitops@0123456789abcdef0123456789abcdef01234567")), readFileSync(join(process.cwd(), "action.yml"), "utf8")];
    const expressions = texts.flatMap((text) => [...text.matchAll(/\$\{\{(.*?)\}\}/g)].map((m) => m[1] ?? ""));
    expect(expressions.length).toBeGreaterThan(10);
    const permissive: ExprContext = { values: new Proxy({}, { has: () => true, get: () => ({}) }), strict: new Set() };
    // A generated matrix (fromJSON of a job output) is expanded by the runner, not the evaluator.
    const generatedMatrix = /^\s*fromJSON\(needs\.[A-Za-z0-9_-]+\.outputs\.[A-Za-z0-9_-]+\)\s*$/;
    for (const expression of expressions.filter((e) => !generatedMatrix.test(e))) expect(() => evaluate(expression, permissive), expression).not.toThrow();
    // Three callers' matrices of chunks, three called workflows' matrices of environments.
    expect(expressions.filter((e) => generatedMatrix.test(e))).toHaveLength(6);
  });
});
