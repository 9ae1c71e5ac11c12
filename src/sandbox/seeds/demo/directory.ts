/**
 * Contoso's directory: groups (break-glass exclusion, role-assignable admin groups, a dynamic group,
 * Microsoft 365 teams), administrative units (one with restricted management), app registrations with
 * service principals and owners, and directory role assignments (tenant-wide and AU-scoped).
 */
import { stableId } from "../stable-id.js";
import type { SeedStep } from "../seed-steps.js";
import { DEMO_DOMAIN, userByKey, type DemoUser } from "./people.js";

export const ROLE = {
  globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  privilegedRoleAdministrator: "e8611ab8-c189-46e8-94e1-60213ab1f814",
  securityAdministrator: "194ae4cb-b126-40b2-bd5b-6091b380977d",
  conditionalAccessAdministrator: "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
  applicationAdministrator: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
  authenticationAdministrator: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
  userAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  helpdeskAdministrator: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  securityOperator: "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f",
  globalReader: "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
  exchangeAdministrator: "29232cdf-9323-42fd-ade2-1d097af3e4de",
  sharePointAdministrator: "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
  intuneAdministrator: "3a2c62db-5318-420d-8d74-23affee5d9d5",
  billingAdministrator: "b0f54661-2d74-4c50-afa3-1ec803f12efe",
  cloudApplicationAdministrator: "158c047a-c907-4556-b7ef-446551a6b5f7",
  privilegedAuthenticationAdministrator: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
} as const;

/** The admin roles the baseline's "admins" policies target. */
export const ADMIN_ROLES: readonly string[] = Object.values(ROLE);

export const groupId = (name: string): string => stableId(`group:${name}`);
export const auId = (name: string): string => stableId(`administrativeUnit:${name}`);
export const appObjectId = (name: string): string => stableId(`application:${name}`);
export const appId = (name: string): string => stableId(`appId:${name}`);
export const servicePrincipalId = (name: string): string => stableId(`servicePrincipal:${name}`);

export const GROUPS = {
  breakGlass: "sg-ca-breakglass-exclusion",
  serviceAccounts: "sg-ca-serviceaccounts-exclusion",
  caPilot: "sg-ca-pilot-users",
  caAdminsRoleGroup: "rag-conditional-access-admins",
  helpdeskRoleGroup: "rag-helpdesk-sales",
  engineeringDynamic: "dyn-department-engineering",
  groupCreators: "sg-m365-group-creators",
  payrollUsers: "sg-app-payroll-users",
} as const;

interface GroupSpec {
  name: string;
  body: Record<string, unknown>;
  members: string[];
  owners: string[];
}

function security(name: string, description: string, members: string[], extra: Record<string, unknown> = {}): GroupSpec {
  return { name, body: { displayName: name, description, mailEnabled: false, mailNickname: name, securityEnabled: true, groupTypes: [], ...extra }, members, owners: [] };
}

function unified(name: string, nickname: string, description: string, members: string[], owners: string[]): GroupSpec {
  return { name, body: { displayName: name, description, mailEnabled: true, mailNickname: nickname, securityEnabled: false, groupTypes: ["Unified"], visibility: "Private" }, members, owners };
}

export function demoGroups(users: readonly DemoUser[]): GroupSpec[] {
  const dept = (d: string) => users.filter((u) => u.department === d).map((u) => u.id);
  const id = (key: string) => userByKey(users, key).id;
  return [
    security(GROUPS.breakGlass, "Emergency access accounts excluded from every Conditional Access policy", [id("breakglass01"), id("breakglass02")]),
    security(GROUPS.serviceAccounts, "Service accounts excluded from interactive sign-in policies", [id("svc-sync")]),
    security(GROUPS.caPilot, "Pilot users for new Conditional Access policies", [id("alice"), id("bob"), id("dana.kim")]),
    security(GROUPS.caAdminsRoleGroup, "Role-assignable group holding Security Operator", [id("erik.larsen"), id("farah.haddad")], { isAssignableToRole: true }),
    security(GROUPS.helpdeskRoleGroup, "Role-assignable group: helpdesk for the Sales administrative unit", [id("gustav.berg")], { isAssignableToRole: true }),
    security(GROUPS.engineeringDynamic, "Everyone in Engineering (dynamic)", [], {
      groupTypes: ["DynamicMembership"],
      membershipRule: 'user.department -eq "Engineering"',
      membershipRuleProcessingState: "On",
    }),
    security(GROUPS.groupCreators, "Members may create Microsoft 365 groups", [id("alice"), id("quinn.murphy")]),
    security(GROUPS.payrollUsers, "Users of Contoso Payroll", dept("Finance").concat(dept("Human Resources"))),
    unified("Finance Team", "finance", "Finance department team", dept("Finance"), [id("ivan.petrov")]),
    unified("Sales Team", "sales", "Sales department team", dept("Sales"), [id("quinn.murphy")]),
    unified("Marketing", "marketing", "Marketing campaigns", dept("Marketing"), [id("yara.costa")]),
    unified("All Company", "allcompany", "Company-wide announcements", users.filter((u) => u.jobTitle !== "Emergency access account" && u.key !== "svc-sync").map((u) => u.id), [id("alice")]),
  ];
}

export const APPLICATIONS: readonly [string, string][] = [
  ["Contoso Payroll", "ivan.petrov"],
  ["Contoso Expenses", "laura.schmidt"],
  ["Contoso HR Portal", "grace.lee"],
  ["Contoso CRM Connector", "quinn.murphy"],
  ["Contoso Intranet", "alice"],
  ["Contoso Mobile App", "olivia.brown"],
  ["Contoso Data Export", "pedro.santos"],
  ["Contoso Partner Portal", "rosa.alvarez"],
  ["Contoso Monitoring", "bob"],
  ["entra-gitops CI", "alice"],
  ["Contoso Admin Portal", "alice"],
];

/** The public client demo users sign in through ("the portal"): password grant, delegated scopes. */
export const DEMO_PORTAL_APP = "Contoso Admin Portal";

const ref = (id: string) => ({ "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

export function directorySteps(users: readonly DemoUser[]): SeedStep[] {
  const steps: SeedStep[] = [];
  const id = (key: string) => userByKey(users, key).id;
  for (const g of demoGroups(users)) {
    const gid = groupId(g.name);
    steps.push({ method: "POST", path: "/groups", body: { id: gid, ...g.body }, label: `group "${g.name}"` });
    for (const m of g.members) steps.push({ method: "POST", path: `/groups/${gid}/members/$ref`, body: ref(m), label: `member of "${g.name}"` });
    for (const o of g.owners) steps.push({ method: "POST", path: `/groups/${gid}/owners/$ref`, body: ref(o), label: `owner of "${g.name}"` });
  }
  const units: [string, string, boolean, string[]][] = [
    ["AU-Finance", "Finance department", false, users.filter((u) => u.department === "Finance").map((u) => u.id)],
    ["AU-Sales", "Sales department", false, users.filter((u) => u.department === "Sales").map((u) => u.id)],
    ["AU-Privileged-Accounts", "Break-glass and admin accounts; only Privileged Role Administrators may manage them", true, [id("breakglass01"), id("breakglass02"), id("alice"), id("bob")]],
  ];
  for (const [name, description, restricted, members] of units) {
    const aid = auId(name);
    steps.push({ method: "POST", path: "/directory/administrativeUnits", body: { id: aid, displayName: name, description, isMemberManagementRestricted: restricted, visibility: null }, label: `administrativeUnit "${name}"` });
    for (const m of members) steps.push({ method: "POST", path: `/directory/administrativeUnits/${aid}/members/$ref`, body: ref(m), label: `member of "${name}"` });
  }
  for (const [name, owner] of APPLICATIONS) {
    const oid = appObjectId(name);
    steps.push({
      method: "POST",
      path: "/applications",
      body: {
        id: oid,
        appId: appId(name),
        displayName: name,
        signInAudience: "AzureADMyOrg",
        ...(name === DEMO_PORTAL_APP ? { isFallbackPublicClient: true } : {}),
        web: { redirectUris: [`https://${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.${DEMO_DOMAIN.replace(".onmicrosoft.com", ".com")}/signin-oidc`] },
        requiredResourceAccess: [{ resourceAppId: "00000003-0000-0000-c000-000000000000", resourceAccess: [{ id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" }] }],
      },
      label: `application "${name}"`,
    });
    steps.push({ method: "POST", path: `/applications/${oid}/owners/$ref`, body: ref(id(owner)), label: `owner of "${name}"` });
    steps.push({ method: "POST", path: "/servicePrincipals", body: { id: servicePrincipalId(name), appId: appId(name) }, label: `servicePrincipal "${name}"` });
  }
  const assign = (name: string, principalId: string, role: string, scope = "/") =>
    steps.push({
      method: "POST",
      path: "/roleManagement/directory/roleAssignments",
      body: { id: stableId(`roleAssignment:${name}`), principalId, roleDefinitionId: role, directoryScopeId: scope },
      label: `role assignment "${name}"`,
    });
  assign("alice-ca-admin", id("alice"), ROLE.conditionalAccessAdministrator);
  assign("bob-ca-admin", id("bob"), ROLE.conditionalAccessAdministrator);
  assign("breakglass01-ga", id("breakglass01"), ROLE.globalAdministrator);
  assign("breakglass02-ga", id("breakglass02"), ROLE.globalAdministrator);
  assign("carlos-security-admin", id("carlos.mendes"), ROLE.securityAdministrator);
  assign("dana-app-admin", id("dana.kim"), ROLE.applicationAdministrator);
  assign("hana-global-reader", id("hana.sato"), ROLE.globalReader);
  assign("rag-security-operators", groupId(GROUPS.caAdminsRoleGroup), ROLE.securityOperator);
  assign("rag-helpdesk-sales-au", groupId(GROUPS.helpdeskRoleGroup), ROLE.helpdeskAdministrator, `/administrativeUnits/${auId("AU-Sales")}`);
  assign("laura-user-admin-finance-au", id("laura.schmidt"), ROLE.userAdministrator, `/administrativeUnits/${auId("AU-Finance")}`);
  return steps;
}
