import type { JsonObject, JsonValue } from "../model/document.js";
import { keySet } from "./refs.js";

const obj = (v: JsonValue | undefined): JsonObject | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? v : undefined);
const list = (v: JsonValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
/** Graph flag enums travel as one comma-joined string (`deviceCodeFlow,authenticationTransfer`). */
const flags = (v: JsonValue | undefined): string[] => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : list(v));
const lower = (values: readonly string[]): Set<string> => new Set(values.map((v) => v.toLowerCase()));

export interface GuestCondition {
  types: Set<string>;
  /** `all`, or the enumerated tenant ids (lower case). */
  tenants: "all" | Set<string>;
}

export interface FilterCondition {
  mode: "include" | "exclude";
  rule: string;
}

/** A Conditional Access policy spec compiled once into sets the evaluator reads per sign-in. */
export interface CompiledPolicy {
  name: string;
  displayName: string;
  state: "enabled" | "enabledForReportingButNotEnforced" | "disabled";
  users: {
    includeUsers: Set<string>;
    excludeUsers: Set<string>;
    includeGroups: Set<string>;
    excludeGroups: Set<string>;
    includeRoles: Set<string>;
    excludeRoles: Set<string>;
    includeGuests?: GuestCondition;
    excludeGuests?: GuestCondition;
  };
  /** Set when the policy targets workload identities. */
  servicePrincipals?: { include: Set<string>; exclude: Set<string>; filter?: FilterCondition };
  applications: {
    include: Set<string>;
    exclude: Set<string>;
    userActions: Set<string>;
    authenticationContexts: Set<string>;
    filter?: FilterCondition;
  };
  platforms?: { include: Set<string>; exclude: Set<string> };
  locations?: { include: Set<string>; exclude: Set<string> };
  clientAppTypes: Set<string>;
  signInRisk: Set<string>;
  userRisk: Set<string>;
  servicePrincipalRisk: Set<string>;
  insiderRisk: Set<string>;
  transferMethods: Set<string>;
  deviceFilter?: FilterCondition;
  grant: { block: boolean; operator: "AND" | "OR"; controls: string[] } | undefined;
  session: string[];
}

function guests(v: JsonValue | undefined): GuestCondition | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const tenants = obj(o["externalTenants"]);
  const kind = typeof tenants?.["membershipKind"] === "string" ? tenants["membershipKind"] : "all";
  return { types: lower(flags(o["guestOrExternalUserTypes"])), tenants: kind === "enumerated" ? lower(list(tenants?.["members"])) : "all" };
}

function filter(v: JsonValue | undefined): FilterCondition | undefined {
  const o = obj(v);
  if (!o || typeof o["rule"] !== "string" || !o["rule"].trim()) return undefined;
  return { mode: o["mode"] === "exclude" ? "exclude" : "include", rule: o["rule"] };
}

function grantOf(v: JsonValue | undefined): CompiledPolicy["grant"] {
  const g = obj(v);
  if (!g) return undefined;
  const builtIn = list(g["builtInControls"]);
  const controls = builtIn.filter((c) => c !== "block");
  const strength = obj(g["authenticationStrength"]);
  const strengthId = strength && typeof strength["id"] === "string" ? strength["id"] : typeof g["authenticationStrength"] === "string" ? g["authenticationStrength"] : undefined;
  if (strengthId) controls.push(strengthId.startsWith("authenticationStrength:") ? strengthId : `authenticationStrength:${strengthId}`);
  for (const t of list(g["termsOfUse"])) controls.push(`termsOfUse:${t}`);
  for (const f of list(g["customAuthenticationFactors"])) controls.push(`customFactor:${f}`);
  const block = builtIn.includes("block");
  if (!block && controls.length === 0) return undefined;
  return { block, operator: g["operator"] === "AND" ? "AND" : "OR", controls };
}

function sessionOf(v: JsonValue | undefined): string[] {
  const s = obj(v);
  if (!s) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(s)) {
    if (key.startsWith("@odata")) continue;
    const o = obj(value);
    if (value === true || (o && o["isEnabled"] !== false && (o["isEnabled"] === true || key === "continuousAccessEvaluation" || key === "secureSignInSession"))) {
      if (key === "signInFrequency" && o) out.push(o["frequencyInterval"] === "everyTime" ? "signInFrequency: every time" : `signInFrequency: ${String(o["value"] ?? "?")} ${String(o["type"] ?? "")}`.trim());
      else if (key === "persistentBrowser" && o) out.push(`persistentBrowser: ${String(o["mode"] ?? "?")}`);
      else if (key === "cloudAppSecurity" && o) out.push(`cloudAppSecurity: ${String(o["cloudAppSecurityType"] ?? "?")}`);
      else if (key === "continuousAccessEvaluation" && o) out.push(`continuousAccessEvaluation: ${String(o["mode"] ?? "?")}`);
      else out.push(key);
    }
  }
  return out.sort();
}

export function compilePolicy(name: string, spec: JsonObject): CompiledPolicy {
  const c = obj(spec["conditions"]) ?? {};
  const u = obj(c["users"]) ?? {};
  const apps = obj(c["applications"]) ?? {};
  const clients = obj(c["clientApplications"]);
  const platforms = obj(c["platforms"]);
  const locations = obj(c["locations"]);
  const devices = obj(c["devices"]);
  const flows = obj(c["authenticationFlows"]);
  const includeGuests = guests(u["includeGuestsOrExternalUsers"]);
  const excludeGuests = guests(u["excludeGuestsOrExternalUsers"]);
  const spInclude = clients ? keySet(list(clients["includeServicePrincipals"])) : new Set<string>();
  const spFilter = clients ? filter(clients["servicePrincipalFilter"]) : undefined;
  const appFilter = filter(apps["applicationFilter"]);
  const platformInclude = platforms ? lower(list(platforms["includePlatforms"])) : new Set<string>();
  const locationInclude = locations ? keySet(list(locations["includeLocations"])) : new Set<string>();
  const deviceFilter = devices ? filter(devices["deviceFilter"]) : undefined;
  const state = spec["state"] === "enabled" || spec["state"] === "enabledForReportingButNotEnforced" ? spec["state"] : "disabled";
  const grant = grantOf(spec["grantControls"]);
  return {
    name,
    displayName: typeof spec["displayName"] === "string" ? spec["displayName"] : name,
    state,
    users: {
      includeUsers: keySet(list(u["includeUsers"])),
      excludeUsers: keySet(list(u["excludeUsers"])),
      includeGroups: keySet(list(u["includeGroups"])),
      excludeGroups: keySet(list(u["excludeGroups"])),
      includeRoles: keySet(list(u["includeRoles"])),
      excludeRoles: keySet(list(u["excludeRoles"])),
      ...(includeGuests ? { includeGuests } : {}),
      ...(excludeGuests ? { excludeGuests } : {}),
    },
    ...(spInclude.size > 0 || spFilter
      ? { servicePrincipals: { include: spInclude, exclude: keySet(list(clients?.["excludeServicePrincipals"])), ...(spFilter ? { filter: spFilter } : {}) } }
      : {}),
    applications: {
      include: keySet(list(apps["includeApplications"])),
      exclude: keySet(list(apps["excludeApplications"])),
      userActions: lower(list(apps["includeUserActions"])),
      authenticationContexts: keySet(list(apps["includeAuthenticationContextClassReferences"])),
      ...(appFilter ? { filter: appFilter } : {}),
    },
    ...(platformInclude.size > 0 ? { platforms: { include: platformInclude, exclude: lower(list(platforms?.["excludePlatforms"])) } } : {}),
    ...(locationInclude.size > 0 ? { locations: { include: locationInclude, exclude: keySet(list(locations?.["excludeLocations"])) } } : {}),
    clientAppTypes: lower(list(c["clientAppTypes"]).filter((t) => t !== "all")),
    signInRisk: lower(flags(c["signInRiskLevels"])),
    userRisk: lower(flags(c["userRiskLevels"])),
    servicePrincipalRisk: lower(flags(c["servicePrincipalRiskLevels"])),
    insiderRisk: lower(flags(c["insiderRiskLevels"])),
    transferMethods: lower(flags(flows?.["transferMethods"])),
    ...(deviceFilter ? { deviceFilter } : {}),
    grant,
    session: sessionOf(spec["sessionControls"]),
  };
}
