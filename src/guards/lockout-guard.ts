import type { JsonObject } from "../documents/types.js";
import type { GuardFinding, Plan, PlanChange } from "../engine/plan/types.js";
import { unmetControls, viewPolicy, type CaPolicyView } from "./ca-policy-view.js";
import { overrides } from "./glob.js";
import { DEFAULT_SATISFIABLE_CONTROLS, type GuardContext } from "./types.js";

/** Roles whose holders can undo a Conditional Access mistake (name and built-in template id). */
export const RECOVERY_ROLES: ReadonlyArray<readonly [string, string]> = [
  ["Global Administrator", "62e90394-69f5-4237-9190-012177145e10"],
  ["Privileged Role Administrator", "e8611ab8-c189-46e8-94e1-60213ab1f814"],
  ["Conditional Access Administrator", "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"],
  ["Security Administrator", "194ae4cb-b126-40b2-bd5b-6091b380977d"],
  ["Privileged Authentication Administrator", "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"],
];
const RECOVERY = new Set(RECOVERY_ROLES.flatMap(([name, id]) => [`role:${name}`.toLowerCase(), id]));

const lc = (values: readonly string[]): Set<string> => new Set(values.map((v) => v.toLowerCase()));
const intersects = (a: readonly string[], b: ReadonlySet<string>): string[] => a.filter((x) => b.has(x.toLowerCase()));

/**
 * DESIGN §8: refuses a Conditional Access create/update/restore whose resulting enabled policy
 * blocks (or demands a control nobody can meet) for all users, for admin-role holders or for the
 * break-glass accounts without excluding them, or for the identity that runs apply.
 * Report-only and disabled policies never lock anyone out.
 */
export function lockoutGuard(plan: Pick<Plan, "changes">, ctx: GuardContext): GuardFinding[] {
  const findings: GuardFinding[] = [];
  for (const change of plan.changes) {
    const spec = resultingSpec(change);
    if (!spec || change.kind !== "conditionalAccessPolicy") continue;
    const view = viewPolicy(spec);
    if (view.state !== "enabled") continue;
    for (const message of policyLockouts(view, ctx)) {
      findings.push({
        guard: "lockout",
        severity: "block",
        address: change.address,
        message: `${change.address}${view.displayName ? ` ("${view.displayName}")` : ""} ${message}${view.narrowing.length ? ` (it applies only under: ${view.narrowing.join("; ")}; break-glass accounts must still be excluded)` : ""}`,
        override: "apply --allow-lockout (recorded in the plan)",
        overridden: overrides(ctx.overrides?.lockout, change.address),
      });
    }
  }
  return findings;
}

function resultingSpec(change: PlanChange): JsonObject | undefined {
  switch (change.action) {
    case "create":
    case "update":
    case "restore":
      return change.after;
    case "delete":
    case "noop":
      return undefined;
  }
}

/** Every reason this enabled policy locks someone out, worded for the plan. */
export function policyLockouts(view: CaPolicyView, ctx: GuardContext): string[] {
  const out: string[] = [];
  const userControl = unmetControls(view, ctx.satisfiableControls ?? DEFAULT_SATISFIABLE_CONTROLS);
  if (userControl) out.push(...userLockouts(view, userControl, ctx));
  if (ctx.runner?.type === "application") {
    const sp = view.servicePrincipals;
    const ids = lc(ctx.runner.identifiers);
    const included = sp.includeServicePrincipals.includes("ServicePrincipalsInMyTenant") || intersects(sp.includeServicePrincipals, ids).length > 0;
    const blocks = view.grant?.builtInControls.includes("block") ?? false;
    if (included && blocks && intersects(sp.excludeServicePrincipals, ids).length === 0) {
      out.push(`blocks the service principal that runs apply (${ctx.runner.identifiers[0] ?? "?"}) through conditions.clientApplications.includeServicePrincipals [${sp.includeServicePrincipals.join(", ")}]: add it to conditions.clientApplications.excludeServicePrincipals`);
    }
  }
  return out;
}

function userLockouts(view: CaPolicyView, control: string, ctx: GuardContext): string[] {
  const u = view.users;
  const out: string[] = [];
  const bg = ctx.breakGlass;
  const noBreakGlass = bg.accounts.length === 0 && bg.groups.length === 0;
  const missing = breakGlassNotExcluded(view, ctx);
  const fix = exclusionAdvice(ctx);
  const allUsers = u.includeUsers.includes("All");
  const adminRoles = u.includeRoles.filter((r) => RECOVERY.has(r.toLowerCase()));
  if (allUsers) {
    if (noBreakGlass) out.push(`${control} for all users (conditions.users.includeUsers: All) and no break-glass accounts are configured (breakGlass in entra-gitops.yaml) to keep a way in`);
    else if (missing.length) out.push(`${control} for all users (conditions.users.includeUsers: All) without excluding break-glass ${missing.join(", ")}: ${fix}`);
  }
  if (adminRoles.length) {
    if (noBreakGlass) out.push(`${control} for every holder of ${adminRoles.join(", ")} (conditions.users.includeRoles) and no break-glass accounts are configured to keep a way in`);
    else if (missing.length) out.push(`${control} for every holder of ${adminRoles.join(", ")} (conditions.users.includeRoles) without excluding break-glass ${missing.join(", ")}: ${fix}`);
  }
  if (!allUsers && !adminRoles.length) {
    const targeted = missing.filter((principal) => includes(view, principal, ctx));
    if (targeted.length) out.push(`${control} for break-glass ${targeted.join(", ")}, which the policy includes directly or through a group or role: ${fix}`);
  }
  const runner = ctx.runner;
  if (runner?.type === "user") {
    const ids = lc(runner.identifiers);
    const member = lc(runner.memberOf);
    const included = allUsers || intersects(u.includeUsers, ids).length > 0 || intersects(u.includeGroups, member).length > 0 || intersects(u.includeRoles, member).length > 0;
    const excluded = intersects(u.excludeUsers, ids).length > 0 || intersects(u.excludeGroups, member).length > 0 || intersects(u.excludeRoles, member).length > 0;
    if (included && !excluded) out.push(`${control} for the user that runs apply (${runner.identifiers[0] ?? "?"}): exclude it in conditions.users.excludeUsers or through one of its groups`);
  }
  return out;
}

/** Break-glass principals (accounts, or groups when no account is listed) the policy does not exclude. */
function breakGlassNotExcluded(view: CaPolicyView, ctx: GuardContext): string[] {
  const u = view.users;
  const bgGroups = lc(ctx.breakGlass.groups);
  const excludedGroups = intersects(u.excludeGroups, bgGroups);
  if (ctx.breakGlass.accounts.length === 0) return ctx.breakGlass.groups.filter((g) => !lc(u.excludeGroups).has(g.toLowerCase()));
  return ctx.breakGlass.accounts.filter((account) => {
    if (lc(u.excludeUsers).has(account.toLowerCase())) return false;
    if (excludedGroups.length) return false;
    const member = lc(memberOf(ctx, account));
    return intersects(u.excludeGroups, member).length === 0 && intersects(u.excludeRoles, member).length === 0;
  });
}

function includes(view: CaPolicyView, principal: string, ctx: GuardContext): boolean {
  const u = view.users;
  const key = principal.toLowerCase();
  if (principal.startsWith("group:")) return lc(u.includeGroups).has(key);
  if (lc(u.includeUsers).has(key)) return true;
  const member = lc([...memberOf(ctx, principal), ...ctx.breakGlass.groups]);
  return intersects(u.includeGroups, member).length > 0 || intersects(u.includeRoles, member).length > 0;
}

function memberOf(ctx: GuardContext, user: string): readonly string[] {
  const entry = Object.entries(ctx.memberOf ?? {}).find(([k]) => k.toLowerCase() === user.toLowerCase());
  return entry ? entry[1] : [];
}

function exclusionAdvice(ctx: GuardContext): string {
  const parts: string[] = [];
  if (ctx.breakGlass.accounts.length) parts.push(`add ${ctx.breakGlass.accounts.join(", ")} to conditions.users.excludeUsers`);
  if (ctx.breakGlass.groups.length) parts.push(`add ${ctx.breakGlass.groups.join(" or ")} to conditions.users.excludeGroups`);
  return parts.join(", or ");
}
