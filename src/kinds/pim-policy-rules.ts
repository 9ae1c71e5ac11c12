/**
 * The rules of a PIM role management policy as documents hold them, shared by the directory roles'
 * settings (`roleSetting`) and PIM for groups' (`groupRoleSetting`): each kind gives its own
 * Microsoft defaults (`facts/pim-role-setting-defaults.ts`, `facts/pim-group-setting-defaults.ts`)
 * and gets the document form of a rule, the rules away from the defaults, a default rule's PATCH
 * body and the descriptor fields both kinds share (README "PIM role settings").
 */
import type { JsonObject, JsonValue } from "../model/document.js";
import type { AuditNames } from "./descriptor-read.js";
import { canonicalJson, cloneJson, compareText, isJsonObject } from "../model/json.js";
import { stripAnnotations, typeTrie } from "./canonical.js";
import type { KindDescriptor, ReferenceField } from "./types.js";

const POLICIES_PATH = "/policies/roleManagementPolicies";
const POLICY_ASSIGNMENTS_PATH = "/policies/roleManagementPolicyAssignments";
const STAGES = "rules.setting.approvalStages";
/** The approvers' paths in a document. */
const APPROVERS = [`${STAGES}.primaryApprovers`, `${STAGES}.escalationApprovers`];
/** Arrays of strings within a rule that are sets. */
const RULE_SETS = ["enabledRules", "notificationRecipients"];
/** A rule's `@odata.type` and the approvers' (`singleUser` / `groupMembers`) tell types apart; nothing else keeps one. */
const RULE_TYPES = typeTrie([""]);

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

export interface PolicyRules {
  /** Rule id → the rule at Microsoft's default, as Graph returns it. */
  readonly byId: ReadonlyMap<string, JsonObject>;
  /**
   * One rule in document form: its target dropped (each rule has a fixed one), every scalar it
   * leaves out at Microsoft's default, approval stages filled in from the default stage. A rule
   * equal to the default is undefined (documents list only the rules that differ); a rule id Graph
   * does not have is kept as written, for plan and the sandbox to refuse.
   */
  documentRule(input: JsonObject): JsonObject | undefined;
  /** The rules away from Microsoft's defaults, in rule id order. */
  changedRules(rules: JsonValue | undefined): JsonObject[];
  /** A default rule as a PATCH body: Graph's whole rule, `@odata.type` and target included (the update needs its type). */
  defaultRuleBody(id: string): JsonObject | undefined;
  /** Whether an assignment listed with its expanded policy (`policy.rules`) differs from the defaults. */
  isChanged(live: JsonObject): boolean;
  /** Moves the expanded policy's rules to the top and keeps only those that differ. */
  normalize(spec: JsonObject): JsonObject;
}

/** The document form of rules whose defaults are `defaults` (Graph's 17 rules of a policy nobody changed). */
export function policyRules(defaults: readonly Readonly<Record<string, unknown>>[]): PolicyRules {
  const byId: ReadonlyMap<string, JsonObject> = new Map(defaults.map((rule) => [String(rule["id"]), rule as JsonObject]));
  const strippedDefault = (id: string): JsonObject | undefined => {
    const rule = byId.get(id);
    if (!rule) return undefined;
    const { target: _target, ...rest } = cloneJson(rule);
    const stripped = stripAnnotations(rest, RULE_TYPES);
    return isJsonObject(stripped) ? stripped : {};
  };
  const documentRule = (input: JsonObject): JsonObject | undefined => {
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
  };
  const changedRules = (rules: JsonValue | undefined): JsonObject[] => {
    const out: JsonObject[] = [];
    for (const rule of Array.isArray(rules) ? rules : []) {
      if (!isJsonObject(rule)) continue;
      const changed = documentRule(rule);
      if (changed) out.push(changed);
    }
    return out.sort((a, b) => compareText(String(a.id), String(b.id)));
  };
  return {
    byId,
    documentRule,
    changedRules,
    defaultRuleBody(id) {
      const rule = byId.get(id);
      return rule ? cloneJson(rule) : undefined;
    },
    isChanged(live) {
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
  };
}

/** Approvers by name: `user:` for a single user, `group:` for a group's members. */
const APPROVER_REFERENCES: ReferenceField[] = APPROVERS.flatMap((path) => [
  { path: `${path}.userId`, targets: ["user"] },
  { path: `${path}.groupId`, targets: ["group"] },
]);

/** The rule types, each needing its `id` in a document. */
const RULE_REQUIRED_BY_TYPE: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  ["Approval", "AuthenticationContext", "Enablement", "Expiration", "Notification"].map((type) => [`microsoft.graph.unifiedRoleManagementPolicy${type}Rule`, ["id"]]),
);

/** Properties Graph keeps on a policy assignment and its policy that documents leave out. */
export const POLICY_SERVER_MANAGED = ["id", "policyId", "scopeType", "displayName", "description", "isOrganizationDefault", "lastModifiedBy", "lastModifiedDateTime", "effectiveRules", "rules.target"];

/** Graph lists the rules inside the expanded policy (`policy.rules`), documents at the top (`rules`). */
const POLICY_KEEP_ODATA_TYPE = ["rules", ...APPROVERS, "policy.rules", ...APPROVERS.map((path) => `policy.${path}`)];

/** The descriptor fields `roleSetting` and `groupRoleSetting` share. */
export type PolicySettingFields = Pick<
  KindDescriptor,
  "audit" | "requiredByType" | "apiVersion" | "graphType" | "singleton" | "collectionPath" | "idProperty" | "itemPath" | "setArrays" | "arrayKeys" | "keepODataType" | "nestedCollections" | "isManaged" | "normalize"
>;

/**
 * The descriptor fields of a PIM settings kind whose rules are `rules`: listed through the policy
 * assignments (the caller adds its scope's filter and `$expand=policy($expand=rules)`), the engine's
 * id the policy's (the rules are written under it, rule by rule, a rule the document leaves out
 * back at its default), and only policies away from the defaults managed. `audit`: PIM's "Update
 * role setting in PIM" with the scope's category (`pim-audit.ts`).
 */
export function policySettingFields(rules: PolicyRules, audit: AuditNames): PolicySettingFields {
  return {
    audit,
    requiredByType: RULE_REQUIRED_BY_TYPE,
    apiVersion: "v1.0",
    graphType: "microsoft.graph.unifiedRoleManagementPolicy",
    singleton: false,
    collectionPath: POLICY_ASSIGNMENTS_PATH,
    idProperty: "policyId",
    itemPath: (id) => `${POLICIES_PATH}/${id}`,
    setArrays: ["rules.enabledRules", "rules.notificationRecipients", ...APPROVERS],
    arrayKeys: { rules: "id" },
    keepODataType: POLICY_KEEP_ODATA_TYPE,
    nestedCollections: [{ property: "rules", key: "id", itemPath: (policyId, ruleId) => `${POLICIES_PATH}/${policyId}/rules/${ruleId}`, defaultItem: rules.defaultRuleBody }],
    isManaged: (live) => rules.isChanged(live),
    normalize: (spec) => rules.normalize(spec),
  };
}

/** The references inside rules: an authentication context by name, approvers (`APPROVER_REFERENCES`). */
export const RULE_REFERENCES: ReferenceField[] = [{ path: "rules.claimValue", targets: ["authenticationContext"] }, ...APPROVER_REFERENCES];
