import { summarize } from "../model/plan-summary.js";
import type { GuardFinding, GuardName, Plan } from "../model/plan.js";
import { deleteGuard } from "./delete-guard.js";
import { lockoutGuard } from "./lockout-guard.js";
import { protectedGuard } from "./protected-guard.js";
import { recreateGuard } from "./recreate-guard.js";
import type { GuardContext } from "./types.js";

/**
 * Runs every safety rule over a plan and records the findings and the overrides used. Apply runs
 * it again with its own flags; findings from an earlier run are replaced, not added to.
 */
export function runGuards<P extends Plan>(plan: P, ctx: GuardContext): P {
  const findings: GuardFinding[] = [...deleteGuard(plan, ctx), ...protectedGuard(plan, ctx), ...recreateGuard(plan, ctx), ...lockoutGuard(plan, ctx)];
  const used = new Set<GuardName>(findings.filter((f) => f.overridden).map((f) => f.guard));
  return { ...plan, guards: findings, overrides: [...used].sort(), summary: summarize(plan.changes, plan.unmanaged, findings, plan.diagnostics) };
}
