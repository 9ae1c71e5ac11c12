import type { Store } from "../core/store.js";
import type { Entity } from "../core/entity.js";
import { isRecord } from "../core/entity.js";
import { invalidPropertyValue, readOnlyProperty } from "../core/errors.js";
import { defineResource } from "../core/resource.js";

/** The string lists PATCH writes; the two `Nullable="false"` ones refuse null. */
const LISTS = ["marketingNotificationEmails", "securityComplianceNotificationMails", "securityComplianceNotificationPhones", "technicalNotificationMails"] as const;
const NOT_NULLABLE = new Set<string>(["marketingNotificationEmails", "technicalNotificationMails"]);
const PRIVACY = ["contactEmail", "statementUrl"] as const;

/**
 * PATCH `/organization/{id}` (204): only the five properties Graph documents as writable, each
 * checked; anything else is refused, so no tenant detail changes by accident
 * (docs/graph-behaviour.md, organization).
 */
function patchOrganization(existing: Entity, patch: Record<string, unknown>): Entity {
  const out: Entity = { ...existing };
  for (const [key, value] of Object.entries(patch)) {
    if (key === "@odata.type") continue;
    if ((LISTS as readonly string[]).includes(key)) {
      if (value === null && !NOT_NULLABLE.has(key)) {
        out[key] = [];
        continue;
      }
      if (!Array.isArray(value) || value.some((item) => typeof item !== "string" || item.trim() === "")) throw invalidPropertyValue(key, "Organization");
      out[key] = [...value];
    } else if (key === "privacyProfile") {
      if (value !== null && !isRecord(value)) throw invalidPropertyValue(key, "Organization");
      if (value === null) {
        out[key] = null;
        continue;
      }
      const profile: Record<string, unknown> = {};
      for (const [field, fieldValue] of Object.entries(value)) {
        if (field === "@odata.type") continue;
        if (!(PRIVACY as readonly string[]).includes(field) || (fieldValue !== null && typeof fieldValue !== "string")) throw invalidPropertyValue(`privacyProfile.${field}`, "Organization");
        profile[field] = fieldValue;
      }
      out[key] = { contactEmail: profile["contactEmail"] ?? null, statementUrl: profile["statementUrl"] ?? null };
    } else {
      throw readOnlyProperty(key);
    }
  }
  return out;
}

/** The verified domain names of the tenant (from `/organization`). */
export function verifiedDomainNames(store: Store): string[] {
  const org = store.list("organization")[0];
  const domains = org?.["verifiedDomains"];
  const listed = Array.isArray(domains) ? domains.filter(isRecord).map((d) => String(d["name"] ?? "")) : [];
  // A domain verified later (`/domains`, isVerified) counts as well, as in Graph.
  const added = store.list("domains").filter((d) => d["isVerified"] === true).map((d) => d.id);
  return [...new Set([...listed, ...added])];
}

/** `/organization`: the tenant itself, one object whose id is the tenant id. */
export const organization = defineResource({
  collection: "organization",
  entityType: "microsoft.graph.organization",
  resourceName: "Organization",
  paths: [{ path: "/organization" }],
  permissions: {
    read: ["Organization.Read.All", "Organization.ReadWrite.All", "Directory.Read.All", "User.Read", "User.Read.All"],
    write: ["Organization.ReadWrite.All"],
  },
  directoryObject: true,
  methods: { create: false, delete: false },
  readOnly: { id: "reject", verifiedDomains: "reject", createdDateTime: "reject", tenantType: "reject" },
  update: (_ctx, existing, patch) => patchOrganization(existing, patch),
  audit: { service: "Core Directory", category: "DirectoryManagement", targetType: "Other", update: "Update company settings" },
  initial: (ctx) => [
    {
      id: ctx.core.tenantId,
      displayName: ctx.core.organizationName,
      tenantType: "AAD",
      createdDateTime: ctx.nowIso(),
      countryLetterCode: "US",
      preferredLanguage: "en",
      businessPhones: [],
      city: null,
      country: null,
      postalCode: null,
      state: null,
      street: null,
      technicalNotificationMails: [],
      securityComplianceNotificationMails: [],
      securityComplianceNotificationPhones: [],
      marketingNotificationEmails: [],
      onPremisesSyncEnabled: null,
      assignedPlans: [],
      provisionedPlans: [],
      privacyProfile: null,
      verifiedDomains: [
        { capabilities: "Email, OfficeCommunicationsOnline", isDefault: true, isInitial: true, name: ctx.core.domain, type: "Managed" },
      ],
    },
  ],
});
