import { DEFAULT_ROLE_SETTING_RULES } from "../facts/pim-role-setting-defaults.js";
import { DIRECTORY_ROLE_SETTING_AUDIT } from "./pim-audit.js";
import { builtinRoleName } from "./builtinRoles.js";
import { referenceName } from "./common.js";
import { slugify } from "./naming.js";
import { POLICY_SERVER_MANAGED, policyRules, policySettingFields, RULE_REFERENCES } from "./pim-policy-rules.js";
import type { KindDescriptor } from "./types.js";

/** Directory roles' policies at the tenant scope (the list refuses to run without a scope filter). */
const DIRECTORY_ROLES = "scopeId eq '/' and scopeType eq 'DirectoryRole'";
const RULES = policyRules(DEFAULT_ROLE_SETTING_RULES);

/** Rule id → the rule at Microsoft's default, as Graph returns it. */
export const DEFAULT_ROLE_SETTING_RULE_BY_ID = RULES.byId;

/** One rule in document form (see `PolicyRules.documentRule`). */
export const documentRule = RULES.documentRule;

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
  // Rules written one by one; only roles whose settings differ from the defaults are managed (a tenant has ~150 roles).
  ...policySettingFields(RULES, DIRECTORY_ROLE_SETTING_AUDIT),
  detect: {
    odataTypes: ["unifiedRoleManagementPolicyAssignment"],
    context: /roleManagementPolicyAssignments/i,
    shape: (o) => "policyId" in o && "roleDefinitionId" in o && !("principalId" in o),
  },
  required: ["roleDefinitionId", "rules"],
  title: "PIM role setting",
  extraSpec: { roleDefinitionId: { borrowedFrom: "microsoft.graph.unifiedRoleManagementPolicyAssignment" } },
  listQuery: { $filter: DIRECTORY_ROLES, $expand: "policy($expand=rules)" },
  naturalKey: "roleDefinitionId",
  nameFromReferences: true,
  documentName(spec) {
    const role = spec.roleDefinitionId;
    const name = typeof role === "string" ? (builtinRoleName(role) ?? referenceName(role)) : "";
    return slugify(name, "role-setting");
  },
  serverManaged: ["scopeId", ...POLICY_SERVER_MANAGED],
  // Another role is another policy: the old role's rules go back to their defaults, the new one's are written.
  createOnly: ["roleDefinitionId"],
  references: [{ path: "roleDefinitionId", targets: ["role", "roleDefinition"] }, ...RULE_REFERENCES],
  dependsOn: ["roleDefinition", "user", "group", "authenticationContextClassReference"],
  permissions: {
    read: ["RoleManagementPolicy.Read.Directory"],
    write: ["RoleManagementPolicy.ReadWrite.Directory"],
    ids: { "RoleManagementPolicy.Read.Directory": "fdc4c997-9942-4479-bfcb-75a36d1138df", "RoleManagementPolicy.ReadWrite.Directory": "31e08e0a-d3f7-4ca2-ac39-7343fb83e8ad" },
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
