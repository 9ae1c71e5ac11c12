import { createHash, X509Certificate } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importPKCS8, SignJWT } from "jose";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway } from "../../src/graph/create.js";
import { selectCredential } from "../../src/graph/credential.js";
import { createSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { testCertDir } from "../helpers/sandbox.js";
import { GatewayTestTenant } from "./test-tenant.js";

const T = "11111111-1111-1111-1111-111111111111";
const C = "22222222-2222-2222-2222-222222222222";

describe("credential selection (docs/design.md §5)", () => {
  it("follows the Azure SDK order: secret, certificate, federated token file, GitHub OIDC, Azure CLI", () => {
    const all = {
      AZURE_TENANT_ID: T,
      AZURE_CLIENT_ID: C,
      AZURE_CLIENT_SECRET: "s3cret-value",
      AZURE_CLIENT_CERTIFICATE_PATH: "/nonexistent/cert.pem",
      AZURE_FEDERATED_TOKEN_FILE: "/nonexistent/token",
      ACTIONS_ID_TOKEN_REQUEST_URL: "https://token.actions.example/x",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "req-token",
    };
    const order: Array<[keyof typeof all | undefined, string]> = [
      ["AZURE_CLIENT_SECRET", "clientSecret"],
      ["AZURE_CLIENT_CERTIFICATE_PATH", "clientCertificate"],
      ["AZURE_FEDERATED_TOKEN_FILE", "workloadIdentity"],
      ["ACTIONS_ID_TOKEN_REQUEST_URL", "gitHubOidc"],
      [undefined, "azureCli"],
    ];
    const env: Record<string, string> = { ...all };
    for (const [dropAfter, method] of order) {
      const selected = selectCredential({ env });
      expect(selected.method).toBe(method);
      expect(selected.description).not.toContain("s3cret-value");
      if (dropAfter) delete env[dropAfter];
    }
  });

  it("takes tenant and client from the config's environment, environment variables win", () => {
    const settings = { tenantId: "contoso.onmicrosoft.com", clientId: C, authorityHost: "https://login.microsoftonline.us" };
    const fromConfig = selectCredential({ env: { AZURE_CLIENT_SECRET: "x" }, settings });
    expect(fromConfig).toMatchObject({ tenantId: "contoso.onmicrosoft.com", clientId: C, authorityHost: "https://login.microsoftonline.us" });
    const overridden = selectCredential({ env: { AZURE_CLIENT_SECRET: "x", AZURE_TENANT_ID: T }, settings });
    expect(overridden.tenantId).toBe(T);
  });

  it("says which variable is missing instead of failing at token time", () => {
    expect(() => selectCredential({ env: { AZURE_CLIENT_SECRET: "x", AZURE_CLIENT_ID: C } })).toThrow(
      /AZURE_CLIENT_SECRET is set but AZURE_TENANT_ID is not/,
    );
    expect(() => selectCredential({ env: { AZURE_FEDERATED_TOKEN_FILE: "/t" } })).toThrow(/AZURE_TENANT_ID and AZURE_CLIENT_ID are not/);
  });
});

describe("credentials against the sandbox's token endpoint", () => {
  let sandbox: Sandbox;
  let tenant: GatewayTestTenant;
  let dir: string;
  let certPath: string;
  let privateKeyPem: string;
  let certPem: string;

  beforeAll(async () => {
    tenant = new GatewayTestTenant(1);
    const pems = await generate([{ name: "commonName", value: "entra-gitops-test" }], { keySize: 2048 });
    privateKeyPem = pems.private;
    certPem = pems.cert;
    tenant.certificates.push(certPem);
    dir = mkdtempSync(join(tmpdir(), "eg-cred-"));
    certPath = join(dir, "client.pem");
    writeFileSync(certPath, `${privateKeyPem}\n${certPem}`);
    sandbox = await createSandbox({ certDir: testCertDir(), tenant });
  });
  afterAll(() => sandbox.stop());

  /** A client assertion as an external identity provider (GitHub, Kubernetes) would hand it over. */
  async function federatedAssertion(): Promise<string> {
    const der = new X509Certificate(certPem).raw;
    return new SignJWT({ jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: "RS256", x5t: createHash("sha1").update(der).digest("base64url") })
      .setIssuer(tenant.clientId)
      .setSubject(tenant.clientId)
      .setAudience(`${sandbox.url}/${tenant.tenantId}/oauth2/v2.0/token`)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(await importPKCS8(privateKeyPem, "RS256"));
  }

  const base = () => ({
    AZURE_TENANT_ID: tenant.tenantId,
    AZURE_CLIENT_ID: tenant.clientId,
    AZURE_AUTHORITY_HOST: sandbox.url,
    ENTRA_GITOPS_GRAPH_URL: sandbox.url,
  });

  it("client certificate (AZURE_CLIENT_CERTIFICATE_PATH)", async () => {
    const gateway = createGateway({ env: { ...base(), AZURE_CLIENT_CERTIFICATE_PATH: certPath } });
    expect((await gateway.whoAmI()).appId).toBe(tenant.clientId);
    expect(gateway.credentialDescription).toContain("client certificate");
  });

  it("workload identity federation (AZURE_FEDERATED_TOKEN_FILE)", async () => {
    const tokenFile = join(dir, "federated-token");
    writeFileSync(tokenFile, await federatedAssertion());
    const gateway = createGateway({ env: { ...base(), AZURE_FEDERATED_TOKEN_FILE: tokenFile } });
    expect((await gateway.whoAmI()).tenantId).toBe(tenant.tenantId);
    expect(await gateway.get("/groups/none")).toBeUndefined();
  });

  it("GitHub Actions OIDC: fetches the job token for api://AzureADTokenExchange and exchanges it", async () => {
    const calls: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
    const oidc = createServer((req, res) => {
      calls.push({ url: req.url ?? "", headers: req.headers });
      void federatedAssertion().then((value) => {
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ count: 1, value }));
      });
    });
    await new Promise<void>((resolve) => oidc.listen(0, "127.0.0.1", resolve));
    const port = (oidc.address() as AddressInfo).port;
    try {
      const gateway = createGateway({
        env: {
          ...base(),
          ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0`,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: "runtime-request-token",
        },
      });
      expect((await gateway.whoAmI()).appId).toBe(tenant.clientId);
      expect(gateway.credentialDescription).toContain("GitHub Actions OIDC");
      expect(calls).toHaveLength(1);
      const url = new URL(calls[0]?.url ?? "", "http://x");
      expect(url.searchParams.get("audience")).toBe("api://AzureADTokenExchange");
      expect(url.searchParams.get("api-version")).toBe("2.0");
      expect(calls[0]?.headers.authorization).toBe("Bearer runtime-request-token");
    } finally {
      await new Promise((resolve) => oidc.close(resolve));
    }
  });

  it("a rejected secret fails with the authority's reason and without the secret", async () => {
    const wrong = "definitely-wrong-secret-value";
    const gateway = createGateway({ env: { ...base(), AZURE_CLIENT_SECRET: wrong } });
    const error = (await gateway.get("/groups/x").catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(/could not get an access token for https:\/\/graph.microsoft.com\/.default/);
    expect(error.message).toMatch(/AADSTS/);
    expect(`${error.message}${String(error)}${JSON.stringify(error)}`).not.toContain(wrong);
  });
});
