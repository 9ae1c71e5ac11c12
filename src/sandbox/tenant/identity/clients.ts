import type { ClientRecord, UserRecord } from "../../types.js";
import { stringProp } from "../core/entity.js";
import type { TenantCore } from "../core/tenant-core.js";
import { findApplicationByAppId } from "../resources/applications.js";
import { findUserByUpn } from "../resources/users.js";
import { APP_ROLE_ASSIGNMENTS, graphServicePrincipal, servicePrincipalByAppId } from "./app-role-grants.js";
import { certificatesOf, secretsOf } from "./credentials.js";
import { federatedCredentialsOf } from "./federated-credentials.js";
import { appRoleName } from "./graph-permissions.js";

function notExpired(endDateTime: string | null, nowMs: number): boolean {
  return endDateTime === null || Date.parse(endDateTime) > nowMs;
}

/**
 * What the token endpoint needs about an application: its (unexpired) secret texts and
 * certificates, and the Microsoft Graph app roles admin-consented to its service principal.
 */
export function findClient(core: TenantCore, appId: string): ClientRecord | undefined {
  const app = findApplicationByAppId(core.store, appId);
  if (!app) return undefined;
  const now = core.clock.nowMs();
  const sp = servicePrincipalByAppId(core, appId);
  const graph = graphServicePrincipal(core);
  const roles =
    sp && graph
      ? core.store
          .list(APP_ROLE_ASSIGNMENTS)
          .filter((a) => a["principalId"] === sp.id && a["resourceId"] === graph.id)
          .map((a) => appRoleName(String(a["appRoleId"])))
          .filter((name): name is string => name !== undefined)
      : [];
  const scopes = sp ? core.store.peekInternal(sp.id)?.["scopes"] : undefined;
  const record: ClientRecord = {
    appId: String(app["appId"]),
    displayName: stringProp(app, "displayName") ?? "",
    secrets: secretsOf(core, app.id).filter((s) => notExpired(s.endDateTime, now)).map((s) => s.text),
    certificates: certificatesOf(core, app.id).filter((c) => notExpired(c.endDateTime, now)).map((c) => c.pem),
    roles: [...new Set(roles)].sort(),
    scopes: Array.isArray(scopes) ? scopes.map(String) : [],
    federatedCredentials: federatedCredentialsOf(core.store, app.id).map((c) => ({ name: c.name, issuer: c.issuer, subject: c.subject, audiences: [...c.audiences] })),
  };
  if (sp) record.servicePrincipalId = sp.id;
  return record;
}

export function findUser(core: TenantCore, userPrincipalName: string): UserRecord | undefined {
  const user = findUserByUpn(core.store, userPrincipalName);
  if (!user) return undefined;
  const password = core.store.peekInternal(user.id)?.["password"];
  const record: UserRecord = {
    id: user.id,
    userPrincipalName: String(user["userPrincipalName"]),
    displayName: stringProp(user, "displayName") ?? "",
    accountEnabled: user["accountEnabled"] === true,
  };
  if (typeof password === "string") record.password = password;
  return record;
}
