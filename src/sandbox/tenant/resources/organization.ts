import type { Store } from "../core/store.js";
import { isRecord } from "../core/entity.js";
import { defineResource } from "../core/resource.js";

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
