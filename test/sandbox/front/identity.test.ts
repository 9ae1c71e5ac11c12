import { ClientCertificateCredential, ClientSecretCredential, UsernamePasswordCredential } from "@azure/identity";
import { decodeJwt } from "jose";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../../../src/sandbox/index.js";
import { GRAPH_SCOPE, startSandbox } from "../../helpers/sandbox.js";
import { CERT_CLIENT_ID, OPERATOR, PUBLIC_CLIENT_ID, TENANT_ID, fakeTenant } from "./fake-tenant.js";
import type { FakeTenant } from "./fake-tenant.js";

const idOptions = (sandbox: Sandbox) => ({ authorityHost: sandbox.url, disableInstanceDiscovery: true });

async function tokenRequest(sandbox: Sandbox, form: Record<string, string>, tenant = TENANT_ID): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sandbox.url}/${tenant}/oauth2/v2.0/token`, { method: "POST", body: new URLSearchParams(form) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("sandbox identity endpoints", () => {
  let sandbox: Sandbox;
  let tenant: FakeTenant;
  let clientPem: string;

  beforeAll(async () => {
    const pems = await generate([{ name: "commonName", value: "cert app" }], { keySize: 2048, algorithm: "sha256" });
    clientPem = `${pems.private}\n${pems.cert}`;
    tenant = fakeTenant({ certificatePem: pems.cert });
    ({ sandbox } = await startSandbox({ tenant }));
  });
  afterAll(() => sandbox.stop());

  it("serves OpenID metadata and signing keys", async () => {
    const config = (await (await fetch(`${sandbox.url}/${TENANT_ID}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(config.token_endpoint).toBe(`${sandbox.url}/${TENANT_ID}/oauth2/v2.0/token`);
    expect(config.issuer).toBe(`${sandbox.url}/${TENANT_ID}/v2.0`);
    const jwks = (await (await fetch(config.jwks_uri ?? "")).json()) as { keys: Array<Record<string, string>> };
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", use: "sig", alg: "RS256" });
    const unknown = await fetch(`${sandbox.url}/not-a-tenant/v2.0/.well-known/openid-configuration`);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error_codes: number[] }).error_codes).toEqual([90002]);
  });

  it("answers instance discovery for clients that do not disable it", async () => {
    const discovery = (await (await fetch(`${sandbox.url}/common/discovery/instance?api-version=1.1`)).json()) as Record<string, unknown>;
    expect(discovery.tenant_discovery_endpoint).toBe(`${sandbox.url}/${TENANT_ID}/v2.0/.well-known/openid-configuration`);
  });

  it("ClientSecretCredential gets an app token with Graph's claims", async () => {
    const credential = new ClientSecretCredential(TENANT_ID, OPERATOR.clientId, OPERATOR.clientSecret, idOptions(sandbox));
    const token = await credential.getToken(GRAPH_SCOPE);
    const claims = decodeJwt(token.token);
    expect(claims).toMatchObject({
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${TENANT_ID}/`,
      tid: TENANT_ID,
      appid: OPERATOR.clientId,
      azp: OPERATOR.clientId,
      app_displayname: "entra-gitops operator",
      idtyp: "app",
      oid: "bbbbbbbb-0000-0000-0000-000000000001",
      sub: "bbbbbbbb-0000-0000-0000-000000000001",
      roles: ["User.ReadWrite.All", "Policy.ReadWrite.ConditionalAccess"],
    });
    expect(sandbox.requests().filter((r) => r.kind === "identity").map((r) => [r.method, r.path.replace(TENANT_ID, "{tid}"), r.status, r.principal])).toContainEqual(["POST", "/{tid}/oauth2/v2.0/token", 200, OPERATOR.clientId]);
    const now = Math.floor(tenant.clock.now().getTime() / 1000);
    expect(claims.iat).toBe(now);
    expect(claims.exp).toBe(now + 3599);
  });

  it("ClientCertificateCredential signs a client assertion the sandbox accepts", async () => {
    const credential = new ClientCertificateCredential(TENANT_ID, CERT_CLIENT_ID, { certificate: clientPem }, idOptions(sandbox));
    const token = await credential.getToken(GRAPH_SCOPE);
    expect(decodeJwt(token.token)).toMatchObject({ appid: CERT_CLIENT_ID, appidacr: "2", roles: ["User.Read.All"] });
  });

  it("rejects a certificate that is not registered on the app (AADSTS700027)", async () => {
    const other = await generate([{ name: "commonName", value: "stranger" }], { keySize: 2048, algorithm: "sha256" });
    const credential = new ClientCertificateCredential(TENANT_ID, CERT_CLIENT_ID, { certificate: `${other.private}\n${other.cert}` }, idOptions(sandbox));
    await expect(credential.getToken(GRAPH_SCOPE)).rejects.toThrow(/AADSTS700027/);
  });

  it("answers an unknown client with AADSTS700016 and a wrong secret with AADSTS7000215", async () => {
    const unknown = await tokenRequest(sandbox, { grant_type: "client_credentials", client_id: "99999999-9999-9999-9999-999999999999", client_secret: "x", scope: GRAPH_SCOPE });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: "unauthorized_client", error_codes: [700016] });
    expect(String(unknown.body.error_description)).toMatch(/^AADSTS700016: Application with identifier '99999999-9999-9999-9999-999999999999' was not found in the directory/);
    for (const key of ["timestamp", "trace_id", "correlation_id"]) expect(typeof unknown.body[key]).toBe("string");

    const badSecret = await tokenRequest(sandbox, { grant_type: "client_credentials", client_id: OPERATOR.clientId, client_secret: "wrong", scope: GRAPH_SCOPE });
    expect(badSecret.status).toBe(401);
    expect(badSecret.body).toMatchObject({ error: "invalid_client", error_codes: [7000215] });

    const credential = new ClientSecretCredential(TENANT_ID, OPERATOR.clientId, "wrong", idOptions(sandbox));
    await expect(credential.getToken(GRAPH_SCOPE)).rejects.toThrow(/AADSTS7000215/);
  });

  it("answers bad scopes and unknown tenants with AADSTS errors", async () => {
    const scope = await tokenRequest(sandbox, { grant_type: "client_credentials", client_id: OPERATOR.clientId, client_secret: OPERATOR.clientSecret, scope: "User.Read" });
    expect(scope.body).toMatchObject({ error: "invalid_scope", error_codes: [1002012] });
    const two = await tokenRequest(sandbox, { grant_type: "client_credentials", client_id: OPERATOR.clientId, client_secret: OPERATOR.clientSecret, scope: "a/.default b/.default" });
    expect(two.body).toMatchObject({ error: "invalid_scope", error_codes: [70011] });
    const tenantMissing = await tokenRequest(sandbox, { grant_type: "client_credentials", client_id: OPERATOR.clientId, client_secret: OPERATOR.clientSecret, scope: GRAPH_SCOPE }, "contoso.invalid");
    expect(tenantMissing.body).toMatchObject({ error: "invalid_request", error_codes: [90002] });
  });

  it("issues delegated tokens for seeded users (password grant) and refuses bad passwords", async () => {
    const credential = new UsernamePasswordCredential(TENANT_ID, PUBLIC_CLIENT_ID, "alice@contoso.test", "alice-pw", idOptions(sandbox));
    const token = await credential.getToken(GRAPH_SCOPE);
    expect(decodeJwt(token.token)).toMatchObject({
      idtyp: "user",
      upn: "alice@contoso.test",
      oid: "cccccccc-0000-0000-0000-000000000001",
      name: "Alice",
      scp: "User.Read.All Policy.Read.All",
      appid: PUBLIC_CLIENT_ID,
    });

    const wrong = await tokenRequest(sandbox, { grant_type: "password", client_id: PUBLIC_CLIENT_ID, username: "alice@contoso.test", password: "nope", scope: GRAPH_SCOPE });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: "invalid_grant", error_codes: [50126] });
    const disabled = await tokenRequest(sandbox, { grant_type: "password", client_id: PUBLIC_CLIENT_ID, username: "bob@contoso.test", password: "bob-pw", scope: GRAPH_SCOPE });
    expect(disabled.body).toMatchObject({ error_codes: [50057] });
    const consent = await tokenRequest(sandbox, { grant_type: "password", client_id: PUBLIC_CLIENT_ID, username: "alice@contoso.test", password: "alice-pw", scope: "https://graph.microsoft.com/Directory.ReadWrite.All" });
    expect(consent.body).toMatchObject({ error: "invalid_grant", error_codes: [65001] });
  });
});
