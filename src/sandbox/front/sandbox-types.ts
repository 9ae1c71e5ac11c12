/** Options and the handle of a running sandbox (the public surface of `createSandbox`). */
import type { AuditLatencySetting } from "../tenant/audit/audit-latency.js";
import type { ClockMode } from "../tenant/core/clock.js";
import type { ResourceDefinition } from "../tenant/core/resource.js";
import type { Tenant } from "../types.js";
import type { SeedStep } from "../seeds/seed-steps.js";
import type { FaultControls, RandomFaultOptions } from "./faults.js";
import type { GitHubJobEnv, GitHubJobOptions } from "./github-actions-issuer.js";
import type { RequestLogEntry } from "./request-log.js";
import type { SeedReport } from "./tenant-source.js";
import type { ThrottlingOptions } from "./throttling.js";

/**
 * `demo`, `empty`, a folder of Graph JSON exports (`dir`), or prepared writes (`steps`, e.g. a
 * configuration repository's documents turned into requests by the CLI; `source` names it).
 */
export type SandboxSeed = "demo" | "empty" | { dir: string } | { steps: readonly SeedStep[]; source: string };

export interface SandboxOptions {
  /** TCP port on 127.0.0.1; 0 or omitted = a free port. */
  port?: number;
  /** Seed for a new tenant, passed to `createTenant`; default "demo". */
  seed?: SandboxSeed;
  /** Tenant state is loaded from this file when it exists and written to it by `stop()`. */
  stateFile?: string;
  /** Writes the connection variables (KEY=value lines, mode 600) to this file on start. */
  envFile?: string;
  /** Where the TLS certificate and token-signing key live; default: the env file's directory. */
  certDir?: string;
  /** Tenant id for a new tenant (passed to `createTenant`). */
  tenantId?: string;
  /** Resource definitions a new tenant serves besides the built-in ones (passed to `createTenant`). */
  resources?: readonly ResourceDefinition[];
  /** Delay added to every Graph request, in milliseconds. */
  latencyMs?: number;
  /**
   * How late audit entries become visible (built-in tenant): "realistic" (default; p95 2 min, p99
   * 5 min, at most 15 min, seeded), "off", or a fixed delay in ms. Move `tenant.clock` forward (or
   * wait) to see them.
   */
  auditLatency?: AuditLatencySetting;
  /** Seed of the realistic audit latency draws. */
  auditLatencySeed?: number;
  /** App-only tokens on the CA policies' and named locations' deleted items: "allow" (default) or "refuse". */
  deletedItemsAppOnly?: "allow" | "refuse";
  /** The built-in tenant's clock: "real" (default, follows real time) or "manual" (moves only when told). */
  clock?: ClockMode;
  /** Where a new built-in tenant's clock starts (default: now). */
  clockStart?: Date | string | number;
  /** Graph throttling model; off unless `true` or an options object. */
  throttling?: boolean | ThrottlingOptions;
  /** Random faults (seeded); scripted faults go through `sandbox.faults.inject`. */
  faults?: RandomFaultOptions;
  /** Use this tenant instead of creating one (tests, embedding). */
  tenant?: Tenant;
  /** The app the env file connects as; default: the tenant's operator client. */
  client?: { clientId: string; clientSecret: string };
}

/** The variables that connect `@azure/identity` and the engine to the sandbox (docs/design.md §6). */
export interface SandboxEnv {
  AZURE_TENANT_ID: string;
  AZURE_CLIENT_ID: string;
  AZURE_CLIENT_SECRET: string;
  AZURE_AUTHORITY_HOST: string;
  ENTRA_GITOPS_GRAPH_URL: string;
  NODE_EXTRA_CA_CERTS: string;
}

export interface GitHubActionsControls {
  /** `https://127.0.0.1:PORT/github-actions`, the `iss` of the tokens. */
  readonly issuer: string;
  /** A new job (its own request token) with the given repository, event, ref or environment. */
  job(options: GitHubJobOptions): GitHubJobEnv;
}

/** `T` is the tenant's type: the built-in `SandboxTenant` unless the options supplied another. */
export interface Sandbox<T extends Tenant = Tenant> {
  /** `https://127.0.0.1:PORT` (also the authority host). */
  readonly url: string;
  readonly port: number;
  readonly tenantId: string;
  /** Graph root without a version, for `ENTRA_GITOPS_GRAPH_URL`. */
  readonly graphUrl: string;
  readonly env: SandboxEnv;
  /** The TLS certificate (PEM path) clients must trust. */
  readonly certPath: string;
  readonly certDir: string;
  readonly tenant: T;
  /** How the tenant was built: from the options, a state file, or a seed (with refused objects). */
  readonly seedReport: SeedReport;
  readonly faults: FaultControls;
  /**
   * The sandbox's GitHub-Actions-like OIDC issuer (`<url>/github-actions`): `job(…)` returns the
   * variables a job with `permissions: id-token: write` gets (ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN,
   * GITHUB_ACTIONS, …); its tokens are accepted by the token endpoint as federated client assertions
   * for apps with a matching federated identity credential (issuer = `issuer`).
   */
  readonly githubActions: GitHubActionsControls;
  /** Every request the front answered, in arrival order. */
  requests(): readonly RequestLogEntry[];
  clearRequests(): void;
  /** Changes the per-request latency at run time. */
  setLatency(ms: number): void;
  /** Writes the tenant state to `stateFile` (no-op without one). */
  saveState(): Promise<void>;
  /** Stops the server and persists state to `stateFile` when one was given. */
  stop(): Promise<void>;
}
