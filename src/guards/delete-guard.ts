import type { GuardFinding, Plan } from "../model/plan.js";
import type { JsonObject } from "../model/document.js";
import type { Kind } from "../model/kind.js";
import { prefixOfKind, referenceNameOf } from "../kinds/registry.js";
import { overrides } from "./glob.js";
import type { GuardContext } from "./types.js";

const LIST_LIMIT = 10;

/**
 * Deletions need `prune: true` in the configuration, `--allow-delete` on apply, and at most
 * `maxDeletes` of them. Deleting a break-glass account or group is a lockout.
 */
export function deleteGuard(plan: Pick<Plan, "changes" | "settings">, ctx: GuardContext): GuardFinding[] {
  const deletes = plan.changes.filter((c) => c.action === "delete");
  if (deletes.length === 0) return [];
  const findings: GuardFinding[] = [];
  const listed = deletes.slice(0, LIST_LIMIT).map((c) => c.address).join(", ") + (deletes.length > LIST_LIMIT ? `, … (${deletes.length - LIST_LIMIT} more)` : "");
  const what = `${deletes.length} deletion${deletes.length === 1 ? "" : "s"} (${listed})`;
  if (!plan.settings.prune) {
    findings.push({ guard: "delete", severity: "block", message: `${what} stopped: prune is off in the configuration`, override: "set prune: true in entra-gitops.yaml", overridden: false });
  }
  if (!ctx.allowDelete) {
    findings.push({ guard: "delete", severity: "block", message: `${what} stopped: deletions need --allow-delete`, override: "apply --allow-delete", overridden: false });
  }
  if (deletes.length > ctx.maxDeletes) {
    findings.push({ guard: "delete", severity: "block", message: `${what} exceed maxDeletes (${ctx.maxDeletes})`, override: `raise maxDeletes in entra-gitops.yaml to at least ${deletes.length}`, overridden: false });
  }
  const breakGlass = new Set([...ctx.breakGlass.accounts, ...ctx.breakGlass.groups].map((r) => r.toLowerCase()));
  for (const change of deletes) {
    const ref = referenceTo(change.kind, change.name, change.before);
    if (ref === undefined || !breakGlass.has(ref.toLowerCase())) continue;
    const overridden = overrides(ctx.overrides?.lockout, change.address);
    findings.push({ guard: "lockout", severity: "block", address: change.address, message: `${change.address} is a break-glass ${change.kind} (${ref} in breakGlass); deleting it removes the emergency access that Conditional Access exclusions rely on. Fix: keep its document (or remove it from breakGlass in entra-gitops.yaml first)`, override: "apply --allow-lockout", overridden });
  }
  return findings;
}

/** How references name the deleted object (`group:<name>`, `user:<upn>`), from its kind's descriptor. */
function referenceTo(kind: Kind, name: string, spec: JsonObject): string | undefined {
  const prefix = prefixOfKind(kind);
  return prefix === undefined ? undefined : `${prefix}:${referenceNameOf(kind, name, spec) ?? name}`;
}
