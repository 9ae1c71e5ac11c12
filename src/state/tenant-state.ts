/**
 * The per-environment tenant state file `.entra-gitops/state/<env>/credentials.yaml`: the kinds'
 * `tenantState` properties (an application's credential metadata: key ids, names, expiry; never a
 * secret) when several environments share the documents, README "Several tenants". Each tenant's
 * differ, so they are recorded per environment, not in the shared documents and not as drift.
 */
import type { JsonObject, JsonValue } from "../model/document.js";
import { formatAddressMap, parseAddressMap } from "./address-map-file.js";
import { stateEnvironment } from "./paths.js";

/** Address `KIND/NAME` → the tenant-state properties of that object. */
export type TenantState = Map<string, JsonObject>;

export function formatTenantState(state: ReadonlyMap<string, JsonObject>, environment: string | undefined): string {
  return formatAddressMap(state as ReadonlyMap<string, JsonValue>, [
    `Credential metadata of environment "${stateEnvironment(environment)}" in its tenant, by document address KIND/NAME.`,
    "Written by entra-gitops export and sync when several environments share the documents; never secrets.",
  ]);
}

export function parseTenantState(text: string, file: string): TenantState {
  const { entries } = parseAddressMap<JsonObject>(text, file, (value) => (value !== null && typeof value === "object" && !Array.isArray(value) ? undefined : "expected the object's credential properties"));
  return entries;
}
