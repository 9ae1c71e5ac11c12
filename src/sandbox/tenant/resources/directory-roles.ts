import { createHash } from "node:crypto";
import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { notFound } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import { listResponse } from "../odata/list.js";
import { contextUrl } from "../odata/shape.js";
import { directoryObjectList, typedView } from "./directory-objects.js";
import { findRoleDefinition, ROLE_READ } from "./role-definitions.js";

const READ = ["RoleManagement.Read.Directory", "Directory.Read.All", ...ROLE_READ];

/** The activated directory role's object id: stable per tenant and template, unlike the template id. */
function roleObjectId(tenantId: string, templateId: string): string {
  const hex = createHash("sha256").update(`${tenantId}:${templateId}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Activated roles: built-in roles with at least one tenant-wide assignment. */
function activatedRoles(ctx: RequestContext): Entity[] {
  const templates = new Set(
    ctx.store.list("roleAssignments").filter((a) => a["directoryScopeId"] === "/").map((a) => String(a["roleDefinitionId"])),
  );
  const out: Entity[] = [];
  for (const templateId of templates) {
    const role = findRoleDefinition(ctx.store, templateId);
    if (!role || role["isBuiltIn"] !== true) continue;
    out.push({
      id: roleObjectId(ctx.core.tenantId, String(role["templateId"])),
      deletedDateTime: null,
      description: role["description"] ?? null,
      displayName: role["displayName"] ?? null,
      roleTemplateId: role["templateId"],
    });
  }
  return out;
}

function roleById(ctx: RequestContext, id: string): Entity {
  const role = activatedRoles(ctx).find((r) => r.id === id.toLowerCase() || String(r["roleTemplateId"]) === id.toLowerCase());
  if (!role) throw notFound(id);
  return role;
}

/** `/directoryRoles` (read-only view over tenant-wide role assignments; no paging, as in Graph). */
export const directoryRoles = defineResource({
  collection: "$directoryRoles",
  entityType: "microsoft.graph.directoryRole",
  resourceName: "DirectoryRole",
  paths: [],
  permissions: { read: READ, write: [] },
  paging: { defaultTop: 1000, maxTop: 1000 },
  filter: { roleTemplateId: ["eq"], displayName: ["eq"], id: ["eq"] },
  routes: [
    {
      method: "GET",
      path: "/directoryRoles",
      permissions: READ,
      handler: (ctx) => listResponse(ctx, ctx.core.resource("$directoryRoles"), activatedRoles(ctx), { contextPath: "directoryRoles" }),
    },
    {
      method: "GET",
      path: "/directoryRoles/{id}",
      permissions: READ,
      handler: (ctx, params) => ({ status: 200, body: { "@odata.context": contextUrl(ctx, "directoryRoles", undefined, true), ...roleById(ctx, params["id"] ?? "") } }),
    },
    {
      method: "GET",
      path: "/directoryRoles/{id}/members",
      permissions: READ,
      handler: (ctx, params) => {
        const role = roleById(ctx, params["id"] ?? "");
        const members = ctx.store
          .list("roleAssignments")
          .filter((a) => a["directoryScopeId"] === "/" && a["roleDefinitionId"] === role["roleTemplateId"])
          .map((a) => ctx.core.findDirectoryObject(String(a["principalId"])))
          .filter((f) => f !== undefined)
          .map((f) => typedView(ctx, f.collection, f.entity));
        return listResponse(ctx, directoryObjectList, members, { contextPath: "directoryObjects" });
      },
    },
  ],
});
