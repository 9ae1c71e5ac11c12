/**
 * Workload identity federation in the sandbox, at the wire: federated identity credentials on
 * applications through Graph, the GitHub-Actions-like OIDC issuer, and the token endpoint's checks
 * of a federated client assertion (issuer, subject, audience, signature, lifetime).
 */
import { ClientAssertionCredential } from "@azure/identity";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTenant } from "../../src/sandbox/index.js";
import type { GitHubJobOptions, Sandbox, SandboxTenant } from "../../src/sandbox/index.js";
import { GRAPH_SCOPE, credentialFor, catchUpAuditLog, graphClient, startSandbox } from "../helpers/sandbox.js";
import type { StartedSandbox } from "../helpers/sandbox.js";

const EXCHANGE = "api://AzureADTokenExchange";
const REPO = "contoso/entra-config";

async function oidcToken(sandbox: Sandbox, job: GitHubJobOptions, audience = EXCHANGE): Promise<string> {
  const env = sandbox.githubActions.job(job);
  const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL);
  url.searchParams.set("audience", audience);
  const response = await fetch(url, { headers: { Authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { value: string }).value;
}

async function exchange(sandbox: Sandbox, clientId: string, assertion: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sandbox.url}/${sandbox.tenantId}/oauth2/v2.0/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId,
      scope: GRAPH_SCOPE,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("sandbox workload identity federation (GitHub Actions OIDC)", () => {
  let started: StartedSandbox<SandboxTenant>;
  let sandbox: Sandbox<SandboxTenant>;
  let appId: string;

  beforeAll(async () => {
    started = await startSandbox({ seed: "empty" });
    sandbox = started.sandbox;
    appId = sandbox.env.AZURE_CLIENT_ID;
    sandbox.tenant.seedApi().addFederatedCredential(appId, { issuer: sandbox.githubActions.issuer, subject: `repo:${REPO}:pull_request` });
  });
  afterAll(async () => started?.stop());

  it("manages federatedIdentityCredentials on an application like Graph", async () => {
    const app = (await started.client.api(`/applications(appId='${appId}')`).select("id").get()) as { id: string };
    const base = `/applications/${app.id}/federatedIdentityCredentials`;
    const created = (await started.client.api(base).post({ name: "deploy-prod", issuer: sandbox.githubActions.issuer, subject: `repo:${REPO}:environment:production`, audiences: [EXCHANGE] })) as Record<string, unknown>;
    expect(created).toMatchObject({ name: "deploy-prod", subject: `repo:${REPO}:environment:production`, audiences: [EXCHANGE], description: null });
    expect(String(created["@odata.context"])).toContain(`applications('${app.id}')/federatedIdentityCredentials/$entity`);

    catchUpAuditLog(started.sandbox);
    const audits = (await started.client.api("/auditLogs/directoryAudits").filter("activityDisplayName eq 'Update application'").get()) as { value: Array<{ targetResources: Array<{ id: string; modifiedProperties: Array<{ displayName: string; newValue: string }> }> }> };
    const change = audits.value.flatMap((a) => a.targetResources).find((t) => t.id === app.id && t.modifiedProperties.some((p) => p.displayName === "FederatedIdentityCredentials"));
    expect(change?.modifiedProperties.find((p) => p.displayName === "FederatedIdentityCredentials")?.newValue).toContain("deploy-prod");

    const list = (await started.client.api(base).get()) as { value: Array<Record<string, unknown>> };
    expect(list.value.map((c) => c["subject"]).sort()).toEqual([`repo:${REPO}:environment:production`, `repo:${REPO}:pull_request`]);
    const filtered = (await started.client.api(base).filter("name eq 'deploy-prod'").get()) as { value: unknown[] };
    expect(filtered.value).toHaveLength(1);

    await started.client.api(`${base}/${String(created["id"])}`).patch({ description: "apply job" });
    const byName = (await started.client.api(`${base.replace(/federatedIdentityCredentials$/, "")}federatedIdentityCredentials(name='deploy-prod')`).get()) as Record<string, unknown>;
    expect(byName).toMatchObject({ id: created["id"], description: "apply job" });

    const duplicate = started.client.api(base).post({ name: "other", issuer: sandbox.githubActions.issuer, subject: `repo:${REPO}:environment:production`, audiences: [EXCHANGE] });
    await expect(duplicate).rejects.toMatchObject({ statusCode: 409 });
    const twoAudiences = started.client.api(base).post({ name: "two", issuer: "https://issuer.example", subject: "x", audiences: [EXCHANGE, "other"] });
    await expect(twoAudiences).rejects.toMatchObject({ statusCode: 400 });
    const badName = started.client.api(base).post({ name: "no spaces allowed", issuer: "https://issuer.example", subject: "x", audiences: [EXCHANGE] });
    await expect(badName).rejects.toMatchObject({ statusCode: 400 });
    const renamed = started.client.api(`${base}/${String(created["id"])}`).patch({ name: "renamed" });
    await expect(renamed).rejects.toMatchObject({ statusCode: 400 });

    const expanded = (await started.client.api(`/applications/${app.id}`).expand("federatedIdentityCredentials").get()) as { federatedIdentityCredentials: Array<{ name: string }> };
    expect(expanded.federatedIdentityCredentials.map((c) => c.name).sort()).toEqual(["deploy-prod", "repo-contoso-entra-config-pull_request"]);
    const reloaded = createTenant({ state: JSON.parse(JSON.stringify(sandbox.tenant.exportState())) as unknown });
    expect(reloaded.findClient(appId)?.federatedCredentials?.map((c) => c.name).sort()).toEqual(["deploy-prod", "repo-contoso-entra-config-pull_request"]);

    await started.client.api(`${base}/${String(created["id"])}`).delete();
    const after = (await started.client.api(base).get()) as { value: unknown[] };
    expect(after.value).toHaveLength(1);
    await expect(started.client.api(`${base}/${String(created["id"])}`).get()).rejects.toMatchObject({ statusCode: 404 });
  });

  it("lists federated credentials with Application.Read.All and needs Application.ReadWrite.* to add one", async () => {
    const seed = sandbox.tenant.seedApi();
    seed.create("applications", { displayName: "fic reader", appId: "0f1c0000-0000-4000-8000-00000000000a" });
    seed.addClientSecret("0f1c0000-0000-4000-8000-00000000000a", "reader-secret-value");
    seed.grantAppRoles("0f1c0000-0000-4000-8000-00000000000a", ["Application.Read.All"]);
    const reader = graphClient(sandbox, credentialFor(sandbox, "0f1c0000-0000-4000-8000-00000000000a", "reader-secret-value"));
    const base = `/applications(appId='${appId}')/federatedIdentityCredentials`;
    const list = (await reader.api(base).get()) as { value: Array<Record<string, unknown>> };
    expect(list.value.map((c) => c["subject"])).toContain(`repo:${REPO}:pull_request`);
    const write = reader.api(base).post({ name: "sneaky", issuer: "https://issuer.example", subject: "x", audiences: [EXCHANGE] });
    await expect(write).rejects.toMatchObject({ statusCode: 403, code: "Authorization_RequestDenied" });
  });

  it("issues GitHub-shaped OIDC tokens only to a job's request token, with its discovery document", async () => {
    const config = (await (await fetch(`${sandbox.githubActions.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(config.issuer).toBe(sandbox.githubActions.issuer);
    const jwks = (await (await fetch(config.jwks_uri ?? "")).json()) as { keys: Array<Record<string, string>> };
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });

    const env = sandbox.githubActions.job({ repository: REPO, environment: "production" });
    expect(env).toMatchObject({ GITHUB_ACTIONS: "true", GITHUB_REPOSITORY: REPO, GITHUB_EVENT_NAME: "push", GITHUB_REF: "refs/heads/main" });
    const unauthorized = await fetch(env.ACTIONS_ID_TOKEN_REQUEST_URL, { headers: { Authorization: "Bearer not-the-token" } });
    expect(unauthorized.status).toBe(401);

    const claims = decodeJwt(await oidcToken(sandbox, { repository: REPO, environment: "production" }));
    const iat = Math.floor(sandbox.tenant.clock.now().getTime() / 1000);
    expect(claims).toMatchObject({ iss: sandbox.githubActions.issuer, sub: `repo:${REPO}:environment:production`, aud: EXCHANGE, environment: "production", repository: REPO, repository_owner: "contoso", iat, exp: iat + 300 });
    expect(decodeJwt(await oidcToken(sandbox, { repository: REPO })).sub).toBe(`repo:${REPO}:pull_request`);
    expect(decodeJwt(await oidcToken(sandbox, { repository: REPO, ref: "refs/heads/main" })).sub).toBe(`repo:${REPO}:ref:refs/heads/main`);
    const defaultAudience = await fetch(env.ACTIONS_ID_TOKEN_REQUEST_URL, { headers: { Authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } });
    expect(decodeJwt(((await defaultAudience.json()) as { value: string }).value).aud).toBe("https://github.com/contoso");
  });

  it("exchanges a matching job token for a Graph token through ClientAssertionCredential", async () => {
    const credential = new ClientAssertionCredential(sandbox.tenantId, appId, () => oidcToken(sandbox, { repository: REPO }), {
      authorityHost: sandbox.url,
      disableInstanceDiscovery: true,
    });
    sandbox.clearRequests();
    const token = await credential.getToken(GRAPH_SCOPE);
    expect(decodeJwt(token.token)).toMatchObject({ appid: appId, appidacr: "2", aud: "https://graph.microsoft.com" });
    const tokenCall = sandbox.requests().find((r) => r.path.endsWith("/oauth2/v2.0/token"));
    expect(tokenCall).toMatchObject({ status: 200, clientAuth: "federated", federation: { issuer: sandbox.githubActions.issuer, subject: `repo:${REPO}:pull_request` } });
  });

  it("refuses assertions that match no federated credential with Entra's AADSTS codes", async () => {
    const codes = async (assertion: string): Promise<{ status: number; code: unknown; text: string }> => {
      const result = await exchange(sandbox, appId, assertion);
      return { status: result.status, code: (result.body["error_codes"] as unknown[])[0], text: String(result.body["error_description"]) };
    };
    const wrongSubject = await codes(await oidcToken(sandbox, { repository: REPO, environment: "staging" }));
    expect(wrongSubject).toMatchObject({ status: 401, code: 700213 });
    expect(wrongSubject.text).toContain(`presented assertion subject 'repo:${REPO}:environment:staging'`);
    expect(await codes(await oidcToken(sandbox, { repository: "Contoso/Entra-Config" }))).toMatchObject({ code: 7002138 });
    expect(await codes(await oidcToken(sandbox, { repository: REPO }, "api://other"))).toMatchObject({ code: 700212 });

    const app = sandbox.tenant.seedApi();
    app.addFederatedCredential(appId, { issuer: "https://token.actions.githubusercontent.com", subject: "repo:contoso/other:pull_request", name: "real-github" });
    const foreign = await oidcToken(sandbox, { repository: REPO });
    const [header, , signature] = foreign.split(".");
    const claims = { ...decodeJwt(foreign), iss: "https://token.actions.githubusercontent.com" };
    const reissued = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
    expect(await codes(reissued)).toMatchObject({ code: 50166 });
    const unknownIssuer = `${header}.${Buffer.from(JSON.stringify({ ...claims, iss: "https://issuer.example" })).toString("base64url")}.${signature}`;
    expect(await codes(unknownIssuer)).toMatchObject({ code: 700211 });
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...decodeJwt(foreign), sub: `repo:${REPO}:pull_request`, environment: "x" })).toString("base64url")}.${signature}`;
    expect(await codes(tampered)).toMatchObject({ code: 700027 });

    const expiring = await oidcToken(sandbox, { repository: REPO });
    sandbox.tenant.clock.advance(6 * 60 * 1000);
    const expired = await codes(expiring);
    expect(expired).toMatchObject({ status: 401, code: 700024 });
    expect(expired.text).toContain("Client assertion is not within its valid time range");
    expect(sandbox.requests().filter((r) => r.kind === "graph")).toHaveLength(0);
  });
});
