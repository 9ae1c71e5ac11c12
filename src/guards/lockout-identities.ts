import type { BreakGlassProposal } from "../conditional-access/break-glass.js";
import { refKey } from "../conditional-access/refs.js";
import { ESSENTIAL_TARGETS, MICROSOFT_GRAPH_APP } from "../conditional-access/scenarios.js";
import type { Subject, Target } from "../conditional-access/types.js";
import type { CaWorld } from "../conditional-access/world.js";
import type { Runner } from "./types.js";

/** Roles whose holders can undo a Conditional Access mistake (name and built-in template id). */
export const RECOVERY_ROLES: ReadonlyArray<readonly [string, string]> = [
  ["Global Administrator", "62e90394-69f5-4237-9190-012177145e10"],
  ["Privileged Role Administrator", "e8611ab8-c189-46e8-94e1-60213ab1f814"],
  ["Conditional Access Administrator", "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"],
  ["Security Administrator", "194ae4cb-b126-40b2-bd5b-6091b380977d"],
  ["Privileged Authentication Administrator", "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"],
];

/**
 * How a protected identity is judged:
 * - `any`: every sign-in, unusual ones included, must stay as open as it was (break-glass accounts:
 *   Microsoft's guidance is to exclude them from every policy);
 * - `anyEssential`: every ordinary sign-in must stay as open as it was (the identity running apply);
 * - `wayIn`: it must keep at least one ordinary way in if it had one (all users, admin role holders).
 */
export type Rule = "any" | "anyEssential" | "wayIn";

export interface ProtectedIdentity {
  /** For messages: `break-glass user:bg1@…`, `all users`, `holders of role:Global Administrator (user:x)`. */
  label: string;
  group: "breakGlass" | "allUsers" | "adminRole" | "runner";
  subject: Subject;
  rule: Rule;
  targets?: Target[];
}

/** An admin keeps a way in only if it can still reach the admin portals or Graph. */
const ADMIN_TARGETS: Target[] = ESSENTIAL_TARGETS.filter((t) => t.type === "application" && t.adminPortal);

/** Roles guarded: the recovery roles, every role assigned tenant-wide, every role a policy names. */
function adminRoles(worlds: readonly CaWorld[]): string[] {
  const roles = new Map<string, string>();
  const add = (role: string): void => {
    if (!roles.has(refKey(role))) roles.set(refKey(role), role);
  };
  for (const [name] of RECOVERY_ROLES) add(`role:${name}`);
  for (const world of worlds) {
    world.assignedRoles.forEach(add);
    for (const p of world.policies) for (const r of p.users.includeRoles) if (r.startsWith("role:")) add(r);
  }
  return [...roles.values()];
}

/** Every identity whose access the lockout guard compares before and after a plan. */
export function protectedIdentities(before: CaWorld, after: CaWorld, breakGlass: BreakGlassProposal, runner: Runner | undefined): ProtectedIdentity[] {
  const out: ProtectedIdentity[] = [];
  const bgAccounts = new Map<string, string>();
  for (const a of breakGlass.accounts) bgAccounts.set(refKey(a), a);
  for (const g of breakGlass.groups) {
    const users = [...before.directory.usersIn(g), ...after.directory.usersIn(g)].filter((u) => u.startsWith("user:"));
    for (const u of users) if (!bgAccounts.has(u)) bgAccounts.set(u, [...before.users, ...after.users].find((x) => refKey(x) === u) ?? u);
    if (users.length === 0 && breakGlass.accounts.length === 0) out.push({ label: `break-glass members of ${g}`, group: "breakGlass", subject: { type: "user", ref: `user:(a member of ${g})`, memberOf: [g] }, rule: "any" });
  }
  // A configured break-glass group the tenant read does not hold (not in scope, or a plan on its
  // own) is taken at its word: it holds the configured accounts.
  const known = new Set([...before.groups, ...after.groups].map(refKey));
  const unknownGroups = breakGlass.groups.filter((g) => !known.has(refKey(g)));
  for (const account of bgAccounts.values()) {
    const configured = breakGlass.accounts.some((a) => refKey(a) === refKey(account));
    out.push({ label: `break-glass ${account}`, group: "breakGlass", subject: { type: "user", ref: account, ...(configured && unknownGroups.length ? { memberOf: unknownGroups } : {}) }, rule: "any" });
  }
  out.push({ label: "all users", group: "allUsers", subject: { type: "user", ref: "user:(any member user)" }, rule: "wayIn" });
  for (const role of adminRoles([before, after])) {
    const key = refKey(role);
    out.push({ label: `holders of ${role}`, group: "adminRole", subject: { type: "user", ref: `user:(a new holder of ${role})`, memberOf: [role] }, rule: "wayIn", targets: ADMIN_TARGETS });
    const holders = before.users.filter((u) => !bgAccounts.has(refKey(u)) && before.directory.memberships(u).has(key));
    for (const holder of holders) out.push({ label: `holders of ${role} (${holder})`, group: "adminRole", subject: { type: "user", ref: holder }, rule: "wayIn", targets: ADMIN_TARGETS });
  }
  if (runner?.type === "user") {
    out.push({ label: `the user that runs apply (${runner.identifiers[0] ?? "?"})`, group: "runner", subject: { type: "user", ref: runner.identifiers[0] ?? "user:(runner)", memberOf: runner.memberOf }, rule: "anyEssential" });
  } else if (runner?.type === "application") {
    out.push({
      label: `the service principal that runs apply (${runner.identifiers.find((i) => i.startsWith("servicePrincipal:")) ?? runner.identifiers[0] ?? "?"})`,
      group: "runner",
      subject: { type: "servicePrincipal", refs: runner.identifiers },
      rule: "anyEssential",
      targets: [{ type: "application", refs: [MICROSOFT_GRAPH_APP] }],
    });
  }
  return out;
}
