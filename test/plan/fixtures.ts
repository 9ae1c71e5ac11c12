import type { EntraDocument, JsonObject } from "../../src/model/document.js";
import type { PlanKind } from "../../src/engine/plan/catalog.js";
import type { PlanSource, LiveObject } from "../../src/model/plan.js";
import type { Kind, ObjectId } from "../../src/model/kind.js";

/** Minimal descriptors with the shape of the real ones (the plan reads only these fields). */
export const KINDS: PlanKind[] = [
  {
    kind: "conditionalAccessPolicy",
    singleton: false,
    naturalKey: "displayName",
    createOnly: [],
    setArrays: [
      "conditions.users.includeUsers",
      "conditions.users.excludeUsers",
      "conditions.users.includeGroups",
      "conditions.users.excludeGroups",
      "conditions.users.includeRoles",
      "conditions.users.excludeRoles",
      "conditions.locations.includeLocations",
      "conditions.locations.excludeLocations",
      "grantControls.builtInControls",
    ],
    references: [
      { path: "conditions.users.includeGroups", targets: ["group"], sentinels: ["All"] },
      { path: "conditions.users.excludeGroups", targets: ["group"] },
      { path: "conditions.users.includeUsers", targets: ["user"], sentinels: ["All", "None", "GuestsOrExternalUsers"] },
      { path: "conditions.users.excludeUsers", targets: ["user"] },
      { path: "conditions.users.includeRoles", targets: ["role"] },
      { path: "conditions.locations.includeLocations", targets: ["namedLocation"], sentinels: ["All", "AllTrusted"] },
      { path: "conditions.locations.excludeLocations", targets: ["namedLocation"], sentinels: ["All", "AllTrusted"] },
      { path: "grantControls.authenticationStrength", targets: ["authenticationStrength"] },
    ],
    dependsOn: ["namedLocation", "group", "authenticationStrengthPolicy", "user"],
  },
  { kind: "namedLocation", singleton: false, naturalKey: "displayName", createOnly: [], setArrays: ["countriesAndRegions", "ipRanges"], references: [], dependsOn: [] },
  { kind: "authenticationStrengthPolicy", singleton: false, naturalKey: "displayName", createOnly: [], setArrays: ["allowedCombinations"], references: [], dependsOn: [] },
  {
    kind: "group",
    singleton: false,
    naturalKey: "displayName",
    createOnly: ["isAssignableToRole", "mailNickname"],
    setArrays: ["groupTypes", "members", "owners"],
    references: [],
    relationships: [
      { property: "members", segment: "members", targets: ["user", "group", "servicePrincipal"] },
      { property: "owners", segment: "owners", targets: ["user", "servicePrincipal"] },
    ],
    dependsOn: ["user"],
  },
  { kind: "user", singleton: false, naturalKey: "userPrincipalName", createOnly: [], setArrays: [], references: [], dependsOn: [] },
  {
    kind: "application",
    singleton: false,
    naturalKey: "displayName",
    createOnly: [],
    setArrays: ["web.redirectUris", "appRoles.allowedMemberTypes"],
    arrayKeys: { appRoles: "id" },
    references: [],
    dependsOn: [],
  },
  { kind: "servicePrincipal", singleton: false, naturalKey: "appId", createOnly: ["appId"], setArrays: ["tags"], references: [{ path: "appId", targets: ["application"], by: "appId" }], dependsOn: ["application"] },
  { kind: "authorizationPolicy", singleton: true, naturalKey: "displayName", createOnly: [], setArrays: [], references: [], dependsOn: [] },
];

export const SOURCE: PlanSource = {
  gitRevision: "0123456789abcdef0123456789abcdef01234567",
  configDigest: "sha256:abc",
  tenantId: "11111111-2222-3333-4444-555555555555",
  graphUrl: "https://graph.microsoft.com",
  environment: "prod",
  createdAt: "2026-11-22T10:00:00.000Z",
};

export function doc(kind: Kind, name: string, spec: JsonObject, id?: string): EntraDocument {
  return id === undefined ? { kind, name, spec } : { kind, name, id, spec };
}

export function live(kind: Kind, name: string, id: string, spec: JsonObject): LiveObject {
  return { kind, name, id: id as ObjectId, spec };
}

export function caSpec(displayName: string, extra: { state?: string; users?: JsonObject; grant?: JsonObject | null; conditions?: JsonObject } = {}): JsonObject {
  return {
    displayName,
    state: extra.state ?? "enabled",
    conditions: {
      users: extra.users ?? { includeUsers: ["All"], excludeGroups: ["group:emergency-access"] },
      applications: { includeApplications: ["All"] },
      ...(extra.conditions ?? {}),
    },
    grantControls: extra.grant === undefined ? { operator: "OR", builtInControls: ["mfa"] } : extra.grant,
  };
}
