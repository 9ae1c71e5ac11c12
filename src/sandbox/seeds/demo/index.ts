/**
 * The built-in `demo` seed: Contoso, a small company on contoso.onmicrosoft.com. Deterministic (ids
 * derive from names), so every run of `entra-gitops sandbox --seed demo` builds the same tenant.
 * alice@ and bob@ are Conditional Access Administrators; every user's password is `DEMO_PASSWORD`.
 */
import type { SeedApi } from "../../tenant/seed-api.js";
import type { SeedStep } from "../seed-steps.js";
import { conditionalAccessSteps } from "./conditional-access.js";
import { DEMO_PORTAL_APP, appId, directorySteps } from "./directory.js";
import { demoUsers, userBody } from "./people.js";
import { FABRIKAM_TENANT_ID, settingsSteps } from "./settings.js";

export { DEMO_DOMAIN, DEMO_PASSWORD } from "./people.js";
export { CA_POLICY_COUNT } from "./conditional-access.js";

export function demoSeedSteps(): SeedStep[] {
  const users = demoUsers();
  return [
    // A verified custom domain besides contoso.onmicrosoft.com (identifier URIs may use it).
    { method: "POST", path: "/domains", body: { id: "contoso.com", isVerified: true }, label: "domain contoso.com" },
    ...users.map((u): SeedStep => ({ method: "POST", path: "/users", body: userBody(u), label: `user ${u.userPrincipalName}` })),
    ...directorySteps(users),
    ...conditionalAccessSteps(),
    ...settingsSteps(),
  ];
}

/** appId of "Contoso Admin Portal", the public client demo users get delegated tokens from. */
export const DEMO_PORTAL_APP_ID = appId(DEMO_PORTAL_APP);

/** Delegated permissions consented tenant-wide for the portal client (what an admin uses in the portal). */
export const DEMO_PORTAL_SCOPES: readonly string[] = [
  "User.Read",
  "Directory.Read.All",
  "Group.ReadWrite.All",
  "Application.ReadWrite.All",
  "Policy.Read.All",
  "Policy.ReadWrite.ConditionalAccess",
  "Policy.ReadWrite.AuthenticationMethod",
  "Policy.ReadWrite.Authorization",
  "Policy.ReadWrite.CrossTenantAccess",
  "RoleManagement.ReadWrite.Directory",
  // Any eligible user activates their own roles (PIM); the scope needs no role of its own.
  "RoleAssignmentSchedule.ReadWrite.Directory",
  // Likewise their eligible group memberships and ownerships (PIM for groups).
  "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
  "Organization.ReadWrite.All",
  "AuditLog.Read.All",
];

/**
 * What Graph writes cannot express: admin consent of the portal client's delegated permissions.
 * Run after `demoSeedSteps()` with the tenant's seed API (`tenant.seedApi()`).
 */
export function applyDemoConsents(api: SeedApi): void {
  api.grantDelegatedScopes(DEMO_PORTAL_APP_ID, DEMO_PORTAL_SCOPES);
  // Fabrikam, the cross-tenant partner, is a tenant of its own: its public name is readable.
  api.addExternalTenant({ tenantId: FABRIKAM_TENANT_ID, displayName: "Fabrikam", defaultDomainName: "fabrikam.onmicrosoft.com" });
}
