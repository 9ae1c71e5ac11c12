import { conditionMiss, targetMiss } from "../../conditional-access/conditions.js";
import type { CaDirectory } from "../../conditional-access/directory.js";
import type { CompiledPolicy } from "../../conditional-access/policy.js";
import type { GrantRequirement, SignIn } from "../../conditional-access/types.js";

const control = (c: string): string => (c.startsWith("authenticationStrength:") ? c.slice("authenticationStrength:".length) : c === "mfa" ? "MFA" : c);
export const requirementLabel = (r: Pick<GrantRequirement, "controls" | "operator">): string => r.controls.map(control).join(r.operator === "AND" ? " and " : " or ");

/** What an applying policy contributes to an outcome, computed once per policy. */
interface Contribution {
  enforced: boolean;
  block: boolean;
  /** The grant requirement in words (`MFA`, `compliantDevice or domainJoinedDevice`), when not a block. */
  label?: string;
  /** The authentication strengths the grant names (reference keys, lower case). */
  strengths: readonly string[];
  session: readonly string[];
}

/** The part of an outcome plan impact compares: blocked, the requirements in words, the session controls. */
export interface OutcomeSummary {
  blocked: boolean;
  labels: string[];
  /** Authentication strengths required (reference keys), when not blocked. */
  strengths: string[];
  session: string[];
}

/**
 * The sign-ins of one impact target and, per policy, which of them its conditions other than users
 * match (applications, platforms, locations, client apps, risk, device, flows). Those do not depend
 * on who signs in, so a user stratum's outcome is its policies' bits read together: the evaluator's
 * own `targetMiss` and `conditionMiss` run once per policy and sign-in, not once per stratum.
 * Only for user sign-ins (risk conditions read the subject's type).
 */
export class SignInMatrix {
  private readonly bits = new Map<CompiledPolicy, Uint8Array>();
  private readonly contributions = new Map<CompiledPolicy, Contribution>();

  constructor(readonly signIns: readonly SignIn[]) {}

  /** 1 where the policy's non-user conditions match sign-in i (disabled policies never). */
  matches(p: CompiledPolicy, dir: CaDirectory): Uint8Array {
    let row = this.bits.get(p);
    if (row) return row;
    row = new Uint8Array(this.signIns.length);
    if (p.state !== "disabled") {
      this.signIns.forEach((s, i) => {
        if (targetMiss(p, s) === undefined && conditionMiss(p, s, dir) === undefined) (row as Uint8Array)[i] = 1;
      });
    }
    this.bits.set(p, row);
    return row;
  }

  private contribution(p: CompiledPolicy): Contribution {
    let c = this.contributions.get(p);
    if (c) return c;
    const enforced = p.state === "enabled";
    const block = p.grant?.block === true;
    const strengths = p.grant && !block ? p.grant.controls.filter((x) => x.startsWith("authenticationStrength:")).map((x) => x.toLowerCase()) : [];
    c = { enforced, block, ...(p.grant && !block ? { label: requirementLabel(p.grant) } : {}), strengths, session: p.session };
    this.contributions.set(p, c);
    return c;
  }

  /** The outcome of sign-in i for someone whose users condition the given policies include (as `evaluateSignIn` combines them). */
  summary(i: number, policies: readonly CompiledPolicy[], rows: readonly Uint8Array[]): OutcomeSummary {
    let blocked = false;
    const labels = new Set<string>();
    const strengths = new Set<string>();
    const session = new Set<string>();
    for (let k = 0; k < policies.length; k++) {
      if ((rows[k] as Uint8Array)[i] !== 1) continue;
      const c = this.contribution(policies[k] as CompiledPolicy);
      if (!c.enforced) continue;
      if (c.block) blocked = true;
      else if (c.label !== undefined) {
        labels.add(c.label);
        for (const x of c.strengths) strengths.add(x);
      }
      for (const s of c.session) session.add(s);
    }
    return { blocked, labels: [...labels].sort(), strengths: blocked ? [] : [...strengths].sort(), session: [...session].sort() };
  }
}

/** Whether two summaries mean the same access (the comparison plan impact reports on); behind a block nothing else counts. */
export const sameSummary = (a: OutcomeSummary, b: OutcomeSummary): boolean =>
  a.blocked === b.blocked && (a.blocked || (a.labels.join("\u0000") === b.labels.join("\u0000") && a.session.join("\u0000") === b.session.join("\u0000")));
