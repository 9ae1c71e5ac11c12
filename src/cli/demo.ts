/**
 * `npm run demo`: the whole GitOps loop on the built-in sandbox tenant, in a temporary git
 * repository, narrated step by step. Nothing outside the temporary folder is touched.
 *
 * Node trusts extra certificates only from NODE_EXTRA_CA_CERTS at process start, so the script
 * first creates the sandbox certificate and re-runs itself with that variable set.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { UsernamePasswordCredential } from "@azure/identity";
import { parseDocument } from "yaml";
import { createSandbox } from "../sandbox/index.js";
import { ensureSandboxKeys } from "../sandbox/front/certificates.js";
import { DEMO_PASSWORD, DEMO_PORTAL_APP_ID } from "../sandbox/seeds/demo/index.js";
import { main } from "./index.js";

const POLICY_NAME = "CA-A06-Admins-AllApps-RequireCompliantDevice";
const POLICY_DOC = "conditionalAccessPolicy/ca-a06-admins-allapps-requirecompliantdevice";
const EDITED_DOC = "conditionalAccessPolicy/ca-e02-guests-allapps-signinfrequencydaily";

function say(step: string, text: string): void {
  process.stdout.write(`\n\u001b[1m== ${step}\u001b[0m ${text}\n`);
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
}

async function cli(...args: string[]): Promise<void> {
  process.stdout.write(`$ entra-gitops ${args.join(" ")}\n`);
  const code = await main(args);
  if (code !== 0 && code !== 2) throw new Error(`entra-gitops ${args.join(" ")} exited ${code}`);
}

async function portalEdit(url: string, tenantId: string, graphUrl: string): Promise<void> {
  const credential = new UsernamePasswordCredential(tenantId, DEMO_PORTAL_APP_ID, "alice@contoso.onmicrosoft.com", DEMO_PASSWORD, {
    authorityHost: url,
    disableInstanceDiscovery: true,
  });
  const token = (await credential.getToken("https://graph.microsoft.com/.default")).token;
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const list = (await (await fetch(`${graphUrl}/v1.0/identity/conditionalAccess/policies?$filter=displayName eq '${POLICY_NAME}'`, { headers })).json()) as { value: { id: string }[] };
  const id = list.value[0]?.id;
  if (!id) throw new Error(`${POLICY_NAME} not found in the sandbox`);
  const answer = await fetch(`${graphUrl}/v1.0/identity/conditionalAccess/policies/${id}`, { method: "PATCH", headers, body: JSON.stringify({ state: "enabled" }) });
  if (answer.status !== 204) throw new Error(`alice's edit failed: HTTP ${answer.status}`);
}

async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "entra-gitops-demo-"));
  const certDir = process.env.ENTRA_GITOPS_DEMO_CERT_DIR ?? join(work, "sandbox");
  // The repository may stay to explore (ENTRA_GITOPS_DEMO_KEEP=1); the sandbox folder holds its
  // client secret and private key and never outlives the run.
  const keep = Boolean(process.env.ENTRA_GITOPS_DEMO_KEEP);
  say("1/8", "Start the sandbox tenant (Contoso demo seed: 50 users, 32 Conditional Access policies, ...)");
  const sandbox = await createSandbox({ seed: "demo", certDir, envFile: join(certDir, "sandbox.env") });
  try {
    for (const [key, value] of Object.entries(sandbox.env)) process.env[key] = String(value);
    process.env.ENTRA_GITOPS_CA_INTERVAL_MS = "0";
    process.stdout.write(`sandbox: ${sandbox.url} (tenant ${sandbox.tenantId})\n`);

    const repo = join(work, "contoso-entra");
    say("2/8", `A new configuration repository in ${repo}`);
    execFileSync("git", ["init", "-q", "-b", "main", repo]);
    git(repo, "config", "user.name", "Demo Admin");
    git(repo, "config", "user.email", "admin@contoso.onmicrosoft.com");
    git(repo, "config", "commit.gpgsign", "false");
    await cli("init", repo);
    const config = join(repo, "entra-gitops.yaml");
    const settings = parseDocument(readFileSync(config, "utf8"));
    settings.setIn(["breakGlass", "accounts"], ["user:breakglass01@contoso.onmicrosoft.com", "user:breakglass02@contoso.onmicrosoft.com"]);
    settings.setIn(["breakGlass", "groups"], ["group:sg-ca-breakglass-exclusion"]);
    writeFileSync(config, settings.toString());

    say("3/8", "Export the tenant as YAML and commit it");
    await cli("--config", config, "export");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "Initial export of the Contoso tenant");
    const initial = git(repo, "rev-parse", "HEAD");

    say("4/8", `alice@contoso.onmicrosoft.com enables "${POLICY_NAME}" in the portal (outside git)`);
    await portalEdit(sandbox.url, sandbox.tenantId, sandbox.graphUrl);
    // Entra's audit log shows an entry minutes after the change (p95 2 min, up to 15): rather than
    // wait, the demo moves the sandbox clock forward until alice's entry has arrived.
    const backlog = sandbox.tenant.auditBacklogMs();
    sandbox.tenant.clock.advance(backlog);
    process.stdout.write(`(the audit log runs late, as in Entra: the sandbox clock moves ${Math.ceil(backlog / 1000)} s forward instead of waiting)\n`);

    say("5/8", "sync turns the drift into a commit authored by alice (from the audit log)");
    await cli("--config", config, "sync");
    process.stdout.write(`${git(repo, "log", "-2", "--format=%h %an <%ae> %ad%n    %s", "--date=iso")}\n`);
    await cli("--config", config, "history", POLICY_DOC);

    say("6/8", "An engineer edits a document in a branch: the guests' sign-in frequency policy goes report-only");
    const file = join(repo, "tenant-config", `${EDITED_DOC}.yaml`);
    writeFileSync(file, readFileSync(file, "utf8").replace(/^ {2}state: enabled$/m, "  state: enabledForReportingButNotEnforced"));
    git(repo, "commit", "-q", "-am", "Guest sign-in frequency: report-only while partners migrate");
    await cli("--config", config, "plan");

    say("7/8", "apply the reviewed change to the tenant");
    await cli("--config", config, "apply", "--auto-approve");
    await cli("--config", config, "plan", "--detailed-exitcode");

    say("8/8", "Roll back to the initial export (undoing alice's drift and the reviewed edit) and apply it");
    await cli("--config", config, "rollback", "--to", initial, "--apply", "--auto-approve");
    process.stdout.write(`${git(repo, "log", "--format=%h %an: %s")}\n`);
    say("done", keep ? `The loop is complete. The repository stays in ${repo} to explore.` : "The loop is complete. (ENTRA_GITOPS_DEMO_KEEP=1 keeps the repository to explore.)");
  } finally {
    await sandbox.stop();
    if (!process.env.ENTRA_GITOPS_DEMO_CERT_DIR) rmSync(certDir, { recursive: true, force: true });
    if (!keep) rmSync(work, { recursive: true, force: true });
  }
}

async function start(): Promise<void> {
  if (!process.env.ENTRA_GITOPS_DEMO_CERT_DIR) {
    const certDir = mkdtempSync(join(tmpdir(), "entra-gitops-demo-cert-"));
    try {
      const keys = await ensureSandboxKeys(certDir);
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
        stdio: "inherit",
        env: { ...process.env, NODE_EXTRA_CA_CERTS: keys.certPath, ENTRA_GITOPS_DEMO_CERT_DIR: certDir },
      });
      process.exitCode = child.status ?? 1;
    } finally {
      // The certificate's private key and the sandbox's env file (client secret) live here.
      rmSync(certDir, { recursive: true, force: true });
    }
    return;
  }
  await run();
}

start().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
