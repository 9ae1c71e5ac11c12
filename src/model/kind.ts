/** The closed vocabulary of kinds the engine manages (docs/design.md §3, first wave). */
export const KIND_NAMES = [
  "namedLocation",
  "authenticationContextClassReference",
  "authenticationStrengthPolicy",
  "authorizationPolicy",
  "authenticationMethodsPolicy",
  "crossTenantAccessPolicyDefault",
  "crossTenantAccessPolicyPartner",
  "groupSetting",
  "user",
  "group",
  "administrativeUnit",
  "application",
  "servicePrincipal",
  "roleAssignment",
  "conditionalAccessPolicy",
] as const;

export type Kind = (typeof KIND_NAMES)[number];

/** `KIND/NAME`, e.g. `conditionalAccessPolicy/require-mfa-for-admins`. */
export type Address = `${Kind}/${string}` & { readonly __brand: "Address" };

/** An object id in a tenant (a GUID, or a partner tenant id for cross-tenant partners). */
export type ObjectId = string & { readonly __brand: "ObjectId" };

export function isKind(value: string): value is Kind {
  return (KIND_NAMES as readonly string[]).includes(value);
}

export function address(kind: Kind, name: string): Address {
  return `${kind}/${name}` as Address;
}

export function parseAddress(text: string): { kind: Kind; name: string } | undefined {
  const slash = text.indexOf("/");
  if (slash <= 0) return undefined;
  const kind = text.slice(0, slash);
  const name = text.slice(slash + 1);
  if (!isKind(kind) || name.length === 0) return undefined;
  return { kind, name };
}
