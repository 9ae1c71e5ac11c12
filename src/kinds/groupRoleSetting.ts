import { DEFAULT_GROUP_ROLE_SETTING_RULES } from "../facts/pim-group-setting-defaults.js";
import { GROUP_SETTING_AUDIT } from "./pim-audit.js";
import { referenceName } from "./common.js";
import { slugify } from "./naming.js";
import { PIM_GROUPS } from "./pim-group-schedule.js";
import { POLICY_SERVER_MANAGED, policyRules, policySettingFields, RULE_REFERENCES } from "./pim-policy-rules.js";
import type { KindDescriptor } from "./types.js";

const RULES = policyRules(DEFAULT_GROUP_ROLE_SETTING_RULES);

/** Rule id → the rule of a group's policy at Microsoft's default, as Graph returns it. */
export const DEFAULT_GROUP_ROLE_SETTING_RULE_BY_ID = RULES.byId;

/**
 * PIM for groups settings (`groupRoleSetting`; Microsoft's TCM calls it PIM group setting): the two
 * role management policies Graph keeps for a group PIM governs, one for membership (`member`) and
 * one for ownership (`owner`), read per group through their assignments
 * (`/policies/roleManagementPolicyAssignments?$filter=scopeId eq '{groupId}' and scopeType eq
 * 'Group'&$expand=policy($expand=rules)`, one filtered list per group in `$batch`, like
 * `groupEligibility`) and written rule by rule (PATCH `/policies/roleManagementPolicies/{policyId}/rules/{ruleId}`;
 * docs/graph-behaviour.md, PIM for groups settings). Built as `roleSetting` is: only
 * relationships whose settings differ from Microsoft's defaults for groups
 * (`facts/pim-group-setting-defaults.ts`, not the directory roles') are objects of the kind; a
 * document names the group (`scopeId: group:<name>`) and the relationship (`roleDefinitionId:
 * member | owner`) and lists only the rules that differ; a removed document writes the defaults
 * back (`fixedObjects`). A group has policies once PIM governs it (an eligible or active
 * membership or ownership was made through PIM): a document for another group fails at apply,
 * naming the group. Opt-in: RoleManagementPolicy.Read.AzureADGroup, and PIM's licence.
 */
export const groupRoleSetting = {
  kind: "groupRoleSetting",
  optIn: true,
  // Rules written one by one; only relationships whose settings differ from the defaults are managed (two policies per governed group).
  ...policySettingFields(RULES, GROUP_SETTING_AUDIT),
  detect: {
    odataTypes: ["unifiedRoleManagementPolicyAssignment"],
    context: /roleManagementPolicyAssignments/i,
    shape: (o) => "policyId" in o && (o.roleDefinitionId === "member" || o.roleDefinitionId === "owner") && o.scopeType === "Group",
  },
  required: ["scopeId", "roleDefinitionId", "rules"],
  title: "PIM for groups setting",
  extraSpec: {
    roleDefinitionId: { type: "string", enum: ["member", "owner"], description: "The relationship the settings govern: membership (member) or ownership (owner) of the group." },
  },
  listQuery: { $expand: "policy($expand=rules)" },
  scopedList: { ...PIM_GROUPS, property: "scopeId", clause: "scopeType eq 'Group'" },
  naturalKey: "scopeId+roleDefinitionId",
  nameFromReferences: true,
  documentName(spec) {
    const relationship = typeof spec.roleDefinitionId === "string" ? spec.roleDefinitionId : "member";
    return `${slugify(referenceName(spec.scopeId), "group")}.${slugify(relationship, "member")}`;
  },
  serverManaged: POLICY_SERVER_MANAGED,
  // Another group or relationship is another policy: the old one's rules go back to their defaults, the new one's are written.
  createOnly: ["scopeId", "roleDefinitionId"],
  references: [{ path: "scopeId", targets: ["group"] }, ...RULE_REFERENCES],
  dependsOn: ["group", "user", "authenticationContextClassReference"],
  permissions: {
    read: ["RoleManagementPolicy.Read.AzureADGroup"],
    write: ["RoleManagementPolicy.ReadWrite.AzureADGroup"],
    ids: { "RoleManagementPolicy.Read.AzureADGroup": "69e67828-780e-47fd-b28c-7b27d14864e6", "RoleManagementPolicy.ReadWrite.AzureADGroup": "b38dcc4d-a239-4ed6-aa84-6c65b284f97c" },
  },
  fixedObjects: {
    find: (body) => `scopeId eq '${String(body.scopeId).replace(/'/g, "''")}' and scopeType eq 'Group' and roleDefinitionId eq '${String(body.roleDefinitionId).replace(/'/g, "''")}'`,
    defaults: (spec) => ({ ...spec, rules: [] }),
    notes: {
      create: "Graph keeps one PIM policy per governed group and relationship, now at Microsoft's defaults: apply writes the document's rules over it (nothing is created)",
      delete: "Graph keeps the group's PIM policy: apply writes Microsoft's defaults back to its rules (nothing is deleted)",
    },
  },
} satisfies KindDescriptor;
