/**
 * The plan workflow's "Comment on the pull request" step, run as actions/github-script runs it (the
 * script text taken unchanged from entra-gitops-plan.yml, as the body of an async function given
 * `require`, `github` and `context`), against a recorded fake of the GitHub REST client: one comment
 * per pull request and environment, found by the plan's marker line and edited in place.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Comment {
  id: number;
  body: string;
  user: { type: string; login: string };
}

interface Call {
  method: "create" | "update";
  params: Record<string, unknown>;
}

type Step = { uses?: string; with?: { script?: string } };

function commentScript(file: string): string {
  const workflow = parse(readFileSync(file, "utf8")) as { jobs: Record<string, { steps: Step[] }> };
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const script = steps.find((s) => s.uses?.startsWith("actions/github-script@"))?.with?.script;
  if (!script) throw new Error(`${file}: no actions/github-script step`);
  return script;
}

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;

/** Runs the step's script with plan.md = `body` and the pull request's existing `comments`. */
async function runCommentStep(script: string, body: string, comments: Comment[]): Promise<Call[]> {
  const calls: Call[] = [];
  const fakeFs = {
    readFileSync: (path: string, encoding: string): string => {
      expect([path, encoding]).toEqual(["plan.md", "utf8"]);
      return body;
    },
  };
  const listComments = (): never => {
    throw new Error("listComments is only called through paginate");
  };
  const github = {
    paginate: async (method: unknown, params: Record<string, unknown>) => {
      expect(method).toBe(listComments);
      expect(params).toEqual({ owner: "contoso", repo: "entra-config", issue_number: 42 });
      return comments;
    },
    rest: {
      issues: {
        listComments,
        createComment: async (params: Record<string, unknown>) => calls.push({ method: "create", params }),
        updateComment: async (params: Record<string, unknown>) => calls.push({ method: "update", params }),
      },
    },
  };
  const context = { repo: { owner: "contoso", repo: "entra-config" }, issue: { number: 42 } };
  const requireFn = (name: string): unknown => {
    if (name === "fs") return fakeFs;
    throw new Error(`unexpected require ${name}`);
  };
  await new AsyncFunction("require", "github", "context", script)(requireFn, github, context);
  return calls;
}

const bot = { type: "Bot", login: "github-actions[bot]" };
const human = { type: "User", login: "alice" };
const plan = (text: string, env = "production") => `<!-- entra-gitops-plan:${env} -->\n\n### entra-gitops plan · \`${env}\`\n\n${text}\n`;

describe("entra-gitops-plan-tenants.yml (called by entra-gitops-plan.yml): the pull-request comment step", () => {
  const script = commentScript(join(process.cwd(), "templates/workflows/entra-gitops-plan-tenants.yml"));

  it("is the same script in the repository's own .github/workflows copy", () => {
    expect(commentScript(join(process.cwd(), ".github/workflows/entra-gitops-plan-tenants.yml"))).toBe(script);
  });

  it("creates the comment on the first plan of a pull request", async () => {
    const body = plan("1 to update");
    expect(await runCommentStep(script, body, [])).toEqual([
      { method: "create", params: { owner: "contoso", repo: "entra-config", issue_number: 42, body } },
    ]);
  });

  it("edits its earlier comment in place on the next push", async () => {
    const body = plan("2 to update");
    const calls = await runCommentStep(script, body, [
      { id: 1, body: "LGTM", user: human },
      { id: 7, body: plan("1 to update"), user: bot },
    ]);
    expect(calls).toEqual([{ method: "update", params: { owner: "contoso", repo: "entra-config", comment_id: 7, body } }]);
  });

  it("leaves people's comments that quote the marker, and other environments' comments, alone", async () => {
    const body = plan("no changes");
    const calls = await runCommentStep(script, body, [
      { id: 3, body: plan("copied by a reviewer"), user: human },
      { id: 4, body: plan("staging plan", "staging"), user: bot },
      { id: 5, body: "unrelated bot comment", user: bot },
    ]);
    expect(calls).toEqual([{ method: "create", params: { owner: "contoso", repo: "entra-config", issue_number: 42, body } }]);
  });
});
