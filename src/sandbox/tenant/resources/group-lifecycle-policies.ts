/**
 * `/groupLifecyclePolicies`: the expiration policy of Microsoft 365 groups (docs/graph-behaviour.md,
 * group lifecycle policy). At most one per tenant (a second POST is refused); `groupLifetimeInDays`
 * a positive whole number, `managedGroupTypes` one of `All`, `Selected`, `None`,
 * `alternateNotificationEmails` a string; PATCH and DELETE by id.
 */
import type { Entity } from "../core/entity.js";
import { GraphHttpError, invalidPropertyValue, refuseUnknownProperties } from "../core/errors.js";
import { defineResource } from "../core/resource.js";

const RESOURCE = "GroupLifecyclePolicy";
const PROPERTIES = new Set(["id", "groupLifetimeInDays", "managedGroupTypes", "alternateNotificationEmails"]);
const GROUP_TYPES = new Set(["All", "Selected", "None"]);

export const groupLifecyclePolicies = defineResource({
  collection: "groupLifecyclePolicies",
  entityType: "microsoft.graph.groupLifecyclePolicy",
  resourceName: RESOURCE,
  paths: [{ path: "/groupLifecyclePolicies" }],
  permissions: { read: ["Directory.Read.All", "Directory.ReadWrite.All"], write: ["Directory.ReadWrite.All"] },
  filter: { id: ["eq"] },
  orderBy: {},
  create: (_ctx, body, id) => ({ alternateNotificationEmails: null, ...body, id }) as Entity,
  validate(ctx, entity, previous) {
    refuseUnknownProperties(entity, PROPERTIES);
    const days = entity["groupLifetimeInDays"];
    if (typeof days !== "number" || !Number.isInteger(days) || days <= 0) throw invalidPropertyValue("groupLifetimeInDays", RESOURCE);
    if (typeof entity["managedGroupTypes"] !== "string" || !GROUP_TYPES.has(entity["managedGroupTypes"])) throw invalidPropertyValue("managedGroupTypes", RESOURCE);
    const emails = entity["alternateNotificationEmails"];
    if (emails !== null && typeof emails !== "string") throw invalidPropertyValue("alternateNotificationEmails", RESOURCE);
    if (!previous && ctx.store.list("groupLifecyclePolicies").some((p) => p.id !== entity.id)) {
      throw new GraphHttpError(409, "Request_MultipleObjectsWithSameKeyValue", "Only one group lifecycle policy can exist in a tenant.");
    }
  },
  audit: { service: "Core Directory", category: "GroupManagement", targetType: "Other", add: "Add lifecycle policy", update: "Update lifecycle policy", delete: "Delete lifecycle policy" },
});
