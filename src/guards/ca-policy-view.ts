import type { JsonObject, JsonValue } from "../documents/types.js";

/** Read-only accessors over a Conditional Access policy spec (Graph property names). */
export interface CaPolicyView {
  state: string | undefined;
  displayName: string | undefined;
  users: Record<"includeUsers" | "excludeUsers" | "includeGroups" | "excludeGroups" | "includeRoles" | "excludeRoles", string[]>;
  servicePrincipals: Record<"includeServicePrincipals" | "excludeServicePrincipals", string[]>;
  grant: { operator: string; builtInControls: string[]; alternatives: string[] } | undefined;
  /** Conditions that narrow when the policy applies, as `path: value` text. */
  narrowing: string[];
}

const obj = (v: JsonValue | undefined): JsonObject => (typeof v === "object" && v !== null && !Array.isArray(v) ? v : {});
const strings = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" && v ? [v] : []);

export function viewPolicy(spec: JsonObject): CaPolicyView {
  const conditions = obj(spec["conditions"]);
  const users = obj(conditions["users"]);
  const clients = obj(conditions["clientApplications"]);
  const grantRaw = spec["grantControls"];
  const grantObj = obj(grantRaw);
  const alternatives: string[] = [];
  if (grantObj["authenticationStrength"] != null && grantObj["authenticationStrength"] !== "") alternatives.push("grantControls.authenticationStrength");
  if (strings(grantObj["termsOfUse"]).length) alternatives.push("grantControls.termsOfUse");
  if (strings(grantObj["customAuthenticationFactors"]).length) alternatives.push("grantControls.customAuthenticationFactors");
  return {
    state: typeof spec["state"] === "string" ? spec["state"] : undefined,
    displayName: typeof spec["displayName"] === "string" ? spec["displayName"] : undefined,
    users: {
      includeUsers: strings(users["includeUsers"]),
      excludeUsers: strings(users["excludeUsers"]),
      includeGroups: strings(users["includeGroups"]),
      excludeGroups: strings(users["excludeGroups"]),
      includeRoles: strings(users["includeRoles"]),
      excludeRoles: strings(users["excludeRoles"]),
    },
    servicePrincipals: {
      includeServicePrincipals: strings(clients["includeServicePrincipals"]),
      excludeServicePrincipals: strings(clients["excludeServicePrincipals"]),
    },
    grant:
      grantRaw === null || grantRaw === undefined
        ? undefined
        : { operator: typeof grantObj["operator"] === "string" ? grantObj["operator"].toUpperCase() : "OR", builtInControls: strings(grantObj["builtInControls"]), alternatives },
    narrowing: narrowingConditions(conditions),
  };
}

function narrowingConditions(conditions: JsonObject): string[] {
  const out: string[] = [];
  const apps = obj(conditions["applications"]);
  const include = strings(apps["includeApplications"]);
  if (include.length && !include.includes("All")) out.push(`applications.includeApplications: ${include.join(", ")}`);
  if (strings(apps["includeUserActions"]).length) out.push(`applications.includeUserActions: ${strings(apps["includeUserActions"]).join(", ")}`);
  if (strings(apps["includeAuthenticationContextClassReferences"]).length) out.push("applications.includeAuthenticationContextClassReferences");
  if (strings(apps["excludeApplications"]).length) out.push(`applications.excludeApplications: ${strings(apps["excludeApplications"]).join(", ")}`);
  const locations = obj(conditions["locations"]);
  if (strings(locations["includeLocations"]).some((l) => l !== "All") || strings(locations["excludeLocations"]).length) {
    out.push(`locations: include ${strings(locations["includeLocations"]).join(", ") || "-"}, exclude ${strings(locations["excludeLocations"]).join(", ") || "-"}`);
  }
  const platforms = obj(conditions["platforms"]);
  if (strings(platforms["includePlatforms"]).some((p) => p !== "all") || strings(platforms["excludePlatforms"]).length) out.push("platforms");
  const clientAppTypes = strings(conditions["clientAppTypes"]);
  if (clientAppTypes.length && !clientAppTypes.includes("all")) out.push(`clientAppTypes: ${clientAppTypes.join(", ")}`);
  for (const risk of ["signInRiskLevels", "userRiskLevels", "servicePrincipalRiskLevels", "insiderRiskLevels"]) {
    if (strings(conditions[risk]).length) out.push(`${risk}: ${strings(conditions[risk]).join(", ")}`);
  }
  if (obj(conditions["devices"])["deviceFilter"] != null) out.push("devices.deviceFilter");
  if (obj(conditions["clientApplications"])["servicePrincipalFilter"] != null) out.push("clientApplications.servicePrincipalFilter");
  if (obj(conditions["authenticationFlows"])["transferMethods"] != null) out.push("authenticationFlows.transferMethods");
  return out;
}

/**
 * Why nobody (of those who can satisfy only `satisfiable`) can pass the grant controls, or
 * undefined when they can. `block` always counts.
 */
export function unmetControls(view: CaPolicyView, satisfiable: readonly string[]): string | undefined {
  const grant = view.grant;
  if (!grant) return undefined;
  const controls = grant.builtInControls;
  if (controls.includes("block")) return "blocks access (grantControls.builtInControls: block)";
  const unmet = controls.filter((c) => !satisfiable.includes(c));
  if (grant.operator === "AND" && unmet.length > 0) {
    return `requires ${controls.join(" AND ")} (grantControls.operator: AND), and ${unmet.join(", ")} cannot be satisfied by break-glass or automation identities`;
  }
  if (controls.length > 0 && unmet.length === controls.length && grant.alternatives.length === 0) {
    return `requires one of ${controls.join(", ")}, none of which break-glass or automation identities can satisfy`;
  }
  return undefined;
}
