import { breakGlassYaml, proposeBreakGlass, type BreakGlassProposal } from "../conditional-access/break-glass.js";
import { accessFor, describeOutcome, DEFAULT_CAPABILITIES, evaluateSignIn, worse } from "../conditional-access/evaluate.js";
import { planWorlds, type PlanWorlds } from "../conditional-access/plan-worlds.js";
import { allSignIns, describeSignIn, essentialSignIns } from "../conditional-access/scenarios.js";
import type { Access, Outcome, SignIn } from "../conditional-access/types.js";
import type { CaWorld } from "../conditional-access/world.js";
import type { GuardFinding, Plan } from "../model/plan.js";
import type { Address } from "../model/kind.js";
import { overrides } from "./glob.js";
import { protectedIdentities, type ProtectedIdentity } from "./lockout-identities.js";
import type { GuardContext } from "./types.js";

export { RECOVERY_ROLES } from "./lockout-identities.js";

/** One protected identity whose access the plan makes worse, with an example sign-in. */
export interface Lockout {
  identity: ProtectedIdentity;
  signIn: SignIn;
  before: Access;
  after: Access;
  outcome: Outcome;
  /** Policies that newly block or newly demand something in the example. */
  causes: string[];
}

const rank: Record<Access, number> = { allowed: 0, unsatisfiable: 1, blocked: 2 };

function judge(identity: ProtectedIdentity, worlds: PlanWorlds, capabilities: readonly string[]): Lockout | undefined {
  // Places: where people sign in today (the tenant's named locations), plus one inside each named
  // location the plan creates (an allow-list policy created with its locations lets people in there).
  // A location the plan changes keeps only its current places, so narrowing an allow-list is judged.
  const make = identity.rule === "any" ? allSignIns : essentialSignIns;
  const before = worlds.before.directory.locations;
  const created = { locations: new Map([...worlds.after.directory.locations].filter(([key]) => !before.has(key))) };
  const seen = new Set<string>();
  const signIns = [...make(identity.subject, worlds.before.directory, identity.targets), ...(created.locations.size ? make(identity.subject, created, identity.targets) : [])].filter((s) => {
    const key = JSON.stringify(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  let bestBefore: Access = "blocked";
  let bestAfter: Access = "blocked";
  let example: Lockout | undefined;
  for (const signIn of signIns) {
    const b = evaluateSignIn(worlds.before.policies, signIn, worlds.before.directory);
    const a = evaluateSignIn(worlds.after.policies, signIn, worlds.after.directory);
    const before = accessFor(b, capabilities);
    const after = accessFor(a, capabilities);
    if (rank[before] < rank[bestBefore]) bestBefore = before;
    if (rank[after] < rank[bestAfter]) bestAfter = after;
    if (!example && worse(before, after)) {
      const was = new Set([...b.blockedBy, ...b.requirements.map((r) => r.policy)]);
      const causes = [...new Set([...a.blockedBy, ...a.requirements.map((r) => r.policy)])].filter((p) => !was.has(p) || worlds.changedPolicies.has(p));
      example = { identity, signIn, before, after, outcome: a, causes };
      if (identity.rule !== "wayIn") return example;
    }
  }
  return identity.rule === "wayIn" && worse(bestBefore, bestAfter) ? example : undefined;
}

/** Every protected identity whose access gets worse, judged on the plan's effect (before vs after). */
export function planLockouts(worlds: PlanWorlds, ctx: GuardContext, breakGlass: BreakGlassProposal): Lockout[] {
  const capabilities = ctx.satisfiableControls ? [...ctx.satisfiableControls, "authenticationStrength", "termsOfUse"] : DEFAULT_CAPABILITIES;
  const identities = protectedIdentities(worlds.before, worlds.after, breakGlass, ctx.runner);
  const out: Lockout[] = [];
  for (const identity of identities) {
    const found = judge(identity, worlds, capabilities);
    if (found) out.push(found);
  }
  return out;
}

/** Break-glass identities the guard protects: the configured ones, else the ones the tenant implies. */
export function effectiveBreakGlass(ctx: GuardContext, before: CaWorld): { proposal: BreakGlassProposal; configured: boolean } {
  const configured = ctx.breakGlass.accounts.length > 0 || ctx.breakGlass.groups.length > 0;
  return configured ? { proposal: { accounts: [...ctx.breakGlass.accounts], groups: [...ctx.breakGlass.groups] }, configured } : { proposal: proposeBreakGlass(before), configured };
}

/**
 * Issue 11 / docs/design.md §8, over the plan's effect: for the break-glass identities, all users, each
 * admin role (a new holder and every current holder) and the identity running apply, the outcome
 * of Conditional Access is computed before and after the plan (policies, group memberships,
 * nested and role-assignable groups, role assignments and named locations as the plan leaves
 * them). Only a change that makes a protected identity's access worse is refused, once per
 * responsible change, with the one-line fix.
 */
export function lockoutGuard(plan: Pick<Plan, "changes">, ctx: GuardContext): GuardFinding[] {
  const worlds = planWorlds(plan.changes, ctx.live);
  if (worlds.changes.length === 0) return [];
  const { proposal, configured } = effectiveBreakGlass(ctx, worlds.before);
  const lockouts = planLockouts(worlds, withKnownMemberships(ctx, worlds), proposal);
  const byAddress = new Map<Address, Lockout[]>();
  const fallback = worlds.changes.find((c) => c.kind !== "conditionalAccessPolicy")?.address ?? worlds.changes[0]?.address;
  for (const lockout of lockouts) {
    const causeAddresses = lockout.causes.map((p) => worlds.policyAddress.get(p)).filter((a): a is Address => a !== undefined);
    const address = causeAddresses[0] ?? fallback;
    if (!address) continue;
    const list = byAddress.get(address) ?? [];
    list.push(lockout);
    byAddress.set(address, list);
  }
  const findings: GuardFinding[] = [];
  for (const [address, list] of byAddress) {
    findings.push({
      guard: "lockout",
      severity: "block",
      address,
      message: findingMessage(address, list, worlds, proposal, configured),
      override: "apply --allow-lockout (recorded in the plan)",
      overridden: overrides(ctx.overrides?.lockout, address),
    });
  }
  return findings;
}

/** `ctx.memberOf` (memberships known outside the documents) joins the runner's own list. */
function withKnownMemberships(ctx: GuardContext, _worlds: PlanWorlds): GuardContext {
  if (!ctx.memberOf) return ctx;
  for (const [user, groups] of Object.entries(ctx.memberOf)) {
    for (const world of [_worlds.before, _worlds.after]) {
      for (const group of groups) {
        const members = world.directory.members.get(group.toLowerCase()) ?? [];
        if (!members.includes(user.toLowerCase())) world.directory.addMembers(group, [...members, user.toLowerCase()]);
      }
      if (!world.users.includes(user)) world.users.push(user);
    }
  }
  return ctx;
}

function who(list: readonly Lockout[]): string {
  const parts: string[] = [];
  const bg = list.filter((l) => l.identity.group === "breakGlass").map((l) => l.identity.label.replace(/^break-glass /, ""));
  if (bg.length) parts.push(`break-glass ${bg.join(", ")}`);
  if (list.some((l) => l.identity.group === "allUsers")) parts.push("all users");
  const roles = [...new Set(list.filter((l) => l.identity.group === "adminRole").map((l) => /^holders of (.*?)(?: \(|$)/.exec(l.identity.label)?.[1] ?? l.identity.label))];
  if (roles.length) parts.push(`holders of ${roles.length > 5 ? `${roles.slice(0, 5).join(", ")} and ${roles.length - 5} more roles` : roles.join(", ")}`);
  const holders = list.filter((l) => l.identity.group === "adminRole" && l.identity.subject.type === "user" && !l.identity.subject.ref.startsWith("user:(")).map((l) => (l.identity.subject.type === "user" ? l.identity.subject.ref : ""));
  if (holders.length) parts.push(`current admins ${[...new Set(holders)].slice(0, 5).join(", ")}`);
  for (const l of list) if (l.identity.group === "runner") parts.push(l.identity.label);
  return parts.join("; ");
}

function findingMessage(address: Address, list: readonly Lockout[], worlds: PlanWorlds, proposal: BreakGlassProposal, configured: boolean): string {
  const change = worlds.changes.find((c) => c.address === address);
  const displayName = change && change.action !== "noop" && change.action !== "delete" && typeof change.after["displayName"] === "string" && change.kind === "conditionalAccessPolicy" ? ` ("${change.after["displayName"]}")` : "";
  const first = list[0] as Lockout;
  const example = `e.g. ${describeSignIn(first.signIn, worlds.after.directory)}: ${first.before} before, ${first.after} after (${describeOutcome(first.outcome)})`;
  const others = worlds.changes.filter((c) => c.address !== address).map((c) => c.address);
  const through = others.length && list.some((l) => !l.causes.some((p) => worlds.policyAddress.get(p) === address)) ? ` (with ${others.slice(0, 3).join(", ")}${others.length > 3 ? ", …" : ""})` : "";
  return `${address}${displayName}${through} makes access worse for ${who(list)}; ${example}. Fix: ${fixFor(address, list, proposal, configured)}`;
}

function fixFor(address: Address, list: readonly Lockout[], proposal: BreakGlassProposal, configured: boolean): string {
  const kind = address.slice(0, address.indexOf("/"));
  const name = address.slice(address.indexOf("/") + 1);
  const groups = new Set(list.map((l) => l.identity.group));
  const parts: string[] = [];
  if (groups.has("breakGlass")) {
    if (!configured) parts.push(`keep ${[...proposal.groups, ...proposal.accounts].join(", ")} excluded`);
    else if (kind === "group") parts.push(`keep the break-glass accounts in ${name} (revert this membership change)`);
    else if (kind === "conditionalAccessPolicy") parts.push(proposal.groups.length ? `add ${proposal.groups.join(" or ")} to conditions.users.excludeGroups` : `add ${proposal.accounts.join(", ")} to conditions.users.excludeUsers`);
    else parts.push(`revert ${address} or exclude the break-glass accounts from the policies named`);
  }
  if (groups.has("allUsers") || groups.has("adminRole")) parts.push(kind === "conditionalAccessPolicy" ? "narrow the policy's users or conditions so ordinary users and each admin keep a way in" : `revert ${address}`);
  for (const l of list) {
    if (l.identity.group !== "runner") continue;
    const s = l.identity.subject;
    parts.push(s.type === "servicePrincipal" ? `add ${s.refs.find((r) => r.startsWith("servicePrincipal:")) ?? s.refs[0] ?? "the service principal"} to conditions.clientApplications.excludeServicePrincipals` : `add ${s.ref} to conditions.users.excludeUsers`);
  }
  const fix = `${kind === "conditionalAccessPolicy" ? `in ${address}, ` : ""}${parts.join("; ")}`;
  if (configured) return fix;
  if (proposal.accounts.length || proposal.groups.length) return `${fix}, and add to entra-gitops.yaml: ${breakGlassYaml(proposal).line}`;
  return `${fix}; no breakGlass is configured and no account is excluded from every blocking policy: exclude an emergency-access account and add to entra-gitops.yaml: breakGlass: { accounts: [user:<upn>] }`;
}
