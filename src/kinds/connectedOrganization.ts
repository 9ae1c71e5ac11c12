import { ENTITLEMENT_MANAGEMENT_PERMISSIONS } from "./accessPackageCatalog.js";
import { slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/identityGovernance/entitlementManagement/connectedOrganizations";

/**
 * Entitlement management connected organizations (`connectedOrganization`): another organization
 * whose users may request access packages: `displayName`, `description`, `state` (`configured`,
 * `proposed`), its `identitySources` (a tenant, a domain, a federation; each with its
 * `@odata.type`), and its internal and external sponsors (users and groups, written through
 * `$ref` as `user:`/`group:` references). Assignment policies name it as
 * `connectedOrganization:<name>`. Created, updated, deleted (docs/graph-behaviour.md, connected
 * organizations). Opt-in with the other entitlement management kinds.
 */
export const connectedOrganization = {
  kind: "connectedOrganization",
  reference: { prefix: "connectedOrganization" },
  audit: { activity: /connected organization/i },
  detect: { odataTypes: ["connectedOrganization"], context: /entitlementManagement\/connectedOrganizations/i, shape: (o) => "identitySources" in o },
  required: ["displayName", "identitySources"],
  title: "connected organization",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.connectedOrganization",
  optIn: true,
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  naturalKey: "displayName",
  documentName: (spec) => slugOf(spec, "displayName", "connected-organization"),
  serverManaged: ["id", "createdDateTime", "modifiedDateTime"],
  createOnly: [],
  setArrays: [],
  references: [],
  relationships: [
    { property: "internalSponsors", segment: "internalSponsors", targets: ["user", "group"] },
    { property: "externalSponsors", segment: "externalSponsors", targets: ["user", "group"] },
  ],
  dependsOn: ["user", "group"],
  permissions: ENTITLEMENT_MANAGEMENT_PERMISSIONS,
  keepODataType: ["identitySources"],
  // Graph fills it in when a create leaves it out: absent means "whatever the tenant has".
  keepWhenAbsent: ["state"],
} satisfies KindDescriptor;
