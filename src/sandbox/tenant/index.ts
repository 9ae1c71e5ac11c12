/**
 * The sandbox tenant: a local, Graph-compatible Entra tenant behind the HTTPS front
 * (docs/design.md §6). `createTenant(options)` builds one from a seed or saved state; the front calls
 * `tenant.handle(request)` with authenticated requests and `findClient` / `findUser` for tokens.
 */
import { randomUUID } from "node:crypto";
import type { ClientRecord, GraphRequest, GraphResponse, Tenant, UserRecord } from "../types.js";
import { createSandboxClock } from "./core/clock.js";
import type { ClockMode, ControllableClock } from "./core/clock.js";
import { TenantCore } from "./core/tenant-core.js";
import type { ReferenceState } from "./core/tenant-core.js";
import type { ReplicationOptions } from "./core/replication.js";
import type { StoreState } from "./core/store.js";
import type { ResourceDefinition } from "./core/resource.js";
import { AuditLog } from "./audit/audit-log.js";
import type { AuditLatencySetting } from "./audit/audit-latency.js";
import { directoryResources } from "./resources/index.js";
import { policyResources } from "./resources/policies-registry.js";
import { SeedApi, systemContext } from "./seed-api.js";
import { createEntity } from "./core/crud.js";
import { ensureBootstrapApp } from "./identity/bootstrap.js";
import type { BootstrapClient } from "./identity/bootstrap.js";
import { findClient, findUser } from "./identity/clients.js";
import type { TenantOptions, TenantSeed } from "./options.js";

export type { TenantOptions, TenantSeed } from "./options.js";
export type { ClockMode } from "./core/clock.js";
export type { AuditLatencySetting } from "./audit/audit-latency.js";
export { MAX_REALISTIC_AUDIT_LATENCY_MS, REALISTIC_AUDIT_LATENCY, parseAuditLatency } from "./audit/audit-latency.js";
export type { BootstrapClient } from "./identity/bootstrap.js";
export { SeedApi } from "./seed-api.js";
export { defineResource } from "./core/resource.js";
export type { ResourceDefinition, RouteSpec, AuditNames, SoftDeletePolicy } from "./core/resource.js";
export { TenantCore } from "./core/tenant-core.js";
export type { ReferenceState } from "./core/tenant-core.js";
export { RequestContext } from "./core/context.js";
export type { Entity } from "./core/entity.js";
export * as graphErrors from "./core/errors.js";
export { GRAPH_APP_ROLE_IDS, MICROSOFT_GRAPH_APP_ID } from "./identity/graph-permissions.js";
export { BOOTSTRAP_APP_NAME, BOOTSTRAP_APP_ROLES } from "./identity/bootstrap.js";

/** Saved sandbox state (`exportState()`), JSON. */
export interface SandboxState {
  format: "entra-gitops-sandbox-state";
  version: 1;
  tenantId: string;
  domain: string;
  organizationName: string;
  clockMs: number;
  /** Absent in states saved before clock modes existed (then "real"). */
  clockMode?: ClockMode;
  store: StoreState;
}

export interface SandboxTenant extends Tenant {
  readonly clock: ControllableClock;
  /** The engine app's credentials (client credentials grant), for the env file. */
  readonly bootstrapClient: BootstrapClient;
  /** Internals, for resource implementations and tests. */
  readonly core: TenantCore;
  /** "ok" | "missing" | "replicating": whether a write may reference this object (counts as a read). */
  checkReference(id: string, collections?: readonly string[]): ReferenceState;
  /** Change the replication-delay fault at runtime. */
  setReplication(options: ReplicationOptions): void;
  /** Change the audit latency model at run time (and optionally restart its draws from a seed). */
  setAuditLatency(setting: AuditLatencySetting, seed?: number): void;
  /**
   * App-only access to the deleted items of Conditional Access policies and named locations: allowed
   * (default) or refused with 403, as a tenant may; cross-tenant partners' are refused either way (the
   * docs list no application permission).
   */
  setDeletedItemsAppOnly(mode: "allow" | "refuse"): void;
  /** Sandbox-clock milliseconds until every audit entry recorded so far is visible (0: none pending). */
  auditBacklogMs(): number;
  /** Build on the tenant like a seed does (no permission checks, no audit). */
  seedApi(): SeedApi;
  exportState(): SandboxState;
}

const SEED_ORDER = ["users", "groups", "applications", "servicePrincipals", "administrativeUnits", "roleAssignments", "appRoleAssignments"];

function isState(value: unknown): value is SandboxState {
  return typeof value === "object" && value !== null && (value as SandboxState).format === "entra-gitops-sandbox-state";
}

function applySeedData(api: SeedApi, seed: TenantSeed): void {
  const objects = seed.objects ?? {};
  const keys = [...SEED_ORDER.filter((k) => k in objects), ...Object.keys(objects).filter((k) => !SEED_ORDER.includes(k))];
  for (const key of keys) for (const body of objects[key] ?? []) api.create(key, body);
  for (const [upn, password] of Object.entries(seed.passwords ?? {})) api.setPassword(upn, password);
  for (const [appId, secrets] of Object.entries(seed.clientSecrets ?? {})) for (const s of secrets) api.addClientSecret(appId, s);
  for (const [appId, roles] of Object.entries(seed.appRoles ?? {})) api.grantAppRoles(appId, roles);
  for (const [appId, scopes] of Object.entries(seed.delegatedScopes ?? {})) api.grantDelegatedScopes(appId, scopes);
}

function createInitialObjects(core: TenantCore, resources: readonly ResourceDefinition[]): void {
  const ctx = systemContext(core);
  for (const def of resources) {
    for (const body of def.initial?.(ctx) ?? []) createEntity(ctx, def, body);
  }
}

/** A real-time clock resumes at the later of its saved time and now (it never runs backwards). */
function savedClockStart(saved: SandboxState): number {
  return (saved.clockMode ?? "real") === "real" ? Math.max(saved.clockMs, Date.now()) : saved.clockMs;
}

/** Build a sandbox tenant. Always contains the bootstrap "entra-gitops" app, whatever the seed. */
export function createTenant(options: TenantOptions = {}): SandboxTenant {
  const saved = options.state === undefined ? undefined : options.state;
  if (saved !== undefined && !isState(saved)) throw new Error("not a sandbox state file (missing format entra-gitops-sandbox-state)");
  const clock = saved
    ? createSandboxClock(savedClockStart(saved), saved.clockMode ?? "real")
    : createSandboxClock(options.clockStart, options.clock ?? "real");
  const core = new TenantCore({
    tenantId: saved?.tenantId ?? options.tenantId ?? randomUUID(),
    domain: saved?.domain ?? options.domain ?? "sandbox.onmicrosoft.com",
    organizationName: saved?.organizationName ?? options.displayName ?? "Sandbox Tenant",
    clock,
    ...(options.defaultPageSize === undefined ? {} : { defaultPageSize: options.defaultPageSize }),
    ...(options.replication === undefined ? {} : { replication: options.replication }),
    ...(options.delegatedRoleChecks === undefined ? {} : { delegatedRoleChecks: options.delegatedRoleChecks }),
    ...(options.auditLatency === undefined ? {} : { auditLatency: options.auditLatency }),
    ...(options.auditLatencySeed === undefined ? {} : { auditLatencySeed: options.auditLatencySeed }),
  });
  if (options.deletedItemsAppOnly !== undefined) core.deletedItemsAppOnly = options.deletedItemsAppOnly;
  const resources = [...directoryResources, ...policyResources, ...(options.resources ?? [])];
  for (const def of resources) core.register(def);
  const api = new SeedApi(core);
  if (saved) {
    core.store.importState(saved.store);
    core.auditLog = new AuditLog(core.store, core.auditLatency);
  } else {
    createInitialObjects(core, resources);
    if (typeof options.seed === "function") options.seed(api);
    else if (options.seed) applySeedData(api, options.seed);
  }
  const bootstrapClient = ensureBootstrapApp(api, options.bootstrapClient);

  return {
    tenantId: core.tenantId,
    domain: core.domain,
    clock,
    bootstrapClient,
    core,
    findClient: (appId: string): ClientRecord | undefined => findClient(core, appId),
    findUser: (upn: string): UserRecord | undefined => findUser(core, upn),
    handle: (request: GraphRequest): Promise<GraphResponse> => core.handle(request),
    checkReference: (id, collections) => core.checkReference(id, collections),
    setReplication: (replication) => {
      core.replication.options = replication;
    },
    setAuditLatency: (setting, seed) => core.auditLatency.set(setting, seed),
    setDeletedItemsAppOnly: (mode) => {
      core.deletedItemsAppOnly = mode;
    },
    auditBacklogMs: () => core.auditLog.backlogMs(clock.nowMs()),
    seedApi: () => api,
    exportState: (): SandboxState => ({
      format: "entra-gitops-sandbox-state",
      version: 1,
      tenantId: core.tenantId,
      domain: core.domain,
      organizationName: core.organizationName,
      clockMs: clock.nowMs(),
      clockMode: clock.mode,
      store: core.store.exportState(),
    }),
  };
}
