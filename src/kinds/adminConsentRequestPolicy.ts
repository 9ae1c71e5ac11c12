import { singletonPolicy } from "./singletonPolicy.js";

/**
 * The admin consent request policy (singleton, GET and PUT only: Graph takes the whole object, so
 * apply sends every property). Reviewers are Graph queries; the three forms the Entra admin center
 * writes read as references (README "Coverage", docs/graph-behaviour.md admin consent requests):
 * `/users/{id}` is `user:<userPrincipalName>`, `/groups/{id}/transitiveMembers/microsoft.graph.user`
 * is `group:<name>` (the group's members), and a role's assignments query is `role:<name>` (the
 * role's holders). Any other query is kept as Graph writes it.
 */
export const adminConsentRequestPolicy = singletonPolicy({
  kind: "adminConsentRequestPolicy",
  path: "/policies/adminConsentRequestPolicy",
  title: "admin consent request policy",
  type: "adminConsentRequestPolicy",
  activity: /admin consent request policy|consent request/i,
  write: { permission: "Policy.ReadWrite.ConsentRequest", id: "999f8c63-0a38-4f1b-91fd-ed1947bdd1a9" },
  detect: { odataTypes: ["adminConsentRequestPolicy"], context: /adminConsentRequestPolicy/i, shape: (o) => "requestDurationInDays" in o && "reviewers" in o },
  updateMethod: "PUT",
  naturalKey: "id",
  // `version` is Graph's counter of writes.
  serverManaged: ["id", "version"],
  references: [
    { path: "reviewers.query", targets: ["user"], template: "/users/{id}" },
    { path: "reviewers.query", targets: ["group"], template: "/groups/{id}/transitiveMembers/microsoft.graph.user" },
    { path: "reviewers.query", targets: ["role"], template: "/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '{id}'" },
  ],
  dependsOn: ["group", "user"],
});
