import { conditionMiss, subjectFacts, subjectMiss, targetMiss, type SubjectFacts } from "./conditions.js";
import type { CaDirectory } from "./directory.js";
import type { CompiledPolicy } from "./policy.js";
import type { Access, Outcome, PolicyResult, SignIn } from "./types.js";

/** Whether one policy applies to one sign-in, and why (or why not). Disabled policies never do. */
export function policyApplies(p: CompiledPolicy, signIn: SignIn, dir: CaDirectory, facts: SubjectFacts = subjectFacts(signIn, dir)): { applies: boolean; reason: string } {
  if (p.state === "disabled") return { applies: false, reason: "state: disabled" };
  const miss = subjectMiss(p, signIn, facts) ?? targetMiss(p, signIn) ?? conditionMiss(p, signIn, dir);
  return miss === undefined ? { applies: true, reason: "every condition matches" } : { applies: false, reason: miss };
}

/**
 * Conditional Access for one sign-in (docs/conditional-access.md lists each rule and its source):
 * every enabled policy whose assignments and conditions all match applies; a block in any of them
 * blocks; otherwise every applying policy's grant controls must be met (AND across policies, the
 * policy's own operator within it) and the session controls of all of them combine. Report-only
 * policies are evaluated and reported but never enforced; disabled ones are skipped.
 */
export function evaluateSignIn(policies: readonly CompiledPolicy[], signIn: SignIn, dir: CaDirectory): Outcome {
  const outcome: Outcome = { blockedBy: [], requirements: [], session: {}, policies: [], reportOnly: [] };
  const facts = subjectFacts(signIn, dir);
  for (const p of policies) {
    if (p.state === "disabled") continue;
    const { applies, reason } = policyApplies(p, signIn, dir, facts);
    const result: PolicyResult = { policy: p.name, displayName: p.displayName, state: p.state, applies, reasons: [reason] };
    outcome.policies.push(result);
    if (!applies) continue;
    if (p.state === "enabledForReportingButNotEnforced") {
      outcome.reportOnly.push(p.name);
      continue;
    }
    if (p.grant?.block) outcome.blockedBy.push(p.name);
    else if (p.grant) outcome.requirements.push({ policy: p.name, operator: p.grant.operator, controls: [...p.grant.controls] });
    for (const control of p.session) (outcome.session[control] ??= []).push(p.name);
  }
  return outcome;
}

/** Controls a person can be assumed to meet when nothing else is known. */
export const DEFAULT_CAPABILITIES: readonly string[] = ["mfa", "passwordChange", "authenticationStrength", "termsOfUse"];

/** Whether someone who can meet `capabilities` gets in (a kind name such as `authenticationStrength` covers every control of that kind). */
export function accessFor(outcome: Outcome, capabilities: readonly string[] = DEFAULT_CAPABILITIES): Access {
  if (outcome.blockedBy.length > 0) return "blocked";
  const caps = new Set(capabilities.map((c) => c.toLowerCase()));
  const can = (control: string): boolean => caps.has(control.toLowerCase()) || caps.has(control.split(":")[0]?.toLowerCase() ?? "");
  const met = outcome.requirements.every((r) => (r.operator === "AND" ? r.controls.every(can) : r.controls.some(can)));
  return met ? "allowed" : "unsatisfiable";
}

const RANK: Record<Access, number> = { allowed: 0, unsatisfiable: 1, blocked: 2 };
export const worse = (before: Access, after: Access): boolean => RANK[after] > RANK[before];

/** The outcome in one line: `blocked by X`, `requires mfa (p1) and one of … (p2)`, `no policy applies`. */
export function describeOutcome(outcome: Outcome): string {
  if (outcome.blockedBy.length > 0) return `blocked by ${outcome.blockedBy.join(", ")}`;
  const parts = outcome.requirements.map((r) => `${r.controls.length > 1 ? `${r.operator === "AND" ? "all of" : "one of"} ${r.controls.join(", ")}` : (r.controls[0] ?? "")} (${r.policy})`);
  const session = Object.keys(outcome.session);
  if (parts.length === 0 && session.length === 0) return "allowed, no policy applies";
  return `${parts.length ? `requires ${parts.join(" and ")}` : "allowed"}${session.length ? `; session: ${session.join(", ")}` : ""}`;
}
