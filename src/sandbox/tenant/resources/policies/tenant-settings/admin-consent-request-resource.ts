/**
 * `/policies/adminConsentRequestPolicy`: whether users may ask an administrator to consent to an
 * app, and who reviews the requests. One object, read by GET and written by PUT (204) of the whole
 * object; Graph has no PATCH, DELETE or POST here. The PUT must carry isEnabled, notifyReviewers,
 * remindersEnabled, requestDurationInDays and reviewers; `version` counts the writes and is
 * read-only (docs/graph-behaviour.md, admin consent requests).
 */
import type { Entity } from "../../../core/entity.js";
import { badRequest } from "../../../core/errors.js";
import type { RequestContext } from "../../../core/context.js";
import { entityResponse, updateEntity } from "../../../core/crud.js";
import { defineResource } from "../../../core/resource.js";
import type { ResourceDefinition } from "../../../core/resource.js";

const PATH = "/policies/adminConsentRequestPolicy";
const READ = ["Policy.Read.All"];
const WRITE = ["Policy.ReadWrite.ConsentRequest"];
const RESOURCE = "AdminConsentRequestPolicy";
const BOOLEANS = ["isEnabled", "notifyReviewers", "remindersEnabled"] as const;
const REQUIRED = [...BOOLEANS, "requestDurationInDays", "reviewers"] as const;
const REVIEWER_PROPERTIES = new Set(["query", "queryType", "queryRoot", "@odata.type"]);

/** The one object, created on first use: off in a new tenant, no reviewers. */
function current(ctx: RequestContext): Entity {
  const existing = ctx.store.get(adminConsentRequestPolicy.collection, "adminConsentRequestPolicy");
  if (existing) return existing;
  const entity: Entity = {
    id: "adminConsentRequestPolicy",
    isEnabled: false,
    notifyReviewers: false,
    remindersEnabled: false,
    requestDurationInDays: 0,
    reviewers: [],
    version: 0,
  };
  ctx.store.put(adminConsentRequestPolicy.collection, entity);
  return entity;
}

function invalid(property: string): Error {
  return badRequest(`Invalid value specified for property '${property}' of resource '${RESOURCE}'.`, "Request_BadRequest");
}

/** The PUT body as Graph documents it: every required property, of its type, nothing else. */
function checkPut(body: Record<string, unknown>): void {
  for (const key of Object.keys(body)) {
    if (key.startsWith("@odata.")) continue;
    if (key === "id" || key === "version") throw badRequest(`Property '${key}' is read-only and cannot be set.`, "Request_BadRequest");
    if (!(REQUIRED as readonly string[]).includes(key)) throw badRequest(`Property '${key}' does not exist on type 'microsoft.graph.adminConsentRequestPolicy'.`, "Request_BadRequest");
  }
  for (const key of REQUIRED) if (body[key] === undefined || body[key] === null) throw badRequest(`Required property '${key}' is missing: PUT replaces the whole ${RESOURCE}.`, "Request_BadRequest");
  for (const key of BOOLEANS) if (typeof body[key] !== "boolean") throw invalid(key);
  const days = body["requestDurationInDays"];
  if (typeof days !== "number" || !Number.isInteger(days) || days < 0 || days > 2147483647) throw invalid("requestDurationInDays");
  const reviewers = body["reviewers"];
  if (!Array.isArray(reviewers)) throw invalid("reviewers");
  for (const reviewer of reviewers) {
    if (typeof reviewer !== "object" || reviewer === null || Array.isArray(reviewer)) throw invalid("reviewers");
    const fields = reviewer as Record<string, unknown>;
    for (const key of Object.keys(fields)) if (!REVIEWER_PROPERTIES.has(key)) throw invalid("reviewers");
    if (typeof fields["query"] !== "string" || fields["query"] === "") throw invalid("reviewers");
    for (const key of ["queryType", "queryRoot"]) if (fields[key] !== undefined && fields[key] !== null && typeof fields[key] !== "string") throw invalid("reviewers");
  }
}

export const adminConsentRequestPolicy: ResourceDefinition = defineResource({
  collection: "adminConsentRequestPolicy",
  entityType: "microsoft.graph.adminConsentRequestPolicy",
  resourceName: RESOURCE,
  paths: [{ path: PATH, versions: [] }],
  permissions: { read: READ, write: WRITE },
  replicated: false,
  update: (_ctx, existing, body) => {
    checkPut(body);
    const version = typeof existing["version"] === "number" ? existing["version"] : 0;
    const next: Entity = { id: existing.id, version: version + 1 };
    for (const key of REQUIRED) next[key] = body[key];
    return next;
  },
  audit: { service: "Core Directory", category: "Policy", targetType: "Policy", update: "Update admin consent request policy" },
  routes: [
    { method: "GET", path: PATH, permissions: [...READ, ...WRITE], handler: (ctx) => entityResponse(ctx, adminConsentRequestPolicy, current(ctx)) },
    {
      method: "PUT",
      path: PATH,
      permissions: WRITE,
      handler: (ctx) => {
        updateEntity(ctx, adminConsentRequestPolicy, current(ctx), ctx.request.body);
        return { status: 204 };
      },
    },
  ],
});
