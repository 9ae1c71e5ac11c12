import type { KindDescriptor } from "./types.js";

const COLLECTION = "/groupLifecyclePolicies";

/**
 * The expiration policy of Microsoft 365 groups (`groupLifecyclePolicy`): `groupLifetimeInDays`,
 * `managedGroupTypes` (`All`, `Selected`, `None`) and `alternateNotificationEmails` (addresses
 * joined with `;`, for groups without owners). A tenant has at most one: created, updated and
 * deleted, never soft-deleted (docs/graph-behaviour.md, group lifecycle policy). Which groups a
 * `Selected` policy applies to (`addGroup`/`removeGroup`) is not managed here.
 */
export const groupLifecyclePolicy = {
  kind: "groupLifecyclePolicy",
  audit: { activity: /lifecycle (management )?policy/i },
  detect: { odataTypes: ["groupLifecyclePolicy"], context: /groupLifecyclePolicies/i, shape: (o) => "groupLifetimeInDays" in o && "managedGroupTypes" in o },
  required: ["groupLifetimeInDays", "managedGroupTypes"],
  title: "group lifecycle policy",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.groupLifecyclePolicy",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  // One policy per tenant: the document names it, its id (export's id map) matches it.
  naturalKey: "managedGroupTypes",
  documentName: () => "group-expiration",
  serverManaged: ["id"],
  createOnly: [],
  setArrays: [],
  references: [],
  dependsOn: [],
  permissions: {
    read: ["Directory.Read.All"],
    write: ["Directory.ReadWrite.All"],
    ids: { "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61", "Directory.ReadWrite.All": "19dbc75e-c2e2-444c-a770-ec69d8559fc7" },
  },
  normalize(spec) {
    // `a@x; b@x` and `a@x;b@x` are the same list: one form, no spaces.
    if (typeof spec.alternateNotificationEmails === "string") spec.alternateNotificationEmails = spec.alternateNotificationEmails.split(";").map((s) => s.trim()).filter((s) => s !== "").join(";");
    return spec;
  },
} satisfies KindDescriptor;
