import { randomUUID } from "node:crypto";
import { generateSecretText } from "./credentials.js";
import type { SeedApi } from "../seed-api.js";
import { findApplicationByAppId } from "../resources/applications.js";
import { secretsOf } from "./credentials.js";

/** The engine's own app: every permission the engine needs (docs/graph-behaviour.md §10) plus reading audit and directory. */
export const BOOTSTRAP_APP_NAME = "entra-gitops";

export const BOOTSTRAP_APP_ROLES: readonly string[] = [
  "Policy.Read.All",
  "Policy.ReadWrite.ConditionalAccess",
  "Policy.ReadWrite.Authorization",
  "Policy.Read.AuthenticationMethod",
  "Policy.ReadWrite.AuthenticationMethod",
  "Policy.ReadWrite.CrossTenantAccess",
  "Policy.ReadWrite.SecurityDefaults",
  "Policy.ReadWrite.AuthenticationFlows",
  "Policy.ReadWrite.ExternalIdentities",
  "IdentityProvider.ReadWrite.All",
  "Policy.ReadWrite.ConsentRequest",
  "Policy.ReadWrite.ApplicationConfiguration",
  "CrossTenantInformation.ReadBasic.All",
  "Application.Read.All",
  "Application.ReadWrite.All",
  "Group.Read.All",
  "Group.ReadWrite.All",
  "GroupMember.Read.All",
  "AdministrativeUnit.Read.All",
  "AdministrativeUnit.ReadWrite.All",
  "RoleManagement.Read.Directory",
  "RoleManagement.ReadWrite.Directory",
  "RoleEligibilitySchedule.Read.Directory",
  "RoleEligibilitySchedule.ReadWrite.Directory",
  "PrivilegedEligibilitySchedule.Read.AzureADGroup",
  "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
  "PrivilegedAssignmentSchedule.Read.AzureADGroup",
  "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
  "RoleManagementPolicy.Read.Directory",
  "RoleManagementPolicy.ReadWrite.Directory",
  "RoleManagementPolicy.Read.AzureADGroup",
  "RoleManagementPolicy.ReadWrite.AzureADGroup",
  "DelegatedPermissionGrant.Read.All",
  "DelegatedPermissionGrant.ReadWrite.All",
  "AppRoleAssignment.ReadWrite.All",
  "GroupSettings.ReadWrite.All",
  "EntitlementManagement.Read.All",
  "EntitlementManagement.ReadWrite.All",
  "Organization.ReadWrite.All",
  "Agreement.Read.All",
  "Agreement.ReadWrite.All",
  "AuditLog.Read.All",
  "Directory.Read.All",
  "Directory.ReadWrite.All",
  "CustomSecAttributeDefinition.ReadWrite.All",
  "Policy.ReadWrite.PermissionGrant",
  "User.ReadWrite.All",
];

export interface BootstrapClient {
  appId: string;
  clientSecret: string;
}

/** Create (or find, after loading state) the bootstrap app with its secret and permissions. */
export function ensureBootstrapApp(api: SeedApi, wanted: { appId?: string; clientSecret?: string } = {}): BootstrapClient {
  const store = api.core.store;
  const marker = store.internalOf("$bootstrap");
  const knownAppId = typeof marker["appId"] === "string" ? marker["appId"] : undefined;
  const existing = knownAppId ? findApplicationByAppId(store, knownAppId) : undefined;
  if (existing && typeof marker["clientSecret"] === "string") {
    return { appId: knownAppId ?? "", clientSecret: marker["clientSecret"] };
  }
  const appId = wanted.appId ?? randomUUID();
  const clientSecret = wanted.clientSecret ?? generateSecretText();
  const app = findApplicationByAppId(store, appId) ?? api.create("applications", { displayName: BOOTSTRAP_APP_NAME, appId });
  if (!secretsOf({ store }, app.id).some((s) => s.text === clientSecret)) api.addClientSecret(appId, clientSecret, "sandbox bootstrap");
  api.grantAppRoles(appId, BOOTSTRAP_APP_ROLES);
  marker["appId"] = appId;
  marker["clientSecret"] = clientSecret;
  return { appId, clientSecret };
}
