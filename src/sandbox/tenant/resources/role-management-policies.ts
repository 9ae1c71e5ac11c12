/**
 * PIM settings of directory roles (docs/graph-behaviour.md, PIM role settings): every role
 * definition, built-in or custom, has one role management policy (`/policies/roleManagementPolicies`,
 * read-only: never created, updated or deleted by a caller) holding the 17 rules of
 * `facts/pim-role-setting-defaults.ts`, and one assignment tying it to the role
 * (`/policies/roleManagementPolicyAssignments`, read-only). Both lists need a `$filter` on
 * `scopeId` and `scopeType`. A rule is written by PATCH `…/roleManagementPolicies/{id}/rules/{ruleId}`
 * (204, checked in `role-management-policy-rules.ts`); the rule ids never change. Policies are
 * made on first use for every role. The same routes serve the policies of PIM for groups
 * (`pim-group-policies.ts`); directory roles' are read and written with
 * RoleManagementPolicy.*.Directory, groups' with RoleManagementPolicy.*.AzureADGroup.
 */
import { randomUUID } from "node:crypto";
import { DEFAULT_ROLE_SETTING_RULES } from "../../../facts/pim-role-setting-defaults.js";
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { clone, stringProp } from "../core/entity.js";
import { badRequest, forbidden, notFound } from "../core/errors.js";
import { entityResponse } from "../core/crud.js";
import { defineResource } from "../core/resource.js";
import type { ResourceDefinition } from "../core/resource.js";
import { listResponse } from "../odata/list.js";
import { contextUrl } from "../odata/shape.js";
import { queryParam } from "../odata/query-options.js";
import { ensureGroupPolicies, GROUP_READ, GROUP_WRITE, groupAuditSubject } from "./pim-group-policies.js";
import { patchedRule } from "./role-management-policy-rules.js";
import { adminExpirationOf, ASSIGNMENTS, isGroupPolicy, POLICIES, rulesOf, settingsOf, type ActivationSettings } from "./role-management-policy-store.js";
import type { AdminExpiration } from "./pim-requests.js";

const POLICIES_PATH = "/policies/roleManagementPolicies";
const ASSIGNMENTS_PATH = "/policies/roleManagementPolicyAssignments";
const READ = ["RoleManagementPolicy.Read.Directory", "RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagementPolicy.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"];
const WRITE = ["RoleManagementPolicy.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"];
/** What a route lets through; the handler then asks for the scope's own (directory roles' or groups'). */
const ANY_READ = [...READ, ...GROUP_READ];
const ANY_WRITE = [...WRITE, ...GROUP_WRITE];

/** Every role definition, and every group PIM governs, has its policies and assignments. */
function ensurePolicies(ctx: RequestContext): void {
  ensureRolePolicies(ctx);
  ensureGroupPolicies(ctx);
}

/** Every role definition has its policy and assignment; a custom role's go with it. */
function ensureRolePolicies(ctx: RequestContext): void {
  const roles = ctx.store.list("roleDefinitions");
  const roleIds = new Set(roles.map((r) => r.id.toLowerCase()));
  const assigned = new Set<string>();
  for (const assignment of ctx.store.list(ASSIGNMENTS)) {
    if (assignment["scopeType"] === "Group") continue;
    const role = String(assignment["roleDefinitionId"]).toLowerCase();
    if (roleIds.has(role)) {
      assigned.add(role);
      continue;
    }
    ctx.store.remove(ASSIGNMENTS, assignment.id, "deleted");
    ctx.store.remove(POLICIES, String(assignment["policyId"]), "deleted");
  }
  for (const role of roles) {
    if (assigned.has(role.id.toLowerCase())) continue;
    const policyId = `DirectoryRole_${ctx.core.tenantId}_${randomUUID()}`;
    ctx.store.putUntracked(POLICIES, {
      id: policyId,
      displayName: "DirectoryRole",
      description: "DirectoryRole",
      isOrganizationDefault: false,
      scopeId: "/",
      scopeType: "DirectoryRole",
      lastModifiedDateTime: null,
      lastModifiedBy: { displayName: null, id: null },
      rules: clone(DEFAULT_ROLE_SETTING_RULES),
    });
    ctx.store.putUntracked(ASSIGNMENTS, { id: `${policyId}_${role.id}`, policyId, scopeId: "/", scopeType: "DirectoryRole", roleDefinitionId: role.id });
  }
}

/**
 * What a role's policy asks of an activation (PIM activation reads it): the longest activation
 * (`Expiration_EndUser_Assignment`'s `maximumDuration`) and what the activating user must give
 * (`Enablement_EndUser_Assignment`'s `enabledRules`: `Justification`, `Ticketing`, `MultiFactorAuthentication`).
 */
export function activationSettings(ctx: RequestContext, roleId: string): ActivationSettings {
  ensurePolicies(ctx);
  const assignment = ctx.store.list(ASSIGNMENTS).find((a) => a["scopeType"] !== "Group" && String(a["roleDefinitionId"]).toLowerCase() === roleId.toLowerCase());
  return settingsOf(ctx, assignment, []);
}

/** What a role's policy asks of an administrator's eligibility or active assignment (`Expiration_Admin_*`). */
export function roleAdminExpiration(ctx: RequestContext, roleId: string, level: "Eligibility" | "Assignment"): AdminExpiration {
  ensurePolicies(ctx);
  const assignment = ctx.store.list(ASSIGNMENTS).find((a) => a["scopeType"] !== "Group" && String(a["roleDefinitionId"]).toLowerCase() === roleId.toLowerCase());
  return adminExpirationOf(ctx, assignment, DEFAULT_ROLE_SETTING_RULES, level);
}

/**
 * The lists answer only for a scope: `$filter` on scopeId and scopeType is required (400
 * otherwise), and the caller needs the scope's permissions: a group's (`scopeType eq 'Group'`)
 * RoleManagementPolicy.*.AzureADGroup, directory roles' RoleManagementPolicy.*.Directory.
 */
function requireScopeFilter(ctx: RequestContext): void {
  const filter = queryParam(ctx.request.query, "$filter") ?? "";
  if (!/\bscopeId\s+eq\b/i.test(filter) || !/\bscopeType\s+eq\b/i.test(filter)) {
    throw badRequest("The filter on scopeId and scopeType is required.", "InvalidFilter");
  }
  const group = /\bscopeType\s+eq\s+'group'/i.test(filter);
  requireScopePermission(ctx, group, "read");
}

function requireScopePermission(ctx: RequestContext, group: boolean, access: "read" | "write"): void {
  const needed = group ? (access === "read" ? GROUP_READ : GROUP_WRITE) : access === "read" ? READ : WRITE;
  if (!ctx.hasPermission(needed)) throw forbidden();
}

function policyView(policy: Entity, withRules: boolean): Entity {
  const { rules, ...rest } = policy;
  return withRules ? { ...rest, rules: clone(rules) } : (rest as Entity);
}

function getPolicy(ctx: RequestContext, id: string, access: "read" | "write" = "read"): Entity {
  ensurePolicies(ctx);
  const policy = ctx.store.get(POLICIES, id);
  if (!policy) throw notFound(id);
  requireScopePermission(ctx, isGroupPolicy(policy), access);
  return policy;
}

export const roleManagementPolicies: ResourceDefinition = defineResource({
  collection: POLICIES,
  entityType: "microsoft.graph.unifiedRoleManagementPolicy",
  resourceName: "UnifiedRoleManagementPolicy",
  paths: [{ path: POLICIES_PATH, versions: [] }],
  permissions: { read: ANY_READ, write: ANY_WRITE },
  paging: { defaultTop: 100, maxTop: 999 },
  methods: { create: false, update: false, delete: false },
  replicated: false,
  filter: { scopeId: ["eq"], scopeType: ["eq"], id: ["eq"] },
  orderBy: {},
  expand: { rules: (_ctx, entity) => clone(rulesOf(entity)) as Entity[] },
  view: (_ctx, entity) => policyView(entity, false),
  routes: [
    {
      method: "GET",
      path: POLICIES_PATH,
      permissions: ANY_READ,
      handler: (ctx) => {
        requireScopeFilter(ctx);
        ensurePolicies(ctx);
        return listResponse(ctx, roleManagementPolicies, ctx.store.listSorted(POLICIES), { contextPath: "policies/roleManagementPolicies", presorted: true });
      },
    },
    { method: "GET", path: `${POLICIES_PATH}/{id}`, permissions: ANY_READ, handler: (ctx, params) => entityResponse(ctx, roleManagementPolicies, getPolicy(ctx, params["id"] ?? "")) },
    {
      method: "GET",
      path: `${POLICIES_PATH}/{id}/rules`,
      permissions: ANY_READ,
      handler: (ctx, params) => ({ status: 200, body: { "@odata.context": contextUrl(ctx, `policies/roleManagementPolicies('${params["id"] ?? ""}')/rules`), value: clone(rulesOf(getPolicy(ctx, params["id"] ?? ""))) } }),
    },
    {
      method: "GET",
      path: `${POLICIES_PATH}/{id}/rules/{ruleId}`,
      permissions: ANY_READ,
      handler: (ctx, params) => {
        const rule = rulesOf(getPolicy(ctx, params["id"] ?? "")).find((r) => r["id"] === params["ruleId"]);
        if (!rule) throw notFound(params["ruleId"] ?? "");
        return { status: 200, body: { "@odata.context": contextUrl(ctx, `policies/roleManagementPolicies('${params["id"] ?? ""}')/rules`, undefined, true), ...clone(rule) } };
      },
    },
    {
      method: "PATCH",
      path: `${POLICIES_PATH}/{id}/rules/{ruleId}`,
      permissions: ANY_WRITE,
      handler: (ctx, params) => {
        patchRule(ctx, getPolicy(ctx, params["id"] ?? "", "write"), params["ruleId"] ?? "");
        return { status: 204 };
      },
    },
  ],
});

export const roleManagementPolicyAssignments: ResourceDefinition = defineResource({
  collection: ASSIGNMENTS,
  entityType: "microsoft.graph.unifiedRoleManagementPolicyAssignment",
  resourceName: "UnifiedRoleManagementPolicyAssignment",
  paths: [{ path: ASSIGNMENTS_PATH, versions: [] }],
  permissions: { read: ANY_READ, write: ANY_WRITE },
  paging: { defaultTop: 100, maxTop: 999 },
  methods: { create: false, update: false, delete: false },
  replicated: false,
  filter: { scopeId: ["eq"], scopeType: ["eq"], roleDefinitionId: ["eq"], policyId: ["eq"] },
  orderBy: {},
  expand: {
    // `policy($expand=rules)` also embeds the rules (a nested $expand); `policy` alone does not.
    policy: (ctx, entity) => {
      const policy = ctx.store.get(POLICIES, String(entity["policyId"]));
      const expand = queryParam(ctx.request.query, "$expand") ?? "";
      return policy ? policyView(policy, /policy\s*\(\s*\$expand\s*=\s*rules\b/i.test(expand)) : null;
    },
  },
  routes: [
    {
      method: "GET",
      path: ASSIGNMENTS_PATH,
      permissions: ANY_READ,
      handler: (ctx) => {
        requireScopeFilter(ctx);
        ensurePolicies(ctx);
        return listResponse(ctx, roleManagementPolicyAssignments, ctx.store.listSorted(ASSIGNMENTS), { contextPath: "policies/roleManagementPolicyAssignments", presorted: true });
      },
    },
    {
      method: "GET",
      path: `${ASSIGNMENTS_PATH}/{id}`,
      permissions: ANY_READ,
      handler: (ctx, params) => {
        ensurePolicies(ctx);
        const assignment = ctx.store.get(ASSIGNMENTS, params["id"] ?? "");
        if (!assignment) throw notFound(params["id"] ?? "");
        requireScopePermission(ctx, assignment["scopeType"] === "Group", "read");
        return entityResponse(ctx, roleManagementPolicyAssignments, assignment);
      },
    },
  ],
});

function patchRule(ctx: RequestContext, policy: Entity, ruleId: string): void {
  const rules = rulesOf(policy);
  const { index, before, merged } = patchedRule(ctx, rules, ruleId);
  const updated = [...rules];
  updated[index] = merged;
  const principal = ctx.request.principal;
  ctx.store.put(POLICIES, {
    ...policy,
    rules: updated,
    lastModifiedDateTime: ctx.nowIso(),
    lastModifiedBy: { displayName: principal.type === "user" ? (principal.userDisplayName ?? null) : principal.appDisplayName, id: principal.type === "user" ? (principal.userId ?? null) : principal.appId },
  });
  audit(ctx, policy, before, merged);
}

/**
 * "Update role setting in PIM" (service PIM), naming the role (category RoleManagement) or the
 * group and relationship (category GroupManagement), and the policy.
 */
function audit(ctx: RequestContext, policy: Entity, before: Record<string, unknown>, after: Record<string, unknown>): void {
  const assignment = ctx.store.list(ASSIGNMENTS).find((a) => a["policyId"] === policy.id);
  const roleId = assignment ? String(assignment["roleDefinitionId"]) : null;
  const role = roleId && !isGroupPolicy(policy) ? ctx.store.get("roleDefinitions", roleId) : undefined;
  const subject = isGroupPolicy(policy)
    ? groupAuditSubject(ctx, policy, roleId)
    : [{ id: roleId ?? policy.id, displayName: role ? (stringProp(role, "displayName") ?? null) : null, type: "Role", modifiedProperties: [] }];
  ctx.audit({
    activity: "Update role setting in PIM",
    category: isGroupPolicy(policy) ? "GroupManagement" : "RoleManagement",
    service: "PIM",
    operationType: "Update",
    targets: [
      ...subject,
      {
        id: policy.id,
        displayName: null,
        type: "Other",
        modifiedProperties: [{ displayName: String(after["id"]), oldValue: JSON.stringify(before), newValue: JSON.stringify(after) }],
      },
    ],
  });
}
