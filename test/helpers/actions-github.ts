/**
 * The GitHub side of the workflow simulation: pull requests, workflow runs, PR comments and
 * artifacts, and the `github` / `core` / `context` objects that `actions/github-script` hands a
 * script. Only the REST calls the templates make exist; any other throws, so a template that
 * starts using one fails loudly. Every call is appended to `calls.jsonl` in the state folder (the
 * captured comments and pull requests a test reads).
 */
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

export interface PullRequest {
  number: number;
  head: { ref: string; sha: string };
  base: { ref: string };
  merged_at: string | null;
  merge_commit_sha: string | null;
  title: string;
  state: "open" | "closed";
}

export interface WorkflowRun {
  id: number;
  run_number: number;
  workflow: string;
  event: string;
  head_sha: string;
  status: "completed";
  conclusion: "success" | "failure";
}

export interface Comment {
  id: number;
  issue_number: number;
  body: string;
  user: { type: "Bot"; login: string };
}

type Params = Record<string, unknown>;
type Api = (params: Params) => Promise<{ data: unknown }>;

export class FakeGitHub {
  readonly pulls: PullRequest[] = [];
  readonly runs: WorkflowRun[] = [];
  readonly comments: Comment[] = [];
  private nextId = 1000;

  constructor(
    readonly owner: string,
    readonly repo: string,
    /** Folder for artifacts and the call log. */
    readonly stateDir: string,
  ) {
    mkdirSync(join(stateDir, "artifacts"), { recursive: true });
  }

  /** A pull request opened from `head` (a branch pushed to the remote) at commit `sha`. */
  openPullRequest(head: string, sha: string, title: string): PullRequest {
    const pr: PullRequest = { number: this.pulls.length + 1, head: { ref: head, sha }, base: { ref: "main" }, merged_at: null, merge_commit_sha: null, title, state: "open" };
    this.pulls.push(pr);
    return pr;
  }

  merged(pr: PullRequest, mergeCommit: string): void {
    pr.merged_at = new Date().toISOString();
    pr.merge_commit_sha = mergeCommit;
    pr.state = "closed";
  }

  newRun(workflow: string, event: string, headSha: string): WorkflowRun {
    const id = ++this.nextId;
    const run: WorkflowRun = { id, run_number: this.runs.filter((r) => r.workflow === workflow).length + 1, workflow, event, head_sha: headSha, status: "completed", conclusion: "success" };
    this.runs.push(run);
    return run;
  }

  /** actions/upload-artifact: copies the files named by `paths` (relative to `cwd`) under the run's artifact `name`. */
  upload(runId: number, name: string, cwd: string, paths: readonly string[]): string[] {
    const dir = join(this.stateDir, "artifacts", String(runId), name);
    if (existsSync(dir)) throw new Error(`artifact ${name} already exists in run ${runId} (upload-artifact@v4 refuses a second upload)`);
    const copied: string[] = [];
    for (const path of paths) {
      const from = join(cwd, path);
      if (!existsSync(from)) continue;
      cpSync(from, join(dir, relative(cwd, from)), { recursive: true });
      copied.push(path);
    }
    return copied;
  }

  /**
   * actions/download-artifact: with `name`, copies that artifact's files into `into` (throws when
   * there is none); with `pattern` (a `*` glob), every matching artifact into `into/<name>/`, and
   * returns their names (none is not an error).
   */
  download(runId: string, name: string, into: string, pattern?: string): string[] {
    if (pattern !== undefined) {
      const runDir = join(this.stateDir, "artifacts", runId);
      const glob = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
      const names = existsSync(runDir) ? readdirSync(runDir).filter((n) => glob.test(n)).sort() : [];
      for (const n of names) this.download(runId, n, join(into, n));
      return names;
    }
    const dir = join(this.stateDir, "artifacts", runId, name);
    if (!runId || !existsSync(dir)) throw new Error(`Unable to download artifact(s): Artifact not found for name: ${name}`);
    mkdirSync(into, { recursive: true });
    for (const entry of readdirSync(dir)) cpSync(join(dir, entry), join(into, entry), { recursive: true });
    return [name];
  }

  private log(method: string, params: Params): void {
    appendFileSync(join(this.stateDir, "calls.jsonl"), `${JSON.stringify({ method, params })}\n`);
  }

  private checkRepo(method: string, params: Params): void {
    if (params.owner !== this.owner || params.repo !== this.repo) throw new Error(`${method}: called for ${String(params.owner)}/${String(params.repo)}, not ${this.owner}/${this.repo}`);
  }

  /** The `github` object of github-script (an authenticated Octokit), reduced to the calls the templates make. */
  octokit(): { rest: Record<string, Record<string, Api>>; paginate: (api: Api, params: Params) => Promise<unknown[]> } {
    const routes: Record<string, Record<string, (params: Params) => unknown>> = {
      issues: {
        listComments: (p) => this.comments.filter((c) => c.issue_number === p.issue_number),
        createComment: (p) => {
          const comment: Comment = { id: ++this.nextId, issue_number: Number(p.issue_number), body: String(p.body), user: { type: "Bot", login: "github-actions[bot]" } };
          this.comments.push(comment);
          return comment;
        },
        updateComment: (p) => {
          const comment = this.comments.find((c) => c.id === p.comment_id);
          if (!comment) throw new Error(`updateComment: no comment ${String(p.comment_id)}`);
          comment.body = String(p.body);
          return comment;
        },
      },
      repos: {
        listPullRequestsAssociatedWithCommit: (p) => this.pulls.filter((pr) => pr.head.sha === p.commit_sha || pr.merge_commit_sha === p.commit_sha),
      },
      actions: {
        listWorkflowRuns: (p) => ({
          total_count: 0,
          workflow_runs: this.runs.filter((r) => r.workflow === p.workflow_id && (!p.event || r.event === p.event) && (!p.head_sha || r.head_sha === p.head_sha)),
        }),
      },
      pulls: {
        list: (p) => this.pulls.filter((pr) => pr.state === p.state && `${this.owner}:${pr.head.ref}` === p.head),
        create: (p) => this.openPullRequest(String(p.head), "", String(p.title)),
      },
    };
    const rest: Record<string, Record<string, Api>> = {};
    for (const [group, methods] of Object.entries(routes)) {
      const wrapped: Record<string, Api> = {};
      for (const [name, fn] of Object.entries(methods)) {
        wrapped[name] = async (params) => {
          const method = `${group}.${name}`;
          this.checkRepo(method, params);
          this.log(method, params);
          return { data: structuredClone(fn(params)) };
        };
      }
      rest[group] = new Proxy(wrapped, {
        get: (target, key: string) => {
          const api = target[key];
          if (!api) throw new Error(`github-script called github.rest.${group}.${key}, which the workflow simulation does not provide`);
          return api;
        },
      });
    }
    return {
      rest: new Proxy(rest, {
        get: (target, key: string) => {
          const group = target[key];
          if (!group) throw new Error(`github-script used github.rest.${key}, which the workflow simulation does not provide`);
          return group;
        },
      }),
      paginate: async (api, params) => {
        const { data } = await api(params);
        if (!Array.isArray(data)) throw new Error("github.paginate on a call that does not return a list");
        return data as unknown[];
      },
    };
  }
}
