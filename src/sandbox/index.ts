/**
 * The sandbox tenant: a local, Graph-compatible Entra tenant over HTTPS on 127.0.0.1 (docs/design.md §6).
 * Independent of the engine: nothing under src/sandbox imports src/graph, src/kinds or src/engine.
 */
export { createSandbox } from "./server.js";
export type { GitHubActionsControls, Sandbox, SandboxEnv, SandboxOptions, SandboxSeed } from "./front/sandbox-types.js";
export type { GitHubJobEnv, GitHubJobOptions } from "./front/github-actions-issuer.js";
export type { FaultControls, FaultRule, RandomFaultOptions, ScriptedStatus } from "./front/faults.js";
export type { RequestLogEntry } from "./front/request-log.js";
export type { ThrottlingOptions } from "./front/throttling.js";
export type { BucketSize } from "./front/token-bucket.js";
export { ensureSandboxKeys } from "./front/certificates.js";
export type { SandboxKeyFiles } from "./front/certificates.js";
export { formatEnvFile } from "./front/env-file.js";
export { createTenant } from "./tenant/index.js";
export type { AuditLatencySetting, ClockMode, SandboxTenant, TenantOptions } from "./tenant/index.js";
export { MAX_REALISTIC_AUDIT_LATENCY_MS, parseAuditLatency } from "./tenant/index.js";
export type { SeedReport } from "./front/tenant-source.js";
export type { ClientRecord, FederatedCredentialRecord, GraphRequest, GraphResponse, Principal, SandboxClock, Tenant, UserRecord } from "./types.js";
