/**
 * What the sandbox's role management policies (PIM settings) hold, shared by the directory roles'
 * resource (`role-management-policies.ts`) and PIM for groups' (`pim-group-policies.ts`): the two
 * collections, a policy's rules, and what its rules ask of an activation and of an administrator's
 * request.
 */
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import type { AdminExpiration } from "./pim-requests.js";

export const POLICIES = "roleManagementPolicies";
export const ASSIGNMENTS = "roleManagementPolicyAssignments";

/** What a policy asks of an activation (PIM activation reads it). */
export interface ActivationSettings {
  maximumDuration: string | undefined;
  enabledRules: readonly string[];
}

export function isGroupPolicy(policy: Entity): boolean {
  return policy["scopeType"] === "Group";
}

export function rulesOf(policy: Entity): Record<string, unknown>[] {
  return Array.isArray(policy["rules"]) ? (policy["rules"] as Record<string, unknown>[]) : [];
}

/**
 * The longest activation (`Expiration_EndUser_Assignment`'s `maximumDuration`) and what the
 * activating user must give (`Enablement_EndUser_Assignment`'s `enabledRules`) of the assignment's
 * policy; `defaults` when there is none.
 */
export function settingsOf(ctx: RequestContext, assignment: Entity | undefined, defaults: readonly Readonly<Record<string, unknown>>[]): ActivationSettings {
  const policy = assignment ? ctx.store.get(POLICIES, String(assignment["policyId"])) : undefined;
  const rules = policy ? rulesOf(policy) : (defaults as Record<string, unknown>[]);
  const expiration = rules.find((r) => r["id"] === "Expiration_EndUser_Assignment");
  const enablement = rules.find((r) => r["id"] === "Enablement_EndUser_Assignment");
  return {
    maximumDuration: typeof expiration?.["maximumDuration"] === "string" ? expiration["maximumDuration"] : undefined,
    enabledRules: Array.isArray(enablement?.["enabledRules"]) ? enablement["enabledRules"].map(String) : [],
  };
}

/**
 * What the assignment's policy asks of an administrator's request at `level` (`Eligibility` or
 * `Assignment`): its `Expiration_Admin_{level}` rule; `defaults` when there is no policy.
 */
export function adminExpirationOf(ctx: RequestContext, assignment: Entity | undefined, defaults: readonly Readonly<Record<string, unknown>>[], level: "Eligibility" | "Assignment"): AdminExpiration {
  const policy = assignment ? ctx.store.get(POLICIES, String(assignment["policyId"])) : undefined;
  const rules = policy ? rulesOf(policy) : (defaults as Record<string, unknown>[]);
  const rule = rules.find((r) => r["id"] === `Expiration_Admin_${level}`);
  return {
    isExpirationRequired: rule?.["isExpirationRequired"] === true,
    maximumDuration: typeof rule?.["maximumDuration"] === "string" ? rule["maximumDuration"] : undefined,
  };
}
