/**
 * The SharePoint Online sites of the sandbox tenant (docs/graph-behaviour.md, SharePoint Online
 * sites as catalog resources): a small fixed set at `https://<tenant>.sharepoint.com/sites/…`
 * (`<tenant>` from the initial `<tenant>.onmicrosoft.com` domain), with the properties Graph's
 * `site` resource documents (`id` as `<hostname>,<site collection id>,<web id>`, `name`,
 * `displayName`, `description`, `webUrl`). Catalogs take a site by its URL (`originSystem:
 * SharePointOnline`); its roles are the ones the entitlement management reference shows for a
 * site (`Creators` 3, `Contributors` 4, `Viewers` 5: the originId is the role's sequence number in
 * the site). The sandbox serves no `/sites` endpoint: only resource requests use them.
 */
import type { RequestContext } from "../../core/context.js";

export interface SharePointSite {
  id: string;
  name: string;
  displayName: string;
  description: string;
  webUrl: string;
}

const SITES: readonly { name: string; displayName: string; description: string; collection: string; web: string }[] = [
  { name: "sales", displayName: "Sales", description: "Sales team site", collection: "3f0c1a52-7d1e-4b6a-9c2f-5e8d7a6b4c01", web: "8a2b4c6d-1e3f-4a5b-8c7d-9e0f1a2b3c01" },
  { name: "hr", displayName: "Human Resources", description: "Policies and forms", collection: "3f0c1a52-7d1e-4b6a-9c2f-5e8d7a6b4c02", web: "8a2b4c6d-1e3f-4a5b-8c7d-9e0f1a2b3c02" },
  { name: "communications", displayName: "Communications", description: "Company news", collection: "3f0c1a52-7d1e-4b6a-9c2f-5e8d7a6b4c03", web: "8a2b4c6d-1e3f-4a5b-8c7d-9e0f1a2b3c03" },
];

/** The roles every site offers to access packages, as Graph's reference lists a site's roles. */
export const SITE_ROLES: readonly { displayName: string; originId: string }[] = [
  { displayName: "Creators", originId: "3" },
  { displayName: "Contributors", originId: "4" },
  { displayName: "Viewers", originId: "5" },
];

/** The tenant's SharePoint host: `contoso.onmicrosoft.com` → `contoso.sharepoint.com`. */
function hostOf(ctx: RequestContext): string {
  const tenant = ctx.core.domain.toLowerCase().replace(/\.onmicrosoft\.com$/, "").split(".")[0] ?? "contoso";
  return `${tenant}.sharepoint.com`;
}

export function sharePointSites(ctx: RequestContext): SharePointSite[] {
  const host = hostOf(ctx);
  return SITES.map((s) => ({ id: `${host},${s.collection},${s.web}`, name: s.name, displayName: s.displayName, description: s.description, webUrl: `https://${host}/sites/${s.name}` }));
}

/** The site at a URL (case-insensitive, a trailing slash ignored), or undefined. */
export function siteAt(ctx: RequestContext, url: string): SharePointSite | undefined {
  const wanted = url.toLowerCase().replace(/\/+$/, "");
  return sharePointSites(ctx).find((s) => s.webUrl.toLowerCase() === wanted);
}
