import type { RequestContext } from "../core/context.js";
import type { Entity } from "../core/entity.js";
import { isRecord } from "../core/entity.js";
import { badRequest, invalidPropertyValue } from "../core/errors.js";
import { defineResource } from "../core/resource.js";
import type { Store } from "../core/store.js";
import { getVisible } from "../core/crud.js";
import { listResponse } from "../odata/list.js";
import { directoryObjectList, typedView } from "./directory-objects.js";
import { verifiedDomainNames } from "./organization.js";
import { deltaRoute } from "../delta/delta-route.js";
import { refreshUserMemberships } from "./dynamic-membership.js";

export const USER_DEFAULT_PROPERTIES = [
  "businessPhones", "displayName", "givenName", "id", "jobTitle", "mail", "mobilePhone",
  "officeLocation", "preferredLanguage", "surname", "userPrincipalName",
] as const;

const READ = ["User.Read.All", "User.ReadBasic.All", "Directory.Read.All"];
const WRITE = ["User.ReadWrite.All", "Directory.ReadWrite.All"];

export function findUserByUpn(store: Store, upn: string): Entity | undefined {
  return store.lookup("users", "userPrincipalName", upn)[0];
}

/** Entra's default complexity rule: 8–256 characters, three of four character classes. */
export function checkPasswordComplexity(password: string): void {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (password.length < 8 || password.length > 256 || classes < 3) {
    throw badRequest("The specified password does not comply with password complexity requirements. Please provide a different password.");
  }
}

function checkUpn(ctx: RequestContext, upn: unknown, selfId?: string): void {
  if (typeof upn !== "string" || !/^[^@\s]+@[^@\s]+$/.test(upn)) throw invalidPropertyValue("userPrincipalName", "User");
  const domain = upn.split("@")[1]?.toLowerCase() ?? "";
  if (!verifiedDomainNames(ctx.store).some((d) => d.toLowerCase() === domain)) {
    throw badRequest("The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.");
  }
  const other = findUserByUpn(ctx.store, upn);
  if (other && other.id !== selfId) {
    throw badRequest("Another object with the same value for property userPrincipalName already exists.");
  }
}

function takePassword(ctx: RequestContext, id: string, profile: unknown, required: boolean): Record<string, unknown> | undefined {
  if (profile === undefined || profile === null) {
    if (required) throw invalidPropertyValue("passwordProfile", "User");
    return undefined;
  }
  if (!isRecord(profile)) throw invalidPropertyValue("passwordProfile", "User");
  const password = profile["password"];
  if (typeof password !== "string" || password === "") {
    if (required) throw invalidPropertyValue("passwordProfile", "User");
  } else {
    if (!ctx.system) checkPasswordComplexity(password);
    ctx.store.internalOf(id)["password"] = password;
  }
  return undefined;
}

export const users = defineResource({
  collection: "users",
  entityType: "microsoft.graph.user",
  resourceName: "User",
  paths: [{ path: "/users" }],
  pathKeys: ["userPrincipalName"],
  permissions: { read: READ, write: WRITE },
  paging: { defaultTop: 100, maxTop: 999 },
  directoryObject: true,
  readOnly: { createdDateTime: "ignore", deletedDateTime: "ignore", onPremisesSyncEnabled: "ignore" },
  filter: {
    id: ["eq", "in"],
    displayName: ["eq", "in", "startsWith", "ge", "le"],
    userPrincipalName: ["eq", "in", "startsWith"],
    mail: ["eq", "in", "startsWith"],
    mailNickname: ["eq", "in", "startsWith"],
    givenName: ["eq", "in", "startsWith"],
    surname: ["eq", "in", "startsWith"],
    accountEnabled: ["eq"],
    userType: ["eq", "in"],
    department: ["eq", "in", "startsWith"],
    jobTitle: ["eq", "in", "startsWith"],
    companyName: ["eq", "in", "startsWith"],
    employeeId: ["eq", "in", "startsWith"],
    city: ["eq", "in", "startsWith"],
    country: ["eq", "in", "startsWith"],
    usageLocation: ["eq", "in"],
    identities: ["any"],
    "identities/issuer": ["eq"],
    "identities/issuerAssignedId": ["eq"],
    "otherMails": ["any", "eq", "startsWith"],
    "proxyAddresses": ["any", "eq", "startsWith"],
  },
  advancedFilter: {
    userPrincipalName: ["endsWith"],
    mail: ["endsWith"],
    otherMails: ["endsWith"],
    proxyAddresses: ["endsWith"],
    createdDateTime: ["eq", "ge", "le", "gt", "lt", "in"],
  },
  orderBy: { displayName: "default", userPrincipalName: "default", createdDateTime: "advanced" },
  search: ["displayName", "userPrincipalName", "mail", "givenName", "surname", "mailNickname"],
  defaultSelect: { "v1.0": USER_DEFAULT_PROPERTIES },
  softDelete: { bin: "directory" },
  audit: {
    service: "Core Directory", category: "UserManagement", targetType: "User",
    add: "Add user", update: "Update user", delete: "Delete user", restore: "Restore user", hardDelete: "Hard Delete user",
  },
  create(ctx, body, id) {
    for (const field of ["accountEnabled", "displayName", "mailNickname", "userPrincipalName"]) {
      if (body[field] === undefined || body[field] === null || body[field] === "") throw invalidPropertyValue(field, "User");
    }
    if (typeof body["accountEnabled"] !== "boolean") throw invalidPropertyValue("accountEnabled", "User");
    checkUpn(ctx, body["userPrincipalName"]);
    takePassword(ctx, id, body["passwordProfile"], !ctx.system);
    const { passwordProfile: _omit, ...rest } = body;
    const upn = String(body["userPrincipalName"]);
    return {
      businessPhones: [], givenName: null, jobTitle: null, mail: null, mobilePhone: null, officeLocation: null,
      preferredLanguage: null, surname: null, department: null, companyName: null, employeeId: null, city: null,
      country: null, usageLocation: null, otherMails: [], proxyAddresses: [], userType: "Member",
      onPremisesSyncEnabled: null, creationType: null, ageGroup: null,
      identities: [{ signInType: "userPrincipalName", issuer: ctx.core.domain, issuerAssignedId: upn }],
      ...rest,
      id,
      createdDateTime: ctx.nowIso(),
      deletedDateTime: null,
    };
  },
  update(ctx, existing, patch) {
    if (patch["userPrincipalName"] !== undefined) checkUpn(ctx, patch["userPrincipalName"], existing.id);
    takePassword(ctx, existing.id, patch["passwordProfile"], false);
    const { passwordProfile: _omit, ...rest } = patch;
    return { ...existing, ...rest };
  },
  afterCreate: (ctx, entity) => refreshUserMemberships(ctx, entity),
  afterUpdate: (ctx, entity) => refreshUserMemberships(ctx, entity),
  expand: {
    memberOf: (ctx, entity) => memberOfObjects(ctx, entity.id),
  },
  itemRoutes: [
    {
      method: "GET",
      path: "memberOf",
      handler: (ctx, params) => {
        const user = getVisible(ctx, ctx.core.resource("users"), params["id"] ?? "");
        return listResponse(ctx, directoryObjectList, memberOfObjects(ctx, user.id), { contextPath: "directoryObjects" });
      },
    },
    {
      method: "GET",
      path: "transitiveMemberOf",
      handler: (ctx, params) => {
        const user = getVisible(ctx, ctx.core.resource("users"), params["id"] ?? "");
        return listResponse(ctx, directoryObjectList, transitiveMemberOf(ctx, user.id), { contextPath: "directoryObjects" });
      },
    },
  ],
  collectionRoutes: [deltaRoute("users")],
});

/** Groups and administrative units that hold the object directly. */
export function memberOfObjects(ctx: RequestContext, id: string): Entity[] {
  const out: Entity[] = [];
  for (const [relation, collection] of [["groups/members", "groups"], ["administrativeUnits/members", "administrativeUnits"]] as const) {
    for (const sourceId of ctx.store.linkSources(relation, id)) {
      const source = ctx.store.get(collection, sourceId);
      if (source) out.push(typedView(ctx, collection, source));
    }
  }
  return out;
}

/** Groups (and AUs) that hold the object directly or through nested groups. */
export function transitiveMemberOf(ctx: RequestContext, id: string): Entity[] {
  const seen = new Set<string>();
  const out: Entity[] = [];
  const queue = [id];
  while (queue.length > 0) {
    const current = queue.shift() ?? "";
    for (const container of memberOfObjects(ctx, current)) {
      const key = container.id.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(container);
      if (container["@odata.type"] === "#microsoft.graph.group") queue.push(container.id);
    }
  }
  return out;
}
