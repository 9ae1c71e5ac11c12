import { SINGLETON_NAME } from "./common.js";
import type { KindDescriptor } from "./types.js";

const PATH = "/policies/adminConsentRequestPolicy";

/**
 * The admin consent request policy (singleton, GET and PUT only: Graph takes the whole object, so
 * apply sends every property). Reviewers are Graph queries; the three forms the Entra admin center
 * writes read as references (README "Coverage", docs/graph-behaviour.md admin consent requests):
 * `/users/{id}` is `user:<userPrincipalName>`, `/groups/{id}/transitiveMembers/microsoft.graph.user`
 * is `group:<name>` (the group's members), and a role's assignments query is `role:<name>` (the
 * role's holders). Any other query is kept as Graph writes it.
 */
export const adminConsentRequestPolicy = {
  kind: "adminConsentRequestPolicy",
  audit: { activity: /admin consent request policy|consent request/i },
  detect: { odataTypes: ["adminConsentRequestPolicy"], context: /adminConsentRequestPolicy/i, shape: (o) => "requestDurationInDays" in o && "reviewers" in o },
  title: "admin consent request policy",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.adminConsentRequestPolicy",
  singleton: true,
  updateMethod: "PUT",
  collectionPath: PATH,
  itemPath: () => PATH,
  naturalKey: "id",
  documentName: () => SINGLETON_NAME,
  // `version` is Graph's counter of writes.
  serverManaged: ["id", "version"],
  createOnly: [],
  setArrays: [],
  references: [
    { path: "reviewers.query", targets: ["user"], template: "/users/{id}" },
    { path: "reviewers.query", targets: ["group"], template: "/groups/{id}/transitiveMembers/microsoft.graph.user" },
    { path: "reviewers.query", targets: ["role"], template: "/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '{id}'" },
  ],
  dependsOn: ["group", "user"],
  permissions: {
    read: ["Policy.Read.All"],
    write: ["Policy.ReadWrite.ConsentRequest"],
    ids: { "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68", "Policy.ReadWrite.ConsentRequest": "999f8c63-0a38-4f1b-91fd-ed1947bdd1a9" },
  },
} satisfies KindDescriptor;
