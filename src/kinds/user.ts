import { randomBytes } from "node:crypto";
import { DIRECTORY_OBJECT_MANAGED, directorySoftDelete, slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

/** Properties exported for users: identity and profile, never secrets or sign-in data. */
const SELECT = [
  "id",
  "accountEnabled",
  "displayName",
  "givenName",
  "surname",
  "userPrincipalName",
  "mailNickname",
  "userType",
  "jobTitle",
  "department",
  "companyName",
  "officeLocation",
  "employeeId",
  "employeeType",
  "usageLocation",
  "preferredLanguage",
  "city",
  "state",
  "country",
  "streetAddress",
  "postalCode",
  "businessPhones",
  "mobilePhone",
  "otherMails",
  "ageGroup",
  "consentProvidedForMinor",
].join(",");

/**
 * Users (opt-in kind). Referenced elsewhere as `user:<userPrincipalName>`. Create needs a
 * `passwordProfile`, which documents never hold: `toGraphBody` supplies a random one the user
 * must change at first sign-in (it is never printed or stored; an administrator resets it, or the
 * user signs in with a Temporary Access Pass). `accountEnabled` defaults to true and `mailNickname`
 * to the UPN's local part, the two other properties Graph requires on create.
 */
export const user = {
  kind: "user",
  reference: { prefix: "user", key: "userPrincipalName", caseInsensitive: true, lookUpByKey: true },
  audit: { activity: /\buser\b/i },
  detect: { odataTypes: ["user"], context: /#users/i },
  required: ["displayName", "userPrincipalName"],
  title: "user",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.user",
  singleton: false,
  directoryObject: true,
  delta: true,
  optIn: true,
  collectionPath: "/users",
  itemPath: (id) => `/users/${id}`,
  listQuery: { $select: SELECT },
  naturalKey: "userPrincipalName",
  documentName: (spec) => slugOf(spec, "userPrincipalName"),
  serverManaged: [
    ...DIRECTORY_OBJECT_MANAGED,
    "createdDateTime",
    "onPremises*",
    "securityIdentifier",
    "proxyAddresses",
    "imAddresses",
    "mail",
    "passwordProfile",
    "passwordPolicies",
    "signInActivity",
    "signInSessionsValidFromDateTime",
    "refreshTokensValidFromDateTime",
    "lastPasswordChangeDateTime",
    "externalUserState",
    "externalUserStateChangeDateTime",
    "creationType",
    "identities",
    "assignedLicenses",
    "assignedPlans",
    "provisionedPlans",
    "licenseAssignmentStates",
  ],
  createOnly: [],
  setArrays: ["otherMails"],
  references: [],
  dependsOn: [],
  permissions: { read: ["User.Read.All"], write: ["User.ReadWrite.All"], ids: { "User.Read.All": "df021288-bdef-4463-88db-98f22de89214", "User.ReadWrite.All": "741f803b-c850-494e-b5df-cde7c675a1ca" } },
  softDelete: directorySoftDelete("user"),
  // What Graph fills in on create when the document says nothing: not differences to undo.
  defaults: { accountEnabled: true, userType: "Member" },
  normalize(spec) {
    // mailNickname defaults to the UPN's local part (toGraphBody sends it): only a different one is kept.
    const upn = spec.userPrincipalName;
    if (typeof upn === "string" && upn.includes("@") && spec.mailNickname === upn.slice(0, upn.indexOf("@"))) {
      const { mailNickname: _same, ...rest } = spec;
      return rest;
    }
    return spec;
  },
  toGraphBody(body, mode) {
    if (mode !== "create") return body;
    const upn = typeof body.userPrincipalName === "string" ? body.userPrincipalName : "";
    return {
      accountEnabled: true,
      ...(upn.includes("@") ? { mailNickname: upn.slice(0, upn.indexOf("@")) } : {}),
      ...body,
      passwordProfile: { password: initialPassword(), forceChangePasswordNextSignIn: true },
    };
  },
} satisfies KindDescriptor;

/** 24 random characters plus one of each class, so Graph's complexity rule is always met. */
function initialPassword(): string {
  return `${randomBytes(18).toString("base64url")}aA1!`;
}
