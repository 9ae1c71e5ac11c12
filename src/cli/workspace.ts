import type { Command } from "commander";
import { ConfigError, loadConfig } from "../config/index.js";
import type { ResolvedConfig } from "../config/index.js";
import { createGateway, type Gateway } from "../graph/create.js";
import type { GatewayEvent } from "../graph/stats.js";
import { withGraphVersion } from "../kinds/graph-versions.js";
import { isKind } from "../model/kind.js";
import type { Kind } from "../model/kind.js";
import { getKind, sortByDependencies } from "../kinds/registry.js";
import type { KindDescriptor } from "../kinds/types.js";
import { UserError } from "./errors.js";

export interface GlobalOptions {
  config: string;
  env?: string;
}

/** `--config` and `--env`, wherever they were given on the command line. */
export function globalOptions(command: Command): GlobalOptions {
  const opts = command.optsWithGlobals<{ config?: string; env?: string }>();
  return { config: opts.config ?? "entra-gitops.yaml", ...(opts.env ? { env: opts.env } : {}) };
}

export function readConfig(globals: GlobalOptions): ResolvedConfig {
  try {
    return loadConfig(globals.config, globals.env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UserError(error.message, error.diagnostics);
    throw error;
  }
}

/** The kinds in scope (config, narrowed by `--kinds`), in dependency order. */
export function kindsInScope(config: ResolvedConfig, only?: string): KindDescriptor[] {
  let kinds: Kind[] = config.kinds;
  if (only) {
    const asked = only.split(",").map((k) => k.trim()).filter(Boolean);
    const unknown = asked.filter((k) => !isKind(k));
    if (unknown.length > 0) throw new UserError(`unknown kind(s) in --kinds: ${unknown.join(", ")}`);
    kinds = asked.filter(isKind);
  }
  return sortByDependencies(kinds).map((kind) => withGraphVersion(getKind(kind), config.graphVersion[kind]));
}

/** The Graph gateway for the configured environment; the environment variables override it (docs/design.md §5). */
export function connect(config: ResolvedConfig, onWait?: (message: string) => void): Gateway {
  const env = config.environment;
  refuseTenantOverride(config);
  const pacing = process.env.ENTRA_GITOPS_CA_INTERVAL_MS;
  return createGateway({
    // Graph allows Conditional Access 1 request/s per tenant; a local sandbox without its
    // throttling model can be driven faster (tests, rehearsals).
    ...(pacing !== undefined && /^\d+$/.test(pacing) ? { conditionalAccessIntervalMs: Number(pacing) } : {}),
    settings: {
      ...(env?.tenantId ? { tenantId: env.tenantId } : {}),
      ...(env?.clientId ? { clientId: env.clientId } : {}),
      ...(env?.graphUrl ? { graphUrl: env.graphUrl } : {}),
      ...(env?.authorityHost ? { authorityHost: env.authorityHost } : {}),
    },
    ...(onWait
      ? {
          onEvent: (event: GatewayEvent) => onWait(describeEvent(event)),
        }
      : {}),
  });
}

function describeEvent(event: GatewayEvent): string {
  if (event.type === "throttled") {
    const wait = event.retryAfterMs !== undefined ? `, Retry-After ${(event.retryAfterMs / 1000).toFixed(1)} s` : ", no Retry-After: backing off";
    return `throttled on ${event.method} ${event.path}${wait}`;
  }
  const status = event.status !== undefined ? `HTTP ${event.status}` : event.reason;
  return `retry ${event.attempt} of ${event.method} ${event.path} after ${status}, waiting ${(event.delayMs / 1000).toFixed(1)} s`;
}

/**
 * AZURE_TENANT_ID supplies the tenant when the environment names none; when both name one they must
 * agree. A repository-wide CI variable would otherwise silently send every environment of a matrix to
 * the same tenant.
 */
export function refuseTenantOverride(config: ResolvedConfig, variables: NodeJS.ProcessEnv = process.env): void {
  const configured = config.environment?.tenantId;
  const variable = variables.AZURE_TENANT_ID?.trim();
  if (!configured || !variable || configured.toLowerCase() === variable.toLowerCase()) return;
  // A rehearsal: Graph is a sandbox on this machine (`sandbox --seed <repo> --seed-env <env>`), never
  // a real tenant, so the environment's own tenant cannot be reached by mistake.
  if (isLoopbackGraph(variables.ENTRA_GITOPS_GRAPH_URL)) return;
  throw new UserError(
    `environment "${config.environment?.name ?? "?"}" has tenantId ${configured} in ${config.file ?? "the configuration"}, but AZURE_TENANT_ID is ${variable}: refusing to guess which tenant is meant. Unset AZURE_TENANT_ID, or remove tenantId from the environment and let the variable (e.g. the GitHub environment's) supply it`,
  );
}

function isLoopbackGraph(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname;
    return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  } catch {
    return false;
  }
}
