import { slugOf } from "./common.js";
import { APPLICATION_READ, APPLICATION_READ_WRITE, appliesTo, policyAuditActivity } from "./policy-assignment.js";
import type { KindDescriptor } from "./types.js";
import type { Kind } from "../model/kind.js";

/**
 * The policies that inherit Graph's `stsPolicy` (token lifetime, home realm discovery, claims
 * mapping, token issuance, activity-based timeout): a collection under `/policies/<name>s` with `definition` (JSON strings), `displayName`,
 * `description` and `isOrganizationDefault`; created, updated and deleted, never soft-deleted
 * (docs/graph-behaviour.md, STS policies). `assignedTo`: the applications and service principals
 * Graph lets it be assigned to (`appliesTo`, `policy-assignment.ts`), with the navigation segment on
 * each; absent for a policy Graph assigns to nothing (the activity-based timeout policy).
 */
export function stsPolicyDescriptor(
  kind: Kind,
  options: { title: string; collection: string; graphType: string; activity: RegExp; assignedTo?: { application?: string; servicePrincipal?: string; onePerTarget?: true } },
): KindDescriptor {
  const path = `/policies/${options.collection}`;
  const assigned = options.assignedTo;
  const relationship = assigned ? appliesTo(assigned, assigned.onePerTarget === true) : undefined;
  return {
    kind,
    audit: { activity: policyAuditActivity(options.activity, assigned) },
    detect: { odataTypes: [options.graphType], context: new RegExp(`policies/${options.collection}\\b`, "i") },
    required: ["displayName", "definition"],
    title: options.title,
    apiVersion: "v1.0",
    graphType: `microsoft.graph.${options.graphType}`,
    singleton: false,
    collectionPath: path,
    itemPath: (id) => `${path}/${id}`,
    naturalKey: "displayName",
    documentName: (spec) => slugOf(spec),
    serverManaged: ["id", "deletedDateTime"],
    createOnly: [],
    setArrays: [],
    references: [],
    ...(relationship ? { relationships: [relationship] } : {}),
    // The applications and service principals a policy is assigned to are written first.
    dependsOn: relationship ? relationship.targets.map((t) => (t === "application" ? "application" : "servicePrincipal")) : [],
    defaults: { isOrganizationDefault: false },
    permissions: relationship
      ? {
          read: ["Policy.Read.All", "Application.Read.All"],
          write: ["Policy.ReadWrite.ApplicationConfiguration", "Application.ReadWrite.All"],
          ids: { "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68", "Policy.ReadWrite.ApplicationConfiguration": "be74164b-cff1-491c-8741-e671cb536e13", ...APPLICATION_READ, ...APPLICATION_READ_WRITE },
        }
      : {
          read: ["Policy.Read.All"],
          write: ["Policy.ReadWrite.ApplicationConfiguration"],
          ids: { "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68", "Policy.ReadWrite.ApplicationConfiguration": "be74164b-cff1-491c-8741-e671cb536e13" },
        },
  };
}
