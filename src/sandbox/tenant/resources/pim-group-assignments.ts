/**
 * PIM for groups' active assignments (docs/graph-behaviour.md, PIM for groups active assignments
 * and activation): each schedule at `/identityGovernance/privilegedAccess/group/assignmentSchedules`
 * is a member or owner of its group while it lasts, so `/groups/{id}/members` (or `owners`) lists
 * the principal from the request until the schedule ends, and no longer after.
 * - An administrator assigns (`adminAssign`), changes (`adminUpdate`) or removes (`adminRemove`) one,
 *   permanent or with an end; a member or owner added directly is an assignment already
 *   (`RoleAssignmentExists`), and an administrator may update or remove it through a request.
 * - A principal with an eligibility for the group and relationship activates it (`selfActivate`,
 *   delegated, the signed-in user's own) as the group's PIM settings for the relationship allow
 *   (pim-group-policies.ts: at most its `Expiration_EndUser_Assignment` duration, never more
 *   than 8 hours, with the justification and ticket its `Enablement_EndUser_Assignment` asks for;
 *   by default 8 hours and a justification) or ends it (`selfDeactivate`); the schedule's
 *   `assignmentType` is then `activated` instead of `assigned`.
 * A schedule ends on its own at its end (on the sandbox clock, before each request), and a member
 * or owner removed another way (`DELETE /groups/{id}/members/{id}/$ref`) takes its schedule with it.
 */
import type { Entity } from "../core/entity.js";
import { badRequest, forbidden } from "../core/errors.js";
import { groupMembers, groupOwners } from "./groups.js";
import type { LinkSpec } from "./links.js";
import type { ActiveAssignments } from "./pim-groups.js";
import { durationMs, endOf, policyRulesFailed } from "./pim-requests.js";
import { groupActivationSettings } from "./pim-group-policies.js";

/** PIM's ceiling for one activation (8 hours, the most any setting allows). */
const MAX_ACTIVATION_MS = 8 * 3_600_000;

function linkOf(accessId: unknown): LinkSpec {
  return accessId === "owner" ? groupOwners : groupMembers;
}

interface Collections {
  /** Store collection of the active schedules. */
  schedules: string;
  /** Store collection of the eligibilities a principal activates. */
  eligibilities: string;
  sameTarget(schedule: Entity, request: Entity): boolean;
}

/** The active-assignment rules of the PIM for groups requests (pim-groups.ts). */
export function activeAssignments(collections: Collections): ActiveAssignments {
  return {
    authorize(ctx, action, principalId) {
      if (!action.startsWith("self")) return;
      const principal = ctx.request.principal;
      if (principal.type !== "user") throw forbidden();
      if (String(principalId ?? "").toLowerCase() !== String(principal.userId ?? "").toLowerCase()) {
        throw badRequest("A user can only activate or deactivate their own assignments (principalId must be the signed-in user).", "InvalidRequest");
      }
    },
    linked(ctx, request) {
      return ctx.store.hasLink(linkOf(request["accessId"]).relation, String(request["groupId"]), String(request["principalId"]));
    },
    checkSelf(ctx, request, existing) {
      if (request["action"] === "selfDeactivate") {
        if (existing?.["assignmentType"] !== "activated") throw badRequest("The Role assignment does not exist.", "RoleAssignmentDoesNotExist");
        return;
      }
      if (!ctx.store.list(collections.eligibilities).some((e) => collections.sameTarget(e, request))) throw badRequest("The Role assignment does not exist.", "RoleAssignmentDoesNotExist");
      if (existing || this.linked(ctx, request)) throw badRequest("The Role assignment already exists.", "RoleAssignmentExists");
      const { maximumDuration, enabledRules } = groupActivationSettings(ctx, String(request["groupId"]), String(request["accessId"]));
      const failed: string[] = [];
      const justification = request["justification"];
      if (enabledRules.includes("Justification") && (typeof justification !== "string" || justification.trim() === "")) failed.push("JustificationRule");
      const ticketInfo = request["ticketInfo"] as Record<string, unknown> | null | undefined;
      const ticket = ticketInfo && typeof ticketInfo === "object" ? ticketInfo["ticketNumber"] : undefined;
      if (enabledRules.includes("Ticketing") && (typeof ticket !== "string" || ticket.trim() === "")) failed.push("TicketingRule");
      const schedule = request["scheduleInfo"] as Record<string, unknown> | null;
      const end = schedule ? endOf(schedule) : undefined;
      const maximum = Math.min(MAX_ACTIVATION_MS, maximumDuration ? durationMs(maximumDuration) : MAX_ACTIVATION_MS);
      if (end === undefined || end - Date.parse(String(schedule?.["startDateTime"])) > maximum) failed.push("ExpirationRule");
      if (failed.length > 0) throw policyRulesFailed(failed);
    },
    link(ctx, request, schedule) {
      const spec = linkOf(request["accessId"]);
      const groupId = String(request["groupId"]);
      const principalId = String(request["principalId"]);
      if (!schedule) {
        ctx.store.removeLink(spec.relation, groupId, principalId, spec.sourceCollection);
        return;
      }
      if (ctx.store.hasLink(spec.relation, groupId, principalId)) return;
      const group = ctx.store.get("groups", groupId);
      const target = ctx.store.findAnywhere(principalId, spec.targets);
      if (!group || !target) throw badRequest(`The principal cannot be ${spec === groupOwners ? "an owner" : "a member"} of the group.`, "InvalidRequest");
      spec.beforeAdd?.(ctx, group, target.entity, target.collection);
      ctx.store.addLink(spec.relation, groupId, principalId, spec.sourceCollection);
    },
    housekeeping(ctx) {
      const now = ctx.nowMs();
      for (const schedule of ctx.store.list(collections.schedules)) {
        const spec = linkOf(schedule["accessId"]);
        const groupId = String(schedule["groupId"]);
        const principalId = String(schedule["principalId"]);
        const info = schedule["scheduleInfo"] as Record<string, unknown> | null;
        const end = info ? endOf(info) : undefined;
        const linked = ctx.store.hasLink(spec.relation, groupId, principalId);
        if (linked && (end === undefined || end > now)) continue;
        // PIM's own removal at the end of a schedule is not written to the sandbox's audit log.
        if (linked) ctx.store.removeLink(spec.relation, groupId, principalId, spec.sourceCollection);
        ctx.store.remove(collections.schedules, schedule.id, "deleted");
      }
    },
  };
}

