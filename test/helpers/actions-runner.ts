/**
 * Runs a workflow file the way a GitHub-hosted runner would, for the workflow simulation test:
 * the workflow is read from the event's commit in the (bare) remote, each job of its matrix gets
 * a fresh workspace, `run:` steps run with bash (`bash -e`, or `bash --noprofile --norc -eo
 * pipefail` for `shell: bash`) with GITHUB_OUTPUT / GITHUB_ENV / GITHUB_PATH /
 * GITHUB_STEP_SUMMARY files and the job's environment, and `${{ }}` go through the explicit
 * evaluator of actions-expressions.ts. A `uses:` of the entra-gitops action runs that action's
 * own composite steps (action.yml) from a local folder standing for its pinned commit. The
 * GitHub-only actions are stubbed: checkout clones the remote; upload/download-artifact copy to
 * a folder; github-script runs its script against FakeGitHub (actions-github.ts). Any other
 * `uses:` throws. A job-level `uses: ./.github/workflows/X.yml` runs that reusable workflow (read
 * from the same commit, `on: workflow_call`) once per entry of the job's matrix: its inputs are
 * checked against the declared ones (unknown, missing or mistyped inputs throw), its jobs must not
 * ask for more token permissions than the calling job grants (GitHub refuses such a run at start),
 * and its jobs run with their own needs and matrices, as `<calling job>/<job>`. Secrets, nested
 * calls and workflows of other repositories are not simulated and throw.
 *
 * Everything runs asynchronously: the sandbox tenant answers from this same process.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parse } from "yaml";
import { condition, interpolate, type ExprContext } from "./actions-expressions.js";
import type { FakeGitHub, PullRequest, WorkflowRun } from "./actions-github.js";
import { git } from "./cli.js";

export interface RunnerOptions {
  /** `owner/repo` of the configuration repository. */
  repository: string;
  /** The bare repository standing for GitHub's copy. */
  remote: string;
  github: FakeGitHub;
  /** Repository variables (Settings → Variables → Repository). */
  vars: Record<string, string>;
  /** Variables of each GitHub environment (they override repository variables of the same name). */
  environments: Record<string, Record<string, string>>;
  /** `owner/repo@sha` → the folder holding that action's commit (what the runner downloads). */
  actions: Record<string, string>;
  /** What the runner machine itself has in its environment (PATH, trust store, ...). */
  runnerEnv: Record<string, string>;
  /** The job's OIDC request variables (ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN), given only with `id-token: write`. */
  oidc(job: { environment?: string; eventName: string; ref: string; sha: string }): Record<string, string>;
  /** Folder for the jobs' workspaces. */
  workDir: string;
}

export interface WorkflowEvent {
  name: "pull_request" | "push" | "schedule" | "workflow_dispatch";
  /** The commit the run is for (pull requests: the head commit). */
  sha: string;
  /** `refs/heads/main`, `refs/pull/N/merge`, ... */
  ref: string;
  pullRequest?: PullRequest;
  inputs?: Record<string, string>;
}

export interface StepRecord {
  name: string;
  outcome: "success" | "failure" | "skipped";
  outputs: Record<string, string>;
  log: string;
  /** Wall-clock time of the step. */
  ms: number;
}

export interface JobRun {
  /** The job's id; a job of a called workflow is `<calling job>/<job>`. */
  job: string;
  /** For a job of a called workflow: the calling job and its matrix entry (e.g. `{ chunk: "1" }`). */
  caller?: { job: string; matrix: Record<string, string> };
  /** For a calling job's entry: the reusable workflow it ran (its jobs follow it in `jobs`). */
  calls?: string;
  matrix: Record<string, string>;
  environment: string | undefined;
  /** `cancelled`: a fail-fast matrix stopped it after an earlier entry failed. */
  conclusion: "success" | "failure" | "skipped" | "cancelled";
  /** The job's `outputs:` (for later jobs' `needs`). */
  outputs: Record<string, string>;
  steps: StepRecord[];
  /** Everything the job printed, step by step. */
  log: string;
  workspace: string;
  summary: string;
  /** `::error::` and `core.setFailed` messages. */
  errors: string[];
}

export interface WorkflowResult {
  run: WorkflowRun;
  jobs: JobRun[];
}

/** Called before each step runs (e.g. a test moves the remote's main before the push step). */
export type BeforeStep = (step: string, job: JobRun) => void | Promise<void>;

type Step = {
  id?: string;
  name?: string;
  if?: string | boolean;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  "working-directory"?: string;
};
type Job = {
  name?: string;
  /** A reusable workflow (`./.github/workflows/X.yml`) instead of steps. */
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: unknown;
  if?: string;
  needs?: string | string[];
  environment?: string;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  /** A matrix of lists, or `${{ fromJSON(needs.<job>.outputs.<name>) }}` (a generated `{ include: [...] }`). */
  strategy?: { matrix?: Record<string, unknown[]> | string; "fail-fast"?: boolean; "max-parallel"?: number };
  outputs?: Record<string, string>;
  steps?: Step[];
};

/** What a later job sees of an earlier one (`needs.<job>.result`, `needs.<job>.outputs.<name>`). */
type NeedsContext = Record<string, { result: "success" | "failure" | "skipped" | "cancelled"; outputs: Record<string, string> }>;
type Workflow = { on: Record<string, unknown> | string; env?: Record<string, string>; permissions?: Record<string, string>; jobs: Record<string, Job> };
type WorkflowCall = { inputs?: Record<string, { type?: string; required?: boolean; default?: unknown; description?: string }>; secrets?: unknown; outputs?: unknown };

/** One workflow file being run: the top-level one, or a reusable one a job called. */
interface Scope {
  workflow: Workflow;
  file: string;
  event: WorkflowEvent;
  run: WorkflowRun;
  beforeStep: BeforeStep | undefined;
  /** The `inputs` context: workflow_dispatch inputs, or the calling job's `with:`. */
  inputs: Record<string, string>;
  caller?: { job: string; matrix: Record<string, string> };
}

/** Keys GitHub allows on a job that calls a reusable workflow. */
const CALLING_JOB_KEYS: ReadonlySet<string> = new Set(["name", "uses", "with", "secrets", "strategy", "needs", "if", "permissions", "concurrency"]);
const LOCAL_WORKFLOW = /^\.\/\.github\/workflows\/([\w.-]+\.ya?ml)$/;
const PERMISSION_LEVEL: Record<string, number> = { none: 0, read: 1, write: 2 };
let workspaces = 0;
type ActionYaml = { inputs?: Record<string, { default?: string }>; outputs?: Record<string, { value: string }>; runs: { using: string; steps: Step[] } };

const STRICT: ReadonlySet<string> = new Set(["github", "matrix", "runner"]);
const SHA = /^[0-9a-f]{40}$/;
const nodeRequire = createRequire(import.meta.url);

/** Runs `.github/workflows/<file>` as of the event's commit; one JobRun per job and matrix entry. */
export async function runWorkflow(options: RunnerOptions, file: string, event: WorkflowEvent, beforeStep?: BeforeStep): Promise<WorkflowResult> {
  const workflow = readWorkflow(options, event.sha, file);
  const triggers = typeof workflow.on === "string" ? { [workflow.on]: null } : workflow.on;
  if (!(event.name in triggers)) throw new Error(`${file} does not run on ${event.name} (on: ${Object.keys(triggers).join(", ")})`);
  const run = options.github.newRun(file, event.name, event.pullRequest?.head.sha ?? event.sha);
  const jobs = await runJobs(options, { workflow, file, event, run, beforeStep, inputs: event.inputs ?? {} });
  run.conclusion = jobs.some((j) => j.conclusion === "failure") ? "failure" : "success";
  return { run, jobs };
}

function readWorkflow(options: RunnerOptions, sha: string, file: string): Workflow {
  return parse(git(options.remote, "show", `${sha}:.github/workflows/${file}`)) as Workflow;
}

/** The jobs of one workflow file, in file order; a calling job's entries are followed by the called jobs. */
async function runJobs(options: RunnerOptions, scope: Scope): Promise<JobRun[]> {
  const jobs: JobRun[] = [];
  const needs: NeedsContext = {};
  // Jobs run in file order, which the templates keep dependency-first (checked below); the jobs of
  // a matrix run one after another, as with max-parallel: 1.
  for (const [name, job] of Object.entries(scope.workflow.jobs)) {
    const needed = job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
    for (const n of needed) if (!(n in needs)) throw new SimulationError(`${scope.file}: job ${name} needs ${n}, which is not an earlier job`);
    const visible: NeedsContext = Object.fromEntries(needed.map((n) => [n, needs[n] as NeedsContext[string]]));
    const always = typeof job.if === "string" && /\balways\(\)/.test(job.if);
    // This job's entries (one per matrix entry), each pushed to `jobs` as it ends, followed by the
    // jobs of the workflow it called, if any.
    const runs: JobRun[] = [];
    const ran = (entry: JobRun, ...called: JobRun[]): void => {
      runs.push(entry);
      jobs.push(entry, ...called);
    };
    if (!always && needed.some((n) => visible[n]?.result !== "success")) {
      ran(skippedJob(name, scope));
    } else {
      let failed = false;
      for (const matrix of matrixEntries(job, visible)) {
        if (failed && job.strategy?.["fail-fast"] !== false) {
          ran({ ...skippedJob(name, scope), matrix, conclusion: "cancelled" });
          continue;
        }
        const [entry, ...called] = job.uses !== undefined ? await callWorkflow(options, scope, name, job, matrix, visible) : [await runJob(options, scope, name, job, matrix, visible)];
        if (!entry) throw new Error(`job ${name}: no result`);
        failed ||= entry.conclusion === "failure";
        ran(entry, ...called);
      }
    }
    needs[name] = { result: conclusionOf(runs), outputs: Object.assign({}, ...runs.map((r) => r.outputs)) as Record<string, string> };
  }
  return jobs;
}

/** A job's result over its matrix entries (a matrix job's outputs are the last entry's that set them, as GitHub does). */
function conclusionOf(runs: readonly JobRun[]): JobRun["conclusion"] {
  return runs.some((r) => r.conclusion === "failure") ? "failure" : runs.some((r) => r.conclusion === "cancelled") ? "cancelled" : runs.every((r) => r.conclusion === "skipped") ? "skipped" : "success";
}

/**
 * One matrix entry of a job with `uses: ./.github/workflows/X.yml`: the called workflow's jobs, as
 * GitHub runs them: the calling job's `with:` against the declared `workflow_call` inputs, the
 * called jobs' token permissions within the calling job's, the `github` context of the caller.
 * Returns the calling job's entry (its conclusion over the called jobs) and then the called jobs.
 */
async function callWorkflow(options: RunnerOptions, scope: Scope, name: string, job: Job, matrix: Record<string, string>, needs: NeedsContext): Promise<JobRun[]> {
  const uses = job.uses ?? "";
  for (const key of Object.keys(job)) {
    if (!CALLING_JOB_KEYS.has(key)) throw new SimulationError(`${scope.file}: job ${name} calls ${uses} and has ${key}:, which GitHub does not allow on a job that calls a reusable workflow`);
  }
  if (job.secrets !== undefined) throw new SimulationError(`${scope.file}: job ${name} passes secrets to ${uses}; the simulation passes no secrets`);
  const local = LOCAL_WORKFLOW.exec(uses);
  if (!local) throw new SimulationError(`${scope.file}: job ${name}: uses: ${uses}: the simulation runs reusable workflows of this repository only (./.github/workflows/X.yml)`);
  if (scope.caller) throw new SimulationError(`${scope.file}: job ${name} calls ${uses} from a called workflow; nested calls are not simulated`);
  const file = local[1] ?? "";
  const called = readWorkflow(options, scope.event.sha, file);
  const triggers = typeof called.on === "string" ? { [called.on]: null } : called.on;
  if (!("workflow_call" in triggers)) throw new SimulationError(`${file} has no on: workflow_call, so job ${name} of ${scope.file} cannot call it`);
  const call = (triggers.workflow_call ?? {}) as WorkflowCall;
  if (call.secrets !== undefined || call.outputs !== undefined) throw new SimulationError(`${file}: workflow_call secrets and outputs are not simulated`);

  const entry: JobRun = { ...skippedJob(name, scope), matrix, calls: file };
  const github = githubContext(options, scope.event, scope.run);
  const ctx: ExprContext = { values: { github, vars: options.vars, matrix, inputs: scope.inputs, needs }, strict: STRICT };
  if (!condition(job.if, ctx)) return [entry];
  const inputs = callInputs(file, name, call, Object.fromEntries(Object.entries(job.with ?? {}).map(([key, value]) => [key, interpolate(String(value), ctx)])));
  // GitHub refuses to start a run whose called workflow asks for more than the calling job grants.
  const granted = job.permissions ?? scope.workflow.permissions ?? {};
  const asked: Array<[string, Record<string, string>]> = [[`${file} (workflow permissions)`, called.permissions ?? {}], ...Object.entries(called.jobs).map(([n, j]): [string, Record<string, string>] => [`${file}, job ${n}`, j.permissions ?? called.permissions ?? {}])];
  for (const [where, permissions] of asked) {
    for (const [permission, level] of Object.entries(permissions)) {
      const allowed = granted[permission] ?? "none";
      if ((PERMISSION_LEVEL[level] ?? 3) > (PERMISSION_LEVEL[allowed] ?? 0)) {
        throw new SimulationError(`${where} asks for ${permission}: ${level}, but the calling job ${name} of ${scope.file} allows ${permission}: ${allowed}`);
      }
    }
  }
  const jobs = await runJobs(options, { workflow: called, file, event: scope.event, run: scope.run, beforeStep: scope.beforeStep, inputs, caller: { job: name, matrix } });
  entry.conclusion = jobs.length === 0 ? "success" : conclusionOf(jobs);
  return [entry, ...jobs];
}

/** The called workflow's `inputs` context: declared inputs only, required ones given, values of their type. */
function callInputs(file: string, job: string, call: WorkflowCall, given: Record<string, string>): Record<string, string> {
  const declared = call.inputs ?? {};
  for (const key of Object.keys(given)) if (!(key in declared)) throw new SimulationError(`job ${job} passes input ${key}, which ${file} does not declare`);
  const inputs: Record<string, string> = {};
  for (const [key, input] of Object.entries(declared)) {
    const value = given[key] ?? (input.default === undefined ? undefined : String(input.default));
    if (value === undefined) {
      if (input.required) throw new SimulationError(`job ${job} does not pass the required input ${key} of ${file}`);
      inputs[key] = "";
      continue;
    }
    if (input.type === "number" && !/^-?\d+(\.\d+)?$/.test(value)) throw new SimulationError(`input ${key} of ${file} is a number; job ${job} passes "${value}"`);
    if (input.type === "boolean" && value !== "true" && value !== "false") throw new SimulationError(`input ${key} of ${file} is a boolean; job ${job} passes "${value}"`);
    if (input.type !== "number" && input.type !== "boolean" && input.type !== "string") throw new SimulationError(`input ${key} of ${file}: type ${String(input.type)} (string, number or boolean)`);
    inputs[key] = value;
  }
  return inputs;
}

function skippedJob(name: string, scope: Scope): JobRun {
  return {
    job: scope.caller ? `${scope.caller.job}/${name}` : name,
    ...(scope.caller ? { caller: scope.caller } : {}),
    matrix: {},
    environment: undefined,
    conclusion: "skipped",
    steps: [],
    log: "",
    workspace: "",
    summary: "",
    errors: [],
    outputs: {},
  };
}

function matrixEntries(job: Job, needs: NeedsContext): Array<Record<string, string>> {
  const matrix = job.strategy?.matrix;
  if (!matrix) return [{}];
  if (typeof matrix === "string") {
    const generated = /^\$\{\{\s*fromJSON\(needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\)\s*\}\}$/.exec(matrix.trim());
    if (!generated) throw new SimulationError(`matrix: ${matrix}: the simulation knows lists and \${{ fromJSON(needs.<job>.outputs.<name>) }}`);
    const text = needs[generated[1] ?? ""]?.outputs[generated[2] ?? ""];
    if (text === undefined || text === "") throw new Error(`matrix: needs.${generated[1] ?? ""}.outputs.${generated[2] ?? ""} is empty`);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    if ("include" in parsed) {
      const include = parsed.include;
      if (!Array.isArray(include) || Object.keys(parsed).length !== 1) throw new SimulationError(`matrix: the simulation expands a generated { include: [...] } alone, or lists, got ${text}`);
      if (include.length > 256) throw new Error(`matrix: ${include.length} jobs; GitHub refuses more than 256`);
      return (include as Array<Record<string, unknown>>).map((entry) => Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, String(v)])));
    }
    return listMatrix(parsed);
  }
  return listMatrix(matrix);
}

/** A matrix of lists: every combination (`{ chunk: [0, 1] }` → two entries); at most 256, as on GitHub. */
function listMatrix(matrix: Record<string, unknown>): Array<Record<string, string>> {
  let entries: Array<Record<string, string>> = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    if (!Array.isArray(values)) throw new SimulationError(`matrix.${key}: the simulation expands lists only`);
    entries = entries.flatMap((entry) => values.map((v) => ({ ...entry, [key]: String(v) })));
  }
  if (entries.length > 256) throw new Error(`matrix: ${entries.length} jobs; GitHub refuses more than 256`);
  return entries;
}

function githubContext(options: RunnerOptions, event: WorkflowEvent, run: WorkflowRun): Record<string, unknown> {
  const [owner] = options.repository.split("/");
  return {
    sha: event.sha,
    ref: event.ref,
    event_name: event.name,
    repository: options.repository,
    repository_owner: owner,
    run_id: String(run.id),
    run_attempt: "1",
    token: "ghs_simulated-installation-token",
    event: {
      repository: { default_branch: "main" },
      ...(event.pullRequest ? { pull_request: { number: String(event.pullRequest.number), head: { sha: event.pullRequest.head.sha, ref: event.pullRequest.head.ref } } } : {}),
    },
  };
}

async function runJob(options: RunnerOptions, scope: Scope, name: string, job: Job, matrix: Record<string, string>, needs: NeedsContext): Promise<JobRun> {
  const { workflow, event, run, beforeStep } = scope;
  const root = join(options.workDir, `run-${run.id}-${++workspaces}-${name}-${Object.values(matrix).join("-") || "job"}`);
  const workspace = join(root, "workspace");
  const temp = join(root, "runner-temp");
  const home = join(root, "home");
  for (const dir of [workspace, temp, home]) mkdirSync(dir, { recursive: true });
  const files = { env: join(temp, "github-env"), path: join(temp, "github-path"), summary: join(temp, "step-summary.md") };
  for (const f of Object.values(files)) writeFileSync(f, "");

  const github = githubContext(options, event, run);
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const ctx = (vars: Record<string, string>, env: Record<string, string>): ExprContext => ({
    values: { github, vars, matrix, inputs: scope.inputs, steps, env, needs },
    strict: STRICT,
  });
  const record: JobRun = { ...skippedJob(name, scope), matrix, conclusion: "success", workspace };

  if (!condition(job.if, ctx(options.vars, {}))) {
    record.conclusion = "skipped";
    return record;
  }
  const environment = job.environment === undefined ? undefined : interpolate(job.environment, ctx(options.vars, {}));
  record.environment = environment;
  const vars = { ...options.vars, ...(environment ? (options.environments[environment] ?? {}) : {}) };
  const jobEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...workflow.env, ...job.env })) jobEnv[key] = interpolate(String(value), ctx(vars, jobEnv));
  const permissions = job.permissions ?? workflow.permissions ?? {};
  const idToken = permissions["id-token"] === "write" ? options.oidc({ ...(environment ? { environment } : {}), eventName: event.name, ref: event.ref, sha: event.sha }) : {};
  const githubEnv: Record<string, string> = {
    GITHUB_ACTIONS: "true",
    CI: "true",
    HOME: home,
    RUNNER_TEMP: temp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: options.repository,
    GITHUB_REPOSITORY_OWNER: String(github.repository_owner),
    GITHUB_EVENT_NAME: event.name,
    GITHUB_SHA: event.sha,
    GITHUB_REF: event.ref,
    GITHUB_RUN_ID: String(run.id),
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_ENV: files.env,
    GITHUB_PATH: files.path,
    GITHUB_STEP_SUMMARY: files.summary,
    ...idToken,
  };

  const shell = async (script: string, stepEnv: Record<string, string>, shellName: string | undefined, cwd: string): Promise<{ code: number; output: string; outputs: Record<string, string> }> => {
    const outputFile = join(temp, `output-${record.steps.length}-${Math.random().toString(36).slice(2)}`);
    writeFileSync(outputFile, "");
    const scriptFile = join(temp, `step-${record.steps.length}.sh`);
    writeFileSync(scriptFile, script);
    const extraPath = readFileSync(files.path, "utf8").split("\n").filter(Boolean).reverse();
    const env = {
      ...options.runnerEnv,
      ...githubEnv,
      ...jobEnv,
      ...parseKeyValues(readFileSync(files.env, "utf8")),
      ...stepEnv,
      GITHUB_OUTPUT: outputFile,
      PATH: [...extraPath, options.runnerEnv.PATH ?? ""].join(":"),
    };
    const args = shellName === "bash" ? ["--noprofile", "--norc", "-eo", "pipefail", scriptFile] : shellName === undefined ? ["-e", scriptFile] : undefined;
    if (!args) throw new Error(`shell: ${shellName} is not simulated`);
    const { code, output } = await exec("bash", args, cwd, env);
    return { code, output, outputs: parseKeyValues(readFileSync(outputFile, "utf8")) };
  };

  if (!job.steps) throw new SimulationError(`${scope.file}: job ${name} has neither steps nor uses`);
  for (const [index, step] of job.steps.entries()) {
    const stepName = step.name ?? (step.uses ? `Run ${step.uses}` : `Run ${(step.run ?? "").split("\n")[0] ?? ""}`);
    const startedAt = Date.now();
    const done = (outcome: StepRecord["outcome"], outputs: Record<string, string>, log: string): void => {
      record.steps.push({ name: stepName, outcome, outputs, log, ms: Date.now() - startedAt });
      if (step.id) steps[step.id] = { outputs, outcome, conclusion: outcome };
      record.log += `##[group]${stepName}\n${log}${log.endsWith("\n") || !log ? "" : "\n"}##[endgroup]\n`;
      for (const match of log.matchAll(/^::error[^:]*::(.*)$/gm)) record.errors.push(match[1] ?? "");
      if (outcome === "failure") record.conclusion = "failure";
    };
    const stepCtx = (): ExprContext => ctx(vars, jobEnv);
    // After a failure only steps whose condition says always() run, as on GitHub.
    const always = typeof step.if === "string" && /\balways\(\)/.test(step.if);
    if ((record.conclusion === "failure" && !always) || !condition(step.if, stepCtx())) {
      done("skipped", {}, "");
      continue;
    }
    await beforeStep?.(stepName, record);
    const stepEnv: Record<string, string> = {};
    for (const [key, value] of Object.entries(step.env ?? {})) stepEnv[key] = interpolate(String(value), stepCtx());
    const inputs: Record<string, string> = {};
    for (const [key, value] of Object.entries(step.with ?? {})) inputs[key] = interpolate(String(value), stepCtx());
    try {
      if (step.run !== undefined) {
        const cwd = step["working-directory"] ? join(workspace, interpolate(step["working-directory"], stepCtx())) : workspace;
        const result = await shell(interpolate(step.run, stepCtx()), stepEnv, step.shell, cwd);
        done(result.code === 0 ? "success" : "failure", result.outputs, result.output + (result.code === 0 ? "" : `##[error]Process completed with exit code ${result.code}.\n`));
      } else if (step.uses !== undefined) {
        const result = await uses(step.uses, inputs, stepEnv);
        done(result.ok ? "success" : "failure", result.outputs, result.log);
      } else {
        throw new Error(`step ${index} of job ${name} has neither run nor uses`);
      }
    } catch (error) {
      if (error instanceof SimulationError) throw error;
      done("failure", {}, `##[error]${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  record.summary = readFileSync(files.summary, "utf8");
  for (const [key, value] of Object.entries(job.outputs ?? {})) record.outputs[key] = interpolate(String(value), ctx(vars, jobEnv));
  return record;

  async function uses(ref: string, inputs: Record<string, string>, stepEnv: Record<string, string>): Promise<{ ok: boolean; outputs: Record<string, string>; log: string }> {
    const action = ref.split("@")[0] ?? "";
    const pinned = ref.split("@")[1] ?? "";
    if (!SHA.test(pinned)) throw new SimulationError(`uses: ${ref} is not pinned to a full commit sha`);
    if (options.actions[ref]) return compositeAction(ref, options.actions[ref], inputs, stepEnv);
    switch (action) {
      case "actions/checkout":
        return checkout(inputs);
      case "actions/upload-artifact": {
        const paths = (inputs.path ?? "").split("\n").map((p) => p.trim()).filter(Boolean);
        const copied = options.github.upload(run.id, inputs.name ?? "artifact", workspace, paths);
        if (copied.length === 0 && inputs["if-no-files-found"] !== "ignore") return { ok: true, outputs: {}, log: "::warning::No files were found with the provided path\n" };
        return { ok: true, outputs: {}, log: `uploaded ${copied.join(", ")} as ${inputs.name ?? "artifact"}\n` };
      }
      case "actions/download-artifact": {
        const runId = inputs["run-id"] ?? String(run.id);
        if (inputs.pattern !== undefined) {
          // Every artifact of the run whose name matches, each into <path>/<artifact name>/ (no match: nothing, no error).
          const names = options.github.download(runId, "", join(workspace, inputs.path ?? "."), inputs.pattern);
          return { ok: true, outputs: {}, log: `downloaded ${names.join(", ") || "no artifact"} of run ${runId}\n` };
        }
        options.github.download(runId, inputs.name ?? "", join(workspace, inputs.path ?? "."));
        return { ok: true, outputs: {}, log: `downloaded ${inputs.name ?? ""} of run ${runId}\n` };
      }
      case "actions/github-script":
        return githubScript(inputs.script ?? "", stepEnv);
      default:
        throw new SimulationError(`uses: ${ref} is not simulated (checkout, upload/download-artifact, github-script and the entra-gitops action are)`);
    }
  }

  function checkout(inputs: Record<string, string>): { ok: boolean; outputs: Record<string, string>; log: string } {
    git(root, "clone", "-q", options.remote, workspace);
    const ref = inputs.ref || event.ref;
    if (SHA.test(ref)) git(workspace, "checkout", "-q", "--detach", ref);
    else if (ref.startsWith("refs/pull/")) {
      git(workspace, "fetch", "-q", "origin", `${ref}:refs/remotes/pull/${ref.split("/")[2] ?? ""}/merge`);
      git(workspace, "checkout", "-q", "--detach", `refs/remotes/pull/${ref.split("/")[2] ?? ""}/merge`);
    }
    else if (ref.startsWith("refs/heads/")) {
      const branch = ref.slice("refs/heads/".length);
      git(workspace, "checkout", "-q", "-B", branch, `origin/${branch}`);
    } else throw new SimulationError(`checkout of ${ref} is not simulated`);
    return { ok: true, outputs: {}, log: `checked out ${git(workspace, "rev-parse", "HEAD")}\n` };
  }

  async function compositeAction(ref: string, folder: string, given: Record<string, string>, outerEnv: Record<string, string>): Promise<{ ok: boolean; outputs: Record<string, string>; log: string }> {
    const action = parse(readFileSync(join(folder, "action.yml"), "utf8")) as ActionYaml;
    if (action.runs.using !== "composite") throw new SimulationError(`${ref}: only composite actions are simulated`);
    const inputs: Record<string, string> = {};
    for (const [key, input] of Object.entries(action.inputs ?? {})) inputs[key] = given[key] ?? input.default ?? "";
    for (const key of Object.keys(given)) if (!(key in inputs)) throw new SimulationError(`${ref} has no input ${key}`);
    const [repository, commit] = ref.split("@");
    const inner: Record<string, { outputs: Record<string, string> }> = {};
    const actx = (): ExprContext => ({
      values: { inputs, steps: inner, github: { ...github, action_repository: repository, action_ref: commit, action_path: folder }, env: jobEnv },
      strict: STRICT,
    });
    let log = "";
    for (const step of action.runs.steps) {
      if (step.uses) {
        if (!/^actions\/setup-node@[0-9a-f]{40}$/.test(step.uses)) throw new SimulationError(`${ref}: uses ${step.uses}, which is not simulated`);
        // The runner's own Node stands in for setup-node; it must be a version the action supports.
        const wanted = interpolate(step.with?.["node-version"] ?? "", actx());
        log += `setup-node ${wanted}: using the runner's node ${process.version}\n`;
        if (Number(process.versions.node.split(".")[0]) < 20) return { ok: false, outputs: {}, log: `${log}##[error]node ${process.version} is older than 20\n` };
        continue;
      }
      if (!step.shell) throw new SimulationError(`${ref}: a composite run step needs shell:`);
      const env: Record<string, string> = { ...outerEnv, GITHUB_ACTION_PATH: folder };
      for (const [key, value] of Object.entries(step.env ?? {})) env[key] = interpolate(String(value), actx());
      const result = await shell(interpolate(step.run ?? "", actx()), env, step.shell, workspace);
      log += result.output;
      if (step.id) inner[step.id] = { outputs: result.outputs };
      if (result.code !== 0) return { ok: false, outputs: {}, log: `${log}##[error]Process completed with exit code ${result.code}.\n` };
    }
    const outputs: Record<string, string> = {};
    for (const [key, output] of Object.entries(action.outputs ?? {})) outputs[key] = interpolate(output.value, actx());
    return { ok: true, outputs, log };
  }

  async function githubScript(script: string, stepEnv: Record<string, string>): Promise<{ ok: boolean; outputs: Record<string, string>; log: string }> {
    let log = "";
    let failed: string | undefined;
    const outputs: Record<string, string> = {};
    const core = new Proxy(
      {
        setFailed: (message: string) => {
          failed = message;
          log += `::error::${message}\n`;
        },
        setOutput: (key: string, value: string) => {
          outputs[key] = String(value);
        },
        info: (message: string) => {
          log += `${message}\n`;
        },
        warning: (message: string) => {
          log += `::warning::${message}\n`;
        },
      } as Record<string, unknown>,
      {
        get: (target, key: string) => {
          if (!(key in target)) throw new Error(`github-script used core.${key}, which the workflow simulation does not provide`);
          return target[key];
        },
      },
    );
    const [owner, repo] = options.repository.split("/");
    const context = {
      repo: { owner, repo },
      sha: event.sha,
      ref: event.ref,
      eventName: event.name,
      runId: run.id,
      issue: { owner, repo, number: event.pullRequest?.number },
      payload: {},
    };
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;
    const fn = new AsyncFunction("require", "github", "context", "core", script);
    // The script sees the step's environment and runs in the workspace, as on a runner.
    const savedEnv = { ...process.env };
    const savedCwd = process.cwd();
    Object.assign(process.env, { ...githubEnv, ...jobEnv, ...stepEnv });
    process.chdir(workspace);
    try {
      await fn(nodeRequire, options.github.octokit(), context, core);
    } catch (error) {
      failed = error instanceof Error ? error.message : String(error);
      log += `::error::Unhandled error: ${failed}\n`;
    } finally {
      process.chdir(savedCwd);
      for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
      Object.assign(process.env, savedEnv);
    }
    return { ok: failed === undefined, outputs, log };
  }
}

/**
 * The event of a pull request's `synchronize`: GitHub first makes `refs/pull/N/merge`, the head
 * merged into the base as the base is now, and the run checks out that commit (GITHUB_SHA).
 */
export function pullRequestEvent(options: RunnerOptions, pr: PullRequest): WorkflowEvent {
  const dir = join(options.workDir, `merge-ref-${pr.number}-${pr.head.sha.slice(0, 12)}`);
  git(options.workDir, "clone", "-q", "--branch", pr.base.ref, options.remote, dir);
  try {
    git(dir, "-c", "user.name=GitHub", "-c", "user.email=noreply@github.com", "merge", "-q", "--no-ff", "-m", `Merge ${pr.head.sha} into ${git(dir, "rev-parse", "HEAD")}`, pr.head.sha);
  } catch (error) {
    throw new SimulationError(`pull request #${pr.number} does not merge cleanly into ${pr.base.ref}: GitHub runs no pull_request workflow for it (${String(error)})`);
  }
  const sha = git(dir, "rev-parse", "HEAD");
  git(dir, "push", "-q", "-f", "origin", `HEAD:refs/pull/${pr.number}/merge`);
  rmSync(dir, { recursive: true, force: true });
  return { name: "pull_request", sha, ref: `refs/pull/${pr.number}/merge`, pullRequest: pr };
}

/** A mistake of the workflow (or of the simulation), not a failing step: the test stops. */
export class SimulationError extends Error {}

/** `key=value` lines and `key<<DELIM` … `DELIM` blocks (GITHUB_OUTPUT and GITHUB_ENV). */
export function parseKeyValues(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i] ?? "");
      values[heredoc[1] ?? ""] = body.join("\n");
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`malformed line in a GITHUB_OUTPUT/GITHUB_ENV file: ${line}`);
    values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

/** Runs a program without blocking the event loop (the sandbox answers from this process). */
export function exec(command: string, args: readonly string[], cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}
