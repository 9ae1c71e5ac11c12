/**
 * Starts a sandbox for a test, using the certificate that test/global-setup.ts created (and that
 * this worker already trusts through NODE_EXTRA_CA_CERTS), and returns it with a ready
 * `ClientSecretCredential` and an authenticated `@microsoft/microsoft-graph-client` Client.
 */
import { ClientSecretCredential } from "@azure/identity";
import type { TokenCredential } from "@azure/identity";
import { Client } from "@microsoft/microsoft-graph-client";
import type { Middleware } from "@microsoft/microsoft-graph-client";
import { inject } from "vitest";
import { createSandbox } from "../../src/sandbox/index.js";
import type { Sandbox, SandboxOptions, SandboxTenant, Tenant } from "../../src/sandbox/index.js";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

export interface StartedSandbox<T extends Tenant = Tenant> {
  sandbox: Sandbox<T>;
  credential: ClientSecretCredential;
  client: Client;
  stop(): Promise<void>;
}

/** The certificate directory created by global setup (trusted by this worker). */
export function testCertDir(): string {
  const fromEnv = process.env.ENTRA_GITOPS_TEST_CERT_DIR;
  const provided = inject("sandboxCertDir");
  const dir = provided ?? fromEnv;
  if (!dir) throw new Error("No sandbox certificate directory: is test/global-setup.ts configured in vitest.config.ts?");
  return dir;
}

export async function startSandbox<T extends Tenant>(options: SandboxOptions & { tenant: T }): Promise<StartedSandbox<T>>;
export async function startSandbox(options?: SandboxOptions): Promise<StartedSandbox<SandboxTenant>>;
export async function startSandbox(options: SandboxOptions = {}): Promise<StartedSandbox<Tenant>> {
  const sandbox: Sandbox<Tenant> = await createSandbox({ certDir: testCertDir(), ...options });
  const credential = credentialFor(sandbox);
  const client = graphClient(sandbox, credential);
  return { sandbox, credential, client, stop: () => sandbox.stop() };
}

/** A client-secret credential for the sandbox (defaults to the env file's app). */
export function credentialFor(sandbox: Sandbox<Tenant>, clientId = sandbox.env.AZURE_CLIENT_ID, secret = sandbox.env.AZURE_CLIENT_SECRET): ClientSecretCredential {
  return new ClientSecretCredential(sandbox.tenantId, clientId, secret, {
    authorityHost: sandbox.url,
    disableInstanceDiscovery: true,
  });
}

/**
 * A Graph client against the sandbox. `customHosts` is required: the client only attaches the
 * bearer token to Graph hosts and custom hosts (docs/graph-behaviour.md §14). Pass `middleware` to replace
 * the default chain (e.g. a RetryHandler with a short delay).
 */
export function graphClient(sandbox: Sandbox<Tenant>, credential: TokenCredential, middleware?: Middleware): Client {
  const host = new URL(sandbox.url).host;
  const authProvider = authProviderFor(credential);
  if (middleware) {
    return Client.initWithMiddleware({ middleware, baseUrl: `${sandbox.url}/`, customHosts: new Set([host, "127.0.0.1"]) });
  }
  return Client.initWithMiddleware({ authProvider, baseUrl: `${sandbox.url}/`, customHosts: new Set([host, "127.0.0.1"]) });
}

/** An AuthenticationProvider for the Graph client, backed by an @azure/identity credential. */
export function authProviderFor(credential: TokenCredential): { getAccessToken(): Promise<string> } {
  return {
    getAccessToken: async (): Promise<string> => {
      const token = await credential.getToken(GRAPH_SCOPE);
      if (!token) throw new Error("no token from the sandbox");
      return token.token;
    },
  };
}

/**
 * Entra's audit log runs minutes late, and so does the sandbox's (realistic latency by default):
 * moves the sandbox clock forward until every audit entry written so far is visible, as if the
 * test had waited. A tenant without an audit backlog is left alone.
 */
export function catchUpAuditLog(sandbox: Sandbox<Tenant>): number {
  const tenant = sandbox.tenant as Tenant & Partial<Pick<SandboxTenant, "auditBacklogMs">>;
  const backlog = tenant.auditBacklogMs?.() ?? 0;
  if (backlog > 0) tenant.clock.advance(backlog);
  return backlog;
}
