/**
 * What the What If evaluator needs to know about who signs in, read from the tenant's store: a
 * user's groups (nested groups included, dynamic groups as their rules left them), the built-in and
 * custom roles it holds tenant-wide (directly or through a role-assignable group; assignments scoped
 * to an administrative unit do not count for Conditional Access), and its guest or external user
 * type; a service principal's ids and whether its application belongs to this tenant.
 */
import type { RequestContext } from "../../../../core/context.js";
import type { Entity } from "../../../../core/entity.js";
import { badRequest } from "../../../../core/errors.js";
import { findRoleDefinition } from "../../../role-definitions.js";
import type { WhatIfIdentity } from "./request.js";

export interface UserFacts {
  kind: "user";
  id: string;
  /** Group ids (lower case), transitively. */
  groups: Set<string>;
  /** Role template ids and role definition ids (lower case). */
  roles: Set<string>;
  /** The guest or external user type, `none` for a member of this tenant. */
  guestType: string;
  externalTenantId?: string;
}

export interface ServicePrincipalFacts {
  kind: "servicePrincipal";
  /** Object id and appId (lower case). */
  ids: Set<string>;
  ownedByTenant: boolean;
}

export type SignInFacts = UserFacts | ServicePrincipalFacts;

function groupsOf(ctx: RequestContext, id: string): Set<string> {
  const out = new Set<string>();
  const queue = [id];
  while (queue.length > 0) {
    const current = queue.pop() as string;
    for (const group of ctx.store.linkSources("groups/members", current)) {
      const key = group.toLowerCase();
      if (out.has(key)) continue;
      out.add(key);
      queue.push(group);
    }
  }
  return out;
}

function rolesOf(ctx: RequestContext, principals: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const assignment of ctx.store.list("roleAssignments")) {
    if (assignment["directoryScopeId"] !== "/") continue;
    if (!principals.has(String(assignment["principalId"]).toLowerCase())) continue;
    const definitionId = String(assignment["roleDefinitionId"]);
    out.add(definitionId.toLowerCase());
    const definition = findRoleDefinition(ctx.store, definitionId);
    if (definition) {
      out.add(definition.id.toLowerCase());
      if (typeof definition["templateId"] === "string") out.add(definition["templateId"].toLowerCase());
    }
  }
  return out;
}

/**
 * A guest's category when the request does not name one: a `Guest` from another tenant
 * (`#EXT#` in the UPN) is a B2B collaboration guest, a `Guest` created in this tenant an internal
 * guest, and a `Member` from another tenant a B2B collaboration member.
 */
function guestTypeOf(user: Entity): string {
  const external = String(user["userPrincipalName"] ?? "").toLowerCase().includes("#ext#");
  if (user["userType"] === "Guest") return external ? "b2bCollaborationGuest" : "internalGuest";
  return external ? "b2bCollaborationMember" : "none";
}

export function signInFacts(ctx: RequestContext, identity: WhatIfIdentity): SignInFacts {
  if (identity.kind === "servicePrincipal") {
    const sp = ctx.store.get("servicePrincipals", identity.servicePrincipalId);
    if (!sp) throw badRequest(`Invalid service principal value: ${identity.servicePrincipalId}.`, "BadRequest");
    return { kind: "servicePrincipal", ids: new Set([sp.id.toLowerCase(), String(sp["appId"] ?? "").toLowerCase()]), ownedByTenant: String(sp["appOwnerOrganizationId"] ?? "").toLowerCase() === ctx.core.tenantId.toLowerCase() };
  }
  const user = ctx.store.get("users", identity.userId);
  if (!user) throw badRequest(`Invalid user value: ${identity.userId}.`, "BadRequest");
  const groups = groupsOf(ctx, user.id);
  const roles = rolesOf(ctx, new Set([user.id.toLowerCase(), ...groups]));
  const named = identity.externalUserType;
  return {
    kind: "user",
    id: user.id.toLowerCase(),
    groups,
    roles,
    guestType: named ?? guestTypeOf(user),
    ...(identity.externalTenantId ? { externalTenantId: identity.externalTenantId.toLowerCase() } : {}),
  };
}
