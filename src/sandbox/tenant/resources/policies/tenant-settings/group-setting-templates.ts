/**
 * Directory setting templates (`/groupSettingTemplates`), the same in every tenant: the eight Graph
 * lists (Group.Unified, Group.Unified.Guest, Application, Custom Policy Settings, Password Rule
 * Settings, Prohibited Names Settings, Prohibited Names Restricted Settings, Consent Policy
 * Settings), with their ids, value names, types and defaults (docs/graph-behaviour.md, "Sandbox
 * behaviour table").
 */
export const GROUP_UNIFIED_TEMPLATE_ID = "62375ab9-6b52-47ed-826b-58e47e0e304b";
export const GROUP_UNIFIED_GUEST_TEMPLATE_ID = "08d542b9-071f-4e16-94b0-74abb372e3d9";
export const CONSENT_POLICY_TEMPLATE_ID = "dffd5d46-495d-40a9-8e21-954ff55e198a";

export interface TemplateValue {
  name: string;
  type: "System.String" | "System.Boolean" | "System.Guid" | "System.Int32";
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

const application: TemplateValue[] = [
  { name: "EnableAccessCheckForPrivilegedApplicationUpdates", type: "System.Boolean", defaultValue: "false", description: "Flag indicating if access check for application privileged updates is turned on." },
];

const customPolicy: TemplateValue[] = [
  { name: "CustomConditionalAccessPolicyUrl", type: "System.String", defaultValue: "", description: "Custom conditional access policy url." },
];

const passwordRule: TemplateValue[] = [
  { name: "BannedPasswordCheckOnPremisesMode", type: "System.String", defaultValue: "Audit", description: "How should we enforce password policy check in on-premises system." },
  { name: "EnableBannedPasswordCheckOnPremises", type: "System.Boolean", defaultValue: "true", description: "Flag indicating if the banned password check is turned on or not for on-premises system." },
  { name: "EnableBannedPasswordCheck", type: "System.Boolean", defaultValue: "true", description: "Flag indicating if the banned password check for tenant specific banned password list is turned on or not." },
  { name: "LockoutDurationInSeconds", type: "System.Int32", defaultValue: "60", description: "The duration in seconds of the initial lockout period." },
  { name: "LockoutThreshold", type: "System.Int32", defaultValue: "10", description: "The number of failed login attempts before the first lockout period begins." },
  { name: "BannedPasswordList", type: "System.String", defaultValue: "", description: "A tab-delimited banned password list." },
];

const prohibitedNames: TemplateValue[] = [
  { name: "CustomBlockedSubStringsList", type: "System.String", defaultValue: "", description: "A comma delimited list of substring reserved words to block for application display names." },
  { name: "CustomBlockedWholeWordsList", type: "System.String", defaultValue: "", description: "A comma delimited list of reserved words to block for application display names." },
];

const prohibitedNamesRestricted: TemplateValue[] = [
  { name: "CustomAllowedSubStringsList", type: "System.String", defaultValue: "", description: "A comma delimited list of substring reserved words to allow for application display names." },
  { name: "CustomAllowedWholeWordsList", type: "System.String", defaultValue: "", description: "A comma delimited list of whole reserved words to allow for application display names." },
  { name: "DoNotValidateAgainstTrademark", type: "System.Boolean", defaultValue: "false", description: "Flag indicating if prohibited names validation against trademark global list is disabled." },
];

// Value names and types from Microsoft's consent-settings pages; the defaults are the sandbox's own.
const consentPolicy: TemplateValue[] = [
  { name: "EnableGroupSpecificConsent", type: "System.Boolean", defaultValue: "false", description: "Flag indicating if groups owners are allowed to grant group specific permissions." },
  { name: "BlockUserConsentForRiskyApps", type: "System.Boolean", defaultValue: "true", description: "Flag indicating if user consent will be blocked when a risky request is detected." },
  { name: "EnableAdminConsentRequests", type: "System.Boolean", defaultValue: "false", description: "Flag indicating if users will be able to request admin consent when they are unable to grant consent to an app themselves." },
  { name: "ConstrainGroupSpecificConsentToMembersOfGroupId", type: "System.Guid", defaultValue: "", description: "If EnableGroupSpecificConsent is set to True and this is set to a security group object ID, members (both direct and transitive) of the group identified will be authorized to grant group-specific permissions to the groups they own." },
];

const tenantWide = (what: string): string =>
  `Setting templates define the different settings that can be used for the associated ObjectSettings. This template defines settings that can be used for managing tenant-wide ${what}.`;

const TEMPLATES: readonly { id: string; displayName: string; description: string; values: TemplateValue[] }[] = [
  { id: GROUP_UNIFIED_TEMPLATE_ID, displayName: "Group.Unified", description: "Setting templates define the different settings that can be used for the associated ObjectSettings. This template defines settings that can be used for Unified Groups.", values: unified },
  { id: GROUP_UNIFIED_GUEST_TEMPLATE_ID, displayName: "Group.Unified.Guest", description: "Settings for a specific Unified Group", values: unifiedGuest },
  { id: "4bc7f740-180e-4586-adb6-38b2e9024e6b", displayName: "Application", description: tenantWide("application behavior"), values: application },
  { id: "898f1161-d651-43d1-805c-3b0b388a9fc2", displayName: "Custom Policy Settings", description: tenantWide("custom policy settings"), values: customPolicy },
  { id: "5cf42378-d67d-4f36-ba46-e8b86229381d", displayName: "Password Rule Settings", description: tenantWide("password rule settings"), values: passwordRule },
  { id: "80661d51-be2f-4d46-9713-98a2fcaec5bc", displayName: "Prohibited Names Settings", description: tenantWide("prohibited names settings"), values: prohibitedNames },
  { id: "aad3907d-1d1a-448b-b3ef-7bf7f63db63b", displayName: "Prohibited Names Restricted Settings", description: tenantWide("prohibited names restricted settings"), values: prohibitedNamesRestricted },
  { id: CONSENT_POLICY_TEMPLATE_ID, displayName: "Consent Policy Settings", description: tenantWide("consent policy settings"), values: consentPolicy },
];

export function groupSettingTemplates(): Record<string, unknown>[] {
  return TEMPLATES.map((t) => ({ id: t.id, deletedDateTime: null, displayName: t.displayName, description: t.description, values: t.values }));
}

export function templateById(id: string): { displayName: string; values: TemplateValue[] } | undefined {
  return TEMPLATES.find((t) => t.id === id.toLowerCase());
}
