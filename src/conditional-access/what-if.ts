import { accessFor, describeOutcome, evaluateSignIn } from "./evaluate.js";
import type { CaWorld } from "./world.js";
import type { Access, Outcome, SignIn } from "./types.js";

/** One side of a What If: the outcome, whether someone who can do MFA gets in, and the outcome in words. */
export interface WhatIfSide {
  access: Access;
  outcome: string;
  blockedBy: string[];
  requirements: Outcome["requirements"];
  session: string[];
  reportOnly: string[];
}

export interface WhatIfPolicy {
  policy: string;
  displayName: string;
  /** Absent: the policy does not exist (or is disabled) on that side. */
  live?: { state: string; applies: boolean; reason: string };
  documents?: { state: string; applies: boolean; reason: string };
}

export interface WhatIfResult {
  live: WhatIfSide;
  documents: WhatIfSide;
  /** Whether the access differs: blocked or not, the grant requirements, the session controls. */
  changed: boolean;
  /** Every enabled or report-only policy of either side, by name. */
  policies: WhatIfPolicy[];
}

function side(outcome: Outcome): WhatIfSide {
  return {
    access: accessFor(outcome),
    outcome: describeOutcome(outcome),
    blockedBy: outcome.blockedBy,
    requirements: outcome.requirements,
    session: Object.keys(outcome.session).sort(),
    reportOnly: outcome.reportOnly,
  };
}

/** What decides access, without policy names (a rename is no change); behind a block nothing else counts. */
const meaning = (o: Outcome): string =>
  o.blockedBy.length > 0 ? "blocked" : JSON.stringify([[...new Set(o.requirements.map((r) => `${r.operator}:${[...r.controls].sort().join(",")}`))].sort(), Object.keys(o.session).sort()]);

/**
 * `whatif` (issue 15): one sign-in evaluated by the one Conditional Access model against the live
 * tenant and against the documents (the plan's after-world), side by side. Unlike Graph's What If,
 * the documents side evaluates policies that do not exist yet.
 */
export function whatIf(worlds: { before: CaWorld; after: CaWorld }, signIn: SignIn): WhatIfResult {
  const live = evaluateSignIn(worlds.before.policies, signIn, worlds.before.directory);
  const documents = evaluateSignIn(worlds.after.policies, signIn, worlds.after.directory);
  const byName = new Map<string, WhatIfPolicy>();
  for (const [key, outcome] of [["live", live], ["documents", documents]] as const) {
    for (const p of outcome.policies) {
      const entry = byName.get(p.policy) ?? { policy: p.policy, displayName: p.displayName };
      entry[key] = { state: p.state, applies: p.applies, reason: p.reasons.join("; ") };
      byName.set(p.policy, entry);
    }
  }
  const policies = [...byName.values()].sort((a, b) => a.policy.localeCompare(b.policy));
  return { live: side(live), documents: side(documents), changed: meaning(live) !== meaning(documents), policies };
}
