/**
 * Contoso's Conditional Access estate, modelled on a common Zero-Trust baseline: persona-based
 * policies (global, admins, internals, service accounts, guests), each excluding the break-glass
 * group; named locations (ip and country), a custom authentication strength and authentication contexts.
 * Written for this project (names and shapes are Contoso's own).
 */
import { stableId } from "../stable-id.js";
import type { SeedStep } from "../seed-steps.js";
import { ADMIN_ROLES, GROUPS, appId, groupId } from "./directory.js";

export const LOCATIONS = {
  headquarters: stableId("namedLocation:Contoso HQ"),
  branches: stableId("namedLocation:Contoso branch offices"),
  allowedCountries: stableId("namedLocation:Allowed countries"),
  blockedCountries: stableId("namedLocation:Blocked countries"),
} as const;

export const CUSTOM_STRENGTH_ID = stableId("authenticationStrength:Contoso phishing-resistant or certificate");
const PHISHING_RESISTANT = "00000000-0000-0000-0000-000000000004";
const MFA_STRENGTH = "00000000-0000-0000-0000-000000000002";
const EXCHANGE = "00000002-0000-0ff1-ce00-000000000000";
const SHAREPOINT = "00000003-0000-0ff1-ce00-000000000000";
const INTUNE_ENROLLMENT = "d4ebce55-015a-49b5-a083-c84d1797ae8c";

type Json = Record<string, unknown>;

interface PolicySpec {
  name: string;
  state?: "enabled" | "disabled" | "enabledForReportingButNotEnforced";
  users: Json;
  applications?: Json;
  conditions?: Json;
  grant?: Json;
  session?: Json;
}

const breakGlass = groupId(GROUPS.breakGlass);
const serviceAccounts = groupId(GROUPS.serviceAccounts);
const allUsers = { includeUsers: ["All"], excludeGroups: [breakGlass, serviceAccounts] };
const admins = { includeRoles: [...ADMIN_ROLES], excludeGroups: [breakGlass] };
const internals = { includeUsers: ["All"], excludeUsers: ["GuestsOrExternalUsers"], excludeGroups: [breakGlass, serviceAccounts] };
const guests = {
  includeGuestsOrExternalUsers: {
    guestOrExternalUserTypes: "internalGuest,b2bCollaborationGuest,b2bCollaborationMember,b2bDirectConnectUser,otherExternalUser,serviceProvider",
    externalTenants: { "@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", membershipKind: "all" },
  },
  excludeGroups: [breakGlass],
};
const service = { includeGroups: [serviceAccounts], excludeGroups: [breakGlass] };
const allApps = { includeApplications: ["All"] };
const block = { operator: "OR", builtInControls: ["block"] };
const mfa = { operator: "OR", builtInControls: ["mfa"] };
const strength = (id: string) => ({ operator: "OR", builtInControls: [], authenticationStrength: { id } });

const POLICIES: PolicySpec[] = [
  { name: "CA-G01-AllUsers-AllApps-RequireMFA", users: allUsers, grant: mfa },
  { name: "CA-G02-AllUsers-AllApps-BlockLegacyAuth", users: allUsers, conditions: { clientAppTypes: ["exchangeActiveSync", "other"] }, grant: block },
  { name: "CA-G03-AllUsers-AllApps-BlockOutsideAllowedCountries", users: allUsers, conditions: { locations: { includeLocations: ["All"], excludeLocations: [LOCATIONS.allowedCountries] } }, grant: block },
  { name: "CA-G04-AllUsers-AllApps-BlockBlockedCountries", users: allUsers, conditions: { locations: { includeLocations: [LOCATIONS.blockedCountries] } }, grant: block },
  { name: "CA-G05-AllUsers-RegisterSecurityInfo-TrustedLocationOrMFA", users: internals, applications: { includeUserActions: ["urn:user:registersecurityinfo"] }, conditions: { locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] } }, grant: mfa },
  { name: "CA-G06-AllUsers-RegisterDevice-RequireMFA", users: internals, applications: { includeUserActions: ["urn:user:registerdevice"] }, grant: mfa },
  { name: "CA-G07-AllUsers-AllApps-BlockDeviceCodeFlow", users: allUsers, conditions: { authenticationFlows: { transferMethods: "deviceCodeFlow,authenticationTransfer" } }, grant: block },
  { name: "CA-G08-AllUsers-Office365-Browser-UnmanagedAppRestrictions", users: internals, applications: { includeApplications: ["Office365"] }, conditions: { clientAppTypes: ["browser"] }, session: { applicationEnforcedRestrictions: { isEnabled: true } } },
  { name: "CA-A01-Admins-AllApps-PhishingResistantMFA", users: admins, grant: strength(PHISHING_RESISTANT) },
  { name: "CA-A02-Admins-AdminPortals-RequireMFA", users: admins, applications: { includeApplications: ["MicrosoftAdminPortals"] }, grant: mfa },
  { name: "CA-A03-Admins-AllApps-SignInFrequency4h", users: admins, session: { signInFrequency: { isEnabled: true, value: 4, type: "hours", authenticationType: "primaryAndSecondaryAuthentication", frequencyInterval: "timeBased" } } },
  { name: "CA-A04-Admins-AllApps-NoPersistentBrowser", users: admins, session: { persistentBrowser: { isEnabled: true, mode: "never" } } },
  { name: "CA-A05-Admins-AllApps-BlockAnySignInRisk", users: admins, conditions: { signInRiskLevels: ["high", "medium", "low"] }, grant: block },
  { name: "CA-A06-Admins-AllApps-RequireCompliantDevice", state: "enabledForReportingButNotEnforced", users: admins, grant: { operator: "OR", builtInControls: ["compliantDevice", "domainJoinedDevice"] } },
  { name: "CA-I01-Internals-AllApps-BlockHighUserRisk", users: internals, conditions: { userRiskLevels: ["high"] }, grant: block },
  { name: "CA-I02-Internals-AllApps-PasswordChangeOnMediumUserRisk", users: internals, conditions: { userRiskLevels: ["medium"] }, grant: { operator: "AND", builtInControls: ["mfa", "passwordChange"] }, session: { signInFrequency: { isEnabled: true, frequencyInterval: "everyTime", authenticationType: "primaryAndSecondaryAuthentication" } } },
  { name: "CA-I03-Internals-AllApps-BlockHighSignInRisk", users: internals, conditions: { signInRiskLevels: ["high"] }, grant: block },
  { name: "CA-I04-Internals-AllApps-MFAOnMediumSignInRisk", users: internals, conditions: { signInRiskLevels: ["medium"] }, grant: strength(MFA_STRENGTH) },
  { name: "CA-I05-Internals-AllApps-BlockUnknownPlatforms", users: internals, conditions: { platforms: { includePlatforms: ["all"], excludePlatforms: ["android", "iOS", "windows", "macOS", "linux"] } }, grant: block },
  { name: "CA-I06-Internals-AllApps-Windows-CompliantOrHybridJoined", users: internals, conditions: { platforms: { includePlatforms: ["windows"] } }, grant: { operator: "OR", builtInControls: ["compliantDevice", "domainJoinedDevice"] } },
  { name: "CA-I07-Internals-Office365-Mobile-ApprovedOrProtectedApp", users: internals, applications: { includeApplications: ["Office365"] }, conditions: { platforms: { includePlatforms: ["android", "iOS"] }, clientAppTypes: ["mobileAppsAndDesktopClients"] }, grant: { operator: "OR", builtInControls: ["approvedApplication", "compliantApplication"] } },
  { name: "CA-I08-Internals-AllApps-UnmanagedSignInFrequency", users: internals, conditions: { devices: { deviceFilter: { mode: "exclude", rule: 'device.isCompliant -eq True -or device.trustType -eq "ServerAD"' } } }, session: { signInFrequency: { isEnabled: true, value: 12, type: "hours", authenticationType: "primaryAndSecondaryAuthentication", frequencyInterval: "timeBased" } } },
  { name: "CA-I09-Internals-IntuneEnrollment-RequireMFA", users: internals, applications: { includeApplications: [INTUNE_ENROLLMENT] }, grant: mfa },
  { name: "CA-I10-Internals-Payroll-SensitiveContext-CustomStrength", users: { includeGroups: [groupId(GROUPS.payrollUsers)], excludeGroups: [breakGlass] }, applications: { includeApplications: [appId("Contoso Payroll")] }, grant: strength(CUSTOM_STRENGTH_ID) },
  { name: "CA-I11-Internals-SensitiveDataContext-PhishingResistant", users: internals, applications: { includeAuthenticationContextClassReferences: ["c1"] }, grant: strength(PHISHING_RESISTANT) },
  { name: "CA-I12-Pilot-ExchangeSharePoint-BlockDownloadsUnmanaged", state: "disabled", users: { includeGroups: [groupId(GROUPS.caPilot)], excludeGroups: [breakGlass] }, applications: { includeApplications: [EXCHANGE, SHAREPOINT] }, conditions: { clientAppTypes: ["browser"] }, session: { cloudAppSecurity: { isEnabled: true, cloudAppSecurityType: "blockDownloads" } } },
  { name: "CA-S01-ServiceAccounts-AllApps-BlockOutsideHQ", users: service, conditions: { locations: { includeLocations: ["All"], excludeLocations: [LOCATIONS.headquarters] } }, grant: block },
  { name: "CA-S02-ServiceAccounts-AllApps-BlockLegacyAuth", users: service, conditions: { clientAppTypes: ["exchangeActiveSync", "other"] }, grant: block },
  { name: "CA-E01-Guests-AllApps-RequireMFA", users: guests, grant: mfa },
  { name: "CA-E02-Guests-AllApps-SignInFrequencyDaily", users: guests, session: { signInFrequency: { isEnabled: true, value: 1, type: "days", authenticationType: "primaryAndSecondaryAuthentication", frequencyInterval: "timeBased" }, persistentBrowser: { isEnabled: true, mode: "never" } } },
  { name: "CA-E03-Guests-AdminPortals-Block", users: guests, applications: { includeApplications: ["MicrosoftAdminPortals"] }, grant: block },
  { name: "CA-W01-WorkloadIdentities-CI-BlockOutsideHQ", users: { includeUsers: ["None"] }, conditions: { clientApplications: { includeServicePrincipals: ["ServicePrincipalsInMyTenant"], excludeServicePrincipals: [] }, locations: { includeLocations: ["All"], excludeLocations: [LOCATIONS.headquarters, LOCATIONS.branches] } }, grant: block, state: "enabledForReportingButNotEnforced" },
];

export const CA_POLICY_COUNT = POLICIES.length;

export const caPolicyId = (name: string): string => stableId(`conditionalAccessPolicy:${name}`);

function policyBody(p: PolicySpec): Json {
  const body: Json = {
    id: caPolicyId(p.name),
    displayName: p.name,
    state: p.state ?? "enabled",
    conditions: { users: p.users, applications: p.applications ?? allApps, clientAppTypes: ["all"], ...(p.conditions ?? {}) },
  };
  if (p.grant) body["grantControls"] = p.grant;
  if (p.session) body["sessionControls"] = p.session;
  return body;
}

export function conditionalAccessSteps(): SeedStep[] {
  const base = "/identity/conditionalAccess";
  // The first-party apps the policies target have their service principals in the tenant, as in a
  // real Microsoft 365 tenant (export names them from these).
  const firstParty: SeedStep[] = [EXCHANGE, SHAREPOINT, INTUNE_ENROLLMENT].map((app) => ({
    method: "POST",
    path: "/servicePrincipals",
    body: { id: stableId(`servicePrincipal:first-party:${app}`), appId: app },
    label: `first-party service principal ${app}`,
  }));
  const steps: SeedStep[] = [
    ...firstParty,
    { method: "POST", path: `${base}/namedLocations`, label: 'namedLocation "Contoso HQ"', body: { "@odata.type": "#microsoft.graph.ipNamedLocation", id: LOCATIONS.headquarters, displayName: "Contoso HQ", isTrusted: true, ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "203.0.113.0/24" }, { "@odata.type": "#microsoft.graph.iPv6CidrRange", cidrAddress: "2001:db8:1000::/48" }] } },
    { method: "POST", path: `${base}/namedLocations`, label: 'namedLocation "Contoso branch offices"', body: { "@odata.type": "#microsoft.graph.ipNamedLocation", id: LOCATIONS.branches, displayName: "Contoso branch offices", isTrusted: true, ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "198.51.100.0/25" }, { "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "192.0.2.128/26" }] } },
    { method: "POST", path: `${base}/namedLocations`, label: 'namedLocation "Allowed countries"', body: { "@odata.type": "#microsoft.graph.countryNamedLocation", id: LOCATIONS.allowedCountries, displayName: "Allowed countries", countriesAndRegions: ["US", "CA", "GB", "IE", "DE", "NL", "FR"], includeUnknownCountriesAndRegions: false, countryLookupMethod: "clientIpAddress" } },
    { method: "POST", path: `${base}/namedLocations`, label: 'namedLocation "Blocked countries"', body: { "@odata.type": "#microsoft.graph.countryNamedLocation", id: LOCATIONS.blockedCountries, displayName: "Blocked countries", countriesAndRegions: ["KP", "IR", "SY", "CU"], includeUnknownCountriesAndRegions: true, countryLookupMethod: "clientIpAddress" } },
    { method: "POST", path: "/policies/authenticationStrengthPolicies", label: "authentication strength (custom)", body: { id: CUSTOM_STRENGTH_ID, displayName: "Contoso phishing-resistant or certificate", description: "Passkeys, Windows Hello for Business or a smart card", allowedCombinations: ["fido2", "windowsHelloForBusiness", "x509CertificateMultiFactor"] } },
    { method: "PATCH", path: `${base}/authenticationContextClassReferences/c1`, label: "authentication context c1", body: { displayName: "Sensitive data access", description: "Step-up for HR and finance data", isAvailable: true } },
    { method: "PATCH", path: `${base}/authenticationContextClassReferences/c2`, label: "authentication context c2", body: { displayName: "Privileged actions", description: "Step-up before privileged operations", isAvailable: false } },
  ];
  for (const p of POLICIES) steps.push({ method: "POST", path: `${base}/policies`, body: policyBody(p), label: `conditionalAccessPolicy "${p.name}"` });
  return steps;
}
