/**
 * Which kind a Graph JSON object is: from its `@odata.type`, else its `@odata.context`, else its
 * shape, else the folder it was found in (IntuneManagement's `ConditionalAccess/`, `NamedLocations/`,
 * `Groups/`). Undefined when nothing tells.
 */
import type { JsonObject } from "../../model/document.js";
import type { Kind } from "../../model/kind.js";

const BY_TYPE: Readonly<Record<string, Kind>> = {
  conditionalAccessPolicy: "conditionalAccessPolicy",
  namedLocation: "namedLocation",
  ipNamedLocation: "namedLocation",
  countryNamedLocation: "namedLocation",
  authenticationStrengthPolicy: "authenticationStrengthPolicy",
  authenticationContextClassReference: "authenticationContextClassReference",
  authorizationPolicy: "authorizationPolicy",
  authenticationMethodsPolicy: "authenticationMethodsPolicy",
  crossTenantAccessPolicyConfigurationDefault: "crossTenantAccessPolicyDefault",
  crossTenantAccessPolicyConfigurationPartner: "crossTenantAccessPolicyPartner",
  groupSetting: "groupSetting",
  directorySetting: "groupSetting",
  user: "user",
  group: "group",
  administrativeUnit: "administrativeUnit",
  application: "application",
  servicePrincipal: "servicePrincipal",
  unifiedRoleAssignment: "roleAssignment",
};

const BY_CONTEXT: ReadonlyArray<[RegExp, Kind]> = [
  [/conditionalAccess\/policies/i, "conditionalAccessPolicy"],
  [/conditionalAccess\/namedLocations/i, "namedLocation"],
  [/authenticationStrength\/policies|authenticationStrengthPolicies/i, "authenticationStrengthPolicy"],
  [/authenticationContextClassReferences/i, "authenticationContextClassReference"],
  [/authorizationPolicy/i, "authorizationPolicy"],
  [/authenticationMethodsPolicy/i, "authenticationMethodsPolicy"],
  [/crossTenantAccessPolicy\/default/i, "crossTenantAccessPolicyDefault"],
  [/crossTenantAccessPolicy\/partners/i, "crossTenantAccessPolicyPartner"],
  [/#groups/i, "group"],
  [/#users/i, "user"],
  [/#applications/i, "application"],
  [/#servicePrincipals/i, "servicePrincipal"],
  [/#directory\/administrativeUnits|#administrativeUnits/i, "administrativeUnit"],
  [/roleAssignments/i, "roleAssignment"],
];

const BY_FOLDER: ReadonlyArray<[RegExp, Kind]> = [
  [/^conditionalaccess$/i, "conditionalAccessPolicy"],
  [/^namedlocations?$/i, "namedLocation"],
  [/^groups?$/i, "group"],
  [/^authenticationstrengths?$/i, "authenticationStrengthPolicy"],
];

export function typeName(object: JsonObject): string | undefined {
  const raw = object["@odata.type"];
  if (typeof raw !== "string") return undefined;
  return raw.replace(/^#/, "").replace(/^microsoft\.graph\./, "");
}

function byShape(o: JsonObject): Kind | undefined {
  const has = (...keys: string[]): boolean => keys.every((k) => k in o);
  if (has("conditions") && (has("grantControls") || has("sessionControls") || has("state"))) return "conditionalAccessPolicy";
  if (has("ipRanges") || has("countriesAndRegions")) return "namedLocation";
  if (has("allowedCombinations")) return "authenticationStrengthPolicy";
  if (has("defaultUserRolePermissions")) return "authorizationPolicy";
  if (has("authenticationMethodConfigurations")) return "authenticationMethodsPolicy";
  if (has("isServiceDefault") && (has("b2bCollaborationInbound") || has("inboundTrust"))) return "crossTenantAccessPolicyDefault";
  if (has("tenantId") && (has("b2bCollaborationInbound") || has("inboundTrust") || has("b2bDirectConnectInbound"))) return "crossTenantAccessPolicyPartner";
  if (has("mailNickname", "securityEnabled")) return "group";
  if (has("appId", "signInAudience") && !has("servicePrincipalType")) return "application";
  if (has("appId", "servicePrincipalType")) return "servicePrincipal";
  if (has("roleDefinitionId", "principalId")) return "roleAssignment";
  if (has("templateId", "values")) return "groupSetting";
  return undefined;
}

/** The kind, or a reason why none could be told. */
export function detectKind(object: JsonObject, folder: string): { kind: Kind } | { reason: string } {
  const type = typeName(object);
  if (type !== undefined) {
    const kind = BY_TYPE[type];
    return kind ? { kind } : { reason: `@odata.type ${String(object["@odata.type"])} is not a kind entra-gitops manages` };
  }
  const context = object["@odata.context"];
  if (typeof context === "string") {
    for (const [pattern, kind] of BY_CONTEXT) if (pattern.test(context)) return { kind };
  }
  const shaped = byShape(object);
  if (shaped) return { kind: shaped };
  for (const [pattern, kind] of BY_FOLDER) if (pattern.test(folder)) return { kind };
  const keys = Object.keys(object).slice(0, 5).join(", ");
  return { reason: `not a Graph object of a kind entra-gitops manages: no @odata.type, and neither its shape (keys: ${keys || "none"}) nor its folder tells the kind` };
}
