import { slugify } from "./naming.js";
import type { KindDescriptor } from "./types.js";
import { TENANT_ID_IN_PATH } from "../graph/tenant-path.js";
import { BRANDING_STREAMS } from "../facts/branding-images.js";

const BRANDING = `/organization/${TENANT_ID_IN_PATH}/branding`;
const LOCALIZATIONS = `${BRANDING}/localizations`;
/** The default branding's id among the localizations (Graph also accepts `default`). */
const DEFAULT_ID = "0";

/**
 * What Graph manages or this kind leaves alone: the CDN paths of uploaded images and the CDN list
 * (read-only), and `contentCustomization` (External ID tenants only). Images themselves are Stream
 * properties, never in the JSON: files beside the document (`streams`, README "Company branding images").
 */
const NOT_MANAGED = [
  "backgroundImageRelativeUrl",
  "bannerLogoRelativeUrl",
  "cdnList",
  "customCSSRelativeUrl",
  "faviconRelativeUrl",
  "headerLogoRelativeUrl",
  "squareLogoRelativeUrl",
  "squareLogoDarkRelativeUrl",
  "contentCustomization",
] as const;

function itemPath(id: string): string {
  return id === DEFAULT_ID || id.toLowerCase() === "default" ? BRANDING : `${LOCALIZATIONS}/${encodeURIComponent(id)}`;
}

/**
 * Company branding of the sign-in page (`organizationalBranding`): its text and colours, one
 * document per localization of `/organization/{tenantId}/branding/localizations`, which lists the
 * default branding too (id `0`, document `default`) beside each locale (`fr-FR` → `fr-fr`). The
 * locale id is the natural key and create-only. A locale is created by POST (which also creates the
 * default), the default by PATCH of `/organization/{tenantId}/branding` (Graph has no POST for it);
 * each is updated by PATCH and deleted by DELETE, the default at the branding path. Opt-in: reading
 * it needs Organization.Read.All (or OrganizationalBranding.Read.All), which no default kind needs;
 * writing OrganizationalBranding.ReadWrite.All (Organization.ReadWrite.All also does)
 * (docs/graph-behaviour.md, company branding).
 */
export const organizationalBranding = {
  kind: "organizationalBranding",
  audit: { activity: /branding/i },
  detect: { odataTypes: ["organizationalBranding", "organizationalBrandingLocalization"], context: /\/branding(\/localizations)?(\/\$entity)?$|#branding$/i },
  title: "company branding",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.organizationalBrandingLocalization",
  optIn: true,
  singleton: false,
  collectionPath: LOCALIZATIONS,
  itemPath,
  naturalKey: "id",
  documentName: (spec) => (spec.id === DEFAULT_ID ? "default" : slugify(typeof spec.id === "string" ? spec.id : "", "locale")),
  required: ["id"],
  serverManaged: NOT_MANAGED,
  createOnly: ["id"],
  createByPatch: (spec) => spec.id === DEFAULT_ID,
  // Images and the custom CSS: `default.bannerLogo.png` beside `default.yaml`, each read and
  // written at its own path (GET / PUT of the bytes; an empty PUT removes it).
  streams: { properties: BRANDING_STREAMS, path: (id, property) => `${id === DEFAULT_ID ? `${LOCALIZATIONS}/${DEFAULT_ID}` : itemPath(id)}/${property}` },
  setArrays: [],
  references: [],
  dependsOn: [],
  permissions: {
    read: ["Organization.Read.All"],
    write: ["OrganizationalBranding.ReadWrite.All"],
    ids: { "Organization.Read.All": "498476ce-e0fe-48b0-b801-37ba7e2685c6" },
  },
  normalize(spec) {
    // Graph answers "" for text never set; a whitespace-only text is a deliberate override and stays.
    for (const [key, value] of Object.entries(spec)) if (value === "") delete spec[key];
    return spec;
  },
} satisfies KindDescriptor;
