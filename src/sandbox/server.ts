/**
 * `createSandbox`: the sandbox tenant's HTTPS front on 127.0.0.1 (docs/design.md §6). It owns TLS, the
 * identity endpoints, token checks, `$batch`, throttling, latency and faults, and hands each
 * authenticated Graph request to the tenant.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:https";
import type { Server } from "node:https";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { TokenService } from "./front/access-tokens.js";
import { ensureSandboxKeys } from "./front/certificates.js";
import { prepareEnvDirectory, writeEnvFile, writeJsonFile } from "./front/env-file.js";
import { FaultInjector } from "./front/faults.js";
import { GitHubActionsIssuer } from "./front/github-actions-issuer.js";
import { graphErrorBody } from "./front/graph-errors.js";
import { BodyTooLargeError, writeResponse } from "./front/http-io.js";
import { RequestLog } from "./front/request-log.js";
import { handleRequest } from "./front/router.js";
import type { RouterContext } from "./front/router.js";
import type { Sandbox, SandboxEnv, SandboxOptions } from "./front/sandbox-types.js";
import { openTenant, operatorClient } from "./front/tenant-source.js";
import { ThrottleModel } from "./front/throttling.js";
import type { SandboxTenant } from "./tenant/index.js";
import type { Tenant } from "./types.js";

/** Starts a sandbox around the given tenant. */
export async function createSandbox<T extends Tenant>(options: SandboxOptions & { tenant: T }): Promise<Sandbox<T>>;
/** Starts a sandbox around a new (or saved) built-in tenant. */
export async function createSandbox(options?: SandboxOptions): Promise<Sandbox<SandboxTenant>>;
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  if (options.envFile) prepareEnvDirectory(resolve(options.envFile));
  const certDir = resolve(options.certDir ?? (options.envFile ? dirname(resolve(options.envFile)) : join(tmpdir(), "entra-gitops-sandbox")));
  const keys = await ensureSandboxKeys(certDir);
  const { tenant, report } = await openTenant(options);
  const client = options.client ?? operatorClient(tenant);
  const tokens = new TokenService(keys.signingKey);
  const log = new RequestLog();
  const faults = new FaultInjector(options.faults);
  let latency = options.latencyMs ?? 0;
  const throttle = await throttleModel(options, tenant.tenantId, () => countUsers(tenant));

  const server: Server = createServer({ cert: keys.cert, key: keys.key });
  const ctx: RouterContext = { tenant, tokens, log, faults, origin: "", latencyMs: () => latency, ...(throttle ? { throttle } : {}) };
  const githubActions = new GitHubActionsIssuer(() => ctx.origin, () => tenant.clock.now());
  ctx.githubActions = githubActions;
  server.on("request", (req, res) => {
    handleRequest(req, res, ctx).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const ids = { requestId: randomUUID(), date: tenant.clock.now() };
      if (error instanceof BodyTooLargeError) {
        writeResponse(res, 413, { "request-id": ids.requestId }, graphErrorBody("RequestEntityTooLarge", "The request body is too large.", ids));
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      writeResponse(res, 500, { "request-id": ids.requestId }, graphErrorBody("generalException", `Sandbox front error: ${message}`, ids));
    });
  });
  const port = await listen(server, options.port ?? 0);
  const url = `https://127.0.0.1:${port}`;
  ctx.origin = url;

  const env: SandboxEnv = {
    AZURE_TENANT_ID: tenant.tenantId,
    AZURE_CLIENT_ID: client.clientId,
    AZURE_CLIENT_SECRET: client.clientSecret,
    AZURE_AUTHORITY_HOST: url,
    ENTRA_GITOPS_GRAPH_URL: url,
    NODE_EXTRA_CA_CERTS: keys.certPath,
  };
  if (options.envFile) writeEnvFile(resolve(options.envFile), env);

  const saveState = async (): Promise<void> => {
    if (options.stateFile) writeJsonFile(resolve(options.stateFile), tenant.exportState());
  };
  let stopped: Promise<void> | undefined;
  return {
    seedReport: report,
    url,
    port,
    tenantId: tenant.tenantId,
    graphUrl: url,
    env,
    certPath: keys.certPath,
    certDir,
    tenant,
    faults,
    githubActions: {
      get issuer() {
        return githubActions.issuer;
      },
      job: (job) => githubActions.registerJob(job),
    },
    requests: () => log.all(),
    clearRequests: () => log.clear(),
    setLatency: (ms: number) => {
      latency = ms;
    },
    saveState,
    stop: () => {
      stopped ??= (async () => {
        await close(server);
        await saveState();
      })();
      return stopped;
    },
  };
}

async function throttleModel(options: SandboxOptions, tenantId: string, users: () => Promise<number>): Promise<ThrottleModel | undefined> {
  if (!options.throttling) return undefined;
  const settings = options.throttling === true ? {} : options.throttling;
  if (settings.resourceUnits || settings.userCount !== undefined) return new ThrottleModel(tenantId, settings);
  return new ThrottleModel(tenantId, { ...settings, userCount: await users() });
}

/** The tenant's user count, for sizing the resource-unit bucket (0 when the tenant cannot say). */
async function countUsers(tenant: Tenant): Promise<number> {
  try {
    const response = await tenant.handle({
      method: "GET",
      version: "v1.0",
      path: "/users/$count",
      query: new URLSearchParams(),
      headers: { consistencylevel: "eventual" },
      body: undefined,
      principal: { type: "app", tenantId: tenant.tenantId, appId: "sandbox-front", appDisplayName: "sandbox front", roles: ["User.Read.All"], scopes: [] },
      serviceRoot: "https://127.0.0.1/v1.0",
      requestId: "sandbox-user-count",
    });
    const count = Number(response.body);
    return response.status === 200 && Number.isFinite(count) ? count : 0;
  } catch {
    return 0;
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      const address = server.address();
      if (address && typeof address === "object") resolvePort(address.port);
      else reject(new Error("sandbox server has no address"));
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}
