import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { stringProp } from "../core/entity.js";
import { badRequest, invalidPropertyValue } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import { typedView } from "./directory-objects.js";
import { AU_SCOPABLE_ROLE_IDS, customRoleScopable } from "./au-scopable-roles.js";
import { ROLE_READ, ROLE_WRITE, findRoleDefinition } from "./role-definitions.js";

const PRINCIPAL_COLLECTIONS = ["users", "groups", "servicePrincipals"];

function scopeKind(scope: string): "tenant" | "administrativeUnit" | "object" {
  if (scope === "/") return "tenant";
  return /^\/administrativeUnits\//i.test(scope) ? "administrativeUnit" : "object";
}

function auditAssignment(ctx: RequestContext, assignment: Entity, adding: boolean): void {
  const scope = String(assignment["directoryScopeId"] ?? "/");
  const scoped = scope !== "/";
  const role = findRoleDefinition(ctx.store, String(assignment["roleDefinitionId"]));
  const principal = ctx.core.findDirectoryObject(String(assignment["principalId"]));
  const verb = adding ? "Add" : "Remove";
  const roleProps = [
    { displayName: "Role.ObjectID", value: assignment["roleDefinitionId"] },
    { displayName: "Role.DisplayName", value: role?.["displayName"] ?? null },
    { displayName: "Role.TemplateId", value: role?.["templateId"] ?? null },
    ...(scoped ? [{ displayName: "Role.Scope", value: scope }] : []),
  ].map((p) => ({ displayName: p.displayName, oldValue: adding ? null : JSON.stringify(p.value), newValue: adding ? JSON.stringify(p.value) : null }));
  ctx.audit({
    activity: `${verb} ${scoped ? "scoped member" : "member"} ${adding ? "to" : "from"} role`,
    category: "RoleManagement",
    operationType: adding ? "Assign" : "Unassign",
    targets: [
      {
        id: String(assignment["principalId"]),
        displayName: principal ? stringProp(principal.entity, "displayName") ?? null : null,
        type: principal?.collection === "groups" ? "Group" : principal?.collection === "servicePrincipals" ? "ServicePrincipal" : "User",
        userPrincipalName: principal ? stringProp(principal.entity, "userPrincipalName") ?? null : null,
        modifiedProperties: roleProps,
      },
      { id: String(assignment["roleDefinitionId"]), displayName: stringProp(role ?? { id: "" }, "displayName") ?? null, type: "Role", modifiedProperties: [] },
    ],
  });
}

/**
 * What an assignment of a role needs, active or eligible (PIM): a principal that exists (a group
 * only when role-assignable), a role that exists, and a scope that fits the role: the tenant, an
 * administrative unit the role applies to, or an application or service principal.
 */
export function validateRoleTarget(ctx: RequestContext, entity: Entity, resourceName: string): void {
  const principalId = String(entity["principalId"]);
  if (!ctx.system) ctx.core.requireReference(principalId, PRINCIPAL_COLLECTIONS);
  const principal = ctx.store.findAnywhere(principalId, PRINCIPAL_COLLECTIONS);
  if (principal?.collection === "groups" && principal.entity["isAssignableToRole"] !== true) {
    throw badRequest("The group must be role-assignable (isAssignableToRole) to be assigned to a directory role.");
  }
  const role = findRoleDefinition(ctx.store, String(entity["roleDefinitionId"]));
  if (!role) throw badRequest(`Resource '${String(entity["roleDefinitionId"])}' does not exist or one of its queried reference-property objects are not present.`);
  const scope = String(entity["directoryScopeId"] ?? "/");
  if (scopeKind(scope) === "administrativeUnit") {
    const auId = scope.split("/").pop() ?? "";
    if (!ctx.store.get("administrativeUnits", auId)) throw badRequest(`Resource '${auId}' does not exist or one of its queried reference-property objects are not present.`);
    // Only some roles apply to an administrative unit's members (docs/graph-behaviour.md, "Sandbox
    // behaviour table"); Graph's exact message is not public, this one is the sandbox's own.
    const scopable = role["isBuiltIn"] === true ? AU_SCOPABLE_ROLE_IDS.has(String(role["templateId"] ?? role.id).toLowerCase()) : customRoleScopable(role);
    if (!scopable) {
      throw badRequest(`The role '${String(role["displayName"])}' cannot be assigned at administrative unit scope '${scope}'.`);
    }
  } else if (scopeKind(scope) === "object" && !ctx.store.findAnywhere(scope.slice(1), ["applications", "servicePrincipals"])) {
    throw invalidPropertyValue("directoryScopeId", resourceName);
  }
}

/** `/roleManagement/directory/roleAssignments`: tenant-wide ("/") and AU-scoped assignments. */
export const roleAssignments = defineResource({
  collection: "roleAssignments",
  entityType: "microsoft.graph.unifiedRoleAssignment",
  resourceName: "UnifiedRoleAssignment",
  paths: [{ path: "/roleManagement/directory/roleAssignments" }],
  permissions: { read: ROLE_READ, write: ROLE_WRITE },
  paging: { defaultTop: 100, maxTop: 999 },
  methods: { update: false },
  filter: {
    id: ["eq", "in"],
    principalId: ["eq", "in"],
    roleDefinitionId: ["eq", "in"],
    directoryScopeId: ["eq", "in"],
    appScopeId: ["eq", "in"],
  },
  orderBy: {},
  create(ctx, body, id) {
    const principalId = body["principalId"];
    const roleDefinitionId = body["roleDefinitionId"];
    if (typeof principalId !== "string" || principalId === "") throw invalidPropertyValue("principalId", "UnifiedRoleAssignment");
    if (typeof roleDefinitionId !== "string" || roleDefinitionId === "") throw invalidPropertyValue("roleDefinitionId", "UnifiedRoleAssignment");
    const directoryScopeId = typeof body["directoryScopeId"] === "string" ? body["directoryScopeId"] : body["appScopeId"] === undefined ? "/" : null;
    return {
      appScopeId: null, condition: null,
      ...body,
      id,
      principalId: principalId.toLowerCase(),
      roleDefinitionId: roleDefinitionId.toLowerCase(),
      directoryScopeId,
    };
  },
  references: (entity) => {
    const refs = [String(entity["principalId"])];
    const scope = String(entity["directoryScopeId"] ?? "/");
    if (scope !== "/") refs.push(scope.split("/").pop() ?? scope);
    return refs;
  },
  validate(ctx, entity) {
    validateRoleTarget(ctx, entity, "UnifiedRoleAssignment");
    const duplicate = ctx.store.list("roleAssignments").some(
      (a) => a.id !== entity.id && a["principalId"] === entity["principalId"] && a["roleDefinitionId"] === entity["roleDefinitionId"] && a["directoryScopeId"] === entity["directoryScopeId"],
    );
    if (duplicate) throw badRequest("A conflicting object with one or more of the specified property values is present in the directory.");
  },
  afterCreate(ctx, entity) {
    auditAssignment(ctx, entity, true);
  },
  beforeDelete(ctx, entity) {
    auditAssignment(ctx, entity, false);
  },
  expand: {
    principal: (ctx, entity) => {
      const found = ctx.core.findDirectoryObject(String(entity["principalId"]));
      return found ? typedView(ctx, found.collection, found.entity) : null;
    },
    roleDefinition: (ctx, entity) => findRoleDefinition(ctx.store, String(entity["roleDefinitionId"])) ?? null,
  },
});
