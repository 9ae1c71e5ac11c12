import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import type { Store } from "../core/store.js";
import { compileMembershipRule } from "./membership-rule.js";

const RELATION = "groups/members";

type Rule = (user: Record<string, unknown>) => boolean;

/** Compiled rules of the dynamic groups, recomputed only when a group changes. */
const cache = new WeakMap<Store, { version: number; groups: { group: Entity; rule: Rule }[] }>();

function dynamicRule(group: Entity): Rule | undefined {
  const types = Array.isArray(group["groupTypes"]) ? group["groupTypes"].map((t) => String(t).toLowerCase()) : [];
  if (!types.includes("dynamicmembership") || group["membershipRuleProcessingState"] !== "On") return undefined;
  return compileMembershipRule(group["membershipRule"]);
}

function dynamicGroups(store: Store): { group: Entity; rule: Rule }[] {
  const version = store.version("groups");
  const cached = cache.get(store);
  if (cached && cached.version === version) return cached.groups;
  const groups: { group: Entity; rule: Rule }[] = [];
  for (const group of store.list("groups")) {
    const rule = dynamicRule(group);
    if (rule) groups.push({ group, rule });
  }
  cache.set(store, { version, groups });
  return groups;
}

function setMembership(ctx: RequestContext, group: Entity, user: Entity, member: boolean): void {
  const has = ctx.store.hasLink(RELATION, group.id, user.id);
  if (member && !has) ctx.store.addLink(RELATION, group.id, user.id, "groups");
  if (!member && has) ctx.store.removeLink(RELATION, group.id, user.id, "groups");
}

/** Re-evaluate every dynamic group for one user (after the user is written). */
export function refreshUserMemberships(ctx: RequestContext, user: Entity): void {
  for (const { group, rule } of dynamicGroups(ctx.store)) setMembership(ctx, group, user, rule(user));
}

/** Re-evaluate one dynamic group over all users (after the group or its rule is written). */
export function refreshGroupMembers(ctx: RequestContext, group: Entity): void {
  const rule = dynamicRule(group);
  if (!rule) return;
  for (const user of ctx.store.list("users")) setMembership(ctx, group, user, rule(user));
}
