/**
 * The workflows that `init` writes, run step by step as GitHub would run them (test/helpers/actions-runner.ts):
 * a configuration repository made by `init` + `export` of the sandbox's demo tenant lives in a bare
 * remote; pull requests, merges and scheduled drift runs trigger the plan, apply and drift
 * workflows; the entra-gitops action installs the CLI from a local folder standing for its pinned
 * commit (this repository's files, built by the action's own install script); the CLI signs in with
 * the job's OIDC token for its GitHub environment, exchanged at the sandbox.
 *
 * Scenarios (README "Set up CI"): a pull request whose plan a guard blocks (red check, the comment
 * says why); a merge whose tenant changed since the review (apply stops and says so); a reviewed
 * deletion (applied); drift pushed onto a moved main (rebased) and onto a protected main (a pull
 * request instead).
 *
 * The action's first install builds the CLI (tsc) and each step starts the CLI as a process, so this
 * file's tests get a longer timeout than vitest's default.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SandboxTenant } from "../../src/sandbox/index.js";
import { FakeGitHub, type PullRequest } from "../helpers/actions-github.js";
import { pullRequestEvent, runWorkflow, type BeforeStep, type JobRun, type RunnerOptions, type WorkflowResult } from "../helpers/actions-runner.js";
import { git, runCli, sandboxEnv } from "../helpers/cli.js";
import { writes } from "./apply-fixture.js";
import { catchUpAuditLog, startSandbox, type StartedSandbox } from "../helpers/sandbox.js";

const REPO = "contoso/entra-config";
const ACTION_REPO = "contoso/entra-gitops";
/** What a runner downloads for `uses: contoso/entra-gitops@<sha>`: the files of the action's commit. */
/** A first pull request that deletes more than maxDeletes (5) objects; all but sales-team are kept later. */
const RETIRED = ["group/all-company", "group/dyn-department-engineering", "group/marketing", "group/sales-team", "administrativeUnit/au-privileged-accounts", "application/contoso-intranet", "servicePrincipal/contoso-intranet"];
const ACTION_FILES = ["action.yml", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", "scripts", "src", "schemas", "templates", "LICENSE", "README.md"];

/** The commit the workflows pin: this checkout's HEAD (the folder copied below stands for it). */
function actionCommit(): string {
  try {
    return git(process.cwd(), "rev-parse", "HEAD");
  } catch {
    return "0123456789abcdef0123456789abcdef01234567";
  }
}

type Group = { id: string; description: string | null };

describe("init's workflows run as GitHub runs them, against the sandbox", { timeout: 240_000 }, () => {
  let started: StartedSandbox<SandboxTenant>;
  let work: string;
  let origin: string;
  let admin: string;
  let github: FakeGitHub;
  let runner: RunnerOptions;
  const commit = actionCommit();

  async function group(displayName: string): Promise<Group | undefined> {
    const found = (await started.client.api("/groups").filter(`displayName eq '${displayName}'`).select("id,description").get()) as { value: Group[] };
    return found.value[0];
  }

  async function portalEdit(displayName: string, description: string): Promise<void> {
    const target = await group(displayName);
    if (!target) throw new Error(`no group ${displayName}`);
    await started.client.api(`/groups/${target.id}`).patch({ description });
  }

  /** The platform engineer's clone: main as on the remote. */
  function syncAdmin(): void {
    git(admin, "fetch", "-q", "origin");
    git(admin, "checkout", "-q", "main");
    git(admin, "reset", "-q", "--hard", "origin/main");
  }

  function pullRequest(branch: string, title: string, edit: (dir: string) => void): PullRequest {
    syncAdmin();
    git(admin, "checkout", "-q", "-b", branch);
    edit(admin);
    git(admin, "add", "-A");
    git(admin, "commit", "-q", "-m", title);
    git(admin, "push", "-q", "origin", branch);
    return github.openPullRequest(branch, git(admin, "rev-parse", "HEAD"), title);
  }

  function pushToPullRequest(pr: PullRequest, message: string, edit: (dir: string) => void): void {
    git(admin, "checkout", "-q", pr.head.ref);
    edit(admin);
    git(admin, "commit", "-q", "-am", message);
    git(admin, "push", "-q", "origin", pr.head.ref);
    pr.head.sha = git(admin, "rev-parse", "HEAD");
  }

  /** "Merge pull request" (a merge commit on main), as GitHub's button does. */
  function merge(pr: PullRequest): string {
    syncAdmin();
    git(admin, "merge", "-q", "--no-ff", "-m", `Merge pull request #${pr.number} from ${pr.head.ref}`, `origin/${pr.head.ref}`);
    git(admin, "push", "-q", "origin", "main");
    const sha = git(admin, "rev-parse", "HEAD");
    github.merged(pr, sha);
    return sha;
  }

  const plan = (pr: PullRequest): Promise<WorkflowResult> => runWorkflow(runner, "entra-gitops-plan.yml", pullRequestEvent(runner, pr));
  const apply = (sha: string): Promise<WorkflowResult> => runWorkflow(runner, "entra-gitops-apply.yml", { name: "push", sha, ref: "refs/heads/main" });
  const drift = (beforeStep?: BeforeStep): Promise<WorkflowResult> =>
    runWorkflow(runner, "entra-gitops-drift.yml", { name: "schedule", sha: git(origin, "rev-parse", "main"), ref: "refs/heads/main" }, beforeStep);

  /**
   * The one environment's job of a run: after the `chunks` job (the matrix of chunks generated from
   * entra-gitops.yaml), the one chunk's call of the reusable workflow, whose `environments` job lists
   * the chunk's environments.
   */
  function only(result: WorkflowResult): JobRun {
    const [chunks, ...rest] = result.jobs;
    expect(chunks?.job).toBe("chunks");
    expect(chunks?.conclusion, chunks?.log).toBe("success");
    expect(JSON.parse(chunks?.outputs.chunks ?? "")).toEqual({ chunk: [0] });
    const calls = rest.filter((j) => j.calls !== undefined);
    expect(calls.map((j) => j.matrix)).toEqual([{ chunk: "0" }]);
    const lists = rest.filter((j) => j.caller !== undefined && j.job.endsWith("/environments"));
    expect(lists).toHaveLength(1);
    expect(lists[0]?.conclusion, lists[0]?.log).toBe("success");
    expect(JSON.parse(lists[0]?.outputs.matrix ?? "")).toEqual({ include: [{ environment: "production" }] });
    const jobs = rest.filter((j) => j.caller !== undefined && !j.job.endsWith("/environments"));
    expect(jobs).toHaveLength(1);
    for (const job of result.jobs) {
      // Nothing secret in what any job printed: the sandbox's client secret, any JWT.
      expect(job.log).not.toContain(started.sandbox.env.AZURE_CLIENT_SECRET);
      expect(job.log).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
    }
    return jobs[0] as JobRun;
  }

  /** The plan workflow's table across environments (it runs whatever the plan jobs concluded). */
  function acrossEnvironments(result: WorkflowResult): JobRun {
    const summary = result.jobs.find((j) => j.job === "summary");
    if (!summary) throw new Error(`no summary job in ${result.jobs.map((j) => j.job).join(", ")}`);
    return summary;
  }

  function step(job: JobRun, name: string): JobRun["steps"][number] {
    const found = job.steps.find((s) => s.name === name);
    if (!found) throw new Error(`no step "${name}" in ${job.steps.map((s) => s.name).join(", ")}`);
    return found;
  }

  function federatedSubjects(): string[] {
    return started.sandbox
      .requests()
      .filter((r) => r.kind === "identity" && r.path.endsWith("/oauth2/v2.0/token") && r.status === 200)
      .map((r) => r.federation?.subject ?? `(${r.clientAuth ?? "no client auth"})`);
  }

  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    const { sandbox } = started;
    work = mkdtempSync(join(tmpdir(), "entra-gitops-workflows-"));

    // The action's commit, as the runner downloads it (dependencies from the shared install).
    const action = join(work, "actions", ACTION_REPO, commit);
    mkdirSync(action, { recursive: true });
    for (const file of ACTION_FILES) cpSync(join(process.cwd(), file), join(action, file), { recursive: true });
    symlinkSync(realpathSync(join(process.cwd(), "node_modules")), join(action, "node_modules"));

    // Federated credentials of the app, one per GitHub environment the workflows name.
    const seed = sandbox.tenant.seedApi();
    for (const environment of ["production-ci", "production"]) {
      seed.addFederatedCredential(sandbox.env.AZURE_CLIENT_ID, { issuer: sandbox.githubActions.issuer, subject: `repo:${REPO}:environment:${environment}`, name: `entra-config-${environment}` });
    }

    // The platform engineer: init, allow nothing yet, export the tenant, push to GitHub.
    origin = join(work, "entra-config.git");
    git(work, "init", "-q", "--bare", "-b", "main", origin);
    admin = join(work, "admin");
    git(work, "init", "-q", "-b", "main", admin);
    git(admin, "config", "user.name", "Platform Engineer");
    git(admin, "config", "user.email", "platform@contoso.test");
    git(admin, "config", "commit.gpgsign", "false");
    git(admin, "remote", "add", "origin", origin);
    const init = await runCli(["init", admin, "--action", `${ACTION_REPO}@${commit}`]);
    expect(init.code, init.stderr).toBe(0);
    // Deletions are reviewed in pull requests: the engineer turns prune on (maxDeletes stays 5).
    const configFile = join(admin, "entra-gitops.yaml");
    const config = readFileSync(configFile, "utf8");
    expect(config).toMatch(/^prune: false$/m);
    writeFileSync(configFile, config.replace(/^prune: false$/m, "prune: true"));
    const cwd = process.cwd();
    process.chdir(admin);
    try {
      const exported = await runCli(["--env", "production", "export"], sandboxEnv(sandbox));
      expect(exported.code, exported.stderr).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    git(admin, "add", "-A");
    git(admin, "commit", "-q", "-m", "entra-gitops init and first export");
    git(admin, "push", "-q", "origin", "main");

    github = new FakeGitHub("contoso", "entra-config", join(work, "github"));
    runner = {
      repository: REPO,
      remote: origin,
      github,
      // A repository-level tenant id must not reach the jobs: each GitHub environment supplies its own.
      vars: { ENTRA_GITOPS_ENABLED: "true", AZURE_TENANT_ID: "11111111-1111-1111-1111-111111111111" },
      environments: Object.fromEntries(["production", "production-ci"].map((name) => [name, { AZURE_TENANT_ID: sandbox.tenantId, AZURE_CLIENT_ID: sandbox.env.AZURE_CLIENT_ID }])),
      actions: { [`${ACTION_REPO}@${commit}`]: action },
      // The runner machine: Node and git on PATH, the sandbox's endpoints and its CA in the trust store.
      runnerEnv: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        LANG: "C.UTF-8",
        TMPDIR: join(work, "tmp"),
        NODE_EXTRA_CA_CERTS: sandbox.env.NODE_EXTRA_CA_CERTS,
        ENTRA_GITOPS_GRAPH_URL: sandbox.graphUrl,
        AZURE_AUTHORITY_HOST: sandbox.url,
        ENTRA_GITOPS_CA_INTERVAL_MS: "0",
      },
      oidc: ({ environment, eventName, ref, sha }) => {
        const job = sandbox.githubActions.job({ repository: REPO, eventName, ref, sha, ...(environment ? { environment } : {}) });
        return { ACTIONS_ID_TOKEN_REQUEST_URL: job.ACTIONS_ID_TOKEN_REQUEST_URL, ACTIONS_ID_TOKEN_REQUEST_TOKEN: job.ACTIONS_ID_TOKEN_REQUEST_TOKEN };
      },
      workDir: join(work, "runs"),
    };
    for (const dir of [runner.workDir, runner.runnerEnv.TMPDIR ?? ""]) mkdirSync(dir, { recursive: true });
  }, 240_000);

  // The runs' workspaces (a checkout and a CLI install each) take a while to remove on a loaded machine.
  afterAll(async () => {
    await started?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  }, 120_000);

  let retire: PullRequest;

  it("a pull request whose plan a guard blocks: the check fails and the comment says why", async () => {
    retire = pullRequest("retire-old-objects", "Retire unused groups and apps", (dir) => {
      for (const address of RETIRED) rmSync(join(dir, "tenant-config", `${address}.yaml`));
    });
    started.sandbox.clearRequests();
    const result = await plan(retire);
    const job = only(result);

    expect(job.environment).toBe("production-ci");
    // The install step ran the action's own script against its commit.
    expect(step(job, "Install entra-gitops").outputs.version).toContain(commit.slice(0, 12));
    expect(step(job, "Validate").outcome).toBe("success");
    expect(step(job, "Plan").outputs).toMatchObject({ exitcode: "2", blocked: "1" });
    expect(step(job, "Fail when the plan has errors or a guard blocks it").outcome).toBe("failure");
    expect(job.conclusion).toBe("failure");
    expect(job.errors.join("\n")).toContain("1 guard finding(s) block it");

    const comments = github.comments.filter((c) => c.issue_number === retire.number);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? "";
    expect(body.split("\n")[0]).toBe("<!-- entra-gitops-plan:production -->");
    expect(body).toContain("Apply is blocked by 1 guard finding");
    expect(body).toContain("exceed maxDeletes (5)");
    for (const address of RETIRED) expect(body).toContain(address);
    expect(job.summary).toContain("Apply is blocked");
    expect(readFileSync(join(work, "github", "calls.jsonl"), "utf8")).toContain('"method":"issues.createComment"');
    // The table across environments runs although the plan job failed, and names it blocked.
    const across = acrossEnvironments(result);
    expect(across.conclusion, across.log).toBe("success");
    expect(across.summary).toContain("1 environment(s): 0 failed, 1 blocked, 0 drift or changes, 0 in sync");
    expect(across.summary).toMatch(/\| production \| blocked \| 1 guard finding\(s\) block apply;/);

    // Signed in as the plan's GitHub environment, never with the repository-level tenant.
    expect(federatedSubjects().length).toBeGreaterThan(0);
    expect(new Set(federatedSubjects())).toEqual(new Set([`repo:${REPO}:environment:production-ci`]));
    expect(await group("Sales Team")).toBeDefined();
  });

  it("a merge whose tenant changed since the review: apply stops and says so", async () => {
    const pr = pullRequest("finance-description", "Finance team: new description", (dir) => {
      const file = join(dir, "tenant-config", "group", "finance-team.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace(/^ {2}description: .*$/m, "  description: Finance team (reviewed)"));
    });
    const reviewed = only(await plan(pr));
    expect(reviewed.conclusion, reviewed.log).toBe("success");
    expect(step(reviewed, "Plan").outputs).toMatchObject({ exitcode: "2", blocked: "0" });
    expect(github.comments.find((c) => c.issue_number === pr.number)?.body).toContain("Finance team (reviewed)");

    const mergeSha = merge(pr);
    await portalEdit("Finance Team", "Finance (edited in the portal after the review)");
    started.sandbox.clearRequests();
    const job = only(await apply(mergeSha));

    expect(job.environment).toBe("production");
    expect(step(job, "Find the plan reviewed for this commit").log).toContain(`applying the plan reviewed in pull request #${pr.number}`);
    expect(step(job, "Apply the reviewed plan").outcome).toBe("failure");
    expect(job.conclusion).toBe("failure");
    expect(job.log).toContain("is stale; nothing was applied");
    expect(job.log).toContain("group/finance-team");
    expect(job.log).toContain("changed in the tenant since the plan");
    expect((await group("Finance Team"))?.description).toBe("Finance (edited in the portal after the review)");
    expect(writes(started.sandbox.requests())).toEqual([]);
    expect(new Set(federatedSubjects())).toEqual(new Set([`repo:${REPO}:environment:production`]));
  });

  it("a reviewed deletion is applied after the merge", async () => {
    pushToPullRequest(retire, "Keep all but the Sales Team group", (dir) => {
      git(dir, "checkout", "-q", "origin/main", "--", ...RETIRED.filter((a) => a !== "group/sales-team").map((a) => `tenant-config/${a}.yaml`));
    });
    const reviewed = only(await plan(retire));
    expect(reviewed.conclusion, reviewed.log).toBe("success");
    const comments = github.comments.filter((c) => c.issue_number === retire.number);
    expect(comments).toHaveLength(1); // the same comment, updated in place
    expect(comments[0]?.body).not.toContain("Apply is blocked");
    expect(step(reviewed, "Plan").outputs).toMatchObject({ exitcode: "2", blocked: "0" });
    expect(comments[0]?.body).toMatch(/delete[^\n]*group\/sales-team|group\/sales-team[^\n]*delete/i);

    const mergeSha = merge(retire);
    const job = only(await apply(mergeSha));
    expect(job.conclusion, job.log).toBe("success");
    expect(step(job, "Apply the reviewed plan").outcome).toBe("success");
    expect(await group("Sales Team")).toBeUndefined();
    // The merged finance description was in this reviewed plan too (main holds it since the last merge).
    expect((await group("Finance Team"))?.description).toBe("Finance team (reviewed)");
  });

  it("drift pushed onto a main that moved meanwhile: fetched, rebased, pushed", async () => {
    await portalEdit("Marketing", "Changed in the portal");
    catchUpAuditLog(started.sandbox);
    let colleague = "";
    const result = await drift((name) => {
        if (name !== "Push the drift commits") return;
        // A colleague's merge lands on main between the checkout and the push.
        syncAdmin();
        mkdirSync(join(admin, "docs"), { recursive: true });
        writeFileSync(join(admin, "docs", "runbook.md"), "# Runbook\n");
        git(admin, "add", "-A");
        git(admin, "commit", "-q", "-m", "Runbook");
        git(admin, "push", "-q", "origin", "main");
        colleague = git(admin, "rev-parse", "HEAD");
    });
    const job = only(result);
    expect(job.environment).toBe("production-ci");
    expect(job.conclusion, job.log).toBe("success");
    expect(job.log).toContain("attempt 1: main moved; fetching and rebasing the drift commits onto it");
    expect(colleague).not.toBe("");
    expect(git(origin, "merge-base", "--is-ancestor", colleague, "main")).toBe("");
    expect(git(origin, "show", "main:tenant-config/group/marketing.yaml")).toContain("description: Changed in the portal");
    expect(step(job, "Push the drift commits").outputs["review-branches"]).toBe("");
    expect(github.pulls.filter((p) => p.head.ref.startsWith("entra-gitops/drift-"))).toEqual([]);
    // One table across environments from every sync's report: production drifted.
    const across = acrossEnvironments(result);
    expect(across.conclusion, across.log).toBe("success");
    expect(across.summary).toContain("1 environment(s): 0 failed, 0 blocked, 1 drift or changes, 0 in sync");
    expect(across.summary).toContain("| production | drift or changes | outside git: 1 changed, 0 created, 0 deleted |");
  });

  it("a write-only secret created, then rotated through pull requests: apply pushes the versions it recorded to main, and the next plan is empty", async () => {
    // The CI secret behind the variable, as the apply step's environment would map it in.
    const V1 = "idp-secret-one-7e21c4";
    const V2 = "idp-secret-two-3b98d0";
    const stateFile = ".entra-gitops/state/production/secret-versions.yaml";
    const googleFile = join("tenant-config", "identityProvider", "google.yaml");
    const google = (version: number) =>
      ["kind: identityProvider", "name: google", "spec:", "  displayName: Google guests", "  identityProviderType: Google", "  clientId: google-app-1", "  clientSecret: env:GOOGLE_IDP_SECRET", `  clientSecretVersion: ${version}`, ""].join("\n");
    const configFile = join(admin, "entra-gitops.yaml");
    const stored = () => started.sandbox.tenant.core.store.get("identityProviders", "Google-OAUTH")?.["clientSecret"];
    try {
      runner.runnerEnv.GOOGLE_IDP_SECRET = V1;
      const create = pullRequest("google-guests", "Google for guests", (dir) => {
        const file = join(dir, "entra-gitops.yaml");
        const config = readFileSync(file, "utf8");
        expect(config).toMatch(/^kinds:\n/m);
        writeFileSync(file, config.replace(/^kinds:\n/m, "kinds:\n  - identityProvider\n"));
        mkdirSync(join(dir, "tenant-config", "identityProvider"), { recursive: true });
        writeFileSync(join(dir, googleFile), google(1));
      });
      const planned = only(await plan(create));
      expect(step(planned, "Plan").outputs, planned.log).toMatchObject({ exitcode: "2", blocked: "0" });
      const created = only(await apply(merge(create)));
      expect(created.conclusion, created.log).toBe("success");
      expect(stored()).toBe(V1);
      expect(step(created, "Push the state apply recorded").log).not.toContain("apply recorded no state");
      expect(git(origin, "show", `main:${stateFile}`)).toContain("identityProvider/google:\n  clientSecret: 1");
      expect(git(origin, "log", "-1", "--format=%s", "main")).toBe("Record the secret versions applied in environment production");

      runner.runnerEnv.GOOGLE_IDP_SECRET = V2;
      const rotate = pullRequest("rotate-google", "Rotate the Google secret", (dir) => writeFileSync(join(dir, googleFile), google(2)));
      const reviewed = only(await plan(rotate));
      expect(step(reviewed, "Plan").outputs, reviewed.log).toMatchObject({ exitcode: "2", blocked: "0" });
      expect(github.comments.find((c) => c.issue_number === rotate.number)?.body).toContain("clientSecret: <rotated> (version 1 → 2)");
      const rotated = only(await apply(merge(rotate)));
      expect(rotated.conclusion, rotated.log).toBe("success");
      expect(stored()).toBe(V2);
      expect(git(origin, "show", `main:${stateFile}`)).toContain("identityProvider/google:\n  clientSecret: 2");
      for (const job of [planned, created, reviewed, rotated]) for (const secret of [V1, V2]) expect(job.log).not.toContain(secret);
      for (const secret of [V1, V2]) expect(git(origin, "log", "-p", "--all")).not.toContain(secret);

      // The next plan, from main as pushed: nothing to rotate.
      syncAdmin();
      const replan = await runCli(["--config", configFile, "--env", "production", "plan", "--detailed-exitcode"], sandboxEnv(started.sandbox));
      expect(replan.code, replan.stdout + replan.stderr).toBe(0);
    } finally {
      delete runner.runnerEnv.GOOGLE_IDP_SECRET;
      // Back to the default kinds on main (the provider stays in the tenant, out of scope).
      syncAdmin();
      writeFileSync(configFile, readFileSync(configFile, "utf8").replace(/^ {2}- identityProvider\n/m, ""));
      rmSync(join(admin, googleFile), { force: true });
      if (git(admin, "status", "--porcelain") !== "") {
        git(admin, "commit", "-q", "-am", "Identity providers out of scope again");
        git(admin, "push", "-q", "origin", "main");
      }
    }
  });

  it("drift onto a protected main: the commits go to a branch and a pull request is opened", async () => {
    const hook = join(origin, "hooks", "pre-receive");
    writeFileSync(hook, '#!/bin/sh\nwhile read old new ref; do\n  if [ "$ref" = refs/heads/main ]; then echo "error: GH006: Protected branch update failed for refs/heads/main." >&2; exit 1; fi\ndone\n');
    chmodSync(hook, 0o755);
    const mainBefore = git(origin, "rev-parse", "main");
    await portalEdit("All Company", "Everyone at Contoso (edited in the portal)");
    catchUpAuditLog(started.sandbox);

    const result = await drift();
    const job = only(result);
    expect(job.conclusion, job.log).toBe("success");
    expect(job.log).toContain("GH006: Protected branch update failed");
    const branch = `entra-gitops/drift-production-${result.run.id}-1`;
    expect(step(job, "Push the drift commits").outputs["review-branches"]).toBe(branch);
    expect(git(origin, "rev-parse", "main")).toBe(mainBefore);
    expect(git(origin, "show", `${branch}:tenant-config/group/all-company.yaml`)).toContain("Everyone at Contoso (edited in the portal)");
    const opened = github.pulls.filter((p) => p.head.ref === branch);
    expect(opened).toHaveLength(1);
    expect(opened[0]?.title).toMatch(/^Drift in production \(\d{4}-\d{2}-\d{2}\)$/);
    expect(readFileSync(join(work, "github", "calls.jsonl"), "utf8")).toContain('"method":"pulls.create"');
    expect(existsSync(join(job.workspace, "push.log"))).toBe(false);
  });

  it("many tenants in chunks: 3 environments with chunk size 2 plan as 2 chunks, one job per environment, one summary, apply in order chunk after chunk, and drift across the chunks", async () => {
    // Two more environments, here the same sandbox tenant behind other GitHub environments (an MSP's
    // would each name their own tenant), and a chunk size of 2 instead of GitHub's 256.
    const { sandbox } = started;
    const seed = sandbox.tenant.seedApi();
    for (const environment of ["staging-ci", "test-ci"]) {
      seed.addFederatedCredential(sandbox.env.AZURE_CLIENT_ID, { issuer: sandbox.githubActions.issuer, subject: `repo:${REPO}:environment:${environment}`, name: `entra-config-${environment}` });
      runner.environments[environment] = { AZURE_TENANT_ID: sandbox.tenantId, AZURE_CLIENT_ID: sandbox.env.AZURE_CLIENT_ID };
    }
    runner.vars.ENTRA_GITOPS_MATRIX_CHUNK = "2";
    try {
      // The drift the scenario before proposed is merged with it, so the tenant is as the documents say.
      const [proposed] = github.pulls.filter((p) => p.head.ref.startsWith("entra-gitops/drift-production-"));
      expect(proposed).toBeDefined();
      const pr = pullRequest("more-tenants", "Two more tenants", (dir) => {
        git(dir, "-c", "user.name=Platform Engineer", "-c", "user.email=platform@contoso.test", "merge", "-q", "--no-ff", "-m", "Merge the proposed drift", `origin/${proposed?.head.ref ?? ""}`);
        const file = join(dir, "entra-gitops.yaml");
        const config = readFileSync(file, "utf8");
        expect(config).toMatch(/^ {2}production: \{\}$/m);
        writeFileSync(file, config.replace(/^ {2}production: \{\}$/m, "  production: {}\n  staging: {}\n  test: {}"));
      });
      started.sandbox.clearRequests();
      const result = await plan(pr);
      const jobs = result.jobs.map((j) => [j.job, j.caller?.matrix.chunk ?? j.matrix.chunk ?? "", j.matrix.environment ?? ""].join(" "));
      // The caller's chunks, each chunk's call of the reusable workflow with its own jobs, and one summary.
      expect(jobs).toEqual([
        "chunks  ",
        "plan 0 ",
        "plan/environments 0 ",
        "plan/plan 0 production",
        "plan/plan 0 staging",
        "plan 1 ",
        "plan/environments 1 ",
        "plan/plan 1 test",
        "summary  ",
      ]);
      const [chunks] = result.jobs;
      expect(JSON.parse(chunks?.outputs.chunks ?? "")).toEqual({ chunk: [0, 1] });
      expect(result.jobs.filter((j) => j.job === "plan").map((j) => j.calls)).toEqual(["entra-gitops-plan-tenants.yml", "entra-gitops-plan-tenants.yml"]);
      expect(result.jobs.filter((j) => j.job === "plan/environments").map((j) => JSON.parse(j.outputs.matrix ?? ""))).toEqual([
        { include: [{ environment: "production" }, { environment: "staging" }] },
        { include: [{ environment: "test" }] },
      ]);
      const planned = result.jobs.filter((j) => j.job === "plan/plan");
      for (const job of planned) {
        expect(job.conclusion, job.log).toBe("success");
        expect(job.environment).toBe(`${job.matrix.environment ?? ""}-ci`);
        // Every environment is the one sandbox tenant, which holds what the documents say: no changes.
        expect(step(job, "Plan").outputs.exitcode, job.log).toBe("0");
        expect(job.log).not.toContain(started.sandbox.env.AZURE_CLIENT_SECRET);
      }
      // Each environment's plan comment, and each signed in as its own GitHub environment.
      expect(github.comments.filter((c) => c.issue_number === pr.number).map((c) => c.body.split("\n")[0]).sort()).toEqual(["production", "staging", "test"].map((e) => `<!-- entra-gitops-plan:${e} -->`));
      expect(new Set(federatedSubjects())).toEqual(new Set(["production-ci", "staging-ci", "test-ci"].map((e) => `repo:${REPO}:environment:${e}`)));
      // One table across every chunk's environments.
      const across = acrossEnvironments(result);
      expect(across.conclusion, across.log).toBe("success");
      expect(across.summary).toMatch(/3 environment\(s\): 0 failed, 0 blocked, /);
      for (const environment of ["production", "staging", "test"]) expect(across.summary).toMatch(new RegExp(`\\| ${environment} \\|`));
      expect(result.run.conclusion).toBe("success");

      // The merge is applied with each environment's reviewed plan, one environment at a time in
      // the configured order, chunk after chunk (promotion), each as its own GitHub environment.
      for (const environment of ["staging", "test"]) {
        seed.addFederatedCredential(sandbox.env.AZURE_CLIENT_ID, { issuer: sandbox.githubActions.issuer, subject: `repo:${REPO}:environment:${environment}`, name: `entra-config-${environment}` });
        runner.environments[environment] = { AZURE_TENANT_ID: sandbox.tenantId, AZURE_CLIENT_ID: sandbox.env.AZURE_CLIENT_ID };
      }
      rmSync(join(origin, "hooks", "pre-receive"), { force: true }); // main was protected by the scenario before
      const mergeSha = merge(pr);
      started.sandbox.clearRequests();
      const applied = await apply(mergeSha);
      const failures = applied.jobs.filter((j) => j.conclusion === "failure" && j.steps.length > 0).map((j) => j.log.slice(-3000)).join("\n");
      expect(applied.jobs.map((j) => [j.job, j.caller?.matrix.chunk ?? j.matrix.chunk ?? "", j.environment ?? "", j.conclusion].join(" ")), failures).toEqual([
        "chunks   success",
        "apply 0  success",
        "apply/environments 0  success",
        "apply/apply 0 production success",
        "apply/apply 0 staging success",
        "apply 1  success",
        "apply/environments 1  success",
        "apply/apply 1 test success",
      ]);
      for (const job of applied.jobs.filter((j) => j.job === "apply/apply")) {
        expect(step(job, "Find the plan reviewed for this commit").log).toContain(`applying the plan reviewed in pull request #${pr.number}`);
        expect(step(job, "Apply the reviewed plan").outcome, job.log).toBe("success");
      }
      expect(new Set(federatedSubjects())).toEqual(new Set(["production", "staging", "test"].map((e) => `repo:${REPO}:environment:${e}`)));

      // The scheduled drift sync: the same chunks, a sync job per environment, one table across them.
      const synced = await drift();
      const syncFailures = synced.jobs.filter((j) => j.conclusion === "failure" && j.steps.length > 0).map((j) => j.log.slice(-3000)).join("\n");
      expect(synced.jobs.map((j) => [j.job, j.caller?.matrix.chunk ?? j.matrix.chunk ?? "", j.environment ?? "", j.conclusion].join(" ")), syncFailures).toEqual([
        "chunks   success",
        "sync 0  success",
        "sync/environments 0  success",
        "sync/sync 0 production-ci success",
        "sync/sync 0 staging-ci success",
        "sync 1  success",
        "sync/environments 1  success",
        "sync/sync 1 test-ci success",
        "summary   success",
      ]);
      const table = acrossEnvironments(synced).summary;
      expect(table).toMatch(/3 environment\(s\): 0 failed, 0 blocked, /);
      for (const environment of ["production", "staging", "test"]) expect(table).toMatch(new RegExp(`\\| ${environment} \\|`));
    } finally {
      delete runner.vars.ENTRA_GITOPS_MATRIX_CHUNK;
    }
  });
});
