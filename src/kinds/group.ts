import type { JsonObject, JsonValue } from "../model/document.js";
import { isJsonObject } from "../model/json.js";
import { DIRECTORY_OBJECT_MANAGED, directoryObjectUrl, directorySoftDelete, slugOf, stringArray } from "./common.js";
import { slugify } from "./naming.js";
import type { KindDescriptor } from "./types.js";
import type { LinkCompanion } from "./descriptor-read.js";

const SELECT = [
  "id",
  "displayName",
  "description",
  "mailNickname",
  "mailEnabled",
  "securityEnabled",
  "groupTypes",
  "isAssignableToRole",
  "membershipRule",
  "membershipRuleProcessingState",
  "visibility",
  "classification",
  "preferredDataLocation",
  "theme",
  "uniqueName",
  "resourceBehaviorOptions",
].join(",");

/** Group create accepts at most 20 `@odata.bind` members and owners together; more go through `$ref`. */
const MAX_BIND = 20;

const isDynamic = (spec: JsonObject): boolean => stringArray(spec.groupTypes).includes("DynamicMembership");

/** Whether a PIM for groups schedule (Graph form) ends: `afterDateTime` or `afterDuration`. */
function hasEnd(schedule: JsonObject): boolean {
  const info = schedule.scheduleInfo;
  const type = isJsonObject(info) && isJsonObject(info.expiration) ? info.expiration.type : undefined;
  return type === "afterDateTime" || type === "afterDuration";
}

const lower = (value: JsonValue | undefined): string => (typeof value === "string" ? value.toLowerCase() : "");

/**
 * PIM for groups' active assignments of a group (docs/graph-behaviour.md, PIM for groups active
 * assignments): Graph lists each one's principal among the group's members or owners while it
 * lasts. An activation belongs to the eligibility (groupEligibility), a direct time-bound assignment
 * to groupAssignmentSchedule: with one of them in scope, those links are not the group's `members`
 * or `owners` (README "Time-bound active membership and ownership of groups").
 */
const PIM_LINKS: LinkCompanion = {
  kinds: ["groupAssignmentSchedule", "groupEligibility"],
  path: "/identityGovernance/privilegedAccess/group/assignmentSchedules",
  filter: (id) => `groupId eq '${id}'`,
  select: "principalId,accessId,assignmentType,memberType,scheduleInfo",
  includes: (group) => !isDynamic(group) && group.onPremisesSyncEnabled !== true,
  held(item, inScope) {
    if (typeof item.principalId !== "string") return undefined;
    const property = lower(item.accessId) === "owner" ? "owners" : "members";
    const type = lower(item.assignmentType);
    if (type === "activated") return { property, id: item.principalId };
    const direct = item.memberType == null || lower(item.memberType) === "direct";
    if (type === "assigned" && direct && hasEnd(item) && inScope.has("groupAssignmentSchedule")) return { property, id: item.principalId };
    return undefined;
  },
};

/**
 * Security, Microsoft 365, role-assignable and dynamic groups with static members and owners as
 * references. Members of dynamic groups are computed by Graph and never part of the document.
 * Only Microsoft 365 groups are soft-deleted; security groups are deleted permanently.
 * `visibility: HiddenMembership` can only be set at creation (not expressible in `createOnly`).
 * With a PIM for groups kind in scope, members and owners by an activation or a time-bound
 * assignment are that kind's documents, not the group's (`PIM_LINKS`).
 */
export const group = {
  kind: "group",
  reference: { prefix: "group" },
  audit: { activity: /\bgroup\b/i },
  detect: { odataTypes: ["group"], context: /#groups/i, shape: (o) => "mailNickname" in o && "securityEnabled" in o, folders: /^groups?$/i },
  required: ["displayName", "mailEnabled", "mailNickname", "securityEnabled"],
  title: "group",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.group",
  singleton: false,
  directoryObject: true,
  delta: true,
  collectionPath: "/groups",
  itemPath: (id) => `/groups/${id}`,
  listQuery: { $select: SELECT },
  naturalKey: "displayName",
  documentName: (spec) => slugOf(spec),
  serverManaged: [
    ...DIRECTORY_OBJECT_MANAGED,
    "createdDateTime",
    "renewedDateTime",
    "expirationDateTime",
    "mail",
    "proxyAddresses",
    "securityIdentifier",
    "onPremises*",
    "resourceProvisioningOptions",
    "licenseProcessingState",
    "hasMembersWithLicenseErrors",
    "isManagementRestricted",
    "isArchived",
    "infoCatalogs",
    "serviceProvisioningErrors",
    "organizationId",
    "createdByAppId",
    "writebackConfiguration",
  ],
  createOnly: ["isAssignableToRole", "uniqueName", "resourceBehaviorOptions"],
  setArrays: ["groupTypes", "resourceBehaviorOptions"],
  references: [],
  relationships: [
    { property: "owners", segment: "owners", targets: ["user", "servicePrincipal"] },
    // group-post-members: "you can add up to only 20 members" in one PATCH of members@odata.bind.
    { property: "members", segment: "members", targets: ["user", "group", "servicePrincipal"], bindOnPatch: true },
  ],
  linkCompanion: PIM_LINKS,
  dependsOn: ["user"],
  permissions: { read: ["Group.Read.All", "GroupMember.Read.All"], write: ["Group.ReadWrite.All"], ids: { "Group.Read.All": "5b567255-7703-4780-807c-7be8301ae99b", "GroupMember.Read.All": "98830695-27a2-44f7-8c18-0c3ebc9698f6", "Group.ReadWrite.All": "62a82d76-70ea-41e2-9197-370581804d09" } },
  softDelete: directorySoftDelete("group", (spec) => stringArray(spec.groupTypes).includes("Unified")),
  defaults: { isAssignableToRole: false },
  normalize(spec) {
    if (isDynamic(spec)) delete spec.members;
    else if (spec.membershipRuleProcessingState !== undefined && !spec.membershipRule) {
      delete spec.membershipRuleProcessingState;
    }
    return spec;
  },
  toGraphBody(body, mode) {
    if (mode !== "create") return body;
    if (typeof body.mailNickname !== "string" || body.mailNickname === "") {
      body.mailNickname = slugify(typeof body.displayName === "string" ? body.displayName : "", "group").slice(0, 64);
    }
    body.mailEnabled ??= false;
    body.securityEnabled ??= !stringArray(body.groupTypes).includes("Unified");
    const owners = stringArray(body.owners);
    const members = isDynamic(body) ? [] : stringArray(body.members);
    if (owners.length + members.length <= MAX_BIND) {
      if (owners.length > 0) body["owners@odata.bind"] = owners.map(directoryObjectUrl);
      if (members.length > 0) body["members@odata.bind"] = members.map(directoryObjectUrl);
    }
    return body;
  },
} satisfies KindDescriptor;
