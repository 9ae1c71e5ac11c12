import { referenceName } from "./common.js";
import { permissionName } from "./api-permissions.js";
import { slugify } from "./naming.js";
import { splitChildId } from "./object-paths.js";
import type { KindDescriptor } from "./types.js";

const PARENT = "/servicePrincipals";
const SEGMENT = "appRoleAssignedTo";

/** The part of a reference that names it (`user:` by the UPN before the domain); an app role by its value. */
function part(value: unknown): string {
  if (typeof value !== "string") return "";
  const role = permissionName(value);
  if (role !== undefined) return role;
  return value.startsWith("user:") ? referenceName(value).replace(/@.*$/, "") : referenceName(value);
}

/**
 * App role assignments (`appRoleAssignment`): an app role of a resource service principal
 * (`resourceId`, `appRoleId`) granted to a user, a group or a client service principal
 * (`principalId`). Granted to a service principal, an app role is an application permission (the
 * app-only consent surface: `resource:Microsoft Graph` + `permission:Mail.Read`). Graph lists and
 * creates them under the resource (`/servicePrincipals/{resourceId}/appRoleAssignedTo`), so the kind
 * reads every service principal's list (README "Coverage"); an assignment cannot be updated, every
 * property is create-only (a change is delete + create). Documents are named resource + app role +
 * principal by name; the app role is `permission:<value>` where the resource publishes one.
 */
export const appRoleAssignment = {
  kind: "appRoleAssignment",
  audit: { activity: /app role assignment/i },
  detect: { odataTypes: ["appRoleAssignment"], context: /appRoleAssigne(dTo|ments)/i, shape: (o) => "appRoleId" in o && "resourceId" in o && "principalId" in o },
  required: ["appRoleId", "principalId", "resourceId"],
  title: "app role assignment",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.appRoleAssignment",
  singleton: false,
  // Graph has no tenant-wide list: read and created under each resource (`parent`).
  collectionPath: `${PARENT}/{resourceId}/${SEGMENT}`,
  parent: { collectionPath: PARENT, segment: SEGMENT, property: "resourceId" },
  itemPath(id) {
    const parts = splitChildId(id);
    if (!parts) throw new Error(`app role assignment id "${id}" does not name its resource service principal ({resourceId}/{id})`);
    return `${PARENT}/${parts.parentId}/${SEGMENT}/${parts.id}`;
  },
  naturalKey: "resourceId+appRoleId+principalId",
  nameFromReferences: true,
  documentName(spec) {
    return slugify([part(spec.resourceId), part(spec.appRoleId), part(spec.principalId)].join("-"), "app-role-assignment");
  },
  serverManaged: ["id", "createdDateTime", "deletedDateTime", "creationTimestamp", "principalDisplayName", "principalType", "resourceDisplayName"],
  createOnly: ["appRoleId", "principalId", "resourceId"],
  setArrays: [],
  references: [
    { path: "resourceId", targets: ["servicePrincipal", "resource"] },
    { path: "principalId", targets: ["user", "group", "servicePrincipal"] },
  ],
  appRoleField: { property: "appRoleId", resource: "resourceId" },
  dependsOn: ["servicePrincipal", "user", "group"],
  permissions: {
    read: ["Application.Read.All"],
    write: ["AppRoleAssignment.ReadWrite.All"],
    ids: { "Application.Read.All": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", "AppRoleAssignment.ReadWrite.All": "06b708a9-e830-4db3-a914-8e69da51d44f" },
  },
} satisfies KindDescriptor;
