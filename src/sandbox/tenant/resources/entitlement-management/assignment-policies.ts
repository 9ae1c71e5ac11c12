/**
 * `/identityGovernance/entitlementManagement/assignmentPolicies` (docs/graph-behaviour.md, access
 * package assignment policies): POST (201) with `displayName` and the package as
 * `accessPackage: { id }` (an existing package); updated only by PUT of the whole object (200, the
 * policy in the body; no PATCH), which cannot move the policy to another package; DELETE by id.
 * Subject sets must name existing users, groups and connected organizations; approval required
 * for new requests needs at least one stage.
 */
import type { RequestContext } from "../../core/context.js";
import type { Entity } from "../../core/entity.js";
import { GraphHttpError, badRequest, notFound } from "../../core/errors.js";
import { entityResponse, updateEntity } from "../../core/crud.js";
import { defineResource } from "../../core/resource.js";
import { EM_PERMISSIONS, EM_ROOT, emAudit, onlyProperties, optionalEnum, requireText } from "./shared.js";
import { checkSubjectSets } from "./subject-sets.js";

const TYPE = "accessPackageAssignmentPolicy";
const PATH = `${EM_ROOT}/assignmentPolicies`;
/** What a body may hold (PUT replaces them all). */
const WRITABLE = ["displayName", "description", "allowedTargetScope", "specificAllowedTargets", "expiration", "requestorSettings", "requestApprovalSettings", "reviewSettings", "automaticRequestSettings", "notificationSettings"] as const;
const STORED = new Set<string>(["id", "createdDateTime", "modifiedDateTime", "accessPackageId", "catalogId", ...WRITABLE]);
const SCOPES = ["notSpecified", "specificDirectoryUsers", "specificConnectedOrganizationUsers", "specificDirectoryServicePrincipals", "allMemberUsers", "allDirectoryUsers", "allDirectoryServicePrincipals", "allConfiguredConnectedOrganizationUsers", "allExternalUsers"];
const EXPIRATIONS = ["notSpecified", "noExpiration", "afterDateTime", "afterDuration"];

function objectOrNull(value: unknown, property: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw badRequest(`Invalid value for property '${property}' of type 'microsoft.graph.${TYPE}': an object is expected.`, "BadRequest");
  return value as Record<string, unknown>;
}

/** The package id in `accessPackage: { id }`, or undefined when the body has none. */
function packageIdOf(body: Record<string, unknown>): string | undefined {
  const link = objectOrNull(body["accessPackage"], "accessPackage");
  if (link === undefined) return undefined;
  const id = link["id"];
  if (typeof id !== "string" || id === "") throw badRequest("The access package of a policy is given as { \"id\": \"<access package id>\" }.", "BadRequest");
  return id.toLowerCase();
}

/** The body's own properties, each writable one present (null when absent: PUT replaces). */
function writableOf(body: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(body)) {
    if (key === "accessPackage" || key === "id" || key.startsWith("@odata.")) continue;
    if (!(WRITABLE as readonly string[]).includes(key)) onlyProperties({ [key]: null }, new Set(), TYPE);
  }
  const out: Record<string, unknown> = {};
  for (const key of WRITABLE) out[key] = body[key] ?? null;
  return out;
}

function check(ctx: RequestContext, entity: Record<string, unknown>): void {
  onlyProperties(entity, STORED, TYPE);
  requireText(entity, "displayName", TYPE);
  optionalEnum(entity, "allowedTargetScope", SCOPES, TYPE);
  const expiration = objectOrNull(entity["expiration"], "expiration");
  if (expiration) optionalEnum(expiration, "type", EXPIRATIONS, "expirationPattern");
  checkSubjectSets(ctx, entity["specificAllowedTargets"], "specificAllowedTargets");
  const requestor = objectOrNull(entity["requestorSettings"], "requestorSettings");
  if (requestor) checkSubjectSets(ctx, requestor["onBehalfRequestors"], "requestorSettings.onBehalfRequestors");
  const approval = objectOrNull(entity["requestApprovalSettings"], "requestApprovalSettings");
  if (approval) {
    const stages = approval["stages"];
    if (stages !== undefined && stages !== null && !Array.isArray(stages)) throw badRequest("'requestApprovalSettings.stages' must be a collection.", "BadRequest");
    const list = Array.isArray(stages) ? stages : [];
    if (approval["isApprovalRequiredForAdd"] === true && list.length === 0) throw badRequest("Approval is required for new requests but 'requestApprovalSettings.stages' has no stage.", "BadRequest");
    list.forEach((stage, i) => {
      const s = objectOrNull(stage, `requestApprovalSettings.stages[${i}]`) ?? {};
      for (const key of ["primaryApprovers", "fallbackPrimaryApprovers", "escalationApprovers", "fallbackEscalationApprovers"]) checkSubjectSets(ctx, s[key], `requestApprovalSettings.stages[${i}].${key}`);
    });
  }
  const review = objectOrNull(entity["reviewSettings"], "reviewSettings");
  if (review) for (const key of ["primaryReviewers", "fallbackReviewers"]) checkSubjectSets(ctx, review[key], `reviewSettings.${key}`);
  objectOrNull(entity["automaticRequestSettings"], "automaticRequestSettings");
  objectOrNull(entity["notificationSettings"], "notificationSettings");
}

export const accessPackageAssignmentPolicies = defineResource({
  collection: "accessPackageAssignmentPolicies",
  entityType: `microsoft.graph.${TYPE}`,
  resourceName: "AccessPackageAssignmentPolicy",
  paths: [{ path: PATH }],
  permissions: EM_PERMISSIONS,
  readOnly: { id: "ignore", createdDateTime: "ignore", modifiedDateTime: "ignore" },
  filter: { id: ["eq"], displayName: ["eq", "contains"] },
  orderBy: "any",
  replicated: false,
  methods: { update: false },
  expand: {
    accessPackage: (ctx, entity) => ctx.store.get("accessPackages", String(entity["accessPackageId"])) ?? null,
    catalog: (ctx, entity) => ctx.store.get("accessPackageCatalogs", String(entity["catalogId"])) ?? null,
  },
  view: (_ctx, entity) => {
    const { accessPackageId: _package, catalogId: _catalog, ...rest } = entity;
    return rest as Entity;
  },
  create(ctx, body, id) {
    const packageId = packageIdOf(body);
    if (packageId === undefined) throw badRequest("The property 'accessPackage' is required to create an assignment policy.", "BadRequest");
    const target = ctx.store.get("accessPackages", packageId);
    if (!target) throw new GraphHttpError(404, "ResourceNotFound", `The access package '${packageId}' was not found.`);
    return { ...writableOf(body), id, accessPackageId: packageId, catalogId: target["catalogId"] ?? null, createdDateTime: ctx.nowIso(), modifiedDateTime: ctx.nowIso() };
  },
  update(ctx, existing, body) {
    const packageId = packageIdOf(body);
    if (packageId !== undefined && packageId !== existing["accessPackageId"]) throw badRequest("The access package of an assignment policy cannot be changed.", "BadRequest");
    return { ...writableOf(body), id: existing.id, accessPackageId: existing["accessPackageId"], catalogId: existing["catalogId"], createdDateTime: existing["createdDateTime"], modifiedDateTime: ctx.nowIso() };
  },
  validate(ctx, entity, _previous, body) {
    // The sandbox's own record of the links is never a property of a body.
    for (const key of ["accessPackageId", "catalogId"]) if (key in body) onlyProperties({ [key]: null }, new Set(), TYPE);
    check(ctx, entity);
  },
  audit: emAudit("access package assignment policy"),
  routes: [
    {
      method: "PUT",
      path: `${PATH}/{id}`,
      permissions: EM_PERMISSIONS.write,
      handler: (ctx, params) => {
        const existing = ctx.store.get("accessPackageAssignmentPolicies", String(params["id"] ?? "").toLowerCase());
        if (!existing) throw notFound(String(params["id"] ?? ""));
        const updated = updateEntity(ctx, accessPackageAssignmentPolicies, existing, ctx.request.body);
        return { ...entityResponse(ctx, accessPackageAssignmentPolicies, updated), status: 200 };
      },
    },
  ],
});
