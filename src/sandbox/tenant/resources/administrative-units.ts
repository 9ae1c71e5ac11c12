import { invalidPropertyValue } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import { getVisible } from "../core/crud.js";
import { linkRoutes, linkedObjects } from "./links.js";
import type { LinkSpec } from "./links.js";
import { typedView } from "./directory-objects.js";
import { deltaRoute } from "../delta/delta-route.js";

const READ = ["AdministrativeUnit.Read.All", "Directory.Read.All"];
const WRITE = ["AdministrativeUnit.ReadWrite.All", "Directory.ReadWrite.All"];

export const administrativeUnitMembers: LinkSpec = {
  relation: "administrativeUnits/members",
  sourceCollection: "administrativeUnits",
  property: "members",
  targets: ["users", "groups"],
  audit: { category: "AdministrativeUnit", add: "Add member to administrative unit", remove: "Remove member from administrative unit", sourceType: "AdministrativeUnit" },
};

/** `/directory/administrativeUnits` (beta also `/administrativeUnits`). */
export const administrativeUnits = defineResource({
  collection: "administrativeUnits",
  entityType: "microsoft.graph.administrativeUnit",
  resourceName: "AdministrativeUnit",
  paths: [{ path: "/directory/administrativeUnits" }, { path: "/administrativeUnits", versions: ["beta"] }],
  permissions: { read: READ, write: WRITE },
  paging: { defaultTop: 100, maxTop: 999 },
  directoryObject: true,
  readOnly: { deletedDateTime: "ignore" },
  immutable: {
    isMemberManagementRestricted: "Property 'isMemberManagementRestricted' can only be set when the administrative unit is created.",
  },
  filter: {
    id: ["eq", "in"],
    displayName: ["eq", "in", "startsWith", "ge", "le"],
    description: ["eq", "in", "startsWith"],
    visibility: ["eq"],
    membershipType: ["eq"],
    isMemberManagementRestricted: ["eq"],
  },
  orderBy: { displayName: "advanced" },
  search: ["displayName", "description"],
  softDelete: { bin: "directory" },
  audit: {
    service: "Core Directory", category: "AdministrativeUnit", targetType: "Other",
    add: "Add administrative unit", update: "Update administrative unit", delete: "Delete administrative unit",
    restore: "Restore administrative unit", hardDelete: "Hard delete administrative unit",
  },
  create(_ctx, body, id) {
    if (typeof body["displayName"] !== "string" || body["displayName"] === "") throw invalidPropertyValue("displayName", "AdministrativeUnit");
    return {
      description: null, isMemberManagementRestricted: false, visibility: null, membershipType: null, membershipRule: null,
      membershipRuleProcessingState: null,
      ...body,
      id,
      deletedDateTime: null,
    };
  },
  validate(_ctx, entity) {
    if (typeof entity["displayName"] !== "string" || entity["displayName"] === "") throw invalidPropertyValue("displayName", "AdministrativeUnit");
    const visibility = entity["visibility"];
    if (visibility !== null && visibility !== undefined && visibility !== "Public" && visibility !== "HiddenMembership") {
      throw invalidPropertyValue("visibility", "AdministrativeUnit");
    }
  },
  expand: {
    members: (ctx, entity) => linkedObjects(ctx, administrativeUnitMembers, entity.id).map((t) => typedView(ctx, t.collection, t.entity)),
  },
  itemRoutes: linkRoutes(administrativeUnitMembers, (ctx, id) => getVisible(ctx, ctx.core.resource("administrativeUnits"), id)),
  collectionRoutes: [deltaRoute("administrativeUnits")],
});
