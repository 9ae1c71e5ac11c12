/**
 * Subject sets of entitlement management policies (docs/graph-behaviour.md, access package
 * assignment policies): a list of `@odata.type`d objects naming who may be assigned, request,
 * approve or review. The users, groups and connected organizations they name must exist.
 */
import type { RequestContext } from "../../core/context.js";
import { GraphHttpError, badRequest } from "../../core/errors.js";

/** Each subject set type (v1.0) and the id property it requires, with the collection holding it. */
const TYPES: Readonly<Record<string, { property: string; collection: string } | null>> = {
  singleUser: { property: "userId", collection: "users" },
  groupMembers: { property: "groupId", collection: "groups" },
  connectedOrganizationMembers: { property: "connectedOrganizationId", collection: "connectedOrganizations" },
  singleServicePrincipal: { property: "servicePrincipalId", collection: "servicePrincipals" },
  targetManager: null,
  internalSponsors: null,
  externalSponsors: null,
  requestorManager: null,
  targetUserSponsors: null,
  attributeRuleMembers: null,
};

/** Checks one list of subject sets at `path`; absent or null is an empty list. */
export function checkSubjectSets(ctx: RequestContext, value: unknown, path: string): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw badRequest(`'${path}' must be a collection of subject sets.`, "BadRequest");
  for (const item of value) {
    if (item === null || typeof item !== "object" || Array.isArray(item)) throw badRequest(`'${path}' must be a collection of subject sets.`, "BadRequest");
    const subject = item as Record<string, unknown>;
    const type = String(subject["@odata.type"] ?? "").replace(/^#?microsoft\.graph\./, "");
    if (!(type in TYPES)) throw badRequest(`'${path}': '${String(subject["@odata.type"] ?? "")}' is not a subject set type; each item needs its @odata.type.`, "BadRequest");
    const needs = TYPES[type];
    if (!needs) continue;
    const id = subject[needs.property];
    if (typeof id !== "string" || id === "") throw badRequest(`'${path}': a ${type} needs '${needs.property}'.`, "BadRequest");
    if (!ctx.store.get(needs.collection, id.toLowerCase()) && !ctx.store.get(needs.collection, id)) throw new GraphHttpError(400, "BadRequest", `'${path}': the ${needs.property} '${id}' does not exist.`);
  }
}
