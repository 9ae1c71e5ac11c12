/**
 * The `folder` seed: every `*.json` file under a directory (Graph JSON exports, e.g. a backup made by
 * another tool) becomes a POST to its collection, in dependency order (directory objects, then named
 * locations and authentication strengths, then Conditional Access policies). Object ids in the files
 * are kept so references between them resolve; server-managed fields and OData annotations are
 * dropped as any importer does. The tenant then applies its own validation to each body.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { GraphJsonError, readGraphJsonFile } from "./graph-json-file.js";
import type { SeedStep } from "./seed-steps.js";

type Json = Record<string, unknown>;

export type SeedKind = "user" | "group" | "application" | "servicePrincipal" | "administrativeUnit" | "namedLocation" | "authenticationStrengthPolicy" | "conditionalAccessPolicy";

const PATHS: Record<SeedKind, string> = {
  user: "/users",
  group: "/groups",
  application: "/applications",
  servicePrincipal: "/servicePrincipals",
  administrativeUnit: "/directory/administrativeUnits",
  namedLocation: "/identity/conditionalAccess/namedLocations",
  authenticationStrengthPolicy: "/policies/authenticationStrengthPolicies",
  conditionalAccessPolicy: "/identity/conditionalAccess/policies",
};

const ORDER: SeedKind[] = ["user", "group", "application", "servicePrincipal", "administrativeUnit", "namedLocation", "authenticationStrengthPolicy", "conditionalAccessPolicy"];

/** Server-managed fields per kind (never sent by an importer). */
const SERVER_MANAGED: Record<SeedKind, readonly string[]> = {
  user: ["createdDateTime", "deletedDateTime", "onPremisesSyncEnabled", "mail", "proxyAddresses", "securityIdentifier", "signInActivity", "assignedPlans", "provisionedPlans"],
  group: ["createdDateTime", "deletedDateTime", "renewedDateTime", "expirationDateTime", "createdByAppId", "organizationId", "securityIdentifier", "mail", "proxyAddresses", "onPremisesProvisioningErrors", "serviceProvisioningErrors", "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesNetBiosName", "onPremisesObjectIdentifier", "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "infoCatalogs", "writebackConfiguration", "resourceBehaviorOptions", "resourceProvisioningOptions", "isManagementRestricted"],
  application: ["createdDateTime", "deletedDateTime", "publisherDomain", "passwordCredentials", "keyCredentials"],
  servicePrincipal: ["createdDateTime", "deletedDateTime", "appDisplayName", "appOwnerOrganizationId", "passwordCredentials", "keyCredentials"],
  administrativeUnit: ["deletedDateTime"],
  namedLocation: ["createdDateTime", "modifiedDateTime", "deletedDateTime"],
  authenticationStrengthPolicy: ["createdDateTime", "modifiedDateTime", "policyType", "requirementsSatisfied", "combinationConfigurations"],
  conditionalAccessPolicy: ["createdDateTime", "modifiedDateTime", "deletedDateTime", "templateId"],
};

function typeOf(value: Json): string {
  const t = value["@odata.type"];
  return typeof t === "string" ? t.replace(/^#?microsoft\.graph\./, "") : "";
}

/** Which kind a Graph JSON object is: its `@odata.type`, else the properties only that kind has. */
export function detectKind(value: Json): SeedKind | undefined {
  const t = typeOf(value);
  if (t.endsWith("NamedLocation")) return "namedLocation";
  if ((ORDER as string[]).includes(t)) return t as SeedKind;
  if ("conditions" in value && ("grantControls" in value || "sessionControls" in value)) return "conditionalAccessPolicy";
  if ("ipRanges" in value || "countriesAndRegions" in value) return "namedLocation";
  if ("allowedCombinations" in value) return "authenticationStrengthPolicy";
  if ("userPrincipalName" in value) return "user";
  if ("securityEnabled" in value || "groupTypes" in value) return "group";
  if ("servicePrincipalType" in value || "servicePrincipalNames" in value) return "servicePrincipal";
  if ("appId" in value && "signInAudience" in value) return "application";
  if ("isMemberManagementRestricted" in value) return "administrativeUnit";
  return undefined;
}

/** Drops annotations, advertised operations, server-managed fields and nulls, recursively for annotations. */
export function cleanForCreate(kind: SeedKind, value: Json): Json {
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith("#") || (key.includes("@") && key !== "@odata.type")) continue;
    if (SERVER_MANAGED[kind].includes(key) || v === null) continue;
    out[key] = stripAnnotations(v);
  }
  if (kind === "namedLocation" && !out["@odata.type"]) out["@odata.type"] = "ipRanges" in out ? "#microsoft.graph.ipNamedLocation" : "#microsoft.graph.countryNamedLocation";
  if (kind !== "namedLocation") delete out["@odata.type"];
  return out;
}

function stripAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripAnnotations);
  if (typeof value !== "object" || value === null) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith("#") || (key.includes("@") && key !== "@odata.type")) continue;
    out[key] = stripAnnotations(v);
  }
  return out;
}

export interface FolderSeed {
  steps: SeedStep[];
  /** Files not applied, with the reason (not Graph objects, unknown kind, unreadable JSON). */
  skipped: { file: string; reason: string }[];
}

function listJsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listJsonFiles(full));
    else if (name.toLowerCase().endsWith(".json")) out.push(full);
  }
  return out;
}

/** Reads a folder of Graph JSON into seed steps (beta endpoints: exports often carry beta-only blocks). */
export function folderSeed(dir: string, version: "v1.0" | "beta" = "beta"): FolderSeed {
  const buckets = new Map<SeedKind, SeedStep[]>();
  const skipped: FolderSeed["skipped"] = [];
  for (const file of listJsonFiles(dir)) {
    const name = relative(dir, file);
    let parsed: unknown;
    try {
      parsed = readGraphJsonFile(file);
    } catch (error) {
      if (error instanceof GraphJsonError) {
        skipped.push({ file: name, reason: error.message });
        continue;
      }
      throw error;
    }
    const items = typeof parsed === "object" && parsed !== null && Array.isArray((parsed as Json)["value"]) ? ((parsed as Json)["value"] as unknown[]) : [parsed];
    for (const item of items) {
      const kind = typeof item === "object" && item !== null && !Array.isArray(item) ? detectKind(item as Json) : undefined;
      if (!kind) {
        skipped.push({ file: name, reason: "not a Graph object of a kind the sandbox seeds" });
        continue;
      }
      const body = cleanForCreate(kind, item as Json);
      const label = `${kind} "${String(body["displayName"] ?? body["id"] ?? name)}" from ${name}`;
      buckets.set(kind, [...(buckets.get(kind) ?? []), { method: "POST", path: PATHS[kind], version, body, label }]);
    }
  }
  return { steps: ORDER.flatMap((k) => buckets.get(k) ?? []), skipped };
}
