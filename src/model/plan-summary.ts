import type { GuardFinding, Plan, PlanChange, PlanDiagnostic, PlanSummary, UnmanagedObject } from "./plan.js";

export function summarize(
  changes: readonly PlanChange[],
  unmanaged: readonly UnmanagedObject[],
  guards: readonly GuardFinding[],
  diagnostics: readonly PlanDiagnostic[],
): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, restore: 0, noop: 0, replace: 0, unmanaged: unmanaged.length, blocked: 0, errors: 0, warnings: 0 };
  for (const change of changes) {
    summary[change.action] += 1;
    if (change.action === "update" && change.replace) summary.replace += 1;
  }
  for (const finding of guards) if (finding.severity === "block" && !finding.overridden) summary.blocked += 1;
  for (const d of diagnostics) {
    if (d.severity === "error") summary.errors += 1;
    else if (d.severity === "warning") summary.warnings += 1;
  }
  return summary;
}

/** True when applying the plan would write anything. */
export function hasChanges(plan: Pick<Plan, "summary">): boolean {
  const s = plan.summary;
  return s.create + s.update + s.delete + s.restore > 0;
}

/** Guard findings that stop apply (severity block, not overridden). */
export function blockingFindings(plan: Pick<Plan, "guards">): GuardFinding[] {
  return plan.guards.filter((f) => f.severity === "block" && !f.overridden);
}

/** True when apply may proceed: no error diagnostics and no unoverridden blocking finding. */
export function isApplicable(plan: Pick<Plan, "guards" | "summary">): boolean {
  return plan.summary.errors === 0 && blockingFindings(plan).length === 0;
}
