import type { JsonObject } from "../../model/document.js";
import { subjectFacts, subjectMiss } from "../../conditional-access/conditions.js";
import { describeOutcome, evaluateSignIn, policyApplies } from "../../conditional-access/evaluate.js";
import { planWorlds, type PlanWorlds } from "../../conditional-access/plan-worlds.js";
import type { CompiledPolicy } from "../../conditional-access/policy.js";
import { essentialSignIns } from "../../conditional-access/scenarios.js";
import type { Outcome, SignIn, Subject } from "../../conditional-access/types.js";
import { effectiveBreakGlass } from "../../guards/lockout-guard.js";
import { protectedIdentities } from "../../guards/lockout-identities.js";
import type { GuardContext } from "../../guards/types.js";
import type { LiveObject, PlanChange } from "../../model/plan.js";
import { requirementLabel, sameSummary, SignInMatrix } from "./sign-in-matrix.js";
import { impactTargets, type NamedTarget } from "./targets.js";
import { rowLine, type CaImpact, type IdentityImpact, type ImpactRow } from "../../model/impact.js";

/** Names listed per row (the JSON plan and the counts hold the rest). */
export const IMPACT_NAMES_LISTED = 10;
/** The stand-in for users the tenant read does not list one by one (in no group, no role, not named). */
const OTHER_USERS = "user:(every other user)";


interface Effects {
  newlyBlocked: boolean;
  unblocked: boolean;
  /** Requirements a sign-in has after and did not have before (and the reverse), sign-in by sign-in. */
  gained: Set<string>;
  lost: Set<string>;
  /** Authentication strengths the plan changes that the sign-ins still require afterwards (their descriptions). */
  strengths: Set<string>;
  example?: { before: Outcome; after: Outcome };
}

/** An outcome's meaning, independent of policy order and names; behind a block nothing else counts. */
const outcomeKey = (o: Outcome): string => (o.blockedBy.length > 0 ? "blocked" : JSON.stringify([[...new Set(o.requirements.map(requirementLabel))].sort(), Object.keys(o.session).sort()]));

/**
 * Requirements are compared sign-in by sign-in, and only where neither side blocks: a sign-in that
 * becomes blocked is reported as newly blocked, not as no longer needing its MFA, and a requirement
 * one sign-in already had does not hide that another sign-in now needs it.
 */
function effectsOf(signIns: readonly SignIn[], before: readonly CompiledPolicy[], after: readonly CompiledPolicy[], worlds: PlanWorlds): Effects {
  const e: Effects = { newlyBlocked: false, unblocked: false, gained: new Set(), lost: new Set(), strengths: new Set() };
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
    if (!a.blockedBy.length && !b.blockedBy.length) {
      const after = new Set(a.requirements.map(requirementLabel));
      const before = new Set(b.requirements.map(requirementLabel));
      for (const l of after) if (!before.has(l)) e.gained.add(l);
      for (const l of before) if (!after.has(l)) e.lost.add(l);
    }
    if (!e.example && outcomeKey(a) !== outcomeKey(b)) e.example = { before: b, after: a };
  }
  return e;
}

/** `effectsOf` for a user stratum through the target's sign-in matrix (the same rules, without evaluating each policy again). */
function stratumEffects(matrix: SignInMatrix, subject: Subject, before: readonly CompiledPolicy[], after: readonly CompiledPolicy[], worlds: PlanWorlds, changedStrengths: ReadonlyMap<string, string>): Effects {
  const e: Effects = { newlyBlocked: false, unblocked: false, gained: new Set(), lost: new Set(), strengths: new Set() };
  const onlyPolicies = worlds.changes.every((c) => c.kind === "conditionalAccessPolicy");
  const rowsBefore = before.map((p) => matrix.matches(p, worlds.before.directory));
  const rowsAfter = after.map((p) => matrix.matches(p, worlds.after.directory));
  const changed = [...rowsBefore.filter((_, k) => worlds.changedPolicies.has((before[k] as CompiledPolicy).name)), ...rowsAfter.filter((_, k) => worlds.changedPolicies.has((after[k] as CompiledPolicy).name))];
  for (let i = 0; i < matrix.signIns.length; i++) {
    if (onlyPolicies && !changed.some((row) => row[i] === 1)) continue;
    const b = matrix.summary(i, before, rowsBefore);
    const a = matrix.summary(i, after, rowsAfter);
    if (a.blocked && !b.blocked) e.newlyBlocked = true;
    if (b.blocked && !a.blocked) e.unblocked = true;
    if (!a.blocked && !b.blocked) {
      for (const l of a.labels) if (!b.labels.includes(l)) e.gained.add(l);
      for (const l of b.labels) if (!a.labels.includes(l)) e.lost.add(l);
    }
    for (const x of a.strengths) {
      const change = changedStrengths.get(x);
      if (change) e.strengths.add(change);
    }
    if (!e.example && !sameSummary(a, b)) {
      const signIn = { ...(matrix.signIns[i] as SignIn), subject };
      e.example = { before: evaluateSignIn(before, signIn, worlds.before.directory), after: evaluateSignIn(after, signIn, worlds.after.directory) };
    }
  }
  return e;
}

function effectNames(e: Effects): string[] {
  const out: string[] = [];
  if (e.newlyBlocked) out.push("newly blocked");
  if (e.unblocked) out.push("no longer blocked");
  for (const n of e.gained) out.push(`now need ${n}`);
  for (const n of e.lost) out.push(`no longer need ${n}`);
  for (const n of e.strengths) out.push(`need ${n}`);
  return out;
}

/** Every group, role and user key some policy's users condition names (before or after): all a stratum can depend on. */
function namedByPolicies(worlds: PlanWorlds): { memberships: Set<string>; users: Set<string> } {
  const memberships = new Set<string>();
  const users = new Set<string>();
  for (const p of [...worlds.before.policies, ...worlds.after.policies]) {
    const u = p.users;
    for (const set of [u.includeGroups, u.excludeGroups, u.includeRoles, u.excludeRoles]) for (const k of set) memberships.add(k);
    for (const set of [u.includeUsers, u.excludeUsers]) for (const k of set) users.add(k);
  }
  return { memberships, users };
}

/**
 * Users grouped by the policies (before and after) whose users condition includes them: a stratum
 * shares one outcome. The users condition reads only the user's key (when a policy names it), its
 * memberships among the groups and roles policies name, and its guest type, so users with the same
 * such signature are matched against the policies once.
 */
function strata(users: readonly string[], worlds: PlanWorlds): Map<string, { users: string[]; before: CompiledPolicy[]; after: CompiledPolicy[] }> {
  const out = new Map<string, { users: string[]; before: CompiledPolicy[]; after: CompiledPolicy[] }>();
  const bySignature = new Map<string, string>();
  const named = namedByPolicies(worlds);
  const relevant = (memberships: ReadonlySet<string>): string => [...memberships].filter((m) => named.memberships.has(m)).sort().join("\u0000");
  const probe = { type: "application" as const, refs: [] };
  for (const user of users) {
    const signIn: SignIn = { subject: { type: "user", ref: user }, target: probe };
    const fb = subjectFacts(signIn, worlds.before.directory);
    const fa = subjectFacts(signIn, worlds.after.directory);
    const signature = [named.users.has(fb.key) ? fb.key : "", relevant(fb.memberships), relevant(fa.memberships), fb.guestTypes.join(","), fa.guestTypes.join(","), fb.homeTenant ?? ""].join("\u0001");
    let key = bySignature.get(signature);
    if (key === undefined) {
      const before = worlds.before.policies.filter((p) => p.state !== "disabled" && subjectMiss(p, signIn, fb) === undefined);
      const after = worlds.after.policies.filter((p) => p.state !== "disabled" && subjectMiss(p, signIn, fa) === undefined);
      key = `${before.map((p) => p.name).join("\u0000")}\u0001${after.map((p) => p.name).join("\u0000")}`;
      bySignature.set(signature, key);
      if (!out.has(key)) out.set(key, { users: [], before, after });
    }
    (out.get(key) as { users: string[] }).users.push(user);
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
  const targets = impactTargets(worlds, live);
  const users = [...new Set([...(options.users ?? []), ...worlds.before.users, ...worlds.after.users]), OTHER_USERS];
  const groups = strata(users, worlds);
  const changedStrengths = strengthChanges(worlds);
  const rows = new Map<string, ImpactRow & { all: string[] }>();
  let perTarget = 0;
  for (const named of targets) {
    const onlyPolicies = worlds.changes.every((c) => c.kind === "conditionalAccessPolicy");
    const matrix = new SignInMatrix(essentialSignIns({ type: "user", ref: OTHER_USERS }, worlds.before.directory, [named.target]));
    perTarget = matrix.signIns.length;
    for (const stratum of groups.values()) {
      if (stratum.before.length === 0 && stratum.after.length === 0) continue;
      // With only policy changes, a stratum no changed policy includes keeps its outcome.
      if (onlyPolicies && !stratum.before.some((p) => worlds.changedPolicies.has(p.name)) && !stratum.after.some((p) => worlds.changedPolicies.has(p.name))) continue;
      const subject: Subject = { type: "user", ref: stratum.users[0] as string };
      for (const effect of effectNames(stratumEffects(matrix, subject, stratum.before, stratum.after, worlds, changedStrengths))) {
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

/**
 * Authentication strengths whose allowed methods the plan changes, by reference key: the grant still
 * names the same strength, so the outcome looks the same while what satisfies it does not.
 */
function strengthChanges(worlds: PlanWorlds): Map<string, string> {
  const out = new Map<string, string>();
  const combos = (spec: JsonObject | undefined): string[] => (Array.isArray(spec?.["allowedCombinations"]) ? spec["allowedCombinations"].filter((c): c is string => typeof c === "string") : []);
  for (const c of worlds.changes) {
    if (c.kind !== "authenticationStrengthPolicy" || c.action !== "update") continue;
    const before = combos(c.before);
    const after = combos(c.after);
    const diff = [...after.filter((x) => !before.includes(x)).map((x) => `+${x}`), ...before.filter((x) => !after.includes(x)).map((x) => `−${x}`)];
    if (diff.length > 0) out.set(`authenticationStrength:${c.name}`.toLowerCase(), `${c.name} whose allowed methods change (${diff.join(", ")})`);
  }
  return out;
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
