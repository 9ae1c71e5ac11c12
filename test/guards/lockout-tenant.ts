import type { EntraDocument, JsonObject } from "../../src/model/document.js";
import type { LiveObject } from "../../src/model/plan.js";
import type { Kind, ObjectId } from "../../src/model/kind.js";

/**
 * A small tenant for the lockout suite: two break-glass accounts in `bg-exclusion` (excluded by
 * every baseline policy), a Global Administrator, a role-assignable group holding Privileged Role
 * Administrator, nested groups, named locations, and a Zero-Trust-like baseline of policies.
 */
const BG = ["group:bg-exclusion"];
export const BLOCK = { operator: "OR", builtInControls: ["block"] };

export function policy(displayName: string, conditions: JsonObject, grant: JsonObject | null, state = "enabled", session?: JsonObject): JsonObject {
  return {
    displayName,
    state,
    conditions: { applications: { includeApplications: ["All"] }, ...conditions, users: { excludeGroups: BG, ...(conditions["users"] as JsonObject) } },
    ...(grant ? { grantControls: grant } : {}),
    ...(session ? { sessionControls: session } : {}),
  };
}

const objects: Array<[Kind, string, JsonObject]> = [
  ["group", "bg-exclusion", { displayName: "bg-exclusion", mailEnabled: false, mailNickname: "bg-exclusion", securityEnabled: true, members: ["user:bg1@contoso.com", "user:bg2@contoso.com"] }],
  ["group", "rag-admins", { displayName: "rag-admins", isAssignableToRole: true, mailEnabled: false, mailNickname: "rag-admins", securityEnabled: true, members: ["user:admin2@contoso.com"] }],
  ["group", "sales", { displayName: "sales", mailEnabled: false, mailNickname: "sales", securityEnabled: true, members: ["group:sales-emea", "user:alice@contoso.com"] }],
  ["group", "sales-emea", { displayName: "sales-emea", mailEnabled: false, mailNickname: "sales-emea", securityEnabled: true, members: ["user:bob@contoso.com"] }],
  ["group", "all-staff", { displayName: "all-staff", mailEnabled: false, mailNickname: "all-staff", securityEnabled: true, members: ["group:bg-exclusion", "group:sales", "user:admin1@contoso.com"] }],
  ["group", "marketing", { displayName: "marketing", mailEnabled: false, mailNickname: "marketing", securityEnabled: true, members: ["user:carol@contoso.com"] }],
  ["group", "contractors", { displayName: "contractors", mailEnabled: false, mailNickname: "contractors", securityEnabled: true, members: ["user:dave@contoso.com"] }],
  ["roleAssignment", "ga-admin1", { directoryScopeId: "/", principalId: "user:admin1@contoso.com", roleDefinitionId: "role:Global Administrator" }],
  ["roleAssignment", "ga-bg1", { directoryScopeId: "/", principalId: "user:bg1@contoso.com", roleDefinitionId: "role:Global Administrator" }],
  ["roleAssignment", "pra-rag", { directoryScopeId: "/", principalId: "group:rag-admins", roleDefinitionId: "role:Privileged Role Administrator" }],
  ["roleAssignment", "ua-carol-au", { directoryScopeId: "/administrativeUnits/au1", principalId: "user:carol@contoso.com", roleDefinitionId: "role:User Administrator" }],
  ["namedLocation", "hq", { "@odata.type": "#microsoft.graph.ipNamedLocation", displayName: "HQ", isTrusted: true, ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "203.0.113.0/24" }] }],
  ["namedLocation", "allowed-countries", { "@odata.type": "#microsoft.graph.countryNamedLocation", displayName: "Allowed countries", countriesAndRegions: ["DE", "US"] }],
  ["conditionalAccessPolicy", "mfa-all", policy("MFA all users", { users: { includeUsers: ["All"] } }, { operator: "OR", builtInControls: ["mfa"] })],
  ["conditionalAccessPolicy", "block-legacy", policy("Block legacy auth", { users: { includeUsers: ["All"] }, clientAppTypes: ["exchangeActiveSync", "other"] }, BLOCK)],
  ["conditionalAccessPolicy", "block-outside-countries", policy("Block outside allowed countries", { users: { includeUsers: ["All"] }, locations: { includeLocations: ["All"], excludeLocations: ["namedLocation:allowed-countries"] } }, BLOCK)],
  ["conditionalAccessPolicy", "admins-strength", policy("Admins phishing-resistant", { users: { includeRoles: ["role:Global Administrator", "role:Privileged Role Administrator"] } }, { operator: "OR", authenticationStrength: { id: "authenticationStrength:Phishing-resistant MFA" } })],
  ["conditionalAccessPolicy", "block-risk", policy("Block high sign-in risk", { users: { includeUsers: ["All"] }, signInRiskLevels: ["high"] }, BLOCK)],
  ["conditionalAccessPolicy", "ro-block-all", policy("Report-only block all", { users: { includeUsers: ["All"] } }, BLOCK, "enabledForReportingButNotEnforced")],
  ["conditionalAccessPolicy", "disabled-block-admins", policy("Disabled block admins", { users: { includeRoles: ["role:Global Administrator"] } }, BLOCK, "disabled")],
  ["conditionalAccessPolicy", "contractors-compliant", policy("Contractors compliant device", { users: { includeGroups: ["group:contractors"], excludeGroups: [] } }, { operator: "OR", builtInControls: ["compliantDevice"] })],
  [
    "conditionalAccessPolicy",
    "workload-block-outside-hq",
    { displayName: "Workloads outside HQ", state: "enabledForReportingButNotEnforced", conditions: { users: { includeUsers: ["None"] }, applications: { includeApplications: ["All"] }, clientApplications: { includeServicePrincipals: ["ServicePrincipalsInMyTenant"] }, locations: { includeLocations: ["All"], excludeLocations: ["namedLocation:hq"] } }, grantControls: BLOCK },
  ],
];

const idOf = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

export const LIVE: LiveObject[] = objects.map(([kind, name, spec], i) => ({ kind, name, id: idOf(i) as ObjectId, spec }));

/** The documents as exported (desired = live): each case edits a copy. */
export function documents(): EntraDocument[] {
  return LIVE.map((o) => ({ kind: o.kind, name: o.name, id: o.id, spec: structuredClone(o.spec) }));
}

export const SCOPE: Kind[] = ["namedLocation", "group", "roleAssignment", "conditionalAccessPolicy"];
