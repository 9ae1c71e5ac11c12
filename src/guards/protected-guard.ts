import type { GuardFinding, Plan } from "../model/plan.js";
import { matchesAny, overrides } from "./glob.js";
import type { GuardContext } from "./types.js";

/** Protected objects (config `protected`, `KIND/NAME` globs) are never updated, replaced or deleted without an override. */
export function protectedGuard(plan: Pick<Plan, "changes">, ctx: GuardContext): GuardFinding[] {
  if (ctx.protected.length === 0) return [];
  const findings: GuardFinding[] = [];
  for (const change of plan.changes) {
    if (change.action !== "update" && change.action !== "delete") continue;
    const glob = matchesAny(change.address, ctx.protected);
    if (glob === undefined) continue;
    const verb = change.action === "delete" ? "delete" : change.replace ? "replace" : "update";
    findings.push({
      guard: "protected",
      severity: "block",
      address: change.address,
      message: `${change.address} is protected (matches "${glob}" in protected); the plan would ${verb} it`,
      override: `apply --allow-protected, or remove it from protected in entra-gitops.yaml`,
      overridden: overrides(ctx.overrides?.protected, change.address),
    });
  }
  return findings;
}
