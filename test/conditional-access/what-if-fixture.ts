/**
 * The cross-check between the engine's Conditional Access evaluator and the sandbox's What If
 * (`POST /identity/conditionalAccess/evaluate`): seeded sign-in scenarios over a tenant read through
 * the engine's own snapshot, each asked of both. The two evaluators share no code; the scenario is
 * written once and translated into each one's terms (engine references `user:<upn>`,
 * `application:<name>`; Graph ids for the sandbox).
 */
import type { Client } from "@microsoft/microsoft-graph-client";
import { OFFICE_365_APP_IDS, ADMIN_PORTAL_APP_IDS } from "../../src/facts/app-suites.js";
import { evaluateSignIn } from "../../src/conditional-access/evaluate.js";
import { addressIn } from "../../src/conditional-access/ip-range.js";
import type { ClientAppType, DevicePlatform, RiskLevel, SignIn, Target, TransferMethod } from "../../src/conditional-access/types.js";
import { buildWorld, type CaWorld } from "../../src/conditional-access/world.js";
import type { JsonObject, JsonValue } from "../../src/model/document.js";
import { takeSnapshot, type LiveDocument } from "../../src/engine/snapshot/snapshot.js";
import { createGateway } from "../../src/graph/create.js";
import type { Kind } from "../../src/model/kind.js";
import { getKind, sortByDependencies } from "../../src/kinds/registry.js";
import type { StartedSandbox } from "../helpers/sandbox.js";

const KINDS: Kind[] = ["user", "group", "application", "servicePrincipal", "roleAssignment", "namedLocation", "authenticationStrengthPolicy", "authenticationContextClassReference", "conditionalAccessPolicy"];

export interface Tenant {
  documents: LiveDocument[];
  world: CaWorld;
  /** Policy id → document name. */
  policyName: Map<string, string>;
  /** appId → the engine references that name it (`application:<name>`, `servicePrincipal:<name>`, the appId). */
  appRefs: Map<string, string[]>;
  /** Service principals of this tenant's own applications (what `ServicePrincipalsInMyTenant` names). */
  ownServicePrincipals: Array<{ id: string; appId: string; refs: string[] }>;
}

interface AppEntry {
  id: string;
  appId: string;
  appOwnerOrganizationId?: string;
}

async function listAll(client: Client, path: string): Promise<AppEntry[]> {
  const out: AppEntry[] = [];
  let page = (await client.api(path).select(path === "/servicePrincipals" ? "id,appId,appOwnerOrganizationId" : "id,appId").top(999).get()) as { value: AppEntry[]; "@odata.nextLink"?: string };
  out.push(...page.value);
  while (page["@odata.nextLink"]) {
    page = (await client.api(page["@odata.nextLink"]).get()) as typeof page;
    out.push(...page.value);
  }
  return out;
}

/** The tenant as the engine reads it (the same snapshot `plan` takes), and its Conditional Access world. */
export async function readTenant(started: StartedSandbox, client: Client): Promise<Tenant> {
  const gateway = createGateway({ env: { ...started.sandbox.env, ENTRA_GITOPS_GRAPH_URL: started.sandbox.graphUrl } });
  const snapshot = await takeSnapshot(gateway, sortByDependencies(KINDS).map(getKind));
  if (snapshot.failed.size > 0) throw new Error(`snapshot failed: ${[...snapshot.failed.keys()].join(", ")}`);
  const documents = snapshot.documents;
  const world = buildWorld(documents.map((d) => ({ kind: d.kind, name: d.name, ...(d.id ? { id: d.id } : {}), spec: d.spec })));
  const policyName = new Map(documents.filter((d) => d.kind === "conditionalAccessPolicy").map((d) => [String(d.id).toLowerCase(), d.name]));
  const nameOf = new Map(documents.filter((d) => d.id).map((d) => [`${d.kind}:${String(d.id).toLowerCase()}`, d.name]));
  // Documents name applications by reference; a sign-in names the appId, read from Graph here.
  const appRefs = new Map<string, string[]>();
  const ownServicePrincipals: Tenant["ownServicePrincipals"] = [];
  for (const [kind, path] of [["application", "/applications"], ["servicePrincipal", "/servicePrincipals"]] as const) {
    for (const entry of await listAll(client, path)) {
      const appId = entry.appId.toLowerCase();
      const name = nameOf.get(`${kind}:${entry.id.toLowerCase()}`);
      if (name) appRefs.set(appId, [...(appRefs.get(appId) ?? [appId]), `${kind}:${name}`]);
      if (kind === "servicePrincipal" && name && entry.appOwnerOrganizationId?.toLowerCase() === started.sandbox.tenantId.toLowerCase()) {
        ownServicePrincipals.push({ id: entry.id, appId: entry.appId, refs: [`servicePrincipal:${name}`, entry.id, entry.appId] });
      }
    }
  }
  return { documents, world, policyName, appRefs, ownServicePrincipals };
}

/** One sign-in, in neutral terms: who (by Graph id and engine reference), to what, from where, how. */
export interface Scenario {
  subject: { type: "user"; id: string; ref: string } | { type: "servicePrincipal"; id: string; appId: string; refs: string[] };
  target: { type: "application"; appId: string } | { type: "userAction"; action: "urn:user:registersecurityinfo" | "urn:user:registerdevice" } | { type: "authenticationContext"; id: string; ref: string };
  platform: DevicePlatform;
  clientApp: ClientAppType;
  location: { ip?: string; countryCode?: string };
  signInRisk: RiskLevel;
  userRisk: RiskLevel;
  servicePrincipalRisk: RiskLevel;
  insiderRisk: "none" | "minor" | "moderate" | "elevated";
  flow: TransferMethod;
  device: Record<string, string | boolean>;
}

/** A small seeded generator (mulberry32), so a failing scenario can be replayed. */
export function seeded(seed: number): <T>(items: readonly T[]) => T {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
}

const MICROSOFT_GRAPH = "00000003-0000-0000-c000-000000000000";

function strings(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** Places: inside each IP range and country of the named locations, an unnamed country, nowhere known. */
function places(tenant: Tenant): Array<{ ip?: string; countryCode?: string }> {
  const out: Array<{ ip?: string; countryCode?: string }> = [{}, { ip: "198.18.0.1" }, { countryCode: "BR" }, { ip: "198.18.0.1", countryCode: "JP" }];
  for (const d of tenant.documents.filter((x) => x.kind === "namedLocation")) {
    for (const range of Array.isArray(d.spec["ipRanges"]) ? d.spec["ipRanges"] : []) {
      const cidr = typeof range === "object" && range !== null && !Array.isArray(range) ? range["cidrAddress"] : undefined;
      if (typeof cidr !== "string") continue;
      out.push({ ip: addressIn(cidr) });
    }
    for (const c of strings(d.spec["countriesAndRegions"])) out.push({ countryCode: c });
  }
  return out;
}

/** `count` seeded scenarios over the tenant's users, its own service principals, every application the policies name, user actions and authentication contexts. */
export function scenarios(tenant: Tenant, count: number, seed: number): Scenario[] {
  const pick = seeded(seed);
  const users = tenant.documents.filter((d) => d.kind === "user" && d.id);
  const sps = tenant.ownServicePrincipals;
  const contexts = tenant.documents.filter((d) => d.kind === "authenticationContextClassReference" && d.id);
  const appIds = new Set<string>([MICROSOFT_GRAPH, ...OFFICE_365_APP_IDS, ...ADMIN_PORTAL_APP_IDS, ...tenant.appRefs.keys()]);
  const where = places(tenant);
  const out: Scenario[] = [];
  for (let i = 0; i < count; i++) {
    const sp = sps.length > 0 && pick([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) === 1 ? pick(sps) : undefined;
    const user = pick(users);
    const subject: Scenario["subject"] = sp
      ? { type: "servicePrincipal", id: sp.id, appId: sp.appId, refs: sp.refs }
      : { type: "user", id: String(user?.id), ref: `user:${String(user?.spec["userPrincipalName"])}` };
    const kind = sp ? "application" : pick(["application", "application", "application", "application", "userAction", "authenticationContext"] as const);
    const context = contexts.length > 0 ? pick(contexts) : undefined;
    const target: Scenario["target"] =
      kind === "userAction" ? { type: "userAction", action: pick(["urn:user:registersecurityinfo", "urn:user:registerdevice"] as const) } : kind === "authenticationContext" && context ? { type: "authenticationContext", id: String(context.id), ref: `authenticationContext:${context.name}` } : { type: "application", appId: pick([...appIds]) };
    out.push({
      subject,
      target,
      platform: pick(["windows", "macOS", "linux", "iOS", "android", "windowsPhone", "unknown"] as const),
      clientApp: pick(["browser", "browser", "mobileAppsAndDesktopClients", "mobileAppsAndDesktopClients", "exchangeActiveSync", "other"] as const),
      location: pick(where),
      signInRisk: pick(["none", "none", "none", "low", "medium", "high"] as const),
      userRisk: pick(["none", "none", "none", "low", "medium", "high"] as const),
      servicePrincipalRisk: pick(["none", "none", "low", "medium", "high"] as const),
      insiderRisk: pick(["none", "none", "none", "minor", "moderate", "elevated"] as const),
      flow: pick(["none", "none", "none", "deviceCodeFlow", "authenticationTransfer"] as const),
      device: pick<Record<string, string | boolean>>([{}, {}, { isCompliant: true, trustType: "AzureAD" }, { isCompliant: false, trustType: "Workplace" }, { isCompliant: false, trustType: "ServerAD" }, { isCompliant: true, trustType: "ServerAD", operatingSystem: "Windows" }]),
    });
  }
  return out;
}

/** The scenario as the engine's `SignIn`. */
export function engineSignIn(s: Scenario, tenant: Tenant): SignIn {
  let target: Target;
  if (s.target.type === "application") {
    const appId = s.target.appId.toLowerCase();
    target = { type: "application", refs: tenant.appRefs.get(appId) ?? [appId], ...(OFFICE_365_APP_IDS.has(appId) ? { office365: true } : {}), ...(ADMIN_PORTAL_APP_IDS.has(appId) ? { adminPortal: true } : {}) };
  } else if (s.target.type === "userAction") target = { type: "userAction", action: s.target.action };
  else target = { type: "authenticationContext", ref: s.target.ref };
  return {
    subject: s.subject.type === "user" ? { type: "user", ref: s.subject.ref } : { type: "servicePrincipal", refs: s.subject.refs },
    target,
    platform: s.platform,
    clientAppType: s.clientApp,
    location: s.location,
    signInRisk: s.signInRisk,
    userRisk: s.userRisk,
    servicePrincipalRisk: s.servicePrincipalRisk,
    insiderRisk: s.insiderRisk,
    authenticationFlow: s.flow,
    device: s.device,
  };
}

/** The scenario as a v1.0 `evaluate` request body. */
export function whatIfBody(s: Scenario): JsonObject {
  const signInContext: JsonObject =
    s.target.type === "application"
      ? { "@odata.type": "#microsoft.graph.applicationContext", includeApplications: [s.target.appId] }
      : s.target.type === "userAction"
        ? { "@odata.type": "#microsoft.graph.userActionContext", userAction: s.target.action === "urn:user:registersecurityinfo" ? "registerSecurityInformation" : "registerOrJoinDevices" }
        : { "@odata.type": "#microsoft.graph.authContext", authenticationContextValue: s.target.id };
  const conditions: JsonObject = {
    clientAppType: s.clientApp,
    signInRiskLevel: s.signInRisk,
    userRiskLevel: s.userRisk,
    servicePrincipalRiskLevel: s.servicePrincipalRisk,
    insiderRiskLevel: s.insiderRisk,
    authenticationFlow: { transferMethod: s.flow },
    deviceInfo: s.device,
    ...(s.platform !== "unknown" ? { devicePlatform: s.platform } : {}),
    ...(s.location.ip ? { ipAddress: s.location.ip } : {}),
    ...(s.location.countryCode ? { country: s.location.countryCode } : {}),
  };
  return {
    signInIdentity: s.subject.type === "user" ? { "@odata.type": "#microsoft.graph.userSignIn", userId: s.subject.id } : { "@odata.type": "#microsoft.graph.servicePrincipalSignIn", servicePrincipalId: s.subject.id },
    signInContext,
    signInConditions: conditions,
    appliedPoliciesOnly: false,
  };
}

/** The engine's first miss in the sandbox's `whatIfAnalysisReasons` terms. */
function reasonOf(engineReason: string): string {
  const [head = ""] = engineReason.split(":");
  if (head === "applications") return engineReason.includes("user action") ? "userActions" : engineReason.includes("authentication context") ? "authenticationContext" : "application";
  const map: Record<string, string> = {
    users: "users",
    clientApplications: "workloadIdentities",
    servicePrincipalRiskLevels: "workloadIdentities",
    platforms: "devicePlatform",
    locations: "location",
    clientAppTypes: "clientApps",
    signInRiskLevels: "signInRisk",
    userRiskLevels: "userRisk",
    insiderRiskLevels: "insiderRisk",
    authenticationFlows: "authenticationFlow",
    devices: "devices",
    "state": "policyNotEnabled",
  };
  return map[head] ?? `(unmapped: ${engineReason})`;
}

export interface Disagreement {
  scenario: number;
  policy: string;
  engine: string;
  sandbox: string;
}

interface WhatIfResult {
  id: string;
  state: string;
  policyApplies: boolean;
  analysisReasons: string;
}

/**
 * Asks both evaluators about every scenario; returns every policy on which they disagree (whether
 * it applies, or why not: the engine's first reason must be among the sandbox's), and how many
 * policy verdicts were compared.
 */
export async function crossCheck(client: Client, tenant: Tenant, all: readonly Scenario[]): Promise<{ disagreements: Disagreement[]; compared: number; applied: number }> {
  const disagreements: Disagreement[] = [];
  let compared = 0;
  let applied = 0;
  for (const [i, s] of all.entries()) {
    const response = (await client.api("/identity/conditionalAccess/evaluate").post(whatIfBody(s))) as { value: WhatIfResult[] };
    const outcome = evaluateSignIn(tenant.world.policies, engineSignIn(s, tenant), tenant.world.directory);
    const engine = new Map(outcome.policies.map((p) => [p.policy, p]));
    for (const result of response.value) {
      const name = tenant.policyName.get(result.id.toLowerCase()) ?? result.id;
      const mine = engine.get(name);
      compared++;
      if (result.policyApplies) applied++;
      if (!mine) {
        // The engine skips disabled policies; the sandbox says why they do not apply.
        if (result.state !== "disabled" || result.policyApplies || result.analysisReasons !== "policyNotEnabled") disagreements.push({ scenario: i, policy: name, engine: "not evaluated", sandbox: `${result.policyApplies} ${result.analysisReasons}` });
        continue;
      }
      const reason = mine.applies ? "notSet" : reasonOf(mine.reasons[0] ?? "");
      const sandboxReasons = result.analysisReasons.split(",");
      if (mine.applies !== result.policyApplies || (!mine.applies && !sandboxReasons.includes(reason))) {
        disagreements.push({ scenario: i, policy: name, engine: `${mine.applies} ${mine.reasons.join("; ")}`, sandbox: `${result.policyApplies} ${result.analysisReasons}` });
      }
    }
  }
  return { disagreements, compared, applied };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BUILT_IN_STRENGTHS = ["00000000-0000-0000-0000-000000000002", "00000000-0000-0000-0000-000000000003", "00000000-0000-0000-0000-000000000004"];

/** The demo tenant's objects a baseline policy's references are pointed at. */
export interface DemoObjects {
  users: string[];
  groups: string[];
  breakGlassGroup: string;
  locations: string[];
  servicePrincipals: string[];
  /** appIds of the tenant's service principals: the applications a policy can name. */
  appIds: string[];
  customStrength: string;
}

export async function demoObjects(client: Client, tenant: Tenant): Promise<DemoObjects> {
  const ids = async (path: string): Promise<Array<{ id: string; displayName?: string }>> => ((await client.api(path).top(999).get()) as { value: Array<{ id: string; displayName?: string }> }).value;
  const groups = await ids("/groups");
  const strengths = await ids("/policies/authenticationStrengthPolicies");
  return {
    users: (await ids("/users")).map((u) => u.id),
    groups: groups.map((g) => g.id),
    breakGlassGroup: groups.find((g) => /break.?glass/i.test(g.displayName ?? ""))?.id ?? "",
    locations: (await ids("/identity/conditionalAccess/namedLocations")).map((l) => l.id),
    servicePrincipals: tenant.ownServicePrincipals.map((s) => s.id),
    appIds: ((await client.api("/servicePrincipals").select("appId").top(999).get()) as { value: Array<{ appId: string }> }).value.map((s) => s.appId.toLowerCase()),
    customStrength: strengths.find((s) => !BUILT_IN_STRENGTHS.includes(s.id))?.id ?? BUILT_IN_STRENGTHS[0] ?? "",
  };
}

/**
 * A baseline's policy pointed at the demo tenant's objects, so Graph's reference checks pass: every
 * user, group, location and service principal it names becomes one of the demo's (the same source
 * value always the same object; the emergency-access placeholder the break-glass group), role
 * template ids stay, application ids stay when the tenant has their service principal and otherwise
 * become one that it has (Graph refuses an appId without one), authentication contexts become c1/c2,
 * terms of use go.
 */
export function pointAtDemo(policy: JsonObject, demo: DemoObjects, prefix: string): JsonObject {
  const assigned = new Map<string, string>();
  const pick = (value: string, pool: readonly string[]): string => {
    const key = `${pool === demo.groups ? "g" : pool === demo.users ? "u" : pool === demo.locations ? "l" : pool === demo.appIds ? "a" : "s"}:${value}`;
    let id = assigned.get(key);
    if (!id) {
      id = pool[assigned.size % pool.length] ?? value;
      assigned.set(key, id);
    }
    return id;
  };
  const map = (values: JsonValue | undefined, sentinels: readonly string[], pool: readonly string[] | "keepGuids"): string[] =>
    strings(values).flatMap((v) => {
      if (sentinels.some((s) => s.toLowerCase() === v.toLowerCase())) return [v];
      if (pool === "keepGuids") return GUID.test(v) ? [v] : [];
      if (pool === demo.appIds) return GUID.test(v) ? [demo.appIds.includes(v.toLowerCase()) ? v : pick(v, pool)] : [];
      if (pool === demo.groups && /emergency|breakglass/i.test(v)) return [demo.breakGlassGroup];
      return [pick(v, pool)];
    });
  const out = JSON.parse(JSON.stringify(policy)) as JsonObject;
  for (const key of Object.keys(out)) if (key.startsWith("@odata") || ["id", "createdDateTime", "modifiedDateTime", "templateId", "deletedDateTime", "partialEnablementStrategy"].includes(key)) delete out[key];
  out["displayName"] = `${prefix} ${typeof out["displayName"] === "string" ? out["displayName"] : "policy"}`;
  const conditions = (out["conditions"] ?? {}) as JsonObject;
  const users = (conditions["users"] ?? {}) as JsonObject;
  for (const side of ["include", "exclude"]) {
    if (users[`${side}Users`]) users[`${side}Users`] = map(users[`${side}Users`], ["All", "None", "GuestsOrExternalUsers"], demo.users);
    if (users[`${side}Groups`]) users[`${side}Groups`] = map(users[`${side}Groups`], [], demo.groups);
    if (users[`${side}Roles`]) users[`${side}Roles`] = map(users[`${side}Roles`], [], "keepGuids");
  }
  const apps = (conditions["applications"] ?? {}) as JsonObject;
  for (const side of ["include", "exclude"]) if (apps[`${side}Applications`]) apps[`${side}Applications`] = map(apps[`${side}Applications`], ["All", "None", "Office365", "MicrosoftAdminPortals"], demo.appIds);
  const contexts = strings(apps["includeAuthenticationContextClassReferences"]);
  if (contexts.length > 0) apps["includeAuthenticationContextClassReferences"] = contexts.map((_, i) => (i % 2 === 0 ? "c1" : "c2")).filter((c, i, all) => all.indexOf(c) === i);
  if (strings(apps["includeApplications"]).length === 0 && strings(apps["includeUserActions"]).length === 0 && contexts.length === 0) apps["includeApplications"] = ["All"];
  // Export quirks Graph refuses as they stand: `locations: []` for "no condition", `All` for `all`.
  if (Array.isArray(conditions["locations"])) delete conditions["locations"];
  if (Array.isArray(conditions["clientAppTypes"])) conditions["clientAppTypes"] = strings(conditions["clientAppTypes"]).map((t) => (t === "All" ? "all" : t));
  const locations = conditions["locations"] as JsonObject | null | undefined;
  if (locations) for (const side of ["include", "exclude"]) if (locations[`${side}Locations`]) locations[`${side}Locations`] = map(locations[`${side}Locations`], ["All", "AllTrusted", "00000000-0000-0000-0000-000000000000"], demo.locations);
  const clients = conditions["clientApplications"] as JsonObject | null | undefined;
  if (clients) for (const side of ["include", "exclude"]) if (clients[`${side}ServicePrincipals`]) clients[`${side}ServicePrincipals`] = map(clients[`${side}ServicePrincipals`], ["ServicePrincipalsInMyTenant"], demo.servicePrincipals);
  const grant = out["grantControls"] as JsonObject | null | undefined;
  if (grant) {
    delete grant["termsOfUse"];
    delete grant["customAuthenticationFactors"];
    const strength = grant["authenticationStrength"] as JsonObject | null | undefined;
    if (strength && typeof strength["id"] === "string") grant["authenticationStrength"] = { id: BUILT_IN_STRENGTHS.includes(strength["id"]) ? strength["id"] : demo.customStrength };
    else delete grant["authenticationStrength"];
    if (strings(grant["builtInControls"]).length === 0 && !grant["authenticationStrength"]) grant["builtInControls"] = ["mfa"];
  }
  return out;
}

/**
 * Creates the policy through v1.0; a property Graph v1.0 does not have is dropped and the create
 * tried again (beta exports carry a few). Returns Graph's message when it still refuses it.
 */
export async function createPolicy(client: Client, body: JsonObject): Promise<true | string> {
  for (let attempt = 0; attempt < 12; attempt++) {
    try {
      await client.api("/identity/conditionalAccess/policies").post(body);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A policy left with no control once its beta-only session controls are gone requires MFA.
      if (message.includes("MissingGrantOrSessionControls") && !body["grantControls"]) {
        body["grantControls"] = { operator: "OR", builtInControls: ["mfa"] };
        continue;
      }
      const unknown = /The property '([^']+)' does not exist on type/.exec(message)?.[1];
      if (!unknown || !dropProperty(body, unknown)) return message;
    }
  }
  return "too many unknown properties";
}

function dropProperty(value: JsonValue, name: string): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some((v) => dropProperty(v, name));
  if (name in value) {
    delete value[name];
    return true;
  }
  return Object.values(value).some((v) => dropProperty(v, name));
}
