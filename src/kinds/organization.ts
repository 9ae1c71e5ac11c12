import { SINGLETON_NAME } from "./common.js";
import type { KindDescriptor } from "./types.js";

/**
 * What Graph fills in about the tenant and documents no write of (docs/graph-behaviour.md,
 * organization): its name, address, plans, verified domains (the `domain` kind's business), sync
 * state. Dropped from documents, so the schema refuses them and a plan never proposes them.
 */
const READ_ONLY = [
  "id",
  "deletedDateTime",
  "assignedPlans",
  "businessPhones",
  "city",
  "country",
  "countryLetterCode",
  "createdDateTime",
  "defaultUsageLocation",
  "displayName",
  "mobileDeviceManagementAuthority",
  "onPremisesLastSyncDateTime",
  "onPremisesSyncEnabled",
  "partnerTenantType",
  "postalCode",
  "preferredLanguage",
  "provisionedPlans",
  "state",
  "street",
  "tenantType",
  "verifiedDomains",
] as const;

/**
 * The tenant's own settings (`organization`, Microsoft's tenant configuration management
 * `tenantDetails`, Microsoft365DSC AADTenantDetails): Graph lists the tenant as a one-item
 * collection (`GET /organization`) and updates it at `/organization/{tenantId}` (PATCH, 204), so
 * it is a `listedSingleton`, kept as `organization/default` without the tenant id. Graph documents
 * five writable properties: the notification mail and phone lists and `privacyProfile`
 * (`contactEmail`, `statementUrl`); everything else is the tenant's and not managed. Read with
 * Directory.Read.All, which every deployment already grants (Organization.Read.All suffices too);
 * written with Organization.ReadWrite.All (docs/graph-behaviour.md, organization).
 */
export const organization = {
  kind: "organization",
  // Entra's DirectoryManagement activities for the tenant's details; anchored, so the cross-tenant
  // default's "Update the company default cross-tenant access setting" is not this kind's.
  audit: { activity: /^(set company information|update company( settings)?)$/i },
  detect: {
    odataTypes: ["organization"],
    context: /\$metadata#organization(\/\$entity|\(|$)/i,
    shape: (o) => "verifiedDomains" in o && "technicalNotificationMails" in o,
  },
  title: "organization (tenant details)",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.organization",
  singleton: true,
  listedSingleton: true,
  collectionPath: "/organization",
  itemPath: (id) => `/organization/${id}`,
  naturalKey: "id",
  documentName: () => SINGLETON_NAME,
  serverManaged: READ_ONLY,
  createOnly: [],
  // Mail and phone lists are sets: Graph keeps no meaning in their order.
  setArrays: ["marketingNotificationEmails", "securityComplianceNotificationMails", "securityComplianceNotificationPhones", "technicalNotificationMails"],
  references: [],
  dependsOn: [],
  permissions: {
    read: ["Directory.Read.All"],
    write: ["Organization.ReadWrite.All"],
    ids: { "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61", "Organization.ReadWrite.All": "292d869f-3427-49a8-9dab-8c70152b74e9" },
  },
} satisfies KindDescriptor;
