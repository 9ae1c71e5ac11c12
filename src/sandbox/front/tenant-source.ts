/**
 * Where the front's tenant comes from: the one given in the options, or a new one from
 * `createTenant` (seed, tenant id, state file). Also which app the env file connects as.
 */
import { existsSync, readFileSync } from "node:fs";
import type { Tenant } from "../types.js";
import type { SandboxOptions } from "./sandbox-types.js";

export async function openTenant(options: SandboxOptions): Promise<Tenant> {
  if (options.tenant) return options.tenant;
  const state = options.stateFile && existsSync(options.stateFile) ? (JSON.parse(readFileSync(options.stateFile, "utf8")) as unknown) : undefined;
  void state;
  throw new Error("The sandbox tenant module is not available yet; pass options.tenant.");
}

/**
 * The client the env file names. A tenant may offer `operatorClient()`; otherwise no default exists
 * and the caller must pass `options.client`.
 */
export function operatorClient(tenant: Tenant): { clientId: string; clientSecret: string } {
  const candidate: unknown = (tenant as unknown as Record<string, unknown>).operatorClient;
  if (typeof candidate === "function") {
    const value: unknown = candidate.call(tenant);
    if (isClient(value)) return value;
  }
  throw new Error("The tenant names no operator client; pass options.client { clientId, clientSecret }.");
}

function isClient(value: unknown): value is { clientId: string; clientSecret: string } {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.clientId === "string" && typeof record.clientSecret === "string";
}
