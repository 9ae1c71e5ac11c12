// Generated from the Graph v1.0 CSDL by test/kinds/non-clearable-generated.test.ts
// (Microsoft Graph v1.0 CSDL (microsoftgraph/msgraph-metadata)); regenerate with `npx vitest run test/kinds/non-clearable-generated.test.ts -u`.
import type { Kind } from "../model/kind.js";

/** Per kind: single-valued properties the CSDL declares `Nullable="false"` (see non-clearable.ts). */
export const CSDL_NON_CLEARABLE: Readonly<Partial<Record<Kind, { readonly paths: readonly string[]; readonly containers: readonly string[] }>>> = {
  accessPackageAssignmentPolicy: {
    paths: ["notificationSettings.isAssignmentNotificationDisabled", "reviewSettings.schedule.recurrence.pattern.dayOfMonth", "reviewSettings.schedule.recurrence.pattern.interval", "reviewSettings.schedule.recurrence.pattern.month", "reviewSettings.schedule.recurrence.range.numberOfOccurrences"],
    containers: [],
  },
  adminConsentRequestPolicy: {
    paths: ["isEnabled", "notifyReviewers", "remindersEnabled", "requestDurationInDays"],
    containers: [],
  },
  appManagementPolicy: {
    paths: ["isEnabled", "restrictions.applicationRestrictions.identifierUris.nonDefaultUriAddition.state", "restrictions.applicationRestrictions.identifierUris.uriAdditionWithoutUniqueTenantIdentifier.state"],
    containers: [],
  },
  application: {
    paths: ["requestSignatureVerification.isSignedRequestRequired", "servicePrincipalLockConfiguration.isEnabled"],
    containers: [],
  },
  authenticationFlowsPolicy: {
    paths: ["selfServiceSignUp.isEnabled"],
    containers: [],
  },
  authenticationMethodsPolicy: {
    paths: ["registrationEnforcement.authenticationMethodsRegistrationCampaign.snoozeDurationInDays", "registrationEnforcement.authenticationMethodsRegistrationCampaign.state"],
    containers: [],
  },
  authenticationStrengthPolicy: {
    paths: ["displayName"],
    containers: [],
  },
  authorizationPolicy: {
    paths: ["allowEmailVerifiedUsersToJoinOrganization", "allowedToSignUpEmailBasedSubscriptions", "allowedToUseSSPR", "defaultUserRolePermissions.allowedToCreateApps", "defaultUserRolePermissions.allowedToCreateSecurityGroups", "defaultUserRolePermissions.allowedToReadOtherUsers"],
    containers: ["defaultUserRolePermissions"],
  },
  conditionalAccessPolicy: {
    paths: ["conditions.applications.applicationFilter.mode", "conditions.applications.applicationFilter.rule", "conditions.authenticationFlows.transferMethods", "conditions.clientApplications.servicePrincipalFilter.mode", "conditions.clientApplications.servicePrincipalFilter.rule", "conditions.devices.deviceFilter.mode", "conditions.devices.deviceFilter.rule", "conditions.users.excludeGuestsOrExternalUsers.guestOrExternalUserTypes", "conditions.users.includeGuestsOrExternalUsers.guestOrExternalUserTypes", "displayName", "state"],
    containers: ["conditions"],
  },
  customSecurityAttributeDefinition: {
    paths: ["status"],
    containers: [],
  },
  domain: {
    paths: ["authenticationType", "isDefault", "isVerified"],
    containers: [],
  },
  externalIdentitiesPolicy: {
    paths: ["allowDeletedIdentitiesDataRemoval", "allowExternalIdentitiesToLeave"],
    containers: [],
  },
  groupAssignmentSchedule: {
    paths: ["scheduleInfo.recurrence.pattern.dayOfMonth", "scheduleInfo.recurrence.pattern.interval", "scheduleInfo.recurrence.pattern.month", "scheduleInfo.recurrence.range.numberOfOccurrences"],
    containers: [],
  },
  groupEligibility: {
    paths: ["scheduleInfo.recurrence.pattern.dayOfMonth", "scheduleInfo.recurrence.pattern.interval", "scheduleInfo.recurrence.pattern.month", "scheduleInfo.recurrence.range.numberOfOccurrences"],
    containers: [],
  },
  namedLocation: {
    paths: ["displayName"],
    containers: [],
  },
  roleEligibility: {
    paths: ["scheduleInfo.recurrence.pattern.dayOfMonth", "scheduleInfo.recurrence.pattern.interval", "scheduleInfo.recurrence.pattern.month", "scheduleInfo.recurrence.range.numberOfOccurrences"],
    containers: [],
  },
  securityDefaults: {
    paths: ["isEnabled"],
    containers: [],
  },
  tenantAppManagementPolicy: {
    paths: ["applicationRestrictions.identifierUris.nonDefaultUriAddition.state", "applicationRestrictions.identifierUris.uriAdditionWithoutUniqueTenantIdentifier.state", "isEnabled"],
    containers: [],
  },
  user: {
    paths: ["birthday", "deviceEnrollmentLimit", "hireDate", "mailboxSettings.automaticRepliesSetting.scheduledEndDateTime.dateTime", "mailboxSettings.automaticRepliesSetting.scheduledStartDateTime.dateTime"],
    containers: [],
  },
};
