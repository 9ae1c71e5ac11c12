import type { JsonObject, JsonValue } from "../model/document.js";
import { canonicalJson, cloneJson, compareText, isJsonObject } from "../model/json.js";
import { DEFAULT_ROLE_SETTING_RULES } from "../facts/pim-role-setting-defaults.js";
import { builtinRoleName } from "./builtinRoles.js";
import { stripAnnotations, typeTrie } from "./canonical.js";
import { referenceName } from "./common.js";
import { slugify } from "./naming.js";
import type { KindDescriptor, ReferenceField } from "./types.js";

const ASSIGNMENTS = "/policies/roleManagementPolicyAssignments";
const POLICIES = "/policies/roleManagementPolicies";
/** Directory roles' policies at the tenant scope (the list refuses to run without a scope filter). */
const DIRECTORY_ROLES = "scopeId eq '/' and scopeType eq 'DirectoryRole'";
const STAGES = "rules.setting.approvalStages";
const APPROVERS = [`${STAGES}.primaryApprovers`, `${STAGES}.escalationApprovers`];
/** Arrays of strings within a rule that are sets. */
const RULE_SETS = ["enabledRules", "notificationRecipients"];
/** A rule's `@odata.type` and the approvers' (`singleUser` / `groupMembers`) tell types apart; nothing else keeps one. */
const RULE_TYPES = typeTrie([""]);

/** Rule id → the rule at Microsoft's default, as Graph returns it. */
export const DEFAULT_ROLE_SETTING_RULE_BY_ID: ReadonlyMap<string, JsonObject> = new Map(DEFAULT_ROLE_SETTING_RULES.map((rule) => [String(rule["id"]), rule as JsonObject]));

/** A default rule as documents compare it: no target, nothing null or empty (Graph's own `@odata.type` kept). */
function strippedDefault(id: string): JsonObject | undefined {
  const rule = DEFAULT_ROLE_SETTING_RULE_BY_ID.get(id);
  if (!rule) return undefined;
  const { target: _target, ...rest } = cloneJson(rule);
  const stripped = stripAnnotations(rest, RULE_TYPES);
  return isJsonObject(stripped) ? stripped : {};
}

/**
 * A default rule as a PATCH body: Graph's whole rule, `@odata.type` and target included (the
 * update needs its type), every collection at its default.
 */
function defaultRuleBody(id: string): JsonObject | undefined {
  const rule = DEFAULT_ROLE_SETTING_RULE_BY_ID.get(id);
  return rule ? cloneJson(rule) : undefined;
}

/** Scalars and objects `base` has and `value` leaves out, filled in at every object level (arrays are left alone: absent is empty). */
function fillAbsent(value: JsonObject, base: JsonObject): void {
  for (const [key, fallback] of Object.entries(base)) {
    const current = value[key];
    if (current === undefined && !Array.isArray(fallback)) value[key] = cloneJson(fallback);
    else if (isJsonObject(current) && isJsonObject(fallback)) fillAbsent(current, fallback);
  }
}

function sortStrings(rule: JsonObject): void {
  for (const key of RULE_SETS) {
    const value = rule[key];
    if (Array.isArray(value)) rule[key] = [...value].sort((a, b) => compareText(String(a), String(b)));
  }
}

/**
 * One rule in document form: its target dropped (each of the 17 rules has a fixed one), every
 * scalar it leaves out at Microsoft's default, approval stages filled in from the default stage.
 * A rule equal to the default is undefined (documents list only the rules that differ); a rule
 * id Graph does not have is kept as written, for plan and the sandbox to refuse.
 */
export function documentRule(input: JsonObject): JsonObject | undefined {
  const id = input.id;
  const base = typeof id === "string" ? strippedDefault(id) : undefined;
  if (!base) return input;
  const rule = cloneJson(input);
  delete rule.target;
  fillAbsent(rule, base);
  const setting = rule.setting;
  const defaultSetting = base.setting;
  if (isJsonObject(setting) && isJsonObject(defaultSetting) && Array.isArray(defaultSetting.approvalStages)) {
    const defaultStage = defaultSetting.approvalStages[0];
    // An approval rule always has its stages: left out, they are the default one.
    if (!Array.isArray(setting.approvalStages)) setting.approvalStages = cloneJson(defaultSetting.approvalStages);
    for (const stage of setting.approvalStages) if (isJsonObject(stage) && isJsonObject(defaultStage)) fillAbsent(stage, defaultStage);
  }
  sortStrings(rule);
  sortStrings(base);
  return canonicalJson(rule) === canonicalJson(base) ? undefined : rule;
}

/** The rules away from Microsoft's defaults, in rule id order. */
function changedRules(rules: JsonValue | undefined): JsonObject[] {
  const out: JsonObject[] = [];
  for (const rule of Array.isArray(rules) ? rules : []) {
    if (!isJsonObject(rule)) continue;
    const changed = documentRule(rule);
    if (changed) out.push(changed);
  }
  return out.sort((a, b) => compareText(String(a.id), String(b.id)));
}

const approverReferences: ReferenceField[] = APPROVERS.flatMap((path) => [
  { path: `${path}.userId`, targets: ["user"] },
  { path: `${path}.groupId`, targets: ["group"] },
]);

/**
 * PIM settings of a directory role (`roleSetting`; Microsoft's TCM calls it roleSetting): the role
 * management policy Graph keeps for every role (built-in and custom), read through its assignment
 * (`/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq
 * 'DirectoryRole'&$expand=policy($expand=rules)`), written rule by rule (PATCH
 * `/policies/roleManagementPolicies/{policyId}/rules/{ruleId}` with the rule's `@odata.type`;
 * docs/graph-behaviour.md, PIM role settings). Graph neither creates nor deletes these policies,
 * so only roles whose settings differ from Microsoft's defaults (`facts/pim-role-setting-defaults.ts`)
 * are objects of the kind: a document names the role (`role:` or `roleDefinition:`) and lists only
 * the rules that differ (README "PIM role settings"). A document for a role at its defaults writes
 * its rules over the policy; a role without a document is, with `prune`, written back to the
 * defaults (`fixedObjects`). Opt-in: RoleManagementPolicy.Read.Directory, and PIM needs a
 * Microsoft Entra ID P2 (or ID Governance) licence.
 */
export const roleSetting = {
  kind: "roleSetting",
  optIn: true,
  audit: { activity: /role setting/i },
  detect: {
    odataTypes: ["unifiedRoleManagementPolicyAssignment"],
    context: /roleManagementPolicyAssignments/i,
    shape: (o) => "policyId" in o && "roleDefinitionId" in o && !("principalId" in o),
  },
  required: ["roleDefinitionId", "rules"],
  requiredByType: Object.fromEntries(
    ["Approval", "AuthenticationContext", "Enablement", "Expiration", "Notification"].map((type) => [`microsoft.graph.unifiedRoleManagementPolicy${type}Rule`, ["id"]]),
  ),
  title: "PIM role setting",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.unifiedRoleManagementPolicy",
  extraSpec: { roleDefinitionId: { borrowedFrom: "microsoft.graph.unifiedRoleManagementPolicyAssignment" } },
  singleton: false,
  collectionPath: ASSIGNMENTS,
  // The engine's id is the policy's: the rules are written under it.
  idProperty: "policyId",
  itemPath: (id) => `${POLICIES}/${id}`,
  listQuery: { $filter: DIRECTORY_ROLES, $expand: "policy($expand=rules)" },
  naturalKey: "roleDefinitionId",
  nameFromReferences: true,
  documentName(spec) {
    const role = spec.roleDefinitionId;
    const name = typeof role === "string" ? (builtinRoleName(role) ?? referenceName(role)) : "";
    return slugify(name, "role-setting");
  },
  serverManaged: [
    "id",
    "policyId",
    "scopeId",
    "scopeType",
    "displayName",
    "description",
    "isOrganizationDefault",
    "lastModifiedBy",
    "lastModifiedDateTime",
    "effectiveRules",
    "rules.target",
  ],
  // Another role is another policy: the old role's rules go back to their defaults, the new one's are written.
  createOnly: ["roleDefinitionId"],
  setArrays: ["rules.enabledRules", "rules.notificationRecipients", ...APPROVERS],
  arrayKeys: { rules: "id" },
  references: [
    { path: "roleDefinitionId", targets: ["role", "roleDefinition"] },
    { path: "rules.claimValue", targets: ["authenticationContext"] },
    ...approverReferences,
  ],
  dependsOn: ["roleDefinition", "user", "group", "authenticationContextClassReference"],
  permissions: {
    read: ["RoleManagementPolicy.Read.Directory"],
    write: ["RoleManagementPolicy.ReadWrite.Directory"],
    ids: { "RoleManagementPolicy.Read.Directory": "fdc4c997-9942-4479-bfcb-75a36d1138df", "RoleManagementPolicy.ReadWrite.Directory": "31e08e0a-d3f7-4ca2-ac39-7343fb83e8ad" },
  },
  // Graph lists the rules inside the expanded policy (`policy.rules`), documents at the top (`rules`).
  keepODataType: ["rules", ...APPROVERS, "policy.rules", ...APPROVERS.map((path) => `policy.${path}`)],
  nestedCollections: [{ property: "rules", key: "id", itemPath: (policyId, ruleId) => `${POLICIES}/${policyId}/rules/${ruleId}`, defaultItem: defaultRuleBody }],
  // Only roles whose settings differ from the defaults are managed (a tenant has ~150 roles).
  isManaged(live) {
    const policy = live.policy;
    const rules = isJsonObject(policy) ? stripAnnotations(policy.rules ?? null, RULE_TYPES) : undefined;
    return changedRules(rules).length > 0;
  },
  normalize(spec) {
    // Graph returns the rules inside the expanded policy; documents hold them at the top.
    const policy = spec.policy;
    if (isJsonObject(policy) && spec.rules === undefined && policy.rules !== undefined) spec.rules = policy.rules;
    delete spec.policy;
    const rules = changedRules(spec.rules);
    if (rules.length > 0) spec.rules = rules;
    else delete spec.rules;
    return spec;
  },
  fixedObjects: {
    find: (body) => `roleDefinitionId eq '${String(body.roleDefinitionId).replace(/'/g, "''")}'`,
    defaults: (spec) => ({ ...spec, rules: [] }),
    notes: {
      create: "Graph keeps one PIM policy per role, now at Microsoft's defaults: apply writes the document's rules over it (nothing is created)",
      delete: "Graph keeps the role's PIM policy: apply writes Microsoft's defaults back to its rules (nothing is deleted)",
    },
  },
} satisfies KindDescriptor;
