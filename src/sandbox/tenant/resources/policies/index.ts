/**
 * The policy resources the tenant registers (`policyResources`), and `ensurePolicyDefaults` for a
 * tenant that wants its built-in policy objects (authentication strengths, settings singletons) in the
 * store before the first request (they are otherwise created on first use).
 */
import type { ResourceDefinition } from "../../core/resource.js";
import { authenticationStrengthPolicies } from "./authentication-strength/strengths-resource.js";
import { authenticationContextClassReferences } from "./conditional-access/auth-contexts-resource.js";
import { conditionalAccessPolicies } from "./conditional-access/policies-resource.js";
import { conditionalAccessEvaluate } from "./conditional-access/what-if/evaluate-route.js";
import { crossTenantAccessPolicy, crossTenantDefault, crossTenantPartners } from "./cross-tenant/cross-tenant-resource.js";
import { crossTenantIdentitySync } from "./cross-tenant/identity-sync-resource.js";
import { namedLocations } from "./named-locations/named-locations-resource.js";
import { authenticationMethodConfigurations, authenticationMethodsPolicy } from "./tenant-settings/auth-methods-resource.js";
import { authorizationPolicy } from "./tenant-settings/authorization-policy-resource.js";
import { groupSettings } from "./tenant-settings/group-settings-resource.js";
import { securityDefaults } from "./tenant-settings/security-defaults-resource.js";
import { authenticationFlowsPolicy } from "./tenant-settings/authentication-flows-resource.js";
import { externalIdentitiesPolicy } from "./tenant-settings/external-identities-resource.js";
import { adminConsentRequestPolicy } from "./tenant-settings/admin-consent-request-resource.js";
import { tenantAppManagementPolicy } from "./tenant-settings/app-management-resource.js";
import { appManagementPolicies } from "./tenant-settings/app-management-policies-resource.js";
import { activityBasedTimeoutPolicies, claimsMappingPolicies, homeRealmDiscoveryPolicies, tokenIssuancePolicies, tokenLifetimePolicies } from "./tenant-settings/sts-policies-resource.js";

export { ensurePolicyDefaults, COLLECTIONS as POLICY_COLLECTIONS, BINS as POLICY_BINS } from "./policy-context.js";

export const policyResources: readonly ResourceDefinition[] = [
  conditionalAccessPolicies,
  conditionalAccessEvaluate,
  namedLocations,
  authenticationStrengthPolicies,
  authenticationContextClassReferences,
  authorizationPolicy,
  authenticationMethodsPolicy,
  authenticationMethodConfigurations,
  crossTenantAccessPolicy,
  crossTenantDefault,
  crossTenantPartners,
  crossTenantIdentitySync,
  groupSettings,
  securityDefaults,
  authenticationFlowsPolicy,
  externalIdentitiesPolicy,
  adminConsentRequestPolicy,
  tokenLifetimePolicies,
  homeRealmDiscoveryPolicies,
  claimsMappingPolicies,
  tokenIssuancePolicies,
  activityBasedTimeoutPolicies,
  tenantAppManagementPolicy,
  appManagementPolicies,
];
