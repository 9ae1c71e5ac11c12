/**
 * PIM for groups settings (docs/graph-behaviour.md, PIM for groups settings), the group part of
 * the role management policies (`role-management-policies.ts` serves both): a group PIM governs
 * (one that has, or had, an eligible or active membership or ownership made through PIM) has two
 * policies with `scopeType: Group` and `scopeId` its id, holding the 17 rules of
 * `facts/pim-group-setting-defaults.ts`, and two assignments (`roleDefinitionId` `member` and
 * `owner`); another group has none (its lists are empty). A group's policies are read and written
 * with RoleManagementPolicy.*.AzureADGroup.
 */
import { randomUUID } from "node:crypto";
import { DEFAULT_GROUP_ROLE_SETTING_RULES } from "../../../facts/pim-group-setting-defaults.js";
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { clone, stringProp } from "../core/entity.js";
import type { AuditTarget } from "../audit/audit-log.js";
import { adminExpirationOf, ASSIGNMENTS, POLICIES, settingsOf, type ActivationSettings } from "./role-management-policy-store.js";
import type { AdminExpiration } from "./pim-requests.js";

export const GROUP_READ = ["RoleManagementPolicy.Read.AzureADGroup", "RoleManagementPolicy.ReadWrite.AzureADGroup"];
export const GROUP_WRITE = ["RoleManagementPolicy.ReadWrite.AzureADGroup"];
/** PIM for groups schedules (eligible and active) whose group PIM then governs. */
const GROUP_SCHEDULES = ["privilegedAccessGroupEligibilitySchedules", "privilegedAccessGroupAssignmentSchedules"];
const GROUP_ROLES = ["member", "owner"] as const;

/** Groups PIM governs: those with PIM for groups schedules, and those that already have policies. */
export function ensureGroupPolicies(ctx: RequestContext): void {
  const governed = new Set<string>();
  for (const collection of GROUP_SCHEDULES) for (const schedule of ctx.store.list(collection)) governed.add(String(schedule["groupId"]).toLowerCase());
  const present = new Set<string>();
  for (const assignment of ctx.store.list(ASSIGNMENTS)) {
    if (assignment["scopeType"] !== "Group") continue;
    const groupId = String(assignment["scopeId"]).toLowerCase();
    if (ctx.store.get("groups", groupId)) {
      present.add(`${groupId}/${String(assignment["roleDefinitionId"])}`);
      governed.add(groupId);
      continue;
    }
    // A deleted group's policies go with it.
    ctx.store.remove(ASSIGNMENTS, assignment.id, "deleted");
    ctx.store.remove(POLICIES, String(assignment["policyId"]), "deleted");
  }
  for (const groupId of governed) {
    const group = ctx.store.get("groups", groupId);
    if (!group) continue;
    for (const role of GROUP_ROLES) {
      if (present.has(`${groupId}/${role}`)) continue;
      const policyId = `Group_${group.id}_${randomUUID()}`;
      ctx.store.putUntracked(POLICIES, {
        id: policyId,
        displayName: "Group",
        description: "Group",
        isOrganizationDefault: false,
        scopeId: group.id,
        scopeType: "Group",
        lastModifiedDateTime: null,
        lastModifiedBy: { displayName: null, id: null },
        rules: clone(DEFAULT_GROUP_ROLE_SETTING_RULES),
      });
      ctx.store.putUntracked(ASSIGNMENTS, { id: `${policyId}_${role}`, policyId, scopeId: group.id, scopeType: "Group", roleDefinitionId: role });
    }
  }
}

/**
 * What a group's membership or ownership policy asks of an activation (as `activationSettings`);
 * a group PIM does not govern yet is held to Microsoft's defaults for groups, which its policy
 * starts with.
 */
export function groupActivationSettings(ctx: RequestContext, groupId: string, accessId: string): ActivationSettings {
  return settingsOf(ctx, groupPolicyAssignment(ctx, groupId, accessId), DEFAULT_GROUP_ROLE_SETTING_RULES);
}

/**
 * What a group's membership or ownership policy asks of an administrator's eligibility or active
 * assignment (`Expiration_Admin_*`); Microsoft's defaults for groups before PIM governs the group.
 */
export function groupAdminExpiration(ctx: RequestContext, groupId: string, accessId: string, level: "Eligibility" | "Assignment"): AdminExpiration {
  return adminExpirationOf(ctx, groupPolicyAssignment(ctx, groupId, accessId), DEFAULT_GROUP_ROLE_SETTING_RULES, level);
}

function groupPolicyAssignment(ctx: RequestContext, groupId: string, accessId: string): Entity | undefined {
  ensureGroupPolicies(ctx);
  return ctx.store
    .list(ASSIGNMENTS)
    .find((a) => a["scopeType"] === "Group" && String(a["scopeId"]).toLowerCase() === groupId.toLowerCase() && a["roleDefinitionId"] === accessId);
}

/** The audit targets naming a group policy's relationship (as a role) and its group. */
export function groupAuditSubject(ctx: RequestContext, policy: Entity, roleId: string | null): AuditTarget[] {
  const group = ctx.store.get("groups", String(policy["scopeId"]));
  return [
    { id: roleId ?? policy.id, displayName: roleId === "owner" ? "Owner" : "Member", type: "Role", modifiedProperties: [] },
    { id: String(policy["scopeId"]), displayName: group ? (stringProp(group, "displayName") ?? null) : null, type: "Group", modifiedProperties: [] },
  ];
}
