/**
 * Where the front's tenant comes from: the one given in the options; the state file when it
 * exists; else a new tenant from `createTenant`, seeded with the built-in demo (Contoso), nothing
 * (`empty`), or a folder of Graph JSON exports. Also which app the env file connects as.
 */
import { existsSync, readFileSync } from "node:fs";
import { applyDemoConsents, demoSeedSteps, DEMO_DOMAIN } from "../seeds/demo/index.js";
import { folderSeed } from "../seeds/folder-seed.js";
import { applySeed } from "../seeds/seed-steps.js";
import type { SeedFailure } from "../seeds/seed-steps.js";
import { createTenant } from "../tenant/index.js";
import type { SandboxTenant } from "../tenant/index.js";
import type { Tenant } from "../types.js";
import type { TenantOptions } from "../tenant/options.js";
import type { SandboxOptions } from "./sandbox-types.js";

export interface SeedReport {
  /** Objects created from the seed. */
  applied: number;
  /** Seed objects the tenant refused (folder seeds only; the demo seed must apply cleanly). */
  failures: SeedFailure[];
  /** Files of a folder seed that were not Graph objects of a seeded kind. */
  skipped: Array<{ file: string; reason: string }>;
  /** Where the tenant came from. */
  source: "given" | "state" | "demo" | "empty" | "folder" | "documents";
}

export async function openTenant(options: SandboxOptions): Promise<{ tenant: Tenant; report: SeedReport }> {
  const none = { applied: 0, failures: [], skipped: [] };
  if (options.tenant) return { tenant: options.tenant, report: { ...none, source: "given" } };
  if (options.stateFile && existsSync(options.stateFile)) {
    const state: unknown = JSON.parse(readFileSync(options.stateFile, "utf8"));
    return { tenant: createTenant({ ...timeOptions(options), state }), report: { ...none, source: "state" } };
  }
  const seed = options.seed ?? "demo";
  const base: TenantOptions = {
    ...timeOptions(options),
    ...(options.tenantId ? { tenantId: options.tenantId } : {}),
    ...(options.resources ? { resources: options.resources } : {}),
  };
  if (seed === "empty") return { tenant: createTenant(base), report: { ...none, source: "empty" } };
  if (seed === "demo") {
    const tenant = createTenant({ ...base, domain: DEMO_DOMAIN, displayName: "Contoso" });
    const result = await applySeed(demoSeedSteps(), systemHandler(tenant), tenant.tenantId, true);
    applyDemoConsents(tenant.seedApi());
    return { tenant, report: { ...result, skipped: [], source: "demo" } };
  }
  if ("steps" in seed) {
    const tenant = createTenant(base);
    const result = await applySeed(seed.steps, systemHandler(tenant), tenant.tenantId, false);
    return { tenant, report: { ...result, skipped: [], source: "documents" } };
  }
  const folder = folderSeed(seed.dir);
  const tenant = createTenant(base);
  const result = await applySeed(folder.steps, systemHandler(tenant), tenant.tenantId, false);
  return { tenant, report: { ...result, skipped: folder.skipped, source: "folder" } };
}

/** The clock, audit latency and deleted-items options a new (or loaded) built-in tenant takes from the front's options. */
function timeOptions(options: SandboxOptions): TenantOptions {
  const out: TenantOptions = {};
  if (options.auditLatency !== undefined) out.auditLatency = options.auditLatency;
  if (options.auditLatencySeed !== undefined) out.auditLatencySeed = options.auditLatencySeed;
  if (options.clock !== undefined) out.clock = options.clock;
  if (options.deletedItemsAppOnly !== undefined) out.deletedItemsAppOnly = options.deletedItemsAppOnly;
  if (options.clockStart !== undefined) out.clockStart = options.clockStart;
  return out;
}

function systemHandler(tenant: SandboxTenant): Parameters<typeof applySeed>[1] {
  return (request) => tenant.core.handle(request, true);
}

/** The client the env file names: the tenant's bootstrap app, or `operatorClient()` of a given tenant. */
export function operatorClient(tenant: Tenant): { clientId: string; clientSecret: string } {
  const record = tenant as unknown as Record<string, unknown>;
  const bootstrap = record.bootstrapClient;
  if (typeof bootstrap === "object" && bootstrap !== null) {
    const { appId, clientSecret } = bootstrap as Record<string, unknown>;
    if (typeof appId === "string" && typeof clientSecret === "string") return { clientId: appId, clientSecret };
  }
  const candidate = record.operatorClient;
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
