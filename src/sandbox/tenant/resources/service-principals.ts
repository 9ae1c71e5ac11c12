import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { isRecord, stringProp } from "../core/entity.js";
import { badRequest, GraphHttpError, invalidPropertyValue, notFound, refuseUnknownProperties } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import { getVisible, requireBody } from "../core/crud.js";
import { listResponse } from "../odata/list.js";
import { contextUrl } from "../odata/shape.js";
import { APP_ROLE_ASSIGNMENTS, newAssignmentId, servicePrincipalByAppId } from "../identity/app-role-grants.js";
import { firstPartyApp, MICROSOFT_SERVICES_TENANT_ID } from "../identity/first-party.js";
import { applyKeyCredentials } from "../identity/credentials.js";
import { MICROSOFT_GRAPH_APP_ID } from "../identity/graph-permissions.js";
import { addCallerAsOwner, authorizeOwnedApplication, findApplicationByAppId } from "./applications.js";
import { linkRoutes } from "./links.js";
import { policyAssignmentRoutes } from "./policy-assignments.js";
import type { LinkSpec } from "./links.js";
import { deltaRoute } from "../delta/delta-route.js";

const READ = ["Application.Read.All", "Directory.Read.All"];
const WRITE = ["Application.ReadWrite.All", "Application.ReadWrite.OwnedBy", "Directory.ReadWrite.All"];
/** Creating and deleting app role assignments needs AppRoleAssignment.ReadWrite.All (docs/graph-behaviour.md, app role assignments). */
const ASSIGN_WRITE = ["AppRoleAssignment.ReadWrite.All"];
const DEFAULT_ACCESS = "00000000-0000-0000-0000-000000000000";

export const servicePrincipalOwners: LinkSpec = {
  relation: "servicePrincipals/owners",
  sourceCollection: "servicePrincipals",
  property: "owners",
  targets: ["users", "servicePrincipals"],
  audit: { category: "ApplicationManagement", add: "Add owner to service principal", remove: "Remove owner from service principal", sourceType: "ServicePrincipal" },
};

/** Internal collection of app role assignments (granted app permissions, user/group assignments). */
export const appRoleAssignments = defineResource({
  collection: APP_ROLE_ASSIGNMENTS,
  entityType: "microsoft.graph.appRoleAssignment",
  resourceName: "AppRoleAssignment",
  paths: [],
  permissions: { read: READ, write: ASSIGN_WRITE },
  paging: { defaultTop: 100, maxTop: 999 },
  directoryObject: false,
  filter: "any",
});

function spFromApp(ctx: RequestContext, appId: string, body: Record<string, unknown>): Record<string, unknown> {
  const app = findApplicationByAppId(ctx.store, appId);
  if (app) {
    if (!ctx.system && ctx.core.checkReference(app.id, ["applications"]) !== "ok") throw invalidAppId(appId);
    const api = isRecord(app["api"]) ? app["api"] : {};
    const web = isRecord(app["web"]) ? app["web"] : {};
    const uris = Array.isArray(app["identifierUris"]) ? app["identifierUris"] : [];
    return {
      displayName: app["displayName"], appDisplayName: app["displayName"], appDescription: app["description"] ?? null,
      appOwnerOrganizationId: ctx.core.tenantId, appRoles: app["appRoles"] ?? [],
      oauth2PermissionScopes: api["oauth2PermissionScopes"] ?? [], servicePrincipalNames: [appId, ...uris],
      signInAudience: app["signInAudience"] ?? "AzureADMyOrg", homepage: web["homePageUrl"] ?? null,
      replyUrls: web["redirectUris"] ?? [], publisherName: ctx.core.organizationName, info: app["info"] ?? null,
    };
  }
  const known = firstPartyApp(appId);
  if (!known || body === undefined) throw invalidAppId(appId);
  return {
    displayName: known.displayName, appDisplayName: known.displayName, appDescription: null,
    appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT_ID, appRoles: known.appRoles?.() ?? [], oauth2PermissionScopes: known.oauth2PermissionScopes?.() ?? [],
    servicePrincipalNames: [appId], signInAudience: "AzureADMultipleOrgs", homepage: null, replyUrls: [],
    publisherName: "Microsoft Services", info: null,
  };
}

function invalidAppId(appId: string): GraphHttpError {
  return badRequest(`The appId '${appId}' of the service principal does not reference a valid application object.`);
}

function assignmentsTo(ctx: RequestContext, resourceId: string): Entity[] {
  return ctx.store.list(APP_ROLE_ASSIGNMENTS).filter((a) => String(a["resourceId"]).toLowerCase() === resourceId.toLowerCase());
}

function assignmentsOf(ctx: RequestContext, principalId: string): Entity[] {
  return ctx.store.list(APP_ROLE_ASSIGNMENTS).filter((a) => String(a["principalId"]).toLowerCase() === principalId.toLowerCase());
}

function createAssignment(ctx: RequestContext, resourceSp: Entity): Entity {
  const body = requireBody(ctx.request.body);
  refuseUnknownProperties(body, ASSIGNMENT_PROPERTIES);
  const principalId = body["principalId"];
  const appRoleId = body["appRoleId"];
  // All three ids are required (docs/graph-behaviour.md, app role assignments).
  if (typeof principalId !== "string") throw invalidPropertyValue("principalId", "AppRoleAssignment");
  if (typeof appRoleId !== "string") throw invalidPropertyValue("appRoleId", "AppRoleAssignment");
  if (typeof body["resourceId"] !== "string" || body["resourceId"].toLowerCase() !== resourceSp.id.toLowerCase()) {
    throw invalidPropertyValue("resourceId", "AppRoleAssignment");
  }
  ctx.core.requireReference(principalId, ["users", "groups", "servicePrincipals"]);
  const principal = ctx.core.findDirectoryObject(principalId);
  if (!principal) throw notFound(principalId);
  const roles = Array.isArray(resourceSp["appRoles"]) ? resourceSp["appRoles"].filter(isRecord) : [];
  const role = roles.find((r) => String(r["id"]).toLowerCase() === appRoleId.toLowerCase());
  if (appRoleId !== DEFAULT_ACCESS && !role) throw badRequest("Permission being assigned was not found on application");
  // An app role is assignable to service principals with allowedMemberTypes Application, to users and groups with User.
  const memberType = principal.collection === "servicePrincipals" ? "Application" : "User";
  if (role && !(Array.isArray(role["allowedMemberTypes"]) && role["allowedMemberTypes"].includes(memberType))) {
    throw badRequest(`The app role being assigned does not allow principals of type '${memberType}' (allowedMemberTypes).`);
  }
  const duplicate = assignmentsTo(ctx, resourceSp.id).some((a) => a["principalId"] === principal.entity.id && String(a["appRoleId"]).toLowerCase() === appRoleId.toLowerCase());
  if (duplicate) throw badRequest("Permission being assigned already exists on the object");
  const principalType = { users: "User", groups: "Group", servicePrincipals: "ServicePrincipal" }[principal.collection] ?? "ServicePrincipal";
  const assignment: Entity = {
    id: newAssignmentId(),
    appRoleId: appRoleId.toLowerCase(),
    createdDateTime: ctx.nowIso(),
    deletedDateTime: null,
    principalDisplayName: principal.entity["displayName"] ?? null,
    principalId: principal.entity.id,
    principalType,
    resourceDisplayName: resourceSp["displayName"] ?? null,
    resourceId: resourceSp.id,
  };
  ctx.store.put(APP_ROLE_ASSIGNMENTS, assignment);
  ctx.audit({
    activity: "Add app role assignment to service principal", category: "ApplicationManagement", operationType: "Assign",
    targets: [
      { id: resourceSp.id, displayName: stringProp(resourceSp, "displayName") ?? null, type: "ServicePrincipal", modifiedProperties: [
        { displayName: "AppRole.Id", oldValue: null, newValue: JSON.stringify(appRoleId) },
        { displayName: "AppRole.Value", oldValue: null, newValue: JSON.stringify(role?.["value"] ?? null) },
      ] },
      { id: principal.entity.id, displayName: stringProp(principal.entity, "displayName") ?? null, type: principalType, modifiedProperties: [] },
    ],
  });
  return assignment;
}

/** What an app role assignment create takes (the others are Graph's). */
const ASSIGNMENT_PROPERTIES = new Set(["appRoleId", "principalId", "resourceId"]);

const spRouteLookup = (ctx: RequestContext, id: string) => getVisible(ctx, ctx.core.resource("servicePrincipals"), id);

export const servicePrincipals = defineResource({
  collection: "servicePrincipals",
  entityType: "microsoft.graph.servicePrincipal",
  resourceName: "ServicePrincipal",
  paths: [{ path: "/servicePrincipals" }],
  alternateKeys: ["appId"],
  permissions: { read: READ, write: WRITE },
  paging: { defaultTop: 100, maxTop: 999 },
  directoryObject: true,
  readOnly: { appOwnerOrganizationId: "ignore", deletedDateTime: "ignore", passwordCredentials: "reject" },
  immutable: { appId: "Property 'appId' is read-only and cannot be set." },
  filter: {
    id: ["eq", "in"],
    appId: ["eq", "in", "startsWith"],
    displayName: ["eq", "in", "startsWith", "ge", "le"],
    servicePrincipalNames: ["any", "eq", "startsWith"],
    servicePrincipalType: ["eq", "in"],
    accountEnabled: ["eq"],
    appOwnerOrganizationId: ["eq", "in"],
    tags: ["any", "eq", "startsWith"],
    preferredSingleSignOnMode: ["eq", "in"],
    appRoleAssignmentRequired: ["eq"],
  },
  advancedFilter: { displayName: ["endsWith"], createdDateTime: ["eq", "ge", "le"] },
  orderBy: { displayName: "advanced", createdDateTime: "advanced" },
  search: ["displayName", "appDisplayName", "description"],
  softDelete: { bin: "directory" },
  audit: {
    service: "Core Directory", category: "ApplicationManagement", targetType: "ServicePrincipal",
    add: "Add service principal", update: "Update service principal", delete: "Remove service principal",
    restore: "Restore service principal", hardDelete: "Hard delete service principal",
  },
  initial: () => [{ appId: MICROSOFT_GRAPH_APP_ID }],
  authorizeItem: (ctx, sp, access) => authorizeOwnedApplication(ctx, sp, access, "servicePrincipals/owners"),
  afterCreate: (ctx, sp) => addCallerAsOwner(ctx, sp, "servicePrincipals/owners", "servicePrincipals"),
  create(ctx, body, id) {
    const appId = body["appId"];
    if (typeof appId !== "string" || appId === "") throw invalidPropertyValue("appId", "ServicePrincipal");
    if (servicePrincipalByAppId(ctx, appId)) {
      throw new GraphHttpError(409, "Request_MultipleObjectsWithSameKeyValue", `The service principal cannot be created, updated, or restored because the service principal name ${appId} is already in use.`);
    }
    const fromApp = spFromApp(ctx, appId, body);
    const keyCredentials = body["keyCredentials"] === undefined ? [] : applyKeyCredentials(ctx, id, [], body["keyCredentials"], "ServicePrincipal");
    return {
      accountEnabled: true, addIns: [], alternativeNames: [], appRoleAssignmentRequired: false, applicationTemplateId: null,
      description: null, disabledByMicrosoftStatus: null, loginUrl: null, logoutUrl: null, notes: null,
      notificationEmailAddresses: [], preferredSingleSignOnMode: null, preferredTokenSigningKeyThumbprint: null,
      resourceSpecificApplicationPermissions: [], samlSingleSignOnSettings: null, servicePrincipalType: "Application",
      tags: [], tokenEncryptionKeyId: null, verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
      ...fromApp,
      ...body,
      appId: appId.toLowerCase(),
      keyCredentials,
      passwordCredentials: [],
      id,
      deletedDateTime: null,
    };
  },
  update(ctx, existing, patch) {
    const next: Entity = { ...existing, ...patch };
    if ("keyCredentials" in patch) next["keyCredentials"] = applyKeyCredentials(ctx, existing.id, existing["keyCredentials"], patch["keyCredentials"], "ServicePrincipal");
    return next;
  },
  itemRoutes: [
    ...linkRoutes(servicePrincipalOwners, spRouteLookup),
    ...policyAssignmentRoutes("servicePrincipals"),
    {
      method: "GET",
      path: "appRoleAssignedTo",
      handler: (ctx, params) => listResponse(ctx, appRoleAssignments, assignmentsTo(ctx, spRouteLookup(ctx, params["id"] ?? "").id), { contextPath: `servicePrincipals('${params["id"] ?? ""}')/appRoleAssignedTo` }),
    },
    {
      method: "GET",
      path: "appRoleAssignments",
      handler: (ctx, params) => listResponse(ctx, appRoleAssignments, assignmentsOf(ctx, spRouteLookup(ctx, params["id"] ?? "").id), { contextPath: `servicePrincipals('${params["id"] ?? ""}')/appRoleAssignments` }),
    },
    {
      method: "POST",
      path: "appRoleAssignedTo",
      permissions: ASSIGN_WRITE,
      handler: (ctx, params) => {
        const assignment = createAssignment(ctx, spRouteLookup(ctx, params["id"] ?? ""));
        return { status: 201, body: { "@odata.context": contextUrl(ctx, `servicePrincipals('${params["id"] ?? ""}')/appRoleAssignedTo`, undefined, true), ...assignment } };
      },
    },
    {
      // An app role assignment cannot be updated (docs/graph-behaviour.md, app role assignments).
      method: "PATCH",
      path: "appRoleAssignedTo/{assignmentId}",
      permissions: ASSIGN_WRITE,
      handler: () => {
        throw new GraphHttpError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
      },
    },
    {
      method: "DELETE",
      path: "appRoleAssignedTo/{assignmentId}",
      permissions: ASSIGN_WRITE,
      handler: (ctx, params) => {
        const sp = spRouteLookup(ctx, params["id"] ?? "");
        const id = params["assignmentId"] ?? "";
        const assignment = assignmentsTo(ctx, sp.id).find((a) => a.id === id);
        if (!assignment) throw notFound(id);
        ctx.store.remove(APP_ROLE_ASSIGNMENTS, assignment.id, "deleted");
        ctx.audit({
          activity: "Remove app role assignment from service principal", category: "ApplicationManagement", operationType: "Unassign",
          targets: [
            { id: sp.id, displayName: stringProp(sp, "displayName") ?? null, type: "ServicePrincipal", modifiedProperties: [
              { displayName: "AppRole.Id", oldValue: JSON.stringify(assignment["appRoleId"]), newValue: null },
            ] },
            { id: String(assignment["principalId"]), displayName: stringProp(assignment, "principalDisplayName") ?? null, type: String(assignment["principalType"]), modifiedProperties: [] },
          ],
        });
        return { status: 204 };
      },
    },
  ],
  collectionRoutes: [deltaRoute("servicePrincipals")],
});
