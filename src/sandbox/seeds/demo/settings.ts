/**
 * Contoso's tenant-wide settings: authorization policy (guests restricted, no user app creation),
 * authentication methods (passkeys, Authenticator, TAP on; SMS and voice off), cross-tenant access
 * (inbound MFA trust by default, one partner: Fabrikam) and Microsoft 365 group creation limited to a group.
 */
import { stableId } from "../stable-id.js";
import type { SeedStep } from "../seed-steps.js";
import { GROUPS, groupId } from "./directory.js";

export const FABRIKAM_TENANT_ID = "8c3dad1d-b6bc-4f8b-939b-8263372eced6";
const GROUP_UNIFIED_TEMPLATE = "62375ab9-6b52-47ed-826b-58e47e0e304b";
const RESTRICTED_GUEST_ROLE = "2af84b1e-32c8-42b7-82bc-daa82404023b";

export function settingsSteps(): SeedStep[] {
  const methods = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations";
  return [
    {
      method: "PATCH",
      path: "/policies/authorizationPolicy",
      label: "authorizationPolicy",
      body: {
        allowInvitesFrom: "adminsAndGuestInviters",
        allowedToSignUpEmailBasedSubscriptions: false,
        allowEmailVerifiedUsersToJoinOrganization: false,
        blockMsolPowerShell: true,
        guestUserRoleId: RESTRICTED_GUEST_ROLE,
        defaultUserRolePermissions: { allowedToCreateApps: false, allowedToCreateSecurityGroups: false, allowedToCreateTenants: false, allowedToReadOtherUsers: true },
      },
    },
    { method: "PATCH", path: `${methods}/Fido2`, label: "fido2 method", body: { "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", state: "enabled", isAttestationEnforced: true } },
    { method: "PATCH", path: `${methods}/TemporaryAccessPass`, label: "temporaryAccessPass method", body: { "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", state: "enabled", isUsableOnce: true, defaultLifetimeInMinutes: 60 } },
    { method: "PATCH", path: `${methods}/Sms`, label: "sms method", body: { "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", state: "disabled" } },
    { method: "PATCH", path: `${methods}/Voice`, label: "voice method", body: { "@odata.type": "#microsoft.graph.voiceAuthenticationMethodConfiguration", state: "disabled" } },
    {
      method: "PATCH",
      path: "/policies/crossTenantAccessPolicy/default",
      label: "crossTenantAccessPolicy default",
      body: { inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: false, isHybridAzureADJoinedDeviceAccepted: false } },
    },
    {
      method: "POST",
      path: "/policies/crossTenantAccessPolicy/partners",
      label: "crossTenantAccessPolicy partner Fabrikam",
      body: {
        tenantId: FABRIKAM_TENANT_ID,
        inboundTrust: { isMfaAccepted: true, isCompliantDeviceAccepted: true, isHybridAzureADJoinedDeviceAccepted: true },
        b2bDirectConnectInbound: {
          usersAndGroups: { accessType: "allowed", targets: [{ target: "AllUsers", targetType: "user" }] },
          applications: { accessType: "allowed", targets: [{ target: "Office365", targetType: "application" }] },
        },
      },
    },
    {
      method: "POST",
      path: "/groupSettings",
      label: "groupSettings Group.Unified",
      body: {
        id: stableId("groupSetting:Group.Unified"),
        templateId: GROUP_UNIFIED_TEMPLATE,
        values: [
          { name: "EnableGroupCreation", value: "false" },
          { name: "GroupCreationAllowedGroupId", value: groupId(GROUPS.groupCreators) },
          { name: "PrefixSuffixNamingRequirement", value: "grp-[Department]-[GroupName]" },
          { name: "AllowGuestsToBeGroupOwner", value: "false" },
        ],
      },
    },
  ];
}
