import { fingerprint } from "../plan/canonical.js";
import type { LiveObject, Plan } from "../../model/plan.js";

export interface StaleReason {
  address: string;
  reason: string;
}

/**
 * A saved plan applies only to the tenant and configuration it was computed from (ARCHITECTURE.md,
 * Terraform's "Saved plan is stale"): every live object it read must still read the same, no new
 * object may have appeared in its scope, and the configuration must be the reviewed one.
 */
export function stalePlanReasons(plan: Plan, live: readonly LiveObject[], current: { configDigest: string; tenantId: string }): StaleReason[] {
  const reasons: StaleReason[] = [];
  if (current.tenantId.toLowerCase() !== plan.tenantId.toLowerCase()) {
    reasons.push({ address: "(tenant)", reason: `the plan is for tenant ${plan.tenantId}, but the credentials are for ${current.tenantId}` });
  }
  if (current.configDigest !== plan.configDigest) {
    reasons.push({
      address: "(configuration)",
      reason: `the configuration differs from the one planned${plan.gitRevision ? ` at ${plan.gitRevision.slice(0, 12)}` : ""}: re-run plan and review it`,
    });
  }
  const byId = new Map(live.map((o) => [`${o.kind}|${o.id.toLowerCase()}`, o]));
  const seen = new Set<string>();
  for (const print of plan.fingerprints) {
    const key = `${print.kind}|${print.id.toLowerCase()}`;
    seen.add(key);
    const now = byId.get(key);
    if (!now) reasons.push({ address: print.address, reason: "deleted in the tenant since the plan" });
    else if (fingerprint(now.spec) !== print.sha256) reasons.push({ address: print.address, reason: "changed in the tenant since the plan" });
  }
  const scope = new Set(plan.settings.scope);
  for (const object of live) {
    if (scope.has(object.kind) && !seen.has(`${object.kind}|${object.id.toLowerCase()}`)) {
      reasons.push({ address: `${object.kind}/${object.name}`, reason: "created in the tenant since the plan" });
    }
  }
  return reasons;
}
