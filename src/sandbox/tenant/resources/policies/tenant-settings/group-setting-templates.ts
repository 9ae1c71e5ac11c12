/**
 * Directory setting templates (`/groupSettingTemplates`), the same in every tenant. Group.Unified
 * controls Microsoft 365 group creation, naming policy, guest access and classification.
 */
export const GROUP_UNIFIED_TEMPLATE_ID = "62375ab9-6b52-47ed-826b-58e47e0e304b";
export const GROUP_UNIFIED_GUEST_TEMPLATE_ID = "08d542b9-071f-4e16-94b0-74abb372e3d9";

export interface TemplateValue {
  name: string;
  type: "System.String" | "System.Boolean" | "System.Guid";
  defaultValue: string;
  description: string;
}

const unified: TemplateValue[] = [
  { name: "CustomBlockedWordsList", type: "System.String", defaultValue: "", description: "A comma-delimited list of blocked words for Unified Group displayName and mailNickName." },
  { name: "EnableMSStandardBlockedWords", type: "System.Boolean", defaultValue: "false", description: "A flag indicating whether or not to enable the Microsoft Standard list of blocked words for Unified Group displayName and mailNickName." },
  { name: "ClassificationDescriptions", type: "System.String", defaultValue: "", description: "A comma-delimited list of structured strings describing the classification values in the ClassificationList." },
  { name: "DefaultClassification", type: "System.String", defaultValue: "", description: "The classification value to be used by default for Unified Group creation." },
  { name: "PrefixSuffixNamingRequirement", type: "System.String", defaultValue: "", description: "The format string used to enforce a consistent naming convention for Unified Groups." },
  { name: "AllowGuestsToBeGroupOwner", type: "System.Boolean", defaultValue: "false", description: "Flag indicating if guests are allowed to be owner in any Unified Group." },
  { name: "AllowGuestsToAccessGroups", type: "System.Boolean", defaultValue: "true", description: "Flag indicating if guests are allowed to access any Unified Group resources." },
  { name: "GuestUsageGuidelinesUrl", type: "System.String", defaultValue: "", description: "A link to the Group Usage Guidelines for guests." },
  { name: "GroupCreationAllowedGroupId", type: "System.Guid", defaultValue: "", description: "Guid of the security group that is always allowed to create Unified Groups." },
  { name: "AllowToAddGuests", type: "System.Boolean", defaultValue: "true", description: "Flag indicating if guests are allowed in any Unified Group." },
  { name: "UsageGuidelinesUrl", type: "System.String", defaultValue: "", description: "A link to the Group Usage Guidelines." },
  { name: "ClassificationList", type: "System.String", defaultValue: "", description: "A comma-delimited list of valid classification values that can be applied to Unified Groups." },
  { name: "EnableGroupCreation", type: "System.Boolean", defaultValue: "true", description: "Flag indicating if group creation feature is on." },
  { name: "NewUnifiedGroupWritebackDefault", type: "System.Boolean", defaultValue: "true", description: "Flag indicating if new Unified Groups are written back to on-premises by default." },
  { name: "EnableMIPLabels", type: "System.Boolean", defaultValue: "false", description: "Flag indicating whether Microsoft Information Protection sensitivity labels can be assigned to Unified Groups." },
];

const unifiedGuest: TemplateValue[] = [
  { name: "AllowToAddGuests", type: "System.Boolean", defaultValue: "true", description: "Flag indicating if guests are allowed in a specific Unified Group." },
];

export function groupSettingTemplates(): Record<string, unknown>[] {
  return [
    { id: GROUP_UNIFIED_TEMPLATE_ID, deletedDateTime: null, displayName: "Group.Unified", description: "Setting templates define the different settings that can be used for the associated ObjectSettings. This template defines settings that can be used for Unified Groups.", values: unified },
    { id: GROUP_UNIFIED_GUEST_TEMPLATE_ID, deletedDateTime: null, displayName: "Group.Unified.Guest", description: "Settings for a specific Unified Group", values: unifiedGuest },
  ];
}

export function templateById(id: string): { displayName: string; values: TemplateValue[] } | undefined {
  if (id.toLowerCase() === GROUP_UNIFIED_TEMPLATE_ID) return { displayName: "Group.Unified", values: unified };
  if (id.toLowerCase() === GROUP_UNIFIED_GUEST_TEMPLATE_ID) return { displayName: "Group.Unified.Guest", values: unifiedGuest };
  return undefined;
}
