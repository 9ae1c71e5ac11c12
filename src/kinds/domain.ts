import type { KindDescriptor } from "./types.js";

/**
 * The tenant's domains (`domain`, `/domains`; id = the domain name), READ-ONLY (issue 14, README
 * "Coverage"): exported so git shows which domains are verified, default and federated, and how
 * passwords expire on each, but never written: adding, verifying, federating or removing a domain
 * needs DNS records and a sequence of steps outside a plan. A document that differs from the tenant,
 * a document without a domain and a domain without a document are plan warnings (`readOnly`),
 * never changes. Read with Directory.Read.All, which every deployment has (Domain.Read.All is the
 * least privilege) (docs/graph-behaviour.md, domains).
 */
export const domain = {
  kind: "domain",
  audit: { activity: /\bdomain\b/i },
  detect: { odataTypes: ["domain"], context: /\$metadata#domains(\/\$entity|\(|$)/i },
  title: "domain",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.domain",
  readOnly: "domains are managed in the Entra admin center (DNS verification); entra-gitops only reads them",
  singleton: false,
  collectionPath: "/domains",
  itemPath: (id) => `/domains/${encodeURIComponent(id)}`,
  naturalKey: "id",
  documentName: (spec) => (typeof spec.id === "string" ? spec.id.toLowerCase() : "domain"),
  // What the issue asks to export: the name, default and verified flags, services, authentication
  // type and password policy; the rest is Graph's bookkeeping.
  serverManaged: ["availabilityStatus", "isAdminManaged", "isInitial", "isRoot", "manufacturer", "model", "state"],
  createOnly: ["id"],
  setArrays: ["supportedServices"],
  references: [],
  dependsOn: [],
  permissions: {
    read: ["Directory.Read.All"],
    write: [],
    ids: { "Directory.Read.All": "7ab1d382-f21e-4acd-a863-ba3e13f7da61" },
  },
} satisfies KindDescriptor;
