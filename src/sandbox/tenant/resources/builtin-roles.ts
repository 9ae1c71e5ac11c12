import { BUILTIN_ROLES } from "../../../facts/builtin-roles.js";

/** Built-in Entra roles: template ids are the same in every tenant (docs/graph-behaviour.md §11). */
export interface BuiltInRole {
  id: string;
  displayName: string;
  description: string | null;
  isPrivileged: boolean;
}

const DESCRIBED: readonly BuiltInRole[] = [
  { id: "62e90394-69f5-4237-9190-012177145e10", displayName: "Global Administrator", description: "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.", isPrivileged: true },
  { id: "e8611ab8-c189-46e8-94e1-60213ab1f814", displayName: "Privileged Role Administrator", description: "Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.", isPrivileged: true },
  { id: "194ae4cb-b126-40b2-bd5b-6091b380977d", displayName: "Security Administrator", description: "Can read security information and reports, and manage configuration in Microsoft Entra ID and Office 365.", isPrivileged: true },
  { id: "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", displayName: "Conditional Access Administrator", description: "Can manage Conditional Access capabilities.", isPrivileged: true },
  { id: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", displayName: "Application Administrator", description: "Can create and manage all aspects of app registrations and enterprise apps.", isPrivileged: true },
  { id: "158c047a-c907-4556-b7ef-446551a6b5f7", displayName: "Cloud Application Administrator", description: "Can create and manage all aspects of app registrations and enterprise apps except App Proxy.", isPrivileged: true },
  { id: "c4e39bd9-1100-46d3-8c65-fb160da0071f", displayName: "Authentication Administrator", description: "Can access to view, set and reset authentication method information for any non-admin user.", isPrivileged: true },
  { id: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", displayName: "Privileged Authentication Administrator", description: "Can access to view, set and reset authentication method information for any user (admin or non-admin).", isPrivileged: true },
  { id: "0526716b-113d-4c15-b2c8-68e3c22b9f80", displayName: "Authentication Policy Administrator", description: "Can create and manage the authentication methods policy, tenant-wide MFA settings, password protection policy, and verifiable credentials.", isPrivileged: false },
  { id: "fe930be7-5e62-47db-91af-98c3a49a38b1", displayName: "User Administrator", description: "Can manage all aspects of users and groups, including resetting passwords for limited admins.", isPrivileged: true },
  { id: "fdd7a751-b60b-444a-984c-02652fe8fa1c", displayName: "Groups Administrator", description: "Members of this role can create/manage groups, create/manage groups settings like naming and expiration policies, and view groups activity and audit reports.", isPrivileged: false },
  { id: "729827e3-9c14-49f7-bb1b-9608f156bbb8", displayName: "Helpdesk Administrator", description: "Can reset passwords for non-administrators and Helpdesk Administrators.", isPrivileged: true },
  { id: "966707d0-3269-4727-9be2-8c3a10f19b9d", displayName: "Password Administrator", description: "Can reset passwords for non-administrators and Password Administrators.", isPrivileged: true },
  { id: "29232cdf-9323-42fd-ade2-1d097af3e4de", displayName: "Exchange Administrator", description: "Can manage all aspects of the Exchange product.", isPrivileged: false },
  { id: "f28a1f50-f6e7-4571-818b-6a12f2af6b6c", displayName: "SharePoint Administrator", description: "Can manage all aspects of the SharePoint service.", isPrivileged: false },
  { id: "69091246-20e8-4a56-aa4d-066075b2a7a8", displayName: "Teams Administrator", description: "Can manage the Microsoft Teams service.", isPrivileged: false },
  { id: "3a2c62db-5318-420d-8d74-23affee5d9d5", displayName: "Intune Administrator", description: "Can manage all aspects of the Intune product.", isPrivileged: true },
  { id: "b0f54661-2d74-4c50-afa3-1ec803f12efe", displayName: "Billing Administrator", description: "Can perform common billing related tasks like updating payment information.", isPrivileged: false },
  { id: "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", displayName: "Hybrid Identity Administrator", description: "Can manage Active Directory to Microsoft Entra cloud provisioning, Microsoft Entra Connect, pass-through authentication, password hash synchronization, seamless SSO, and federation settings.", isPrivileged: true },
  { id: "f2ef992c-3afb-46b9-b7cf-a126ee74c451", displayName: "Global Reader", description: "Can read everything that a Global Administrator can, but not update anything.", isPrivileged: true },
  { id: "5d6b6bb7-de71-4623-b4af-96380a352509", displayName: "Security Reader", description: "Can read security information and reports in Microsoft Entra ID and Office 365.", isPrivileged: true },
  { id: "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", displayName: "Security Operator", description: "Creates and manages security events.", isPrivileged: true },
  { id: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b", displayName: "Directory Readers", description: "Can read basic directory information. Commonly used to grant directory read access to applications and guests.", isPrivileged: false },
  { id: "9360feb5-f418-4baa-8175-e2a00bac4301", displayName: "Directory Writers", description: "Can read and write basic directory information. For granting access to applications, not intended for users.", isPrivileged: true },
  { id: "d29b2b05-8046-44ba-8758-1e26182fcf32", displayName: "Directory Synchronization Accounts", description: "Only used by Microsoft Entra Connect service.", isPrivileged: true },
  { id: "4a5d8f65-41da-4de4-8968-e035b65339cf", displayName: "Reports Reader", description: "Can read sign-in and audit reports.", isPrivileged: false },
  { id: "95e79109-95c0-4d8e-aee3-d01accf2d47b", displayName: "Guest Inviter", description: "Can invite guest users independent of the 'members can invite guests' setting.", isPrivileged: false },
  { id: "4d6ac14f-3453-41d0-bef9-a3e0c569773a", displayName: "License Administrator", description: "Can manage product licenses on users and groups.", isPrivileged: false },
  { id: "7698a772-787b-4ac8-901f-60d6b08affd2", displayName: "Cloud Device Administrator", description: "Limited access to manage devices in Microsoft Entra ID.", isPrivileged: true },
  { id: "cf1c38e5-3621-4004-a7cb-879624dced7c", displayName: "Application Developer", description: "Can create application registrations independent of the 'Users can register applications' setting.", isPrivileged: true },
];

/**
 * The other built-in roles Graph lists come from the shared data-only list (facts/builtin-roles.ts:
 * the permissions reference's "All roles" table, the deprecated device templates, the guest roles and
 * On Premises Directory Sync Account); their description is not reproduced (null). These are the
 * ones among them Graph marks `isPrivileged`.
 */
const PRIVILEGED: ReadonlySet<string> = new Set([
  "db506228-d27e-4b7d-95e5-295956d6615f", // Agent ID Administrator
  "d2562ede-74db-457e-a7b6-544e236ebb61", // AI Administrator
  "1fe13547-53f6-408d-ac04-7f8eed167b38", // AI Reader
  "ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe", // Attribute Provisioning Administrator
  "422218e4-db15-4ef9-bbe0-8afb41546d79", // Attribute Provisioning Reader
  "25a516ed-2fa0-40ea-a2d0-12923a21473a", // Authentication Extensibility Administrator
  "aaf43236-0c0d-4d5f-883a-6955382ac081", // B2C IEF Keyset Administrator
  "8329153b-31d0-4727-b945-745eb3bc5f31", // Domain Name Administrator
  "be2f45a1-457d-42af-a067-6ec1fa63bc45", // External Identity Provider Administrator
  "59d46f88-662b-457b-bceb-5c3809e5908f", // Lifecycle Workflows Administrator
  "4ba39ca4-527c-499a-b93d-d9b492c50246", // Partner Tier1 Support
  "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8", // Partner Tier2 Support
]);

export const BUILT_IN_ROLES: readonly BuiltInRole[] = [
  ...DESCRIBED,
  ...Object.entries(BUILTIN_ROLES)
    .filter(([id]) => !DESCRIBED.some((role) => role.id === id))
    .map(([id, displayName]) => ({ id, displayName, description: null, isPrivileged: PRIVILEGED.has(id) })),
];
