import type { GuardFinding, Plan } from "../model/plan.js";
import { overrides } from "./glob.js";
import type { GuardContext } from "./types.js";

/** An update that changes a create-only field needs the object replaced (new id); refused unless allowed. */
export function recreateGuard(plan: Pick<Plan, "changes">, ctx: GuardContext): GuardFinding[] {
  const findings: GuardFinding[] = [];
  for (const change of plan.changes) {
    if (change.action !== "update" || !change.replace) continue;
    findings.push({
      guard: "recreate",
      severity: "block",
      address: change.address,
      message: `${change.address}: Graph cannot change ${change.replace.fields.join(", ")} after creation; applying needs a delete and re-create (a new id: references to it from outside this configuration break)`,
      override: "apply --allow-recreate, or revert the create-only field in the document",
      overridden: overrides(ctx.overrides?.recreate, change.address),
    });
  }
  return findings;
}
