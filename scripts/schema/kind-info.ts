/**
 * What the schema generator needs to know about a kind: the part of `KindDescriptor` that shapes a
 * document's spec, taken from the kind registry.
 */
import type { KindDescriptor, Relationship } from "../../src/kinds/types.js";

export type SchemaKindInfo = Pick<
  KindDescriptor,
  "kind" | "graphType" | "apiVersion" | "serverManaged" | "references" | "singleton" | "apiPermissionsPath" | "appRoleField" | "required" | "requiredByType" | "betaOnlyType" | "inlineNavigation" | "secrets" | "extraSpec"
> & {
  readonly relationships?: readonly Pick<Relationship, "property" | "targets">[];
  readonly nestedCollections?: readonly { readonly property: string }[];
  /** Dotted paths where `@odata.type` tells subtypes apart (`""` is the root). */
  readonly keepODataType?: readonly string[];
};

/**
 * Server-managed everywhere at the top of a spec (docs/design.md §2), besides each kind's own list. `id` is
 * not among them: most kinds list it, but an authentication context's id (`c1`…`c99`) is chosen by
 * the administrator and belongs in the spec.
 */
export const GENERIC_SERVER_MANAGED = ["createdDateTime", "modifiedDateTime", "lastModifiedDateTime", "deletedDateTime"] as const;

/**
 * Properties the CSDL types as plain strings although Graph accepts only a few values (the Graph
 * reference lists them), keyed by `type/property`.
 */
export const STRING_ENUMS: Readonly<Record<string, readonly string[]>> = {
  "microsoft.graph.conditionalAccessGrantControls/operator": ["AND", "OR"],
  "microsoft.graph.group/visibility": ["Public", "Private", "HiddenMembership"],
  "microsoft.graph.administrativeUnit/visibility": ["Public", "HiddenMembership"],
  "microsoft.graph.application/signInAudience": ["AzureADMyOrg", "AzureADMultipleOrgs", "AzureADandPersonalMicrosoftAccount", "PersonalMicrosoftAccount"],
  "microsoft.graph.group/membershipRuleProcessingState": ["On", "Paused"],
  // A workforce tenant's social identity providers (B2C tenants allow more; docs/graph-behaviour.md).
  "microsoft.graph.socialIdentityProvider/identityProviderType": ["Google", "Facebook"],
};
