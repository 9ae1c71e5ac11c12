import { Command } from "commander";
import { ADMIN_PORTAL_APP_IDS, OFFICE_365_APP_IDS } from "../facts/app-suites.js";
import { addressIn } from "../conditional-access/ip-range.js";
import { planWorlds } from "../conditional-access/plan-worlds.js";
import type { ClientAppType, DevicePlatform, SignIn, Target, UserAction } from "../conditional-access/types.js";
import { whatIf, type WhatIfResult } from "../conditional-access/what-if.js";
import type { ResolvedConfig } from "../config/index.js";
import { isGuid } from "../kinds/reference-syntax.js";
import type { JsonObject } from "../model/document.js";
import { makePlan } from "../engine/planning.js";
import type { LiveObject } from "../model/plan.js";
import type { Snapshot } from "../engine/snapshot/snapshot.js";
import type { GraphGateway } from "../graph/types.js";
import type { ObjectId } from "../model/kind.js";
import { loadDesired, streamFilesOf } from "./desired.js";
import { UserError } from "./errors.js";
import { graphUrlOf } from "./graph-url.js";
import { out, progress } from "./output.js";
import { connect, globalOptions, kindsInScope, readConfig } from "./workspace.js";

export interface WhatIfFlags {
  user: string;
  app: string;
  platform?: string;
  location?: string;
  clientApp?: string;
  rev?: string;
  format?: string;
  compareGraph?: boolean;
}

const PLATFORMS: readonly DevicePlatform[] = ["windows", "macOS", "linux", "iOS", "android", "windowsPhone", "unknown"];
const CLIENT_APPS: readonly ClientAppType[] = ["browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "other"];
const USER_ACTIONS: readonly UserAction[] = ["urn:user:registersecurityinfo", "urn:user:registerdevice"];
/** An address in no named location (TEST-NET-2), the default place. */
const ELSEWHERE = "198.18.0.1";

export function command(): Command {
  return new Command("whatif")
    .description("the Conditional Access outcome of one sign-in under the documents (or a revision) versus the live tenant")
    .requiredOption("--user <upn>", "who signs in (user principal name)")
    .requiredOption("--app <name>", "an application or service principal (document name, display name or appId), a user action (urn:user:registersecurityinfo, urn:user:registerdevice) or an authentication context (c1 … c99)")
    .option("--platform <platform>", `device platform: ${PLATFORMS.join(", ")}`, "windows")
    .option("--location <where>", "a named location (its document name), an IP address or a two-letter country code (default: outside every named location)")
    .option("--client-app <type>", `client app: ${CLIENT_APPS.join(", ")}`, "browser")
    .option("--rev <rev>", "evaluate the configuration at this git revision instead of the working tree")
    .option("--format <format>", "text or json", "text")
    .option("--compare-graph", "also ask Graph's own What If (POST /identity/conditionalAccess/evaluate) about the live tenant and report where it and entra-gitops disagree")
    .action(async (flags: WhatIfFlags, cmd: Command) => runWhatIf(readConfig(globalOptions(cmd)), flags));
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T {
  const found = allowed.find((a) => a.toLowerCase() === (value ?? "").toLowerCase());
  if (!found) throw new UserError(`${option} ${value ?? ""}: must be one of ${allowed.join(", ")}`);
  return found;
}

/** The user as a subject: `user:<upn>`, with its guest type when the documents do not carry users. */
async function subjectOf(gateway: GraphGateway, upn: string): Promise<{ subject: SignIn["subject"]; id: string }> {
  const bare = upn.replace(/^user:/i, "");
  const user = await gateway.get(`/users/${encodeURIComponent(bare)}`, { query: { $select: "id,userPrincipalName,userType" } });
  if (!user) throw new UserError(`--user ${bare}: no such user in the tenant`);
  const actual = typeof user["userPrincipalName"] === "string" ? user["userPrincipalName"] : bare;
  const external = actual.toLowerCase().includes("#ext#");
  // Entra's external user categories, as the world reads `user` documents (docs/conditional-access.md).
  const guestTypes = user["userType"] === "Guest" ? [external ? "b2bCollaborationGuest" : "internalGuest"] : external ? ["b2bCollaborationMember"] : [];
  return { subject: { type: "user", ref: `user:${actual}`, ...(guestTypes.length > 0 ? { guestTypes } : {}) }, id: String(user["id"] ?? "") };
}

/** The target: a user action, an authentication context, or an application by document name, display name or appId. */
async function targetOf(gateway: GraphGateway, snapshot: Snapshot, name: string): Promise<{ target: Target; label: string; graphId?: string }> {
  const action = USER_ACTIONS.find((a) => a === name.toLowerCase());
  if (action) return { target: { type: "userAction", action }, label: action };
  const context = /^(?:authenticationContext:)?(c\d{1,2})$/i.exec(name)?.[1];
  if (context) {
    const doc = snapshot.documents.find((d) => d.kind === "authenticationContextClassReference" && (d.id ?? "").toLowerCase() === context.toLowerCase());
    return { target: { type: "authenticationContext", ref: doc ? `authenticationContext:${doc.name}` : context }, label: doc ? `authenticationContext:${doc.name}` : context, graphId: context };
  }
  const wanted = name.replace(/^(application|servicePrincipal):/i, "").toLowerCase();
  const appIdOf = (kind: "application" | "servicePrincipal", docName: string): string | undefined => snapshot.index.resolveName(kind, docName, "appId")?.toLowerCase();
  const docs = snapshot.documents.filter((d): d is typeof d & { kind: "application" | "servicePrincipal" } => d.kind === "application" || d.kind === "servicePrincipal");
  let appId = docs
    .filter((d) => d.name.toLowerCase() === wanted || String(d.spec["displayName"] ?? "").toLowerCase() === wanted || appIdOf(d.kind, d.name) === wanted)
    .map((d) => appIdOf(d.kind, d.name))
    .find((id): id is string => id !== undefined);
  if (!appId && isGuid(wanted)) appId = wanted;
  let displayName: string | undefined;
  if (!appId) {
    const found = await gateway.list("/servicePrincipals", { query: { $filter: `displayName eq '${name.replace(/'/g, "''")}'`, $select: "appId,displayName" } });
    appId = typeof found[0]?.["appId"] === "string" ? found[0]["appId"].toLowerCase() : undefined;
    displayName = typeof found[0]?.["displayName"] === "string" ? found[0]["displayName"] : undefined;
  }
  if (!appId) throw new UserError(`--app ${name}: no application or service principal with that name, display name or appId`);
  const refs = [appId, ...docs.filter((d) => appIdOf(d.kind, d.name) === appId).map((d) => `${d.kind}:${d.name}`)];
  const named = refs.find((r) => r.startsWith("application:")) ?? refs.find((r) => r.startsWith("servicePrincipal:"));
  return {
    target: { type: "application", refs, ...(OFFICE_365_APP_IDS.has(appId) ? { office365: true } : {}), ...(ADMIN_PORTAL_APP_IDS.has(appId) ? { adminPortal: true } : {}) },
    label: `${named ?? displayName ?? "application"} (${appId})`,
    graphId: appId,
  };
}

/** `--location`: a named location's document name, an IP address, or a country code. */
function placeOf(snapshot: Snapshot, where: string | undefined): { location: SignIn["location"]; label: string } {
  if (!where) return { location: { ip: ELSEWHERE }, label: `outside every named location (${ELSEWHERE})` };
  if (/^[0-9.]+$/.test(where) || where.includes(":") && !where.startsWith("namedLocation:")) return { location: { ip: where }, label: `from ${where}` };
  if (/^[A-Za-z]{2}$/.test(where)) return { location: { countryCode: where.toUpperCase() }, label: `from country ${where.toUpperCase()}` };
  const wanted = where.replace(/^namedLocation:/i, "").toLowerCase();
  const doc = snapshot.documents.find((d) => d.kind === "namedLocation" && (d.name.toLowerCase() === wanted || String(d.spec["displayName"] ?? "").toLowerCase() === wanted));
  if (!doc) throw new UserError(`--location ${where}: not a named location of the tenant, an IP address or a two-letter country code`);
  const ranges = (Array.isArray(doc.spec["ipRanges"]) ? doc.spec["ipRanges"] : []).map((r) => (typeof r === "object" && r !== null && !Array.isArray(r) ? r["cidrAddress"] : undefined)).filter((r): r is string => typeof r === "string");
  // An IPv4 range first: the address most people would recognise.
  const cidr = ranges.find((r) => !r.includes(":")) ?? ranges[0];
  if (cidr) return { location: { ip: addressIn(cidr) }, label: `in namedLocation:${doc.name} (${addressIn(cidr)})` };
  const country = Array.isArray(doc.spec["countriesAndRegions"]) ? doc.spec["countriesAndRegions"][0] : undefined;
  if (typeof country === "string") return { location: { countryCode: country }, label: `in namedLocation:${doc.name} (${country})` };
  throw new UserError(`--location ${where}: the named location has no address range or country to sign in from`);
}

export async function runWhatIf(config: ResolvedConfig, flags: WhatIfFlags): Promise<void> {
  const format = flags.format ?? "text";
  if (format !== "text" && format !== "json") throw new UserError(`--format ${format}: must be text or json`);
  const platform = oneOf(flags.platform ?? "windows", PLATFORMS, "--platform");
  const clientAppType = oneOf(flags.clientApp ?? "browser", CLIENT_APPS, "--client-app");
  const descriptors = kindsInScope(config);
  const desired = await loadDesired(config, flags.rev);
  const gateway = connect(config, progress);
  const { plan, snapshot } = await makePlan({ config, descriptors, gateway, desired: desired.documents, gitRevision: desired.gitRevision, graphUrl: graphUrlOf(config), ...streamFilesOf(desired) });
  if (plan.summary.errors > 0) throw new UserError("cannot evaluate: the plan of the documents has errors (run `entra-gitops plan`)");
  const live: LiveObject[] = snapshot.documents.map((d) => ({ kind: d.kind, name: d.name, id: (d.id ?? d.kind) as ObjectId, spec: d.spec }));
  const worlds = planWorlds(plan.changes, live);
  const { subject, id: userId } = await subjectOf(gateway, flags.user);
  const { target, label, graphId } = await targetOf(gateway, snapshot, flags.app);
  const place = placeOf(snapshot, flags.location);
  const signIn: SignIn = { subject, target, platform, clientAppType, location: place.location };
  const result = whatIf(worlds, signIn);
  const graph = flags.compareGraph ? await graphWhatIf(gateway, snapshot, signIn, userId, graphId, result) : undefined;
  const source = flags.rev ? `documents at ${flags.rev}` : "documents (working tree)";
  const described = `${subject.type === "user" ? subject.ref : ""} signs in to ${label} from ${platform} (${clientAppType}), ${place.label}`;
  if (format === "json") {
    out(JSON.stringify({ signIn: { user: subject.type === "user" ? subject.ref : undefined, target: label, platform, clientAppType, location: place.location }, source, ...result, ...(graph ? { graph } : {}) }, null, 2));
    return;
  }
  out(renderWhatIf(described, source, result));
  if (graph) out(`\n${graphLine(graph)}`);
}

/** The text report: both outcomes, whether access changes, and the policies that apply on either side. */
export function renderWhatIf(signIn: string, source: string, result: WhatIfResult): string {
  const width = Math.max("live tenant".length, source.length) + 2;
  const lines = [`What if ${signIn}:`, "", `  ${"live tenant:".padEnd(width)}${result.live.outcome}`, `  ${`${source}:`.padEnd(width)}${result.documents.outcome}`];
  lines.push(`  ${result.changed ? "→ access changes" : "→ no change in access"}`, "");
  const applying = result.policies.filter((p) => p.live?.applies || p.documents?.applies);
  const mark = (s: { state: string; applies: boolean } | undefined): string => (!s ? "absent" : !s.applies ? "does not apply" : s.state === "enabled" ? "applies" : "applies (report-only)");
  lines.push(applying.length === 0 ? "No policy applies on either side." : "Policies that apply (live → documents):");
  const nameWidth = Math.max(0, ...applying.map((p) => p.policy.length)) + 2;
  for (const p of applying) lines.push(`  ${p.policy.padEnd(nameWidth)}${mark(p.live)} → ${mark(p.documents)}`);
  const rest = result.policies.length - applying.length;
  if (rest > 0) lines.push("", `${rest} other polic${rest === 1 ? "y does" : "ies do"} not apply (--format json gives each reason).`);
  return lines.join("\n");
}

/** What Graph's own What If says about the live side, and every policy on which it and the engine disagree. */
export interface GraphComparison {
  /** Names of the live policies Graph says apply. */
  applies: string[];
  disagreements: Array<{ policy: string; graph: string; engine: string }>;
}

/**
 * `--compare-graph`: the same sign-in as a v1.0 `evaluate` request (docs/graph-behaviour.md §15) against
 * the live tenant. Disabled policies are left out (Graph answers `policyNotEnabled`, the engine skips them).
 */
async function graphWhatIf(gateway: GraphGateway, snapshot: Snapshot, signIn: SignIn, userId: string, graphId: string | undefined, result: WhatIfResult): Promise<GraphComparison> {
  const target = signIn.target;
  const signInContext: JsonObject =
    target.type === "userAction"
      ? { "@odata.type": "#microsoft.graph.userActionContext", userAction: target.action === "urn:user:registersecurityinfo" ? "registerSecurityInformation" : "registerOrJoinDevices" }
      : target.type === "authenticationContext"
        ? { "@odata.type": "#microsoft.graph.authContext", authenticationContextValue: graphId ?? target.ref }
        : { "@odata.type": "#microsoft.graph.applicationContext", includeApplications: [graphId ?? ""] };
  const body: JsonObject = {
    signInIdentity: { "@odata.type": "#microsoft.graph.userSignIn", userId },
    signInContext,
    signInConditions: {
      clientAppType: signIn.clientAppType ?? "browser",
      ...(signIn.platform && signIn.platform !== "unknown" ? { devicePlatform: signIn.platform } : {}),
      ...(signIn.location?.ip ? { ipAddress: signIn.location.ip } : {}),
      ...(signIn.location?.countryCode ? { country: signIn.location.countryCode } : {}),
    },
    appliedPoliciesOnly: false,
  };
  const answer = await gateway.post("/identity/conditionalAccess/evaluate", body);
  const values = Array.isArray(answer["value"]) ? answer["value"] : [];
  const nameOf = new Map(snapshot.documents.filter((d) => d.kind === "conditionalAccessPolicy" && d.id).map((d) => [String(d.id).toLowerCase(), d.name]));
  const engine = new Map(result.policies.map((p) => [p.policy, p.live]));
  const comparison: GraphComparison = { applies: [], disagreements: [] };
  for (const value of values) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) continue;
    const name = nameOf.get(String(value["id"] ?? "").toLowerCase()) ?? String(value["displayName"] ?? value["id"]);
    const applies = value["policyApplies"] === true;
    if (applies) comparison.applies.push(name);
    if (value["state"] === "disabled") continue;
    const mine = engine.get(name);
    if ((mine?.applies ?? false) !== applies) {
      comparison.disagreements.push({ policy: name, graph: applies ? "applies" : `does not apply (${String(value["analysisReasons"] ?? "")})`, engine: mine ? (mine.applies ? "applies" : `does not apply (${mine.reason})`) : "not evaluated" });
    }
  }
  comparison.applies.sort();
  return comparison;
}

export function graphLine(graph: GraphComparison): string {
  if (graph.disagreements.length === 0) return `Graph's What If on the live tenant: ${graph.applies.length} polic${graph.applies.length === 1 ? "y applies" : "ies apply"}; entra-gitops agrees on every policy.`;
  return [`Graph's What If on the live tenant disagrees with entra-gitops on ${graph.disagreements.length} polic${graph.disagreements.length === 1 ? "y" : "ies"}:`, ...graph.disagreements.map((d) => `  ${d.policy}: Graph: ${d.graph}; entra-gitops: ${d.engine}`)].join("\n");
}
