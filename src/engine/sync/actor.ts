import type { DirectoryAudit } from "./audit-entry.js";

/** The domain of no-reply addresses given to actors that have no e-mail (apps, unknown users). */
export const NO_REPLY_DOMAIN = "noreply.entra-gitops";

/** Who did something, as git will record it. */
export interface Actor {
  /** Stable grouping key: `user:<object id>`, `app:<appId>`, or `unknown`. */
  key: string;
  type: "user" | "app" | "unknown";
  /** Git author name: the display name, else UPN / service principal name / id. */
  name: string;
  /** Git author e-mail: the UPN for users; `<appId>@noreply.entra-gitops` for apps. */
  email: string;
  /** Short label for commit subjects: UPN for users, display name for apps. */
  label: string;
}

/**
 * The actor of an audit entry. Users: name = display name, e-mail = UPN (`<object id>@users.
 * noreply.entra-gitops` when Graph gives no UPN). Apps: name = display name, e-mail =
 * `<appId>@noreply.entra-gitops` (an address that never receives mail, unique per app, so
 * `git shortlog -e` groups by app). Neither present: `Unknown initiator`.
 */
export function actorOf(audit: DirectoryAudit): Actor {
  const { user, app } = audit.initiatedBy;
  if (user && (user.id || user.userPrincipalName || user.displayName)) {
    const id = user.id ?? user.userPrincipalName ?? user.displayName ?? "";
    const email = user.userPrincipalName ?? `${slug(id)}@users.${NO_REPLY_DOMAIN}`;
    return {
      key: `user:${id.toLowerCase()}`,
      type: "user",
      name: user.displayName ?? user.userPrincipalName ?? id,
      email,
      label: user.userPrincipalName ?? user.displayName ?? id,
    };
  }
  if (app && (app.appId || app.servicePrincipalId || app.displayName)) {
    const id = app.appId ?? app.servicePrincipalId ?? app.displayName ?? "";
    const name = app.displayName ?? app.servicePrincipalName ?? id;
    return { key: `app:${id.toLowerCase()}`, type: "app", name, email: `${slug(id)}@${NO_REPLY_DOMAIN}`, label: name };
  }
  return { key: "unknown", type: "unknown", name: "Unknown initiator", email: `unknown@${NO_REPLY_DOMAIN}`, label: "unknown initiator" };
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "") || "unknown"
  );
}
