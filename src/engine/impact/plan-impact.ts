import { subjectFacts, subjectMiss } from "../../conditional-access/conditions.js";
import { describeOutcome, evaluateSignIn, policyApplies } from "../../conditional-access/evaluate.js";
import { planWorlds, type PlanWorlds } from "../../conditional-access/plan-worlds.js";
import type { CompiledPolicy } from "../../conditional-access/policy.js";
import { essentialSignIns } from "../../conditional-access/scenarios.js";
import type { GrantRequirement, Outcome, SignIn, Subject } from "../../conditional-access/types.js";
import { effectiveBreakGlass } from "../../guards/lockout-guard.js";
import { protectedIdentities } from "../../guards/lockout-identities.js";
import type { GuardContext } from "../../guards/types.js";
import type { LiveObject, PlanChange } from "../plan/types.js";
import { impactTargets, type NamedTarget } from "./targets.js";
import type { CaImpact, IdentityImpact, ImpactRow } from "./types.js";

/** Names listed per row (the JSON plan and the counts hold the rest). */
export const IMPACT_NAMES_LISTED = 10;
/** The stand-in for users the tenant read does not list one by one (in no group, no role, not named). */
const OTHER_USERS = "user:(every other user)";

const control = (c: string): string => (c.startsWith("authenticationStrength:") ? c.slice("authenticationStrength:".length) : c === "mfa" ? "MFA" : c);
const requirementLabel = (r: GrantRequirement): string => r.controls.map(control).join(r.operator === "AND" ? " and " : " or ");

interface Effects {
  newlyBlocked: boolean;
  unblocked: boolean;
  need: Set<string>;
  needBefore: Set<string>;
  example?: { before: Outcome; after: Outcome };
}

/** An outcome's meaning, independent of policy order. */
const outcomeKey = (o: Outcome): string =>
  JSON.stringify([o.blockedBy.length > 0, [...new Set(o.requirements.map(requirementLabel))].sort(), Object.keys(o.session).sort()]);

function effectsOf(signIns: readonly SignIn[], before: readonly CompiledPolicy[], after: readonly CompiledPolicy[], worlds: PlanWorlds): Effects {
  const e: Effects = { newlyBlocked: false, unblocked: false, need: new Set(), needBefore: new Set() };
  // Only a sign-in some changed policy applies to (before or after), or one a changed group or
  // location can reach, can change; with only policy changes the others are skipped.
  const onlyPolicies = worlds.changes.every((c) => c.kind === "conditionalAccessPolicy");
  const changedBefore = before.filter((p) => worlds.changedPolicies.has(p.name));
  const changedAfter = after.filter((p) => worlds.changedPolicies.has(p.name));
  for (const signIn of signIns) {
    if (onlyPolicies && !changedBefore.some((p) => policyApplies(p, signIn, worlds.before.directory).applies) && !changedAfter.some((p) => policyApplies(p, signIn, worlds.after.directory).applies)) continue;
    const b = evaluateSignIn(before, signIn, worlds.before.directory);
    const a = evaluateSignIn(after, signIn, worlds.after.directory);
    if (a.blockedBy.length && !b.blockedBy.length) e.newlyBlocked = true;
    if (b.blockedBy.length && !a.blockedBy.length) e.unblocked = true;
    if (!a.blockedBy.length) for (const r of a.requirements) e.need.add(requirementLabel(r));
    if (!b.blockedBy.length) for (const r of b.requirements) e.needBefore.add(requirementLabel(r));
    if (!e.example && outcomeKey(a) !== outcomeKey(b)) e.example = { before: b, after: a };
  }
  return e;
}

function effectNames(e: Effects): string[] {
  const out: string[] = [];
  if (e.newlyBlocked) out.push("newly blocked");
  if (e.unblocked) out.push("no longer blocked");
  for (const n of e.need) if (!e.needBefore.has(n)) out.push(`now need ${n}`);
  for (const n of e.needBefore) if (!e.need.has(n)) out.push(`no longer need ${n}`);
  return out;
}

/** Users grouped by the policies (before and after) whose users condition includes them: a stratum shares one outcome. */
function strata(users: readonly string[], worlds: PlanWorlds): Map<string, { users: string[]; before: CompiledPolicy[]; after: CompiledPolicy[] }> {
  const out = new Map<string, { users: string[]; before: CompiledPolicy[]; after: CompiledPolicy[] }>();
  const probe = { type: "application" as const, refs: [] };
  for (const user of users) {
    const signIn: SignIn = { subject: { type: "user", ref: user }, target: probe };
    const fb = subjectFacts(signIn, worlds.before.directory);
    const fa = subjectFacts(signIn, worlds.after.directory);
    const before = worlds.before.policies.filter((p) => p.state !== "disabled" && subjectMiss(p, signIn, fb) === undefined);
    const after = worlds.after.policies.filter((p) => p.state !== "disabled" && subjectMiss(p, signIn, fa) === undefined);
    const key = `${before.map((p) => p.name).join("\u0000")}\u0001${after.map((p) => p.name).join("\u0000")}`;
    const stratum = out.get(key);
    if (stratum) stratum.users.push(user);
    else out.set(key, { users: [user], before, after });
  }
  return out;
}

export interface ImpactOptions {
  guards: Pick<GuardContext, "breakGlass" | "runner">;
  /** Every user of the tenant when the `user` kind was read; else the users the documents name. */
  users?: readonly string[];
}

/**
 * Who gains and who loses access with this plan (issue 15): every known user (grouped into strata
 * that share their applicable policies, so each user is counted exactly), the break-glass
 * identities, a new holder of each admin role and the identity running apply, for every target the
 * changed policies name and for all applications, over the ordinary sign-ins (each known platform,
 * browser and modern clients, each named location and outside them). Undefined when the plan
 * changes nothing Conditional Access depends on.
 */
export function planImpact(changes: readonly PlanChange[], live: readonly LiveObject[], options: ImpactOptions): CaImpact | undefined {
  const worlds = planWorlds(changes, live);
  if (worlds.changes.length === 0) return undefined;
  const targets = impactTargets(worlds);
  const users = [...new Set([...(options.users ?? []), ...worlds.before.users, ...worlds.after.users]), OTHER_USERS];
  const groups = strata(users, worlds);
  const rows = new Map<string, ImpactRow & { all: string[] }>();
  let perTarget = 0;
  for (const named of targets) {
    const onlyPolicies = worlds.changes.every((c) => c.kind === "conditionalAccessPolicy");
    for (const stratum of groups.values()) {
      if (stratum.before.length === 0 && stratum.after.length === 0) continue;
      // With only policy changes, a stratum no changed policy includes keeps its outcome.
      if (onlyPolicies && !stratum.before.some((p) => worlds.changedPolicies.has(p.name)) && !stratum.after.some((p) => worlds.changedPolicies.has(p.name))) continue;
      const subject: Subject = { type: "user", ref: stratum.users[0] as string };
      const signIns = essentialSignIns(subject, worlds.before.directory, [named.target]);
      perTarget = signIns.length;
      for (const effect of effectNames(effectsOf(signIns, stratum.before, stratum.after, worlds))) {
        const key = `${named.label}\u0000${effect}`;
        const row = rows.get(key) ?? { target: named.label, effect, users: 0, allOtherUsers: false, names: [], all: [] };
        for (const u of stratum.users) {
          if (u === OTHER_USERS) row.allOtherUsers = true;
          else row.all.push(u);
        }
        rows.set(key, row);
      }
    }
  }
  const finished: ImpactRow[] = [...rows.values()].map(({ all, ...row }) => ({ ...row, users: all.length, names: [...all].sort().slice(0, IMPACT_NAMES_LISTED) }));
  const { identities, breakGlass } = identityImpacts(worlds, targets, options.guards);
  const summary = [...finished.map(rowLine), ...identities.map((i) => `${i.label}: ${i.before} → ${i.after} (${i.target})`)];
  if (breakGlass === "unaffected") summary.push("break-glass unaffected");
  if (finished.length === 0 && identities.length === 0) summary.unshift("no change in access");
  return { population: { users: users.length - 1, strata: groups.size, signInsPerTarget: perTarget }, rows: finished, identities, breakGlass, summary };
}

export function rowLine(row: ImpactRow): string {
  const who = row.users > 0 ? `${row.users} user${row.users === 1 ? "" : "s"}${row.allOtherUsers ? " and every other user" : ""}` : "every user outside the groups and roles read";
  const preposition = row.effect.endsWith("blocked") ? "from" : "for";
  return `${who} ${row.effect} ${preposition} ${row.target}`;
}

function identityImpacts(worlds: PlanWorlds, targets: readonly NamedTarget[], guards: ImpactOptions["guards"]): { identities: IdentityImpact[]; breakGlass: CaImpact["breakGlass"] } {
  const { proposal } = effectiveBreakGlass({ allowDelete: false, maxDeletes: 0, protected: [], ...guards }, worlds.before);
  const all = protectedIdentities(worlds.before, worlds.after, proposal, guards.runner).filter((i) => i.group !== "allUsers" && !(i.group === "adminRole" && i.subject.type === "user" && !i.subject.ref.startsWith("user:(")));
  const out: IdentityImpact[] = [];
  let breakGlassChanged = false;
  for (const identity of all) {
    for (const named of identity.targets ? targets.filter((t) => t.target.type === "application") : targets) {
      const signIns = essentialSignIns(identity.subject, worlds.before.directory, [named.target]);
      const e = effectsOf(signIns, worlds.before.policies, worlds.after.policies, worlds);
      if (!e.example) continue;
      if (identity.group === "breakGlass") breakGlassChanged = true;
      out.push({ label: identity.label, target: named.label, before: describeOutcome(e.example.before), after: describeOutcome(e.example.after) });
      break;
    }
  }
  const hasBreakGlass = proposal.accounts.length > 0 || proposal.groups.length > 0;
  return { identities: out, breakGlass: !hasBreakGlass ? "not configured" : breakGlassChanged ? "affected" : "unaffected" };
}
