import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { badRequest, forbidden, invalidPropertyValue } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import { getVisible } from "../core/crud.js";
import { applyBinds, boundIds, checkBinds, linkRoutes, linkedObjects } from "./links.js";
import type { LinkSpec } from "./links.js";
import { directoryObjectList, typedView } from "./directory-objects.js";
import { listResponse } from "../odata/list.js";
import { deltaRoute } from "../delta/delta-route.js";
import { refreshGroupMembers } from "./dynamic-membership.js";

const READ = ["GroupMember.Read.All", "Group.Read.All", "Directory.Read.All"];
const WRITE = ["Group.ReadWrite.All", "Directory.ReadWrite.All"];
const MEMBER_WRITE = ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"];

function groupTypes(entity: Record<string, unknown>): string[] {
  const types = entity["groupTypes"];
  return Array.isArray(types) ? types.map(String) : [];
}

export function isUnified(entity: Record<string, unknown>): boolean {
  return groupTypes(entity).some((t) => t.toLowerCase() === "unified");
}

function isDynamic(entity: Record<string, unknown>): boolean {
  return groupTypes(entity).some((t) => t.toLowerCase() === "dynamicmembership");
}

export const groupMembers: LinkSpec = {
  relation: "groups/members",
  sourceCollection: "groups",
  property: "members",
  targets: ["users", "groups", "servicePrincipals"],
  writePermissions: MEMBER_WRITE,
  audit: { category: "GroupManagement", add: "Add member to group", remove: "Remove member from group", sourceType: "Group" },
  beforeAdd(_ctx, group, target, collection) {
    if (isDynamic(group)) {
      throw badRequest("Insufficient privileges to complete the operation. Members of a group with dynamic membership cannot be added or removed manually.", "Request_BadRequest");
    }
    if (group["isAssignableToRole"] === true && collection === "groups") {
      throw badRequest("Nesting of groups is not allowed for role-assignable groups.");
    }
    if (target.id === group.id) throw badRequest("A group cannot be a member of itself.");
  },
};

/** Members of a group and of its nested groups (each object once; nested groups included). */
export function transitiveMembers(ctx: RequestContext, groupId: string): Entity[] {
  const seen = new Set<string>([groupId.toLowerCase()]);
  const out: Entity[] = [];
  const queue = [groupId];
  while (queue.length > 0) {
    const current = queue.shift() ?? "";
    for (const member of linkedObjects(ctx, groupMembers, current)) {
      const key = member.entity.id.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(typedView(ctx, member.collection, member.entity));
      if (member.collection === "groups") queue.push(member.entity.id);
    }
  }
  return out;
}

export const groupOwners: LinkSpec = {
  relation: "groups/owners",
  sourceCollection: "groups",
  property: "owners",
  targets: ["users", "servicePrincipals"],
  writePermissions: MEMBER_WRITE,
  audit: { category: "GroupManagement", add: "Add owner to group", remove: "Remove owner from group", sourceType: "Group" },
};

function validateGroup(ctx: RequestContext, entity: Entity, previous: Entity | undefined, body: Record<string, unknown>): void {
  validateGroupProperties(ctx, entity, previous, body);
  // Members and owners bound in the body: all or nothing, checked before the group is written.
  checkBinds(ctx, [groupOwners, groupMembers], entity, body);
}

function validateGroupProperties(ctx: RequestContext, entity: Entity, previous: Entity | undefined, body: Record<string, unknown>): void {
  for (const field of ["displayName", "mailNickname"]) {
    if (typeof entity[field] !== "string" || entity[field] === "") throw invalidPropertyValue(field, "Group");
  }
  if (typeof entity["mailEnabled"] !== "boolean") throw invalidPropertyValue("mailEnabled", "Group");
  if (typeof entity["securityEnabled"] !== "boolean") throw invalidPropertyValue("securityEnabled", "Group");
  if (entity["mailEnabled"] === true && !isUnified(entity)) {
    throw badRequest("The service does not currently support writes of mail-enabled groups. Please ensure that the mail-enablement property is unset or is set to false.");
  }
  if (isUnified(entity) && entity["mailEnabled"] !== true) throw invalidPropertyValue("mailEnabled", "Group");
  if (isDynamic(entity)) {
    if (typeof entity["membershipRule"] !== "string" || entity["membershipRule"] === "") throw invalidPropertyValue("membershipRule", "Group");
    const state = entity["membershipRuleProcessingState"];
    if (state !== "On" && state !== "Paused") throw invalidPropertyValue("membershipRuleProcessingState", "Group");
  }
  if (previous === undefined) {
    if (entity["isAssignableToRole"] === true) {
      if (entity["securityEnabled"] !== true) throw badRequest("IsAssignableToRole can only be set to true on security-enabled groups.");
      if (isDynamic(entity)) throw badRequest("IsAssignableToRole cannot be set to true for groups with dynamic membership.");
      if (!ctx.hasPermission(["RoleManagement.ReadWrite.Directory"])) throw forbidden();
    }
    const visibility = entity["visibility"];
    if (visibility !== null && visibility !== undefined && !["Public", "Private", "HiddenMembership"].includes(String(visibility))) {
      throw invalidPropertyValue("visibility", "Group");
    }
    if (visibility === "HiddenMembership" && !isUnified(entity)) throw invalidPropertyValue("visibility", "Group");
  } else {
    if ("visibility" in body && body["visibility"] === "HiddenMembership" && previous["visibility"] !== "HiddenMembership") {
      throw badRequest("The visibility of a group can only be set to HiddenMembership at creation.");
    }
    if (previous["visibility"] === "HiddenMembership" && entity["visibility"] !== "HiddenMembership") {
      throw badRequest("The visibility of a group with hidden membership cannot be changed.");
    }
  }
}

export const groups = defineResource({
  collection: "groups",
  entityType: "microsoft.graph.group",
  resourceName: "Group",
  paths: [{ path: "/groups" }],
  permissions: { read: READ, write: WRITE, create: ["Group.Create", ...WRITE] },
  paging: { defaultTop: 100, maxTop: 999 },
  directoryObject: true,
  readOnly: { createdDateTime: "ignore", renewedDateTime: "ignore", deletedDateTime: "ignore", securityIdentifier: "ignore", onPremisesSyncEnabled: "ignore", mail: "ignore", proxyAddresses: "ignore" },
  immutable: {
    isAssignableToRole: "Property 'isAssignableToRole' can only be set at creation time.",
  },
  filter: {
    id: ["eq", "in"],
    displayName: ["eq", "in", "startsWith", "ge", "le"],
    mailNickname: ["eq", "in", "startsWith"],
    mail: ["eq", "in", "startsWith"],
    description: ["eq", "in", "startsWith"],
    groupTypes: ["any"],
    mailEnabled: ["eq"],
    securityEnabled: ["eq"],
    isAssignableToRole: ["eq"],
    membershipRuleProcessingState: ["eq"],
    onPremisesSyncEnabled: ["eq"],
    proxyAddresses: ["any", "eq", "startsWith"],
    resourceProvisioningOptions: ["any", "eq"],
    visibility: ["eq"],
  },
  advancedFilter: { mail: ["endsWith"], proxyAddresses: ["endsWith"], createdDateTime: ["eq", "ge", "le", "in"] },
  orderBy: { displayName: "default" },
  search: ["displayName", "description", "mail", "mailNickname"],
  softDelete: { bin: "directory", when: (group) => isUnified(group) },
  audit: {
    service: "Core Directory", category: "GroupManagement", targetType: "Group",
    add: "Add group", update: "Update group", delete: "Delete group", restore: "Restore group", hardDelete: "Hard Delete group",
  },
  create(ctx, body, id) {
    const dynamic = isDynamic(body);
    return {
      description: null, classification: null, groupTypes: [], isAssignableToRole: null, mail: isUnified(body) && typeof body["mailNickname"] === "string" ? `${body["mailNickname"]}@${ctx.core.domain}` : null,
      membershipRule: null, membershipRuleProcessingState: dynamic ? "On" : null, preferredDataLocation: null,
      proxyAddresses: isUnified(body) && typeof body["mailNickname"] === "string" ? [`SMTP:${body["mailNickname"]}@${ctx.core.domain}`] : [],
      renewedDateTime: ctx.nowIso(), resourceBehaviorOptions: [], resourceProvisioningOptions: [],
      securityIdentifier: `S-1-12-1-${parseInt(id.slice(0, 8), 16)}-${parseInt(id.slice(9, 13) + id.slice(14, 18), 16)}`,
      theme: null, visibility: isUnified(body) ? "Public" : null, onPremisesSyncEnabled: null,
      ...body,
      id,
      createdDateTime: ctx.nowIso(),
      deletedDateTime: null,
    };
  },
  validate: validateGroup,
  references: (_entity, body) => [...boundIds(groupMembers, body), ...boundIds(groupOwners, body)],
  afterCreate(ctx, entity, body) {
    applyBinds(ctx, groupOwners, entity, body);
    applyBinds(ctx, groupMembers, entity, body);
    refreshGroupMembers(ctx, entity);
  },
  afterUpdate(ctx, entity, body) {
    applyBinds(ctx, groupOwners, entity, body);
    applyBinds(ctx, groupMembers, entity, body);
    refreshGroupMembers(ctx, entity);
  },
  expand: {
    members: (ctx, entity) => linkedObjects(ctx, groupMembers, entity.id).map((t) => typedView(ctx, t.collection, t.entity)),
    owners: (ctx, entity) => linkedObjects(ctx, groupOwners, entity.id).map((t) => typedView(ctx, t.collection, t.entity)),
  },
  itemRoutes: [
    {
      method: "GET",
      path: "transitiveMembers",
      handler: (ctx, params) => {
        const group = getVisible(ctx, ctx.core.resource("groups"), params["id"] ?? "");
        return listResponse(ctx, directoryObjectList, transitiveMembers(ctx, group.id), { contextPath: "directoryObjects" });
      },
    },
    ...linkRoutes(groupMembers, (ctx, id) => getVisible(ctx, ctx.core.resource("groups"), id)),
    ...linkRoutes(groupOwners, (ctx, id) => getVisible(ctx, ctx.core.resource("groups"), id)),
  ],
  collectionRoutes: [deltaRoute("groups", { members: groupMembers })],
});
