import type { PlanChange } from "../model/plan.js";

export const REPORT_ONLY_STATE = "enabledForReportingButNotEnforced";

/**
 * `reportOnlyNewPolicies`: new Conditional Access policies that would start enforced are created
 * report-only instead, and the change says so. Other changes are returned as they are.
 */
export function applyReportOnlyNewPolicies(changes: readonly PlanChange[]): PlanChange[] {
  return changes.map((change) => {
    if (change.action !== "create" || change.kind !== "conditionalAccessPolicy" || change.after["state"] !== "enabled") return change;
    return {
      ...change,
      after: { ...change.after, state: REPORT_ONLY_STATE },
      notes: [
        ...change.notes,
        `state rewritten from enabled to ${REPORT_ONLY_STATE} (reportOnlyNewPolicies): review its report-only results, then set state: enabled in a later change`,
      ],
    };
  });
}
