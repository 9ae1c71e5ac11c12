/**
 * PIM settings of directory roles (docs/graph-behaviour.md, PIM role settings): every role
 * definition, built-in or custom, has one role management policy (`/policies/roleManagementPolicies`,
 * read-only: never created, updated or deleted by a caller) holding the 17 rules of
 * `facts/pim-role-setting-defaults.ts`, and one assignment tying it to the role
 * (`/policies/roleManagementPolicyAssignments`, read-only). Both lists need a `$filter` on
 * `scopeId` and `scopeType`. A rule is written by PATCH `…/roleManagementPolicies/{id}/rules/{ruleId}`
 * (204): the body needs the rule's own `@odata.type`, carries only the properties of that rule type,
 * and each is checked; the rule ids never change. Policies are made on first use for every role.
 *
 * PIM for groups (docs/graph-behaviour.md, PIM for groups settings): a group PIM governs (one that
 * has, or had, an eligible or active membership or ownership made through PIM) has two policies
 * with `scopeType: Group` and `scopeId` its id, holding the 17 rules of
 * `facts/pim-group-setting-defaults.ts`, and two assignments (`roleDefinitionId` `member` and
 * `owner`); another group has none (its lists are empty). A group's policies are read and written
 * with RoleManagementPolicy.*.AzureADGroup, directory roles' with RoleManagementPolicy.*.Directory.
 */
import { randomUUID } from "node:crypto";
import { DEFAULT_GROUP_ROLE_SETTING_RULES } from "../../../facts/pim-group-setting-defaults.js";
import { DEFAULT_ROLE_SETTING_RULES } from "../../../facts/pim-role-setting-defaults.js";
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { clone, isRecord, stringProp } from "../core/entity.js";
import { badRequest, forbidden, notFound } from "../core/errors.js";
import { entityResponse } from "../core/crud.js";
import { defineResource } from "../core/resource.js";
import type { ResourceDefinition } from "../core/resource.js";
import { listResponse } from "../odata/list.js";
import { contextUrl } from "../odata/shape.js";
import { queryParam } from "../odata/query-options.js";

const POLICIES = "roleManagementPolicies";
const ASSIGNMENTS = "roleManagementPolicyAssignments";
const POLICIES_PATH = "/policies/roleManagementPolicies";
const ASSIGNMENTS_PATH = "/policies/roleManagementPolicyAssignments";
const READ = ["RoleManagementPolicy.Read.Directory", "RoleManagement.Read.Directory", "RoleManagement.Read.All", "RoleManagementPolicy.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"];
const WRITE = ["RoleManagementPolicy.ReadWrite.Directory", "RoleManagement.ReadWrite.Directory"];
const GROUP_READ = ["RoleManagementPolicy.Read.AzureADGroup", "RoleManagementPolicy.ReadWrite.AzureADGroup"];
const GROUP_WRITE = ["RoleManagementPolicy.ReadWrite.AzureADGroup"];
/** What a route lets through; the handler then asks for the scope's own (directory roles' or groups'). */
const ANY_READ = [...READ, ...GROUP_READ];
const ANY_WRITE = [...WRITE, ...GROUP_WRITE];
/** PIM for groups schedules (eligible and active) whose group PIM then governs. */
const GROUP_SCHEDULES = ["privilegedAccessGroupEligibilitySchedules", "privilegedAccessGroupAssignmentSchedules"];
const GROUP_ROLES = ["member", "owner"] as const;
const RULE_TYPE = "#microsoft.graph.unifiedRoleManagementPolicy";
/** ISO 8601 duration as Graph's `Edm.Duration` takes it (P90D, PT8H, PT1H45M). */
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const ENABLED_RULES = new Set(["MultiFactorAuthentication", "Justification", "Ticketing"]);
const APPROVAL_MODES = new Set(["SingleStage", "Serial", "Parallel", "NoApproval"]);
const NOTIFICATION_LEVELS = new Set(["None", "Critical", "All"]);
const RECIPIENT_TYPES = new Set(["Requestor", "Approver", "Admin"]);

/** What a PATCH may carry per rule type (the update page's table), besides `@odata.type`, `id` and `target`. */
const WRITABLE: Readonly<Record<string, readonly string[]>> = {
  ExpirationRule: ["isExpirationRequired", "maximumDuration"],
  EnablementRule: ["enabledRules"],
  ApprovalRule: ["setting"],
  AuthenticationContextRule: ["isEnabled", "claimValue"],
  NotificationRule: ["notificationType", "recipientType", "notificationLevel", "isDefaultRecipientsEnabled", "notificationRecipients"],
};

/** The rule type without the namespace prefix: `ExpirationRule`, … */
function ruleType(odataType: unknown): string | undefined {
  if (typeof odataType !== "string") return undefined;
  const name = odataType.replace(/^#?microsoft\.graph\./i, "#microsoft.graph.");
  return name.toLowerCase().startsWith(RULE_TYPE.toLowerCase()) ? name.slice(RULE_TYPE.length) : undefined;
}

/** Every role definition has its policy and assignment; a custom role's go with it. */
function ensurePolicies(ctx: RequestContext): void {
  ensureRolePolicies(ctx);
  ensureGroupPolicies(ctx);
}

/** Groups PIM governs: those with PIM for groups schedules, and those that already have policies. */
function ensureGroupPolicies(ctx: RequestContext): void {
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
export function activationSettings(ctx: RequestContext, roleId: string): { maximumDuration: string | undefined; enabledRules: readonly string[] } {
  ensurePolicies(ctx);
  const assignment = ctx.store.list(ASSIGNMENTS).find((a) => a["scopeType"] !== "Group" && String(a["roleDefinitionId"]).toLowerCase() === roleId.toLowerCase());
  return settingsOf(ctx, assignment, []);
}

/**
 * What a group's membership or ownership policy asks of an activation (as `activationSettings`);
 * a group PIM does not govern yet is held to Microsoft's defaults for groups, which its policy
 * starts with.
 */
export function groupActivationSettings(ctx: RequestContext, groupId: string, accessId: string): { maximumDuration: string | undefined; enabledRules: readonly string[] } {
  ensurePolicies(ctx);
  const assignment = ctx.store
    .list(ASSIGNMENTS)
    .find((a) => a["scopeType"] === "Group" && String(a["scopeId"]).toLowerCase() === groupId.toLowerCase() && a["roleDefinitionId"] === accessId);
  return settingsOf(ctx, assignment, DEFAULT_GROUP_ROLE_SETTING_RULES);
}

function settingsOf(ctx: RequestContext, assignment: Entity | undefined, defaults: readonly Readonly<Record<string, unknown>>[]): { maximumDuration: string | undefined; enabledRules: readonly string[] } {
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

function isGroupPolicy(policy: Entity): boolean {
  return policy["scopeType"] === "Group";
}

function rulesOf(policy: Entity): Record<string, unknown>[] {
  return Array.isArray(policy["rules"]) ? (policy["rules"] as Record<string, unknown>[]) : [];
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

function invalid(property: string): Error {
  return badRequest(`Invalid value specified for property '${property}' of resource 'UnifiedRoleManagementPolicyRule'.`, "InvalidPolicyRule");
}

function requireBoolean(body: Record<string, unknown>, key: string): void {
  if (key in body && typeof body[key] !== "boolean") throw invalid(key);
}

function checkApprovers(ctx: RequestContext, value: unknown, property: string): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw invalid(property);
  for (const approver of value) {
    if (!isRecord(approver)) throw invalid(property);
    const type = String(approver["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./i, "");
    if (type === "singleUser") {
      if (typeof approver["userId"] !== "string" || ctx.core.checkReference(approver["userId"], ["users"]) !== "ok") throw invalid(`${property}.userId`);
    } else if (type === "groupMembers") {
      if (typeof approver["groupId"] !== "string" || ctx.core.checkReference(approver["groupId"], ["groups"]) !== "ok") throw invalid(`${property}.groupId`);
    } else {
      throw invalid(`${property}.@odata.type`);
    }
  }
}

/** An approval rule's `setting`: booleans, a known mode, stages with whole-number timeouts and existing approvers. */
function checkApprovalSetting(ctx: RequestContext, setting: unknown): void {
  if (!isRecord(setting)) throw invalid("setting");
  for (const key of ["isApprovalRequired", "isApprovalRequiredForExtension", "isRequestorJustificationRequired"]) requireBoolean(setting, key);
  if ("approvalMode" in setting && !APPROVAL_MODES.has(String(setting["approvalMode"]))) throw invalid("setting.approvalMode");
  const stages = setting["approvalStages"];
  if (stages === undefined || stages === null) return;
  if (!Array.isArray(stages)) throw invalid("setting.approvalStages");
  for (const stage of stages) {
    if (!isRecord(stage)) throw invalid("setting.approvalStages");
    for (const key of ["isApproverJustificationRequired", "isEscalationEnabled"]) requireBoolean(stage, key);
    for (const key of ["approvalStageTimeOutInDays", "escalationTimeInMinutes"]) {
      if (key in stage && (!Number.isInteger(stage[key]) || (stage[key] as number) < 0)) throw invalid(`setting.approvalStages.${key}`);
    }
    checkApprovers(ctx, stage["primaryApprovers"], "setting.approvalStages.primaryApprovers");
    checkApprovers(ctx, stage["escalationApprovers"], "setting.approvalStages.escalationApprovers");
  }
}

/** Checks the properties of one rule type; the merged rule is what the policy then holds. */
function checkRule(ctx: RequestContext, type: string, rule: Record<string, unknown>): void {
  switch (type) {
    case "ExpirationRule":
      requireBoolean(rule, "isExpirationRequired");
      if (rule["maximumDuration"] !== null && (typeof rule["maximumDuration"] !== "string" || !DURATION.test(rule["maximumDuration"]))) throw invalid("maximumDuration");
      if (rule["isExpirationRequired"] === true && rule["maximumDuration"] === null) throw invalid("maximumDuration");
      return;
    case "EnablementRule": {
      const enabled = rule["enabledRules"];
      if (!Array.isArray(enabled) || enabled.some((r) => typeof r !== "string" || !ENABLED_RULES.has(r))) throw invalid("enabledRules");
      return;
    }
    case "ApprovalRule":
      checkApprovalSetting(ctx, rule["setting"]);
      return;
    case "AuthenticationContextRule":
      requireBoolean(rule, "isEnabled");
      if (rule["claimValue"] !== null && typeof rule["claimValue"] !== "string") throw invalid("claimValue");
      // Sandbox's own: an enabled rule names the authentication context it requires.
      if (rule["isEnabled"] === true && (typeof rule["claimValue"] !== "string" || rule["claimValue"] === "")) throw invalid("claimValue");
      return;
    case "NotificationRule":
      requireBoolean(rule, "isDefaultRecipientsEnabled");
      if (rule["notificationType"] !== "Email") throw invalid("notificationType");
      if (!RECIPIENT_TYPES.has(String(rule["recipientType"]))) throw invalid("recipientType");
      if (!NOTIFICATION_LEVELS.has(String(rule["notificationLevel"]))) throw invalid("notificationLevel");
      if (!Array.isArray(rule["notificationRecipients"]) || rule["notificationRecipients"].some((r) => typeof r !== "string")) throw invalid("notificationRecipients");
      return;
  }
}

function patchRule(ctx: RequestContext, policy: Entity, ruleId: string): void {
  const body = ctx.request.body;
  if (!isRecord(body)) throw badRequest("The request body must be a JSON object.");
  const rules = rulesOf(policy);
  const index = rules.findIndex((r) => r["id"] === ruleId);
  const existing = rules[index];
  if (!existing) throw notFound(ruleId);
  const type = ruleType(existing["@odata.type"]);
  if (body["@odata.type"] === undefined) throw badRequest("The @odata.type of the rule is required.", "InvalidPolicyRule");
  if (!type || ruleType(body["@odata.type"]) !== type) throw badRequest(`The @odata.type '${String(body["@odata.type"])}' does not match rule '${ruleId}'.`, "InvalidPolicyRule");
  if ("id" in body && body["id"] !== ruleId) throw badRequest("The id of a rule cannot be changed.", "InvalidPolicyRule");
  const writable = new Set(WRITABLE[type] ?? []);
  for (const key of Object.keys(body)) {
    if (key === "id" || key === "target" || key.startsWith("@odata.")) continue;
    if (!writable.has(key)) throw badRequest(`Invalid property '${key}' for rule type '${type}'.`, "InvalidPolicyRule");
  }
  if ("target" in body && !isRecord(body["target"])) throw invalid("target");
  const { "@odata.type": _type, target: _target, ...values } = body;
  const before = clone(existing);
  // Graph's documented collections are never null: an array left out of the body keeps its value.
  const merged: Record<string, unknown> = { ...existing, ...clone(values), "@odata.type": existing["@odata.type"], id: ruleId, target: existing["target"] };
  if (type === "ApprovalRule" && isRecord(values["setting"])) {
    const stages = Array.isArray(values["setting"]["approvalStages"]) ? values["setting"]["approvalStages"] : undefined;
    merged["setting"] = {
      ...(isRecord(existing["setting"]) ? existing["setting"] : {}),
      ...clone(values["setting"]),
      ...(stages ? { approvalStages: stages.map((s) => (isRecord(s) ? { primaryApprovers: [], escalationApprovers: [], ...clone(s) } : s)) } : {}),
    };
  }
  checkRule(ctx, type, merged);
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
  const group = isGroupPolicy(policy) ? ctx.store.get("groups", String(policy["scopeId"])) : undefined;
  const role = roleId && !isGroupPolicy(policy) ? ctx.store.get("roleDefinitions", roleId) : undefined;
  const subject = isGroupPolicy(policy)
    ? [
        { id: roleId ?? policy.id, displayName: roleId === "owner" ? "Owner" : "Member", type: "Role", modifiedProperties: [] },
        { id: String(policy["scopeId"]), displayName: group ? (stringProp(group, "displayName") ?? null) : null, type: "Group", modifiedProperties: [] },
      ]
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
