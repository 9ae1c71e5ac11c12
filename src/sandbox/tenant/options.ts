import type { AuditLatencySetting } from "./audit/audit-latency.js";
import type { ClockMode } from "./core/clock.js";
import type { ReplicationOptions } from "./core/replication.js";
import type { ResourceDefinition } from "./core/resource.js";
import type { SeedApi } from "./seed-api.js";

/**
 * Data a seed supplies (see `src/sandbox/seeds/`): plain Graph JSON objects per store collection
 * plus the sandbox-internal credentials Graph never returns.
 */
export interface TenantSeed {
  /**
   * Objects per collection, created through each resource's own create logic (defaults, validation,
   * `members@odata.bind` / `owners@odata.bind`), keeping a supplied `id`. Directory collections are
   * created first in this order: users, groups, applications, servicePrincipals,
   * administrativeUnits, roleAssignments; then every other key in its own order (policy collections).
   * Collection names: users, groups, applications, servicePrincipals, administrativeUnits,
   * roleAssignments, appRoleAssignments, and the policy resources' collection names.
   */
  objects?: Readonly<Record<string, readonly Record<string, unknown>[]>>;
  /** Passwords by userPrincipalName (for the password grant; never returned by Graph). */
  passwords?: Readonly<Record<string, string>>;
  /** Client secret texts by appId; each also appears as passwordCredentials metadata. */
  clientSecrets?: Readonly<Record<string, readonly string[]>>;
  /** Microsoft Graph application permissions (app role names) granted per appId. */
  appRoles?: Readonly<Record<string, readonly string[]>>;
  /** Delegated permissions consented per appId, for password-grant tokens. */
  delegatedScopes?: Readonly<Record<string, readonly string[]>>;
}

export interface TenantOptions {
  tenantId?: string;
  /** Initial verified domain, e.g. "contoso.onmicrosoft.com". */
  domain?: string;
  /** Organization display name. */
  displayName?: string;
  /** Seed data, or a function that builds the tenant through the seed API. Ignored when `state` is given. */
  seed?: TenantSeed | ((api: SeedApi) => void);
  /** State from a previous `exportState()` (persistence). */
  state?: unknown;
  /** Overrides every resource's default page size (e.g. 2 in tests, so paging is exercised). */
  defaultPageSize?: number;
  /** Replication-delay fault: new objects stay invisible for N reads and/or N sandbox ms. */
  replication?: ReplicationOptions;
  /** Sandbox clock start (default: now). */
  clockStart?: Date | string | number;
  /**
   * `real` (default): the clock follows real time from `clockStart`; `manual`: it stays put and only
   * moves with `clock.advance` / `clock.set` (tests that assert exact timestamps). Either can be
   * moved forward. A saved state keeps its mode; a `real` one resumes at the later of its saved
   * time and now.
   */
  clock?: ClockMode;
  /**
   * How late audit entries reach `GET /auditLogs/directoryAudits`: "realistic" (default: seeded
   * draws, p95 2 min, p99 5 min, at most 15 min), "off" (at once) or a fixed delay in ms.
   */
  auditLatency?: AuditLatencySetting;
  /** Seed of the realistic audit latency draws (default: a fixed seed, so runs repeat). */
  auditLatencySeed?: number;
  /** The bootstrap engine app's credentials (default: generated once, persisted in state). */
  bootstrapClient?: { appId?: string; clientSecret?: string };
  /**
   * Graph's delegated model: a user token's scope only works when the signed-in user also holds a
   * directory role that allows it (e.g. Conditional Access Administrator for
   * Policy.ReadWrite.ConditionalAccess). Default false (scopes alone decide) until every caller's
   * tests give their users roles; see core/delegated-roles.ts.
   */
  delegatedRoleChecks?: boolean;
  /**
   * App-only tokens on the policy deleted-items endpoints (CA policies, named locations): "allow"
   * (default) or "refuse" (403), as a tenant may; cross-tenant partners' are refused either way.
   */
  deletedItemsAppOnly?: "allow" | "refuse";
  /** Extra resource definitions (besides the built-in directory and policy resources). */
  resources?: readonly ResourceDefinition[];
}
