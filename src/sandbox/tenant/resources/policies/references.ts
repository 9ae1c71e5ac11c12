/**
 * How the policy resources ask whether an object a policy points at exists. The tenant adapts its
 * store (and its replication-delay model: an object created moments ago may not be visible yet) to this.
 */
export type ReferenceKind =
  | "user"
  | "group"
  | "directoryRoleTemplate"
  | "servicePrincipal"
  /** An application id (appId) that a service principal of the tenant carries. */
  | "servicePrincipalAppId"
  | "namedLocation"
  | "authenticationStrengthPolicy"
  | "authenticationContextClassReference"
  /** A terms of use agreement (`/identityGovernance/termsOfUse/agreements`). */
  | "agreement";

export interface ReferenceLookup {
  exists(kind: ReferenceKind, id: string): boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}
