/**
 * The CI workflows' path end to end, with GitHub Actions simulated: the CLI runs in-process the way
 * `entra-gitops-plan.yml` and `entra-gitops-apply.yml` run it (in the checkout, `--env production`,
 * GITHUB_ACTIONS/CI/GITHUB_STEP_SUMMARY set, no client secret), and signs in with the job's OIDC token
 * from the sandbox's GitHub-Actions-like issuer, exchanged through a federated identity credential.
 * Every job runs in a GitHub environment (`environment:` in the workflows), so the token's subject is
 * `repo:OWNER/REPO:environment:NAME`: `production-ci` for plan and drift, `production` for apply
 * (README "CI set-up"). The workflows' own steps run in test/e2e/workflow-simulation.test.ts.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitHubJobOptions, RequestLogEntry, Sandbox, SandboxTenant } from "../../src/sandbox/index.js";
import { git, runCli, tempRepo } from "../helpers/cli.js";
import type { CliRun } from "../helpers/cli.js";
import { catchUpAuditLog, startSandbox } from "../helpers/sandbox.js";
import type { StartedSandbox } from "../helpers/sandbox.js";

const REPO = "contoso/entra-config";
const CHANGED = "group/finance-team";

/** The repository's own configuration: it defines the `production` environment the workflows' matrix names. */
function workflowConfig(): string {
  const config = readFileSync(join(process.cwd(), "entra-gitops.yaml"), "utf8");
  expect(config).toMatch(/^ {2}production: \{\}$/m);
  return config;
}

/** Runs the CLI from `cwd` (the job's checkout), as a workflow step does. */
async function step(cwd: string, args: readonly string[], env: Record<string, string | undefined>): Promise<CliRun> {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return await runCli(args, env);
  } finally {
    process.chdir(before);
  }
}

describe("GitHub Actions workflows against the sandbox (OIDC federation, no secret)", () => {
  let started: StartedSandbox<SandboxTenant>;
  let sandbox: Sandbox<SandboxTenant>;
  let repo: string;
  let summaryDir: string;
  const secrets: string[] = [];

  /** The environment of a job of the workflows: repository/environment variables and the OIDC pair. */
  function jobEnv(job: GitHubJobOptions, summaryFile: string): Record<string, string | undefined> {
    const github = sandbox.githubActions.job(job);
    secrets.push(github.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
    return {
      ...github,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_OUTPUT: join(summaryDir, "output"),
      AZURE_TENANT_ID: sandbox.tenantId,
      AZURE_CLIENT_ID: sandbox.env.AZURE_CLIENT_ID,
      ENTRA_GITOPS_GRAPH_URL: sandbox.graphUrl,
      AZURE_AUTHORITY_HOST: sandbox.url,
      AZURE_CLIENT_SECRET: undefined,
      AZURE_CLIENT_CERTIFICATE_PATH: undefined,
      AZURE_FEDERATED_TOKEN_FILE: undefined,
      // The sandbox runs without its throttling model, so the 1 request/s Conditional Access pacing can go.
      ENTRA_GITOPS_CA_INTERVAL_MS: "0",
    };
  }

  function tokenCalls(): RequestLogEntry[] {
    return sandbox.requests().filter((r) => r.kind === "identity" && r.path.endsWith("/oauth2/v2.0/token"));
  }

  /** Nothing secret in what the job printed or wrote: client secret, request tokens, any JWT. */
  function expectNoSecrets(...texts: string[]): void {
    for (const text of texts) {
      for (const secret of [sandbox.env.AZURE_CLIENT_SECRET, ...secrets]) expect(text).not.toContain(secret);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
    }
  }

  beforeAll(async () => {
    started = await startSandbox({ seed: "demo" });
    sandbox = started.sandbox;
    const seed = sandbox.tenant.seedApi();
    // App registration → Federated credentials → GitHub Actions, entity Environment: production-ci
    // (plan, drift) and production (apply); no pull-request or branch subject (README "CI set-up").
    seed.addFederatedCredential(sandbox.env.AZURE_CLIENT_ID, { issuer: sandbox.githubActions.issuer, subject: `repo:${REPO}:environment:production-ci`, name: "entra-config-production-ci" });
    seed.addFederatedCredential(sandbox.env.AZURE_CLIENT_ID, { issuer: sandbox.githubActions.issuer, subject: `repo:${REPO}:environment:production`, name: "entra-config-production" });

    ({ dir: repo } = tempRepo(workflowConfig()));
    cpSync(join(process.cwd(), "tenant-config"), join(repo, "tenant-config"), { recursive: true });
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "tenant export");
    git(repo, "checkout", "-q", "-b", "finance-description");
    const file = join(repo, "tenant-config", `${CHANGED}.yaml`);
    writeFileSync(file, readFileSync(file, "utf8").replace(/^ {2}description: .*$/m, "  description: Finance team (reviewed in a pull request)"));
    git(repo, "commit", "-q", "-am", "finance-team: new description");
    summaryDir = mkdtempSync(join(tmpdir(), "entra-gitops-gha-"));
  });
  afterAll(async () => started?.stop());

  it("plan job: validate, then plan as markdown into the job summary and the PR comment body, signed in as the production-ci environment", async () => {
    const summary = join(summaryDir, "plan-summary.md");
    writeFileSync(summary, "");
    const env = jobEnv({ repository: REPO, eventName: "pull_request", ref: "refs/pull/1/merge", environment: "production-ci" }, summary);
    sandbox.clearRequests();

    const validate = await step(repo, ["validate"], env);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    const plan = await step(repo, ["--env", "production", "plan", "--format", "markdown", "--out", "plan.json", "--detailed-exitcode"], env);
    expect(plan.code, plan.stderr).toBe(2);

    // stdout is plan.md, the PR comment body: the marker line first, then the change.
    const body = plan.stdout;
    expect(body.split("\n")[0]).toBe("<!-- entra-gitops-plan:production -->");
    expect(body).toContain(CHANGED);
    expect(body).toContain("Finance team (reviewed in a pull request)");
    expect(body).toMatch(/\|.*update.*\|/i);

    const jobSummary = readFileSync(summary, "utf8");
    expect(jobSummary.startsWith("<!-- entra-gitops-plan:production -->")).toBe(true);
    expect(jobSummary).toContain(CHANGED);
    expect(jobSummary).toMatch(/\|.*update.*\|/i);

    const saved = readFileSync(join(repo, "plan.json"), "utf8");
    const parsed = JSON.parse(saved) as { formatVersion?: unknown; environment?: unknown };
    expect(parsed.formatVersion).toBe("1");
    expect(saved).toContain(CHANGED);

    const calls = tokenCalls();
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call).toMatchObject({ status: 200, clientAuth: "federated", federation: { issuer: sandbox.githubActions.issuer, subject: `repo:${REPO}:environment:production-ci` } });
    }
    const issued = sandbox.requests().filter((r) => r.path === "/github-actions/token");
    expect(issued.length).toBeGreaterThan(0);
    expect(issued.every((r) => r.status === 200 && /audience=api%3A%2F%2FAzureADTokenExchange/.test(r.query))).toBe(true);
    expect(sandbox.requests().some((r) => r.kind !== "identity" && r.status === 200)).toBe(true);

    expectNoSecrets(validate.stdout, validate.stderr, plan.stdout, plan.stderr, jobSummary, saved);
  });

  it("apply job: the merged revision applied with the production environment's subject, then no changes", async () => {
    git(repo, "checkout", "-q", "main");
    git(repo, "merge", "-q", "--ff-only", "finance-description");
    const summary = join(summaryDir, "apply-summary.md");
    writeFileSync(summary, "");
    const env = jobEnv({ repository: REPO, eventName: "push", environment: "production" }, summary);
    sandbox.clearRequests();

    const validate = await step(repo, ["validate"], env);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    const apply = await step(repo, ["--env", "production", "apply", "--auto-approve"], env);
    expect(apply.code, apply.stdout + apply.stderr).toBe(0);
    expect(tokenCalls().length).toBeGreaterThan(0);
    for (const call of tokenCalls()) {
      expect(call).toMatchObject({ status: 200, clientAuth: "federated", federation: { subject: `repo:${REPO}:environment:production` } });
    }
    expect(sandbox.requests().some((r) => r.method === "PATCH" && r.status < 300)).toBe(true);

    const after = await step(repo, ["--env", "production", "plan", "--detailed-exitcode"], env);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    const group = (await started.client.api("/groups").filter("displayName eq 'Finance Team'").select("description").get()) as { value: Array<{ description: string }> };
    expect(group.value[0]?.description).toBe("Finance team (reviewed in a pull request)");
    expectNoSecrets(apply.stdout, apply.stderr, after.stdout, after.stderr, readFileSync(summary, "utf8"));
  });

  it("drift job: a change made in the tenant is committed and pushed to main, signed in as the production-ci environment", async () => {
    const origin = mkdtempSync(join(tmpdir(), "entra-gitops-gha-origin-"));
    git(origin, "init", "-q", "--bare", "-b", "main");
    git(repo, "remote", "add", "origin", origin);
    git(repo, "push", "-q", "origin", "main");
    const before = git(origin, "rev-parse", "main");
    const group = (await started.client.api("/groups").filter("displayName eq 'Marketing'").select("id").get()) as { value: Array<{ id: string }> };
    await started.client.api(`/groups/${group.value[0]?.id ?? ""}`).patch({ description: "Changed in the portal" });
    // sync holds a change back until its audit entry arrives (README "Sync state"): the portal
    // change's entry is made visible; the tenant's own entra-gitops app registration, made at the
    // tenant's creation, has none, so this job records without waiting.
    catchUpAuditLog(started.sandbox);

    const env = jobEnv({ repository: REPO, eventName: "schedule", environment: "production-ci" }, join(summaryDir, "drift-summary.md"));
    sandbox.clearRequests();
    const sync = await step(repo, ["--env", "production", "sync", "--push", "--audit-grace", "0"], env);
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    expect(sync.stdout).toContain("pushed main to origin");
    expect(git(origin, "rev-list", "--count", `${before}..main`)).not.toBe("0");
    expect(git(origin, "show", "main:tenant-config/group/marketing.yaml")).toContain("description: Changed in the portal");
    expect(tokenCalls().length).toBeGreaterThan(0);
    for (const call of tokenCalls()) {
      expect(call).toMatchObject({ status: 200, clientAuth: "federated", federation: { subject: `repo:${REPO}:environment:production-ci` } });
    }
    expectNoSecrets(sync.stdout, sync.stderr, git(origin, "log", "-p", "-3", "main"));
  });

  it("a job whose subject has no federated credential fails with AADSTS700213 before any Graph request", async () => {
    const summary = join(summaryDir, "staging-summary.md");
    writeFileSync(summary, "");
    const env = jobEnv({ repository: REPO, environment: "staging" }, summary);
    sandbox.clearRequests();
    const plan = await step(repo, ["--env", "production", "plan", "--format", "markdown", "--detailed-exitcode"], env);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("AADSTS700213");
    expect(plan.stderr).toContain(`No matching federated identity record found for presented assertion subject 'repo:${REPO}:environment:staging'`);
    expect(plan.stdout).not.toContain("<!-- entra-gitops-plan");
    expect(sandbox.requests().filter((r) => r.kind !== "identity")).toEqual([]);
    // Refused once: the engine's readers do not repeat the refused sign-in, nor fetch the OIDC token again.
    expect(tokenCalls().map((r) => r.status)).toEqual([401]);
    expect(tokenCalls()[0]).toMatchObject({ federation: { issuer: sandbox.githubActions.issuer, subject: `repo:${REPO}:environment:staging` } });
    expect(tokenCalls()[0]?.clientAuth).toBeUndefined();
    expect(sandbox.requests().filter((r) => r.path === "/github-actions/token")).toHaveLength(1);
    expectNoSecrets(plan.stdout, plan.stderr, readFileSync(summary, "utf8"));
  });

  it.each([
    ["a pull request without environment:", { eventName: "pull_request", ref: "refs/pull/1/merge" }, "pull_request"],
    ["a push to main without environment:", { eventName: "push", ref: "refs/heads/main" }, "ref:refs/heads/main"],
  ])("%s has no federated credential (the workflows always name an environment)", async (_, job, subject) => {
    const env = jobEnv({ repository: REPO, ...job }, join(summaryDir, "no-environment-summary.md"));
    sandbox.clearRequests();
    const plan = await step(repo, ["--env", "production", "plan", "--detailed-exitcode"], env);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain(`No matching federated identity record found for presented assertion subject 'repo:${REPO}:${subject}'`);
    expect(sandbox.requests().filter((r) => r.kind !== "identity")).toEqual([]);
  });

  it("the temp checkout holds no secret after the jobs", () => {
    const files = readdirSync(repo).filter((f) => f.endsWith(".json") || f.endsWith(".md"));
    for (const file of files) expectNoSecrets(readFileSync(join(repo, file), "utf8"));
    expect(existsSync(join(repo, "plan.json"))).toBe(true);
  });
});
